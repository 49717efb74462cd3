import { useEffect, useRef } from 'react';
import type { UserDiff } from '#shared/model/sync';
import { Field } from '../../components/Field';
import { Modal } from '../../components/Modal';
import { useRealms } from '../../stores/realms-store';
import { useSyncActions, type ResyncSession } from './sync-store';
import { useDetailActions } from '../users/detail/user-detail-store';
import { BindPasswordPrompt } from './BindPasswordPrompt';
import { DiffTable } from './DiffTable';
import { ResyncCandidates } from './ResyncCandidates';
import { diffSummary, type Choice } from './resync-diff';
import './sync.css';

/**
 * TWCloud's Resynchronize: pick the realm, tick the matching directory entry, Start shows the three-way diff,
 * conflicts get a choice, Save applies it. Asks for the bind password when main has none.
 */
export function ResyncDialog({ session }: { session: ResyncSession }) {
  const realms = useRealms();
  const { closeResync, chooseRealm, chooseCandidate, start, back, choose, chooseAll, apply, givePassword } = useSyncActions();
  const { load } = useDetailActions();
  const { diff, busy, error } = session;
  const realm = realms.find((r) => r.id === session.realmId);
  const save = async () => {
    if (await apply()) void load();
  };
  const bodyRef = useRef<HTMLDivElement>(null);
  const saveRef = useRef<HTMLButtonElement>(null);
  const startRef = useRef<HTMLButtonElement>(null);
  const showsDiff = diff !== null;
  const shown = useRef(showsDiff);
  // Start replaces its own button with the diff, Back the diff with the candidates: without this, focus falls to
  // <body>. After Start it goes to the first decision (the checked side of the first row to decide), else Save.
  useEffect(() => {
    if (shown.current === showsDiff) return;
    shown.current = showsDiff;
    if (showsDiff) {
      const decision = bodyRef.current?.querySelector<HTMLInputElement>('[data-testid="conflict-choice"] input:checked');
      (decision ?? saveRef.current)?.focus();
    } else startRef.current?.focus();
  }, [showsDiff]);
  // The password prompt held focus; once the password is given it is gone, and focus would fall to <body>. It
  // goes to the realm picker, where the dialog starts when it has no question to ask.
  const asked = useRef(session.needsPassword);
  useEffect(() => {
    if (asked.current === session.needsPassword) return;
    asked.current = session.needsPassword;
    const dialog = bodyRef.current?.closest('dialog');
    if (session.needsPassword || !dialog || dialog.contains(document.activeElement)) return;
    dialog.querySelector<HTMLSelectElement>('#resync-realm')?.focus();
  }, [session.needsPassword]);

  const footer = (
    <>
      <button type="button" className="button" onClick={closeResync}>
        Cancel
      </button>
      {diff ? (
        <>
          <button type="button" className="button" onClick={back} disabled={busy !== null}>
            Back
          </button>
          <button
            ref={saveRef}
            type="button"
            className="button button--primary"
            onClick={() => void save()}
            disabled={busy !== null}
            aria-busy={busy === 'apply'}
          >
            {busy === 'apply' ? 'Saving…' : 'Save'}
          </button>
        </>
      ) : (
        <button
          ref={startRef}
          type="button"
          className="button button--primary"
          onClick={() => void start()}
          disabled={!session.chosen || busy !== null}
          aria-busy={busy === 'preview'}
        >
          {busy === 'preview' ? 'Comparing…' : 'Start'}
        </button>
      )}
    </>
  );

  return (
    <Modal title={`Resynchronize ${session.username}`} onClose={closeResync} footer={footer}>
      <div ref={bodyRef} className="resync-dialog" aria-busy={busy !== null}>
        {realms.length === 0 ? (
          <p className="banner banner--info">No realm is set up yet. Add one under Realms first.</p>
        ) : (
          <Field id="resync-realm" label="Realm">
            <select
              id="resync-realm"
              className="select"
              value={session.realmId}
              onChange={(event) => chooseRealm(event.target.value)}
              // Not while candidates load: the dialog opens in that state, and a disabled picker would hand the
              // first focus to Cancel. Another realm may be picked meanwhile (the older answer is dropped).
              disabled={diff !== null || busy === 'preview' || busy === 'apply'}
              data-autofocus
            >
              {session.realmId === '' && <option value="">Choose a realm</option>}
              {realms.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                  {r.enabled ? '' : ' (disabled)'}
                </option>
              ))}
            </select>
          </Field>
        )}
        {session.needsPassword && (
          <BindPasswordPrompt
            realmName={realm?.name ?? 'this realm'}
            note={realm?.passwordNote}
            onSubmit={(password) => void givePassword(session.realmId, password)}
          />
        )}
        {error && error.code !== 'password-required' && (
          <p className="banner banner--error" role="alert">
            {error.message}
          </p>
        )}
        {diff ? (
          <DiffStep diff={diff} session={session} onChoose={choose} onChooseAll={chooseAll} />
        ) : (
          <CandidatesStep session={session} realmName={realm?.name} onChoose={chooseCandidate} />
        )}
      </div>
    </Modal>
  );
}

/** Step one: the entries that could be this user. */
function CandidatesStep({ session, realmName, onChoose }: { session: ResyncSession; realmName: string | undefined; onChoose(dn: string): void }) {
  const { candidates, busy } = session;
  if (busy === 'candidates') {
    return (
      <p className="muted" role="status">
        <span className="spinner" aria-hidden="true" /> Looking for {session.username} in {realmName ?? 'the directory'}…
      </p>
    );
  }
  if (candidates === null) return null;
  if (candidates.length === 0) {
    return (
      <p className="banner banner--info" role="status">
        No entry in {realmName ?? 'this realm'} matches {session.username} by id, DN or username.
      </p>
    );
  }
  return (
    <>
      <p className="muted">Tick the directory entry that is this user, then Start to compare.</p>
      <ResyncCandidates candidates={candidates} chosen={session.chosen} disabled={busy !== null} onChoose={onChoose} />
    </>
  );
}

/** Step two: the three-way diff and what the directory renamed or moved. */
function DiffStep({
  diff,
  session,
  onChoose,
  onChooseAll,
}: {
  diff: UserDiff;
  session: ResyncSession;
  onChoose(field: string, choice: Choice): void;
  onChooseAll(choice: Choice): void;
}) {
  const summary = diffSummary(diff, session.choices);
  return (
    <>
      <p className="resync-dialog__entry">
        <span className="muted">Against</span> <span className="mono">{diff.dn}</span>
      </p>
      <p data-testid="diff-summary">
        <strong>{summary}</strong>
      </p>
      {(diff.username_change || diff.dn_change || !diff.directoryEnabled) && (
        <ul className="resync-dialog__notes">
          {diff.username_change && (
            <li data-testid="username-change">
              Username changes from <strong>{diff.username_change.from}</strong> to <strong>{diff.username_change.to}</strong>.
            </li>
          )}
          {diff.dn_change && (
            <li data-testid="dn-change">
              Moved in the directory: <span className="mono">{diff.dn_change.from}</span> → <span className="mono">{diff.dn_change.to}</span>
            </li>
          )}
          {!diff.directoryEnabled && <li>The account is disabled in the directory.</li>}
        </ul>
      )}
      <DiffTable fields={diff.fields} choices={session.choices} disabled={session.busy !== null} onChoose={onChoose} onChooseAll={onChooseAll} />
    </>
  );
}
