import type { SheetRowResult, SheetRowStatus } from '#shared/model/sheet';
import { useJobReportActions } from '../reports/reports-store';
import { ChangesTable } from '../../components/ChangesTable';
import { MATCH_TARGET_LABELS } from './sheet-mapping';

/** How a row's status reads. */
export const ROW_STATUS_LABELS: Record<SheetRowStatus, string> = { change: 'Changes', unchanged: 'Unchanged', refused: 'Refused' };

/** One row of a sheet: its number, the user it matched (the name opens the user), what it changes and why it is refused. */
export function SheetRowItem({ row, labels }: { row: SheetRowResult; labels: Record<string, string> }) {
  const { openReportedUser } = useJobReportActions();
  return (
    <li className={`sheet-row sheet-row--${row.status}`} data-testid="sheet-row" data-row={row.row} data-status={row.status} data-username={row.username ?? ''}>
      <div className="sheet-row__head">
        <span className="sheet-row__number">Row {row.row}</span>
        <span className={`status-badge status-badge--sheet-${row.status}`}>{ROW_STATUS_LABELS[row.status]}</span>
        {row.username && row.userId ? (
          <button type="button" className="link-button" data-testid="report-user-link" onClick={() => openReportedUser(row.userId!)}>
            <strong>{row.username}</strong>
            <span className="visually-hidden"> (open the user)</span>
          </button>
        ) : row.username ? (
          <strong>{row.username}</strong>
        ) : (
          <span className="muted">No user</span>
        )}
        {row.matchedBy && <span className="muted sheet-row__match">matched by {MATCH_TARGET_LABELS[row.matchedBy].split(' (')[0]}</span>}
      </div>
      {row.reasons.length > 0 && (
        <ul className="sheet-row__reasons">
          {row.reasons.map((reason, i) => (
            <li key={i}>{reason}</li>
          ))}
        </ul>
      )}
      {row.changes.length > 0 && <ChangesTable changes={row.changes} labels={labels} />}
    </li>
  );
}
