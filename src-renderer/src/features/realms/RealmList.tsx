import { useEffect, useRef, useState } from 'react';
import type { Realm } from '#shared/model/realm';
import { useFormActions, useFormTarget } from './realm-form-hooks';
import { useRealmActions, useRealms, useRealmsStatus } from '../../stores/realms-store';
import { DeleteRealmDialog } from './DeleteRealmDialog';
import { RealmRow } from './RealmRow';

/** The left pane: realms in display order, with add, enable, reorder and delete. */
export function RealmList() {
  const realms = useRealms();
  const { loaded, loadError, listError } = useRealmsStatus();
  const { load, move, setEnabled, dismissListError } = useRealmActions();
  const target = useFormTarget();
  const { request } = useFormActions();
  const [deleting, setDeleting] = useState<Realm | null>(null);
  const listRef = useRef<HTMLUListElement>(null);
  // Reordering re-renders the rows; keep focus on the moved realm so Alt+Arrow can be pressed again.
  const refocus = useRef<{ id: string; element: Element | null } | null>(null);

  const focusRow = (id: string) => listRef.current?.querySelector<HTMLElement>(`[data-realm-id="${CSS.escape(id)}"] .realm-row__name`)?.focus();
  useEffect(() => {
    const pending = refocus.current;
    if (!pending) return;
    refocus.current = null;
    const { element } = pending;
    if (element instanceof HTMLElement && element.isConnected && !element.matches(':disabled')) element.focus();
    else focusRow(pending.id);
  }, [realms]);

  const moveRealm = (id: string, delta: -1 | 1) => {
    refocus.current = { id, element: document.activeElement };
    void move(id, delta);
  };
  const focusStep = (index: number, delta: -1 | 1) => {
    const next = realms[index + delta];
    if (next) focusRow(next.id);
  };

  return (
    <section className="realm-list-pane" aria-labelledby="realms-title">
      <header className="pane-header">
        <h1 id="realms-title">Realms</h1>
        <button type="button" className="button button--primary" onClick={() => request({ kind: 'new' })}>
          Add realm
        </button>
      </header>
      {loadError && (
        <div className="banner banner--error" role="alert">
          Could not load the realms: {loadError.message}{' '}
          <button type="button" className="link-button" onClick={() => void load()}>
            Retry
          </button>
        </div>
      )}
      {listError && (
        <div className="banner banner--error" role="alert">
          {listError.message}{' '}
          <button type="button" className="link-button" onClick={dismissListError}>
            Dismiss
          </button>
        </div>
      )}
      {loaded && realms.length === 0 && !loadError && <p className="empty-list">No realms yet. Add one to connect Roster to a directory.</p>}
      <ul className="realm-list" ref={listRef} aria-label="Realms in order">
        {realms.map((realm, index) => (
          <RealmRow
            key={realm.id}
            realm={realm}
            selected={target.kind === 'realm' && target.id === realm.id}
            first={index === 0}
            last={index === realms.length - 1}
            onSelect={() => request({ kind: 'realm', id: realm.id })}
            onMove={(delta) => moveRealm(realm.id, delta)}
            onToggle={(enabled) => void setEnabled(realm.id, enabled)}
            onDelete={() => setDeleting(realm)}
            onFocusStep={(delta) => focusStep(index, delta)}
          />
        ))}
      </ul>
      {realms.length > 1 && <p className="pane-footnote">The order is the order realms are searched in. Alt+↑/↓ moves the focused realm.</p>}
      {deleting && <DeleteRealmDialog realm={deleting} onClose={() => setDeleting(null)} />}
    </section>
  );
}
