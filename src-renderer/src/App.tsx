import { Component, lazy, Suspense, useEffect, useState, type ComponentType, type ReactNode } from 'react';
import { DemoDoneNotice } from './components/DemoDoneNotice';
import { NavBar } from './components/NavBar';
import { StatusBar } from './components/StatusBar';
import { UsersScreen } from './screens/users/list/UsersScreen';
import { useAppStore, useOpenUserId, useScreen } from './stores/app-store';
import { useDemoActions } from './stores/demo-store';
import { useImportActions } from './stores/import-store';
import { useJobsActions } from './stores/jobs-store';
import { useRealmActions, useRealmsStore } from './stores/realms-store';
import { useRolesActions } from './stores/roles-store';
import { useUsersListActions, useUsersListStore } from './stores/users-list-store';

/**
 * A screen whose code is its own chunk, fetched when first shown (or by `preload`). Once the chunk is here
 * the screen renders at once: React.lazy alone would suspend on its first render even then, and React
 * holds a revealed fallback for a moment, so a preloaded screen would still wait.
 */
function lazyScreen<P extends object>(load: () => Promise<ComponentType<P>>) {
  let loaded: ComponentType<P> | undefined;
  const preload = () => load().then((component) => (loaded = component));
  const Lazy = lazy(() => preload().then((component) => ({ default: component })));
  const Screen = (props: P) => {
    const Loaded = loaded;
    return Loaded ? <Loaded {...props} /> : <Lazy {...props} />;
  };
  return Object.assign(Screen, { preload });
}

// Every screen but the list is its own chunk: the first load parses only what the list needs. Once the list
// has rows the others are fetched while the page is idle, the detail first (see usePreloadScreens).
const UserDetailScreen = lazyScreen(() => import('./screens/users/detail/UserDetailScreen').then((m) => m.UserDetailScreen));
const ImportScreen = lazyScreen(() => import('./screens/import/ImportScreen').then((m) => m.ImportScreen));
const RealmsScreen = lazyScreen(() => import('./screens/realms/RealmsScreen').then((m) => m.RealmsScreen));
const ReportsScreen = lazyScreen(() => import('./screens/reports/ReportsScreen').then((m) => m.ReportsScreen));
const ExportScreen = lazyScreen(() => import('./screens/export/ExportScreen').then((m) => m.ExportScreen));
const AuditScreen = lazyScreen(() => import('./screens/audit/AuditScreen').then((m) => m.AuditScreen));
const SettingsScreen = lazyScreen(() => import('./screens/settings/SettingsScreen').then((m) => m.SettingsScreen));
const PRELOAD_ORDER = [UserDetailScreen, RealmsScreen, ImportScreen, ReportsScreen, ExportScreen, AuditScreen, SettingsScreen];

/** How long a screen's code may take before "Loading…" is shown (it is a local file: usually a frame or two). */
const LOADING_NOTICE_MS = 300;

/**
 * What the main area shows while a screen's code is being fetched: an empty pane, then, if that takes a
 * while, a quiet "Loading…" status (so a fast load neither flashes nor is announced).
 */
function ScreenLoading() {
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setSlow(true), LOADING_NOTICE_MS);
    return () => clearTimeout(timer);
  }, []);
  return (
    <div role="status" className="muted" style={{ height: '100%', padding: '12px 14px' }} data-testid="screen-loading">
      {slow ? 'Loading…' : ''}
    </div>
  );
}

/**
 * Keeps a screen that fails (its code could not be fetched, or it threw while rendering) from taking the
 * whole window down: the navigation stays usable and the failure is said. Reset by choosing another screen.
 */
class ScreenBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: unknown) {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="banner banner--error" role="alert">
        Roster could not show this screen: {error.message}{' '}
        <button type="button" className="link-button" onClick={() => window.location.reload()}>
          Reload
        </button>
      </div>
    );
  }
}

/** Runs `task` when the page is next idle (within `timeout` ms at the latest); returns the cancel function. */
function whenIdle(task: () => void, timeout: number): () => void {
  if (typeof requestIdleCallback !== 'function') {
    const timer = setTimeout(task, 50);
    return () => clearTimeout(timer);
  }
  const idle = requestIdleCallback(task, { timeout });
  return () => cancelIdleCallback(idle);
}

/**
 * Once the list shows rows, fetches the other screens' code one at a time while the page is idle (the
 * user's detail first), so opening a user or a screen waits for nothing. A failed fetch is left for the
 * screen's own load to report when it is shown.
 */
function usePreloadScreens() {
  // True from the first answer on (`loaded` goes false again with every new search).
  const listShown = useUsersListStore((s) => s.answers > 0);
  useEffect(() => {
    if (!listShown) return;
    let cancel = () => {};
    let stopped = false;
    const next = (index: number) => {
      const screen = PRELOAD_ORDER[index];
      if (!screen || stopped) return;
      cancel = whenIdle(() => {
        void screen.preload().then(
          () => next(index + 1),
          () => next(index + 1),
        );
      }, 2000);
    };
    next(0);
    return () => {
      stopped = true;
      cancel();
    };
  }, [listShown]);
}

/** The screen in the main area; an open user's detail takes the list's place (the list keeps its state). */
function CurrentScreen() {
  const screen = useScreen();
  const userId = useOpenUserId();
  switch (screen) {
    case 'users':
      return userId ? <UserDetailScreen key={userId} id={userId} /> : <UsersScreen />;
    case 'import':
      return <ImportScreen />;
    case 'realms':
      return <RealmsScreen />;
    case 'reports':
      return <ReportsScreen />;
    case 'export':
      return <ExportScreen />;
    case 'audit':
      return <AuditScreen />;
    case 'settings':
      return <SettingsScreen />;
  }
}

/** Switches to Realms at start when the store holds neither a realm nor a user. */
function useEmptyStoreStart() {
  const startEmpty = useAppStore((s) => s.startEmpty);
  const realmsKnown = useRealmsStore((s) => s.loaded);
  const realmCount = useRealmsStore((s) => s.realms.length);
  const usersKnown = useUsersListStore((s) => s.loaded || s.error !== null);
  const userCount = useUsersListStore((s) => s.facets?.all ?? 0);
  const searching = useUsersListStore((s) => s.query.search !== '');
  useEffect(() => {
    if (realmsKnown && usersKnown && !searching && realmCount === 0 && userCount === 0) startEmpty();
  }, [realmsKnown, usersKnown, searching, realmCount, userCount, startEmpty]);
}

/** The app shell: navigation on the left, the current screen, the status bar at the bottom. */
export function App() {
  const loadInfo = useAppStore((s) => s.loadInfo);
  const { load, watch } = useRealmActions();
  const { load: loadRoles, watch: watchRoles } = useRolesActions();
  const { init: initUsers, watch: watchUsers } = useUsersListActions();
  useEffect(() => {
    void loadInfo();
    void load();
    return watch();
  }, [loadInfo, load, watch]);
  useEffect(() => {
    void loadRoles();
    return watchRoles();
  }, [loadRoles, watchRoles]);
  useEffect(() => {
    void initUsers();
    return watchUsers();
  }, [initUsers, watchUsers]);
  const { load: loadJobs, watch: watchJobs } = useJobsActions();
  const { watch: watchImport } = useImportActions();
  const { watch: watchDemo } = useDemoActions();
  useEffect(() => {
    const unwatch = watchJobs();
    void loadJobs();
    return unwatch;
  }, [loadJobs, watchJobs]);
  // Jobs outlive the screens that start them: the import re-searches and the demo opens Users when done.
  useEffect(() => watchImport(), [watchImport]);
  useEffect(() => watchDemo(), [watchDemo]);
  useEmptyStoreStart();
  usePreloadScreens();
  const screen = useScreen();
  const userId = useOpenUserId();
  return (
    <div className="shell">
      <NavBar />
      <main className="shell__main">
        <ScreenBoundary key={`${screen}:${userId ?? ''}`}>
          <Suspense fallback={<ScreenLoading />}>
            <CurrentScreen />
          </Suspense>
        </ScreenBoundary>
      </main>
      <DemoDoneNotice />
      <StatusBar />
    </div>
  );
}
