import { useEffect } from 'react';
import { NavBar } from './components/NavBar';
import { StatusBar } from './components/StatusBar';
import { PlaceholderScreen } from './screens/placeholder/PlaceholderScreen';
import { RealmsScreen } from './screens/realms/RealmsScreen';
import { useAppStore, useScreen } from './stores/app-store';
import { useRealmActions } from './stores/realms-store';

/** The app shell: navigation on the left, the current screen, the status bar at the bottom. */
export function App() {
  const screen = useScreen();
  const loadInfo = useAppStore((s) => s.loadInfo);
  const { load, watch } = useRealmActions();
  useEffect(() => {
    void loadInfo();
    void load();
    return watch();
  }, [loadInfo, load, watch]);
  return (
    <div className="shell">
      <NavBar />
      <main className="shell__main">{screen === 'realms' ? <RealmsScreen /> : <PlaceholderScreen key={screen} screen={screen} />}</main>
      <StatusBar />
    </div>
  );
}
