import { useAppStore, useScreen } from '../stores/app-store';
import { SCREEN_LABELS, SCREENS } from '../lib/screens';
import { NavIcon } from './NavIcon';

/** The left navigation between the main screens. */
export function NavBar() {
  const screen = useScreen();
  const go = useAppStore((s) => s.go);
  return (
    <nav className="nav" aria-label="Main">
      <div className="nav__brand">Roster</div>
      <ul className="nav__list">
        {SCREENS.map((id) => (
          <li key={id}>
            <button type="button" className="nav__item" aria-current={screen === id ? 'page' : undefined} onClick={() => go(id)}>
              <NavIcon screen={id} />
              {SCREEN_LABELS[id]}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
