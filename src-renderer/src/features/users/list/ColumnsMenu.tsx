import { useShallow } from 'zustand/react/shallow';
import { useUserColumnsStore } from './user-columns-store';
import { columnOrder, USER_COLUMNS } from './columns';
import { HEADER_KEYS } from './UserTableHeader';

const LABELS = new Map(USER_COLUMNS.map((c) => [c.key, c]));

/** "Columns": which columns show (in their order), and back to the defaults. Moving and resizing are on the headers. */
export function ColumnsMenu() {
  const prefs = useUserColumnsStore((s) => s.prefs);
  const { setHidden, move, reset } = useUserColumnsStore(useShallow((s) => ({ setHidden: s.setHidden, move: s.move, reset: s.reset })));
  const order = columnOrder(prefs);
  return (
    <details className="columns-menu" data-testid="columns-menu">
      <summary className="button columns-menu__summary" title={`Show, hide or move columns. On a header: ${HEADER_KEYS}.`}>
        Columns
      </summary>
      <div className="columns-menu__panel" role="group" aria-label="Columns">
        <ul className="columns-menu__list">
          {order.map((key, i) => {
            const column = LABELS.get(key);
            if (!column) return null;
            return (
              <li key={key} className="columns-menu__item">
                <label>
                  <input
                    type="checkbox"
                    checked={!prefs.hidden.includes(key)}
                    disabled={!column.hideable}
                    onChange={(event) => setHidden(key, !event.target.checked)}
                  />{' '}
                  {column.label}
                </label>
                <span className="columns-menu__moves">
                  <button
                    type="button"
                    className="button button--small button--quiet"
                    aria-label={`Move ${column.label} left`}
                    disabled={i === 0}
                    onClick={() => move(key, -1)}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="button button--small button--quiet"
                    aria-label={`Move ${column.label} right`}
                    disabled={i === order.length - 1}
                    onClick={() => move(key, 1)}
                  >
                    ↓
                  </button>
                </span>
              </li>
            );
          })}
        </ul>
        <button type="button" className="link-button" onClick={reset}>
          Reset columns
        </button>
      </div>
    </details>
  );
}
