import { SHEET_ROW_STATUSES } from '#shared/model/sheet';
import { useFieldLabels } from '../../stores/fields-store';
import { SHEET_PAGE_SIZE, useSheetApply, useSheetImportActions, useSheetPreview } from './sheet-import-store';
import { ROW_STATUS_LABELS, SheetRowItem } from './SheetRowItem';

const count = (n: number) => n.toLocaleString('en-US');

/** The preview: counts per status (each a filter), a page of rows with their changes and reasons, and Apply. */
export function SheetPreviewPanel() {
  const { preview, status, offset, rows, rowsTotal, pageLoading, pageError } = useSheetPreview();
  const { applying, applyError } = useSheetApply();
  const { showStatus, showPage, apply } = useSheetImportActions();
  const labels = useFieldLabels();
  if (!preview) return null;
  const { counts } = preview;
  const last = Math.min(offset + SHEET_PAGE_SIZE, rowsTotal);
  return (
    <section className="sheet-preview" aria-labelledby="sheet-preview-title" data-testid="sheet-preview">
      <div className="sheet-preview__head">
        <h2 id="sheet-preview-title">Preview</h2>
        <div className="status-chips" role="group" aria-label="Show rows by status">
          <button type="button" className="chip" aria-pressed={status === null} onClick={() => void showStatus(null)}>
            All <span className="chip__count">{count(preview.total)}</span>
          </button>
          {SHEET_ROW_STATUSES.map((s) => (
            <button
              key={s}
              type="button"
              className="chip"
              data-testid={`sheet-count-${s}`}
              data-count={counts[s]}
              aria-pressed={status === s}
              disabled={counts[s] === 0 && status !== s}
              onClick={() => void showStatus(status === s ? null : s)}
            >
              {ROW_STATUS_LABELS[s]} <span className="chip__count">{count(counts[s])}</span>
            </button>
          ))}
        </div>
      </div>
      <p className="sheet-preview__summary" role="status">
        {count(counts.change)} {counts.change === 1 ? 'row changes' : 'rows change'} a user, {count(counts.unchanged)} {counts.unchanged === 1 ? 'is' : 'are'}{' '}
        already as the sheet says, {count(counts.refused)} {counts.refused === 1 ? 'is' : 'are'} refused.
      </p>
      {pageError && (
        <p className="banner banner--error" role="alert">
          Could not read the rows: {pageError.message}
        </p>
      )}
      {rows.length === 0 && !pageLoading ? (
        <p className="muted">No rows to show.</p>
      ) : (
        <ul className="sheet-rows" aria-busy={pageLoading} aria-label="Rows">
          {rows.map((row) => (
            <SheetRowItem key={row.row} row={row} labels={labels} />
          ))}
        </ul>
      )}
      {rowsTotal > SHEET_PAGE_SIZE && (
        <div className="sheet-preview__pages">
          <button type="button" className="button button--small" disabled={offset === 0 || pageLoading} onClick={() => void showPage(offset - SHEET_PAGE_SIZE)}>
            Previous
          </button>
          <span className="muted">
            Rows {count(offset + 1)}–{count(last)} of {count(rowsTotal)}
          </span>
          <button
            type="button"
            className="button button--small"
            disabled={last >= rowsTotal || pageLoading}
            onClick={() => void showPage(offset + SHEET_PAGE_SIZE)}
          >
            Next
          </button>
        </div>
      )}
      {applyError && (
        <p className="banner banner--error" role="alert">
          Could not apply: {applyError.message}
        </p>
      )}
      <div className="sheet-preview__actions">
        <button type="button" className="button button--primary" disabled={applying || counts.change === 0} aria-busy={applying} onClick={() => void apply()}>
          {applying ? 'Applying…' : counts.change === 1 ? 'Apply 1 row' : `Apply ${count(counts.change)} rows`}
        </button>
        <span className="muted">
          {counts.change === 0
            ? 'No row changes anything.'
            : counts.refused > 0
              ? 'Refused rows are left out and listed in the report.'
              : 'Only the rows that change a user are applied.'}
        </span>
      </div>
    </section>
  );
}
