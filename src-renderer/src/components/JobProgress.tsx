import { useState } from 'react';
import type { Job } from '#shared/model/sync';
import { jobPercent, useCancelError, useJob, useJobsActions } from '../stores/jobs-store';
import './job-progress.css';

/** What a running job is called in progress text and the status bar. */
export const JOB_TITLES: Record<Job['kind'], string> = { import: 'Importing', resync: 'Resyncing', reconcile: 'Reconciling', export: 'Exporting' };

const count = (n: number) => n.toLocaleString('en-US');

/** A running job's progress bar: phase, done of total, and Cancel. Shows nothing once the job ended. */
export function JobProgress({ jobId, label }: { jobId: string; label?: string }) {
  const job = useJob(jobId);
  const cancelError = useCancelError(jobId);
  const { cancel } = useJobsActions();
  const [cancelling, setCancelling] = useState(false);
  if (!job || job.state !== 'running') {
    return job ? null : (
      <p className="job-progress muted" role="status">
        Starting…
      </p>
    );
  }
  const known = job.total > 0;
  const percent = jobPercent(job);
  const name = label ?? `${JOB_TITLES[job.kind]}…`;
  return (
    <section className="job-progress" data-testid="job-progress" aria-label={name}>
      <div className="job-progress__top">
        <strong className="job-progress__title">{name}</strong>
        <span className="job-progress__phase" aria-live="polite">
          {job.phase}
        </span>
        <span className="job-progress__count">{known ? `${count(job.done)} / ${count(job.total)}` : count(job.done)}</span>
        <button
          type="button"
          className="button button--small"
          disabled={cancelling}
          onClick={() => {
            setCancelling(true);
            void cancel(job.id).then(() => setCancelling(false));
          }}
        >
          {cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      </div>
      <div
        className={known ? 'job-progress__bar' : 'job-progress__bar job-progress__bar--indeterminate'}
        role="progressbar"
        aria-label={`${name} ${job.phase}`}
        aria-valuemin={0}
        aria-valuemax={known ? job.total : undefined}
        aria-valuenow={known ? job.done : undefined}
        aria-valuetext={known ? `${percent}% (${count(job.done)} of ${count(job.total)})` : job.phase}
      >
        <div className="job-progress__fill" style={{ width: known ? `${percent}%` : undefined }} />
      </div>
      {cancelError && (
        <p className="banner banner--error" role="alert">
          Could not cancel: {cancelError.message}
        </p>
      )}
    </section>
  );
}
