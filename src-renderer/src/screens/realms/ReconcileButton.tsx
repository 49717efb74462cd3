import type { Realm } from '../../../../src-shared/model/realm';
import { fullTime, timeAgo } from '../../lib/format-time';
import { jobPercent, useJob } from '../../stores/jobs-store';
import { useReconcile, useSyncActions } from '../../stores/sync-store';

/** A realm row's reconcile line: when it was last reconciled (or how far the running one is) and "Reconcile…". */
export function ReconcileButton({ realm }: { realm: Realm }) {
  const { jobId } = useReconcile(realm.id);
  const job = useJob(jobId);
  const { openReconcile, clearReconcile } = useSyncActions();
  const running = job?.state === 'running';
  const status = running
    ? job.total > 0
      ? `Reconciling… ${jobPercent(job)}%`
      : 'Reconciling…'
    : realm.lastReconcileAt
      ? `Reconciled ${timeAgo(realm.lastReconcileAt)}`
      : 'Never reconciled';
  return (
    <div className="reconcile-status" data-testid="reconcile-status">
      <span className="reconcile-status__time muted" title={realm.lastReconcileAt ? `Last reconciled ${fullTime(realm.lastReconcileAt)}` : undefined}>
        {status}
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
