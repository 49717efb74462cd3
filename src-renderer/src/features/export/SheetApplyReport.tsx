import { useEffect, useRef } from 'react';
import type { SheetApplyReport } from '#shared/model/sheet';
import { useFieldLabels } from '../../stores/fields-store';
import { useJobReportActions } from '../reports/reports-store';
import { useSheetImportActions } from './sheet-import-store';
import { SheetRowItem } from './SheetRowItem';

const count = (n: number) => n.toLocaleString('en-US');

/** What applying a sheet did: the counts, Export… of the users it changed, every refused row with its reasons, and the rows applied. */
export function SheetApplyReportView({ report }: { report: SheetApplyReport }) {
  const labels = useFieldLabels();
  const { reset } = useSheetImportActions();
  const { exportReportedUsers } = useJobReportActions();
  const appliedIds = [...new Set(report.appliedRows.flatMap((row) => (row.userId ? [row.userId] : [])))];
  const headingRef = useRef<HTMLHeadingElement>(null);
  // Apply went away with the preview: the report it produced takes the focus instead of the page.
  useEffect(() => {
    if (!document.activeElement || document.activeElement === document.body) headingRef.current?.focus();
  }, []);
  return (
    <section className="job-report job-report--done sheet-report" aria-labelledby="sheet-report-title" data-testid="sheet-report">
      <header className="job-report__header">
        <h2 id="sheet-report-title" ref={headingRef} tabIndex={-1}>
          Sheet applied
        </h2>
        <span className="muted mono">{report.file}</span>
        <button type="button" className="button button--small job-report__close" onClick={reset}>
          Read another sheet
        </button>
      </header>
      <dl className="job-report__figures">
        <div className="job-report__figure" data-testid="sheet-applied">
          <dt>Applied</dt>
          <dd>{count(report.applied)}</dd>
        </div>
        <div className="job-report__figure" data-testid="sheet-unchanged">
          <dt>Unchanged</dt>
          <dd>{count(report.unchanged)}</dd>
        </div>
        <div className="job-report__figure" data-testid="sheet-refused">
          <dt>Refused</dt>
          <dd>{count(report.refused)}</dd>
        </div>
      </dl>
      <div className="job-report__actions">
        <button
          type="button"
          className="button button--small"
          disabled={appliedIds.length === 0}
          title={appliedIds.length === 0 ? 'No row was applied' : `Export the ${count(appliedIds.length)} users whose rows were applied`}
          onClick={() => exportReportedUsers(`Sheet ${report.file}`, appliedIds)}
          data-testid="report-export"
        >
          Export…
        </button>
      </div>
      {report.refusedRows.length > 0 && (
        <div>
          <h3 className="sheet-report__title">Refused rows</h3>
          <ul className="sheet-rows" aria-label="Refused rows">
            {report.refusedRows.map((row) => (
              <SheetRowItem key={row.row} row={row} labels={labels} />
            ))}
          </ul>
        </div>
      )}
      {report.appliedRows.length > 0 && (
        <details className="job-report__changes">
          <summary>
            Rows applied ({count(report.appliedRows.length)}
            {report.appliedTruncated ? ', list cut short' : ''})
          </summary>
          <ul className="sheet-rows">
            {report.appliedRows.map((row) => (
              <SheetRowItem key={row.row} row={row} labels={labels} />
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
