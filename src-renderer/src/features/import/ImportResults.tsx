import type { ImportSearch } from '#shared/model/sync';
import { useJob } from '../../stores/jobs-store';
import { useImportActions, useImportResult, useImportRun, useImportRunButtons, useImportSelection } from './import-store';
import { formatCount, resultCountText } from './import-labels';
import { ClashBar } from './ClashBar';
import { ClashRowPanel } from './ClashRowPanel';
import { ImportResultList } from './ImportResultList';
import { StatusChips } from './StatusChips';

/** The result: its honest size, status chips, selection and the run buttons, then the entries. */
export function ImportResults({ result }: { result: ImportSearch }) {
  const { status, total, pageError } = useImportResult();
  const { count, all } = useImportSelection();
  const { jobId, starting } = useImportRun();
  const { setStatus, selectAll, clearSelection, run } = useImportActions();
  const running = useJob(jobId)?.state === 'running';
  // One import at a time from here: the statuses shown are about to change.
  const busy = starting || running;
  const buttons = useImportRunButtons();
  return (
    <section className="import-results" aria-labelledby="import-count">
      <div className="import-results__bar">
        <h2 id="import-count" className="import-results__count" aria-live="polite" data-testid="import-count">
          {resultCountText(result, status)}
        </h2>
        <StatusChips result={result} status={status} onChange={setStatus} />
      </div>
      {result.total > 0 && (
        <div className="import-results__actions">
          {count > 0 ? (
            <>
              <span className="import-results__selected">{formatCount(count)} selected</span>
              <button type="button" className="link-button" onClick={clearSelection}>
                Clear selection
              </button>
            </>
          ) : (
            <span className="muted">Click entries to select them (Shift+click for a range).</span>
          )}
          {!all && total > 0 && (
            <button type="button" className="link-button" onClick={selectAll}>
              Select all {formatCount(total)}
            </button>
          )}
          <span className="import-results__spacer" />
          <button type="button" className="button" disabled={count === 0 || busy} onClick={() => void run('selected')} data-testid="import-run-selected">
            {buttons.selected}
          </button>
          <button
            type="button"
            className="button button--primary"
            disabled={buttons.allCount === 0 || busy}
            onClick={() => void run('all')}
            data-testid="import-run-all"
          >
            {buttons.all}
          </button>
        </div>
      )}
      <ClashBar />
      {pageError && (
        <p className="banner banner--error" role="alert">
          Could not read the results: {pageError.message} Search again to refresh them.
        </p>
      )}
      {result.total === 0 ? (
        <div className="empty-pane" data-testid="import-empty">
          <h2>No entries match</h2>
          <p>Try fewer letters, another realm, or * to list everyone the realm&rsquo;s user filter covers.</p>
        </div>
      ) : (
        <>
          <ImportResultList />
          <ClashRowPanel />
        </>
      )}
    </section>
  );
}
