import type { ReactNode } from 'react';
import { useJob } from '../../stores/jobs-store';
import { useDemo, useDemoActions } from './demo-store';
import { JobProgress } from '../../components/JobProgress';
import { JobReport } from '../reports/JobReport';
import './demo.css';

/** The first-run offer: try Roster on a bundled offline directory before connecting a real one. */
export function FirstRunPanel({ children }: { children?: ReactNode }) {
  const { starting, jobId, error } = useDemo();
  const { start } = useDemoActions();
  const job = useJob(jobId);
  const running = starting || job?.state === 'running';
  return (
    <section className="first-run" data-testid="first-run" aria-labelledby="first-run-title">
      <h2 id="first-run-title">New to Roster?</h2>
      <p>
        “Try with demo data” adds an offline demo directory (an LDIF file shipped with Roster) as a realm and imports its users, so you can explore without
        connecting to a server.
      </p>
      <p className="first-run__actions">
        <button type="button" className="button button--primary" onClick={() => void start()} disabled={running} aria-busy={running}>
          {starting ? 'Starting…' : 'Try with demo data'}
        </button>
        {children}
      </p>
      {error && (
        <p className="banner banner--error" role="alert">
          Could not start the demo: {error.message}
        </p>
      )}
      {jobId && <JobProgress jobId={jobId} label="Importing the demo directory…" />}
      {job && job.state !== 'running' && job.state !== 'done' && <JobReport job={job} />}
    </section>
  );
}
