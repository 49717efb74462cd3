import { JobProgress } from '../../components/JobProgress';
import { JobReport } from '../reports/JobReport';
import { useImportActions, useImportRun } from './import-store';
import { useJob } from '../../stores/jobs-store';

/** The import started here: its progress while it runs, then its report (until closed or another starts). */
export function ImportRunPanel() {
  const { jobId, runError } = useImportRun();
  const { dismissReport } = useImportActions();
  const job = useJob(jobId);
  return (
    <>
      {runError && (
        <p className="banner banner--error" role="alert">
          Could not start the import: {runError.message}
        </p>
      )}
      {jobId && (!job || job.state === 'running') && <JobProgress jobId={jobId} />}
      {job && job.state !== 'running' && <JobReport job={job} onClose={dismissReport} />}
    </>
  );
}
