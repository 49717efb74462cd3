import { useEffect, useState } from 'react';
import type { AppError } from '#shared/result';
import { useAuditActions, useAuditEntries, useAuditForm } from './audit-store';
import { useFieldLabels, useFieldsActions } from '../../stores/fields-store';
import { AuditFilters } from './AuditFilters';
import { AuditRow } from './AuditRow';
import { downloadText } from './download';
import './audit.css';

/** The audit journal: every change Roster made, filtered, paged, expandable, and exportable as CSV. */
export function AuditScreen() {
  const { entries, total, loaded, loading, error } = useAuditEntries();
  const { formError } = useAuditForm();
  const { reload, loadMore, exportCsv } = useAuditActions();
  const { load: loadFields } = useFieldsActions();
  const labels = useFieldLabels();
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(new Set());
  const [exporting, setExporting] = useState(false);
  const [exported, setExported] = useState<string | null>(null);
  const [exportError, setExportError] = useState<AppError | null>(null);
  useEffect(() => {
    void reload();
    void loadFields();
  }, [reload, loadFields]);

  const toggle = (seq: number) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (!next.delete(seq)) next.add(seq);
      return next;
    });
  const exportJournal = async () => {
    setExporting(true);
    setExported(null);
    setExportError(null);
    const result = await exportCsv();
    setExporting(false);
    if (!result.ok) {
      setExportError(result.error);
      return;
    }
    downloadText(result.value.filename, result.value.csv);
    setExported(`Exported ${result.value.count === 1 ? '1 entry' : `${result.value.count} entries`} to ${result.value.filename}.`);
  };

  return (
    <section className="audit-screen" aria-labelledby="audit-title">
      <header className="pane-header">
        <h1 id="audit-title">Audit</h1>
        <div className="pane-header__actions">
          <span role="status" className="audit-screen__exported">
            {exported}
          </span>
          <button type="button" className="button" onClick={() => void reload()} disabled={loading}>
            Refresh
          </button>
          <button type="button" className="button" onClick={() => void exportJournal()} disabled={exporting || formError !== null} aria-busy={exporting}>
            {exporting ? 'Exporting…' : 'Export CSV'}
          </button>
        </div>
      </header>
      <AuditFilters />
      <div className="audit-screen__body">
        {formError && (
          <p className="banner banner--error" role="alert">
            {formError}
          </p>
        )}
        {error && (
          <p className="banner banner--error" role="alert">
            Could not read the journal: {error.message}{' '}
            <button type="button" className="link-button" onClick={() => void reload()}>
              Retry
            </button>
          </p>
        )}
        {exportError && (
          <p className="banner banner--error" role="alert">
            Could not export: {exportError.message}
          </p>
        )}
        {!loaded && !error && <p className="muted">Loading the journal…</p>}
        {loaded && !error && entries.length === 0 && <p className="empty-list">No entries match these filters.</p>}
        {entries.length > 0 && (
          <table className="audit-table" aria-label="Audit entries, newest first" aria-busy={loading}>
            <thead>
              <tr>
                <th scope="col">
                  <span className="visually-hidden">Changes</span>
                </th>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">User</th>
                <th scope="col">Changes</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <AuditRow key={entry.seq} entry={entry} labels={labels} expanded={expanded.has(entry.seq)} onToggle={() => toggle(entry.seq)} />
              ))}
            </tbody>
          </table>
        )}
        {entries.length > 0 && (
          <div className="audit-screen__more">
            <span className="muted" data-testid="audit-count">
              Showing {entries.length} of {total}
            </span>
            {entries.length < total && (
              <button type="button" className="button" onClick={() => void loadMore()} disabled={loading} aria-busy={loading}>
                {loading ? 'Loading…' : 'Load more'}
              </button>
            )}
          </div>
        )}
      </div>
    </section>
  );
}
