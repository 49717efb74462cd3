import type { KeyboardEvent, MouseEvent } from 'react';
import type { Realm } from '#shared/model/realm';
import { realmNotes } from '#shared/model/realm-status';
import { clearTextBindWarning, tlsMismatch } from '#shared/model/realm-tls';
import { KIND_LABELS } from './realm-labels';
import { ReconcileButton } from '../sync/ReconcileButton';
import { RealmTestStatus } from './RealmTestStatus';

interface RealmRowProps {
  realm: Realm;
  selected: boolean;
  first: boolean;
  last: boolean;
  onSelect(): void;
  onMove(delta: -1 | 1): void;
  onToggle(enabled: boolean): void;
  onDelete(): void;
  /** Plain arrows move focus between rows. */
  onFocusStep(delta: -1 | 1): void;
}

/** One realm in the list: name, kind, enabled switch, URL, base DN, last test, and its order/delete buttons. */
export function RealmRow({ realm, selected, first, last, onSelect, onMove, onToggle, onDelete, onFocusStep }: RealmRowProps) {
  const keyDown = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
    const delta = event.key === 'ArrowUp' ? -1 : 1;
    event.preventDefault();
    if (!event.altKey) onFocusStep(delta);
    else if (!(delta === -1 ? first : last)) onMove(delta);
  };
  // A click on the row's background selects it too; its controls keep their own meaning.
  const click = (event: MouseEvent) => {
    if (!(event.target as Element).closest('button, input, label')) onSelect();
  };
  const extraUrls = realm.connection.urls.length - 1;
  // A mismatch only an older Roster could save, or a password sent in clear: said on the row, not only in the form.
  const tlsNotes =
    realm.kind === 'ldif-file'
      ? []
      : [tlsMismatch(realm.connection.tls, realm.connection.urls), clearTextBindWarning(realm.connection)].filter((n): n is string => n !== undefined);
  return (
    <li
      className={selected ? 'realm-row realm-row--selected' : 'realm-row'}
      data-testid="realm-row"
      data-realm-id={realm.id}
      aria-current={selected ? 'true' : undefined}
      tabIndex={-1}
      onKeyDown={keyDown}
      onClick={click}
    >
      <div className="realm-row__top">
        <button type="button" className="realm-row__name" onClick={onSelect} title="Edit this realm (Alt+↑/↓ to reorder)">
          {realm.name}
        </button>
        <span className="badge">{KIND_LABELS[realm.kind]}</span>
        <input
          type="checkbox"
          role="switch"
          className="switch"
          aria-label="Enabled"
          title={realm.enabled ? 'Enabled: imports and reconciles use this realm' : 'Disabled: imports and reconciles skip this realm'}
          checked={realm.enabled}
          onChange={(event) => onToggle(event.target.checked)}
        />
      </div>
      {realm.ldif ? (
        <div className="realm-row__meta mono" title={realm.ldif.path}>
          {realm.ldif.path}
        </div>
      ) : (
        <div className="realm-row__meta mono" title={realm.connection.urls.join('\n')}>
          {realm.connection.urls[0]}
          {extraUrls > 0 && <span className="muted"> +{extraUrls}</span>}
        </div>
      )}
      <div className="realm-row__meta mono" title={realm.search.baseDn}>
        {realm.search.baseDn}
      </div>
      {tlsNotes.map((note) => (
        <p key={note} className="note note--warning" data-testid="realm-tls-warning">
          {note}
        </p>
      ))}
      {realmNotes(realm).map((note) => (
        <p key={note} className={note.startsWith('Read as') ? 'realm-row__meta muted' : 'note note--warning'}>
          {note}
        </p>
      ))}
      <div className="realm-row__bottom">
        <RealmTestStatus realm={realm} />
        <div className="realm-row__actions">
          <button type="button" className="icon-button" aria-label="Move up" title="Move up (Alt+↑)" disabled={first} onClick={() => onMove(-1)}>
            ↑
          </button>
          <button type="button" className="icon-button" aria-label="Move down" title="Move down (Alt+↓)" disabled={last} onClick={() => onMove(1)}>
            ↓
          </button>
          <button type="button" className="icon-button icon-button--danger" aria-label="Delete" title="Delete this realm…" onClick={onDelete}>
            <svg viewBox="0 0 24 24" width="14" height="14" aria-hidden="true" focusable="false">
              <path d="M3 6h18M8 6V4h8v2M19 6l-1 14H6L5 6M10 11v6M14 11v6" />
            </svg>
          </button>
        </div>
      </div>
      <ReconcileButton realm={realm} />
    </li>
  );
}
