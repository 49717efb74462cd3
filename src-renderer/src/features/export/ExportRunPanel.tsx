import { JobProgress } from '../../components/JobProgress';
import { JobReport } from '../reports/JobReport';
import { useExportActions, useExportRun } from './export-store';
import { useJob } from '../../stores/jobs-store';
import { partFileNames, resultSentence, savedSentence } from './plan-text';

/** The export started here: a refusal, its progress with Cancel, then what it wrote and "Show in folder". */
export function ExportRunPanel() {
  const { jobId, startError, shownFolder, showError } = useExportRun();
  const { showInFolder, dismissResult } = useExportActions();
  const job = useJob(jobId);
  const result = job?.export;
  return (
    <>
      {startError && (
        <p className="banner banner--error" role="alert">
          Could not export: {startError.message}
        </p>
      )}
      {jobId && (!job || job.state === 'running') && <JobProgress jobId={jobId} label="Exporting…" />}
      {job && job.state !== 'running' && (
        <JobReport
          job={job}
          onClose={dismissResult}
          actions={
            result && job.state === 'done' ? (
              <>
                <span className="export-result__sentence" data-testid="export-result" role="status">
                  {resultSentence(result)}
                </span>
                <div className="export-result__files" data-testid="export-files">
                  <span>{savedSentence(result)}:</span>
                  <ul>
                    {result.parts.map((part) => (
                      <li key={part.files[0]} data-testid="export-saved-file">
                        <span className="mono">{partFileNames(part)}</span>
                        {part.realm && (
                          <span className="muted">
                            {' '}
                            for {part.realm.name} ({part.users === 1 ? '1 user' : `${part.users.toLocaleString('en-US')} users`})
                          </span>
                        )}
                      </li>
                    ))}
                  </ul>
                </div>
                <button type="button" className="button button--small" onClick={() => void showInFolder()}>
                  Show in folder
                </button>
                <span role="status" className="export-result__folder" data-testid="export-folder">
                  {shownFolder &&
                    (shownFolder.shown ? (
                      'Opened in your file manager.'
                    ) : (
                      <>
                        Saved in <span className="mono">{shownFolder.folder}</span>
                      </>
                    ))}
                </span>
                {showError && (
                  <span className="export-result__error" role="alert">
                    Could not show the folder: {showError.message}
                  </span>
                )}
              </>
            ) : undefined
          }
        />
      )}
    </>
  );
}
