import { Component, useEffect, useReducer, useState, type ComponentType, type ReactNode, type SyntheticEvent } from 'react';
import { DemoDoneNotice } from './features/demo/DemoDoneNotice';
import { NavBar } from './components/NavBar';
import { StatusBar } from './components/StatusBar';
import { SCREEN_LABELS, SCREENS, type ScreenId } from './lib/screens';
import { UsersScreen } from './features/users/list/UsersScreen';
import { useAppStore, useOpenUserId, useScreen } from './stores/app-store';
import { useDemoActions } from './features/demo/demo-store';
import { useImportActions } from './features/import/import-store';
import { useJobsActions } from './stores/jobs-store';
import { useRealmActions, useRealmsStore } from './stores/realms-store';
import { useRolesActions } from './stores/roles-store';
import { useUsersListActions, useUsersListStore } from './features/users/list/users-list-store';
import { whenIdle } from './lib/when-idle';

/**
 * A screen whose code is its own chunk, fetched when first shown (or ahead, by `preload`). Until it is here
 * the main area shows the quiet loading state; then the screen renders at once. (Not React.lazy under
 * Suspense: React holds a revealed Suspense fallback for 300 ms, so every first visit of a screen took
 * 300 ms even though its chunk is a local file that takes 5-30 ms.) A chunk that cannot be fetched is
 * thrown to the ScreenBoundary.
 */
function lazyScreen<P extends object>(load: () => Promise<ComponentType<P>>) {
  let loaded: ComponentType<P> | undefined;
  let loading: Promise<ComponentType<P>> | undefined;
  // One fetch at a time; a failed one is tried again by the next call.
  const preload = () =>
    (loading ??= load().then(
      (component) => (loaded = component),
      (error: unknown) => {
        loading = undefined;
        throw error;
      },
    ));
  const Screen = (props: P) => {
    const [, arrived] = useReducer((n: number) => n + 1, 0);
    const [failure, setFailure] = useState<{ error: unknown } | null>(null);
    useEffect(() => {
      if (!loaded) preload().then(arrived, (error: unknown) => setFailure({ error }));
    }, []);
    if (failure) throw failure.error;
    const Loaded = loaded;
    return Loaded ? <Loaded {...props} /> : <ScreenLoading />;
  };
  return Object.assign(Screen, { preload });
}

// Every screen but the list is its own chunk: the first load parses only what the list needs. The detail's
// is fetched once the list has rows (usePreloadDetail), another screen's when the pointer or the focus comes
// to its button in the navigation (preloadFromNav): no background work while someone types in the list.
const UserDetailScreen = lazyScreen(() => import('./features/users/detail/UserDetailScreen').then((m) => m.UserDetailScreen));
const ImportScreen = lazyScreen(() => import('./features/import/ImportScreen').then((m) => m.ImportScreen));
const RealmsScreen = lazyScreen(() => import('./features/realms/RealmsScreen').then((m) => m.RealmsScreen));
const ReportsScreen = lazyScreen(() => import('./features/reports/ReportsScreen').then((m) => m.ReportsScreen));
const ExportScreen = lazyScreen(() => import('./features/export/ExportScreen').then((m) => m.ExportScreen));
const AuditScreen = lazyScreen(() => import('./features/audit/AuditScreen').then((m) => m.AuditScreen));
const SettingsScreen = lazyScreen(() => import('./features/settings/SettingsScreen').then((m) => m.SettingsScreen));
const NAV_SCREENS: Partial<Record<ScreenId, { preload(): Promise<unknown> }>> = {
  import: ImportScreen,
  realms: RealmsScreen,
  reports: ReportsScreen,
  export: ExportScreen,
  audit: AuditScreen,
  settings: SettingsScreen,
};
const SCREEN_BY_LABEL = new Map(SCREENS.map((id) => [SCREEN_LABELS[id], id]));

/** A pointer over, or the focus on, a button of the main navigation fetches that screen's code before the click. */
function preloadFromNav(event: SyntheticEvent) {
  const button = event.target instanceof Element ? event.target.closest('nav[aria-label="Main"] button') : null;
  const screen = button ? SCREEN_BY_LABEL.get(button.textContent?.trim() ?? '') : undefined;
  // A failure is left for the screen's own load to report when it is shown.
  if (screen) NAV_SCREENS[screen]?.preload().catch(() => undefined);
}

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

/** Fetches the detail's code once the list shows rows, when the page is idle: opening a user waits for nothing. */
function usePreloadDetail() {
  // True from the first answer on (`loaded` goes false again with every new search).
  const listShown = useUsersListStore((s) => s.answers > 0);
  useEffect(() => {
    if (!listShown) return;
    // A failure is left for the detail's own load to report when a user is opened.
    return whenIdle(() => void UserDetailScreen.preload().catch(() => undefined), 2000);
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
  usePreloadDetail();
  const screen = useScreen();
  const userId = useOpenUserId();
  return (
    <div className="shell" onPointerOver={preloadFromNav} onFocus={preloadFromNav}>
      <NavBar />
      <main className="shell__main">
        <ScreenBoundary key={`${screen}:${userId ?? ''}`}>
          <CurrentScreen />
        </ScreenBoundary>
      </main>
      <DemoDoneNotice />
      <StatusBar />
    </div>
  );
}
