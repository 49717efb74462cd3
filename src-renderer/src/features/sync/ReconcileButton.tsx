import type { Realm } from '#shared/model/realm';
import { jobPercent, useJob } from '../../stores/jobs-store';
import { realmActivity } from '../../stores/realms-store';
import { useReconcile, useSyncActions } from './sync-store';
import './sync.css';

/** A realm row's reconcile line: when it was last reconciled (or how far the running one is) and "Reconcile…". */
export function ReconcileButton({ realm }: { realm: Realm }) {
  const { jobId } = useReconcile(realm.id);
  const job = useJob(jobId);
  const { openReconcile, clearReconcile } = useSyncActions();
  const running = job?.state === 'running';
  const { imported, reconciled } = realmActivity(realm);
  const status = running ? (job.total > 0 ? `Reconciling… ${jobPercent(job)}%` : 'Reconciling…') : reconciled.text;
  return (
    <div className="reconcile-status" data-testid="reconcile-status">
      <span className="reconcile-status__time muted">
        <span data-testid="realm-import-status" title={imported.title}>
          {imported.text}
        </span>
        {' · '}
        <span title={running ? undefined : reconciled.title}>{status}</span>
      </span>
      {/* A run that ended while its dialog was closed keeps its report until it is read or a new run starts. */}
      {job && !running && (
        <button type="button" className="link-button" onClick={() => openReconcile(realm.id)}>
          Report
        </button>
      )}
      <button
        type="button"
        className="button button--small"
        onClick={() => {
          if (job && !running) clearReconcile(realm.id);
          openReconcile(realm.id);
        }}
        title={`Compare every user of ${realm.name} with the directory`}
      >
        {running ? 'Show progress' : 'Reconcile…'}
      </button>
    </div>
  );
}
