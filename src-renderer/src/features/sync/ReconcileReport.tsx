import type { Realm } from '#shared/model/realm';
import type { Job } from '#shared/model/sync';
import { describeReconcile } from '#shared/model/change-marker';
import { JobReport } from '../reports/JobReport';
import { fullTime } from '../../lib/format-time';

interface ReconcileReportProps {
  job: Job;
  realm: Realm;
  onShowConflicts(): void;
}

/** A finished reconcile: the job's report, when the realm was last reconciled, and the way to the conflicts it queued. */
export function ReconcileReport({ job, realm, onShowConflicts }: ReconcileReportProps) {
  const conflicts = job.summary?.conflicts ?? 0;
  const mode = job.summary?.reconcile;
  return (
    <>
      {mode && (
        <p className="muted" data-testid="reconcile-mode" data-mode={mode.mode}>
          {describeReconcile(mode)}
        </p>
      )}
      <JobReport job={job} />
      <div className="reconcile-dialog__actions">
        {realm.lastReconcileAt && (
          <span className="muted" data-testid="last-reconciled">
            Last reconciled {fullTime(realm.lastReconcileAt)}
          </span>
        )}
        {job.state === 'done' && (
          <button type="button" className={conflicts > 0 ? 'button button--primary' : 'button'} onClick={onShowConflicts}>
            Show conflicts
          </button>
        )}
      </div>
    </>
  );
}
