import { IMPORT_STATUSES, type ImportSearch, type ImportStatus } from '#shared/model/sync';
import { formatCount, STATUS_LABELS } from './import-labels';

/** The result's counts per status, each a toggle narrowing the list to it. */
export function StatusChips({ result, status, onChange }: { result: ImportSearch; status: ImportStatus | null; onChange(status: ImportStatus | null): void }) {
  return (
    <div className="status-chips" role="group" aria-label="Show entries by status">
      <button type="button" className="chip" aria-pressed={status === null} onClick={() => onChange(null)}>
        All <span className="chip__count">{formatCount(result.total)}</span>
      </button>
      {IMPORT_STATUSES.map((s) => (
        <button
          key={s}
          type="button"
          className={`chip chip--${s}`}
          data-status={s}
          aria-pressed={status === s}
          disabled={result.counts[s] === 0 && status !== s}
          onClick={() => onChange(status === s ? null : s)}
        >
          {STATUS_LABELS[s]} <span className="chip__count">{formatCount(result.counts[s])}</span>
        </button>
      ))}
    </div>
  );
}
