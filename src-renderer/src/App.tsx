import { useEffect } from 'react';
import { DemoDoneNotice } from './components/DemoDoneNotice';
import { NavBar } from './components/NavBar';
import { StatusBar } from './components/StatusBar';
import { AuditScreen } from './screens/audit/AuditScreen';
import { ExportScreen } from './screens/export/ExportScreen';
import { ImportScreen } from './screens/import/ImportScreen';
import { RealmsScreen } from './screens/realms/RealmsScreen';
import { ReportsScreen } from './screens/reports/ReportsScreen';
import { SettingsScreen } from './screens/settings/SettingsScreen';
import { UserDetailScreen } from './screens/users/detail/UserDetailScreen';
import { UsersScreen } from './screens/users/list/UsersScreen';
import { useAppStore, useOpenUserId, useScreen } from './stores/app-store';
import { useDemoActions } from './stores/demo-store';
import { useImportActions } from './stores/import-store';
import { useJobsActions } from './stores/jobs-store';
import { useRealmActions, useRealmsStore } from './stores/realms-store';
import { useRolesActions } from './stores/roles-store';
import { useUsersListActions, useUsersListStore } from './stores/users-list-store';

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
  return (
    <div className="shell">
      <NavBar />
      <main className="shell__main">
        <CurrentScreen />
      </main>
      <DemoDoneNotice />
      <StatusBar />
    </div>
  );
}
