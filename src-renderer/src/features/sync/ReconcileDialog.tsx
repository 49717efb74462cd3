import { useState } from 'react';
import { describeMarker } from '#shared/model/change-marker';
import type { Realm } from '#shared/model/realm';
import { JobProgress } from '../../components/JobProgress';
import { Modal } from '../../components/Modal';
import { useAppStore } from '../../stores/app-store';
import { useJob } from '../../stores/jobs-store';
import { useRealm } from '../../stores/realms-store';
import { passwordMissing } from '../../stores/session-password';
import { jobWantsPassword, useReconcile, useReconcileOpen, useSyncActions } from './sync-store';
import { useUsersListStore } from '../users/list/users-list-store';
import { BindPasswordPrompt } from './BindPasswordPrompt';
import { CheckboxField } from '../../components/CheckboxField';
import { ReconcileReport } from './ReconcileReport';

/** The Reconcile dialog of the realm it was opened for, if any (mounted outside the realm rows, so its events stay its own). */
export function ReconcileDialogHost() {
  const realmId = useReconcileOpen();
  const realm = useRealm(realmId ?? undefined);
  return realm ? <ReconcileDialog key={realm.id} realm={realm} /> : null;
}

/** What this reconcile will read, in one sentence. */
function readingPlan(realm: Realm, full: boolean): string {
  if (realm.kind === 'ldif-file') return 'reads every user in the LDIF file (a file has no change markers, so it is always read whole);';
  if (!realm.sync) return 'reads every user of the realm from the directory (the first reconcile does; later ones read only what changed);';
  if (full) return 'reads every user of the realm from the directory (a full reconcile);';
  return `reads only the entries changed since the last reconcile (${describeMarker(realm.sync.marker)}), and the ids of all entries to find deleted and moved users (a full read when the directory cannot vouch for its markers: another domain controller, a restored one, another server);`;
}

/** Explains what a reconcile does, runs it as a job with progress and Cancel, then shows its report. */
function ReconcileDialog({ realm }: { realm: Realm }) {
  const state = useReconcile(realm.id);
  const job = useJob(state.jobId);
  const { reconcile: start, closeReconcile, clearReconcile } = useSyncActions();
  // Incremental when the last reconcile left change markers; the admin may ask to read everything instead.
  const [full, setFull] = useState(false);
  const reconcile = (realmId: string, password?: string) => start(realmId, password, { full });
  // Asked up front when main has none for the realm, or after a run stopped for it.
  const askPassword = state.needsPassword || jobWantsPassword(job) || (!job && !state.busy && passwordMissing(realm));
  const step = job?.state === 'running' ? 'running' : job && !askPassword ? 'report' : 'confirm';
  // A password refused by the server is worth saying; "none saved" is what the prompt itself says.
  const error = state.error ?? (askPassword && job?.error?.code !== 'password-required' ? job?.error : undefined);

  const close = () => {
    closeReconcile();
    // A running reconcile goes on in the background (its row shows it); a finished one is done with.
    if (step !== 'running') clearReconcile(realm.id);
  };
  const showConflicts = () => {
    close();
    const users = useUsersListStore.getState();
    users.clearFilters();
    users.setFilters({ realmId: realm.id, conflicts: true });
    const app = useAppStore.getState();
    app.closeUser();
    app.go('users');
  };

  const footer =
    step === 'confirm' ? (
      <>
        <button type="button" className="button" onClick={close} data-autofocus>
          Cancel
        </button>
        <button
          type="button"
          className="button button--primary"
          onClick={() => void reconcile(realm.id)}
          disabled={state.busy || askPassword}
          aria-busy={state.busy}
        >
          {state.busy ? 'Starting…' : 'Reconcile'}
        </button>
      </>
    ) : step === 'running' ? (
      <button type="button" className="button" onClick={close} title="The reconcile goes on; its realm shows how far it is">
        Run in background
      </button>
    ) : (
      <>
        {job?.state !== 'done' && (
          <button type="button" className="button" onClick={() => void reconcile(realm.id)} disabled={state.busy}>
            Reconcile again
          </button>
        )}
        <button type="button" className="button button--primary" onClick={close} data-autofocus>
          Close
        </button>
      </>
    );

  return (
    <Modal title={`Reconcile ${realm.name}`} onClose={close} footer={footer}>
      <div className="reconcile-dialog" data-testid="reconcile-dialog" data-step={step}>
        {step === 'confirm' && (
          <>
            <p>Compares every user of {realm.name} with the directory:</p>
            <ul>
              <li>{readingPlan(realm, full)}</li>
              <li>updates the fields that were not changed in Roster since the last sync;</li>
              <li>queues a conflict where a field changed both here and in the directory, for you to resolve;</li>
              <li>reports the users the directory no longer has, and those disabled there.</li>
            </ul>
            <p className="muted">The directory is only read: nothing is ever written to it. New directory users are not imported (use Import for that).</p>
            {realm.kind !== 'ldif-file' && realm.sync && (
              <CheckboxField id="reconcile-full" label="Read the whole directory (full reconcile)" checked={full} onChange={setFull}>
                <p className="field__hint">For when the directory may have changed in ways its change markers do not show.</p>
              </CheckboxField>
            )}
          </>
        )}
        {askPassword && (
          <BindPasswordPrompt realmName={realm.name} note={realm.passwordNote} busy={state.busy} onSubmit={(password) => void reconcile(realm.id, password)} />
        )}
        {error && (
          <p className="banner banner--error" role="alert">
            {error.message}
          </p>
        )}
        {step === 'running' && job && <JobProgress jobId={job.id} label={`Reconciling ${realm.name}…`} />}
        {step === 'report' && job && <ReconcileReport job={job} realm={realm} onShowConflicts={showConflicts} />}
      </div>
    </Modal>
  );
}
