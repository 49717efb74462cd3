import { useScreen } from '../../stores/app-store';
import { useDemo, useDemoActions } from './demo-store';
import { useJob } from '../../stores/jobs-store';
import { JobReport } from '../reports/JobReport';
import './demo.css';

/** After "Try with demo data": what the import did, over the Users list it opened, until closed. */
export function DemoDoneNotice() {
  const screen = useScreen();
  const { jobId, reportOpen } = useDemo();
  const { dismissReport } = useDemoActions();
  const job = useJob(jobId);
  if (!reportOpen || !job || screen !== 'users') return null;
  return (
    <aside className="demo-done" aria-label="Demo data imported">
      <p className="demo-done__lead">
        The demo directory is in Roster as the realm “Demo directory (offline)”. Its users are below; edit, resync or export them as you would real ones.
      </p>
      <JobReport job={job} onClose={dismissReport} />
    </aside>
  );
}
