import { useEffect, useRef, useState } from 'react';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { useAppStore } from '../../../stores/app-store';
import { useSyncActions } from '../../sync/sync-store';
import { useDetailActions, useDetailEdits, useDetailTab, useUserDetail, useUserDetailStore } from './user-detail-store';
import { ConflictsBanner } from './ConflictsBanner';
import { DetailHeader } from './DetailHeader';
import { DetailTabs, panelId, tabId } from './DetailTabs';
import { FieldsTab } from './FieldsTab';
import { HistoryTab } from './HistoryTab';
import { RolesTab } from './RolesTab';
import { isDirty } from './user-draft';
import { leavesUser } from './leave-keys';
import './user-detail.css';

/** One user: header with login and conversion, then the Fields, Roles and History tabs. */
export function UserDetailScreen({ id }: { id: string }) {
  const { detail, loadError, id: openId } = useUserDetail();
  const edits = useDetailEdits();
  const tab = useDetailTab();
  const { open, load, setTab, discard, watch } = useDetailActions();
  const { closeResync } = useSyncActions();
  const [leaving, setLeaving] = useState(false);

  useEffect(() => open(id), [id, open]);
  // A Resynchronize dialog belongs to this visit: leaving the user closes it.
  useEffect(() => closeResync, [closeResync]);
  useEffect(() => watch(), [watch]);
  // Ctrl/Cmd+S saves from any tab; a save refused shows its messages on the Fields tab.
  useEffect(() => {
    const keyDown = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.key.toLowerCase() !== 's') return;
      event.preventDefault();
      const store = useUserDetailStore.getState();
      void store.save().then((saved) => {
        if (!saved) store.setTab('fields');
      });
    };
    window.addEventListener('keydown', keyDown);
    return () => window.removeEventListener('keydown', keyDown);
  }, []);

  const current = openId === id ? detail : null;
  const dirty = current !== null && isDirty(current, edits);
  const back = () => (dirty ? setLeaving(true) : useAppStore.getState().closeUser());
  // Escape or Alt+← goes back to the list (asking first about unsaved values), unless a dialog or a control owns the key.
  useEffect(() => {
    const keyDown = (event: KeyboardEvent) => {
      if (!leavesUser(event)) return;
      event.preventDefault();
      const { detail: shown, edits: typed } = useUserDetailStore.getState();
      if (shown && isDirty(shown, typed)) setLeaving(true);
      else useAppStore.getState().closeUser();
    };
    window.addEventListener('keydown', keyDown);
    return () => window.removeEventListener('keydown', keyDown);
  }, []);
  // A user just opened: focus goes to its heading, so a screen reader says whose record this is before any field,
  // and Tab continues into the header's actions and then the fields (focusing the first field would skip both).
  const headingRef = useRef<HTMLHeadingElement>(null);
  const focusedFor = useRef<string | null>(null);
  const loaded = current !== null;
  useEffect(() => {
    if (!loaded || focusedFor.current === id) return;
    focusedFor.current = id;
    headingRef.current?.focus();
  }, [loaded, id]);

  if (!current) {
    return (
      <section className="user-detail" aria-label="User">
        <header className="detail-header">
          <div className="detail-header__top">
            <button type="button" className="button button--quiet" onClick={() => useAppStore.getState().closeUser()} aria-label="Back to users">
              ← Users
            </button>
          </div>
        </header>
        <div className="user-detail__body">
          {loadError ? (
            <div className="banner banner--error" role="alert">
              Could not open the user: {loadError.message}{' '}
              <button type="button" className="link-button" onClick={() => void load()}>
                Retry
              </button>
            </div>
          ) : (
            <p className="muted" role="status">
              Loading the user…
            </p>
          )}
        </div>
      </section>
    );
  }

  return (
    <section className="user-detail" aria-label={`User ${current.user.username}`} data-testid="user-detail" data-kind={current.user.kind}>
      <DetailHeader detail={current} onBack={back} headingRef={headingRef} />
      <ConflictsBanner detail={current} />
      <DetailTabs tab={tab} unsaved={dirty} onChange={setTab} />
      <div className="user-detail__body" role="tabpanel" id={panelId(tab)} aria-labelledby={tabId(tab)}>
        {loadError && (
          <p className="banner banner--error" role="alert">
            Could not reload the user: {loadError.message}
          </p>
        )}
        {tab === 'fields' && <FieldsTab detail={current} />}
        {tab === 'roles' && <RolesTab detail={current} />}
        {tab === 'history' && <HistoryTab detail={current} />}
      </div>
      {leaving && (
        <ConfirmDialog
          title="Discard unsaved changes?"
          confirmLabel="Discard changes"
          danger
          onConfirm={() => {
            discard();
            setLeaving(false);
            useAppStore.getState().closeUser();
          }}
          onCancel={() => setLeaving(false)}
        >
          <p>The values typed on the Fields tab have not been saved.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
