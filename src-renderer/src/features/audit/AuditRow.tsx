import { Fragment } from 'react';
import { AUDIT_ACTION_LABELS, type AuditEntry } from '#shared/model/audit';
import { fullTime } from '../../lib/format-time';
import { useAppStore } from '../../stores/app-store';
import { ChangesTable } from '../../components/ChangesTable';
import { summarizeChanges } from '../../lib/change-labels';

interface AuditRowProps {
  entry: AuditEntry;
  labels: Record<string, string>;
  expanded: boolean;
  onToggle(): void;
}

/** One journal entry; expanding it shows the before → after of every field it changed. */
export function AuditRow({ entry, labels, expanded, onToggle }: AuditRowProps) {
  const detailsId = `audit-changes-${entry.seq}`;
  const summary = [summarizeChanges(entry.changes, labels), entry.note].filter(Boolean).join(' — ');
  const canExpand = entry.changes.length > 0;
  const user = entry.username ?? entry.userId;
  // A deleted user has no detail to open.
  const canOpen = entry.userId !== undefined && entry.action !== 'user.delete';
  return (
    <Fragment>
      <tr className={expanded ? 'audit-row audit-row--expanded' : 'audit-row'} data-testid="audit-entry" data-action={entry.action}>
        <td className="audit-row__toggle">
          {canExpand && (
            <button
              type="button"
              className="icon-button"
              aria-expanded={expanded}
              aria-controls={detailsId}
              aria-label={expanded ? 'Hide changes' : 'Show changes'}
              onClick={onToggle}
            >
              {expanded ? '▾' : '▸'}
            </button>
          )}
        </td>
        <td className="audit-row__when">
          <time dateTime={entry.at}>{fullTime(entry.at)}</time>
        </td>
        <td>{entry.who}</td>
        <td>{AUDIT_ACTION_LABELS[entry.action] ?? entry.action}</td>
        <td>
          {user === undefined ? (
            <span className="muted">—</span>
          ) : canOpen ? (
            <button
              type="button"
              className="link-button link-button--plain"
              onClick={() => useAppStore.getState().openUser(entry.userId!)}
              title="Open this user"
            >
              {user}
            </button>
          ) : (
            user
          )}
        </td>
        <td className="audit-row__summary" title={summary}>
          {summary || <span className="muted">—</span>}
        </td>
      </tr>
      {expanded && canExpand && (
        <tr className="audit-row__details" id={detailsId}>
          <td />
          <td colSpan={5}>
            <ChangesTable changes={entry.changes} labels={labels} />
          </td>
        </tr>
      )}
    </Fragment>
  );
}
