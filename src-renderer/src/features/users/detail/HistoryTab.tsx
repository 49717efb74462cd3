import { useEffect } from 'react';
import { AUDIT_ACTION_LABELS } from '#shared/model/audit';
import type { UserDetail } from '#shared/model/user';
import { fullTime } from '../../../lib/format-time';
import { useDetailActions, useDetailHistory } from './user-detail-store';
import { ChangesTable } from '../../../components/ChangesTable';

/** The History tab: this user's audit entries, newest first, each with the before → after of what it changed. */
export function HistoryTab({ detail }: { detail: UserDetail }) {
  const { history, error } = useDetailHistory();
  const { loadHistory } = useDetailActions();
  useEffect(() => {
    void loadHistory();
  }, [loadHistory]);
  const labels = Object.fromEntries(detail.fields.map((f) => [f.key, f.label]));
  const entries = history ? [...history].sort((a, b) => b.seq - a.seq) : null;

  return (
    <div className="detail-history">
      {error && (
        <p className="banner banner--error" role="alert">
          Could not load the history: {error.message}{' '}
          <button type="button" className="link-button" onClick={() => void loadHistory()}>
            Retry
          </button>
        </p>
      )}
      {entries === null && !error && <p className="muted">Loading history…</p>}
      {entries?.length === 0 && <p className="muted">Nothing has been recorded about {detail.user.username} yet.</p>}
      {entries && entries.length > 0 && (
        <ol className="history" aria-label={`History of ${detail.user.username}`}>
          {entries.map((entry) => (
            <li key={entry.seq} className="history-entry" data-testid="history-entry" data-action={entry.action}>
              <div className="history-entry__head">
                <strong className="history-entry__action">{AUDIT_ACTION_LABELS[entry.action] ?? entry.action}</strong>
                <time dateTime={entry.at}>{fullTime(entry.at)}</time>
                <span className="muted">by {entry.who}</span>
              </div>
              {entry.note && <p className="history-entry__note">{entry.note}</p>}
              {entry.changes.length > 0 && <ChangesTable changes={entry.changes} labels={labels} />}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
