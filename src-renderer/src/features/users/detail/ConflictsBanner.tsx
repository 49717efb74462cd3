import { useState } from 'react';
import type { UserDetail } from '#shared/model/user';
import type { AppError } from '#shared/result';
import { useSyncActions } from '../../sync/sync-store';
import { useDetailActions, useDetailEdits } from './user-detail-store';
import { ChoiceRadios, DiffValue } from '../../sync/DiffTable';
import { NextConflictButton } from './NextConflictButton';
import { queuedConflicts, type Choices } from '../../sync/resync-diff';
import { isDirty } from './user-draft';

/**
 * The conflicts a reconcile queued on this user: per field the last synced, Roster's and the directory's
 * values with a choice (default: the field's owner), resolved from the recorded values without a directory call.
 */
export function ConflictsBanner({ detail }: { detail: UserDetail }) {
  const { resolve } = useSyncActions();
  const { load } = useDetailActions();
  const edits = useDetailEdits();
  const [choices, setChoices] = useState<Choices>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [resolved, setResolved] = useState(false);
  const conflicts = queuedConflicts(detail);
  const dirty = isDirty(detail, edits);

  if (conflicts.length === 0) {
    if (!resolved) return null;
    return (
      <div className="conflicts conflicts--resolved" role="status" data-testid="conflicts-resolved">
        <span>✓ Conflicts resolved.</span>
        <NextConflictButton userId={detail.user.id} disabled={dirty} />
      </div>
    );
  }

  const submit = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    const failure = await resolve(detail.user.id, Object.fromEntries(conflicts.map((c) => [c.field, choices[c.field] ?? c.choice])));
    setBusy(false);
    if (failure) setError(failure);
    else {
      setResolved(true);
      setChoices({});
      void load();
    }
  };

  const count = conflicts.length;
  return (
    <section className="conflicts" aria-labelledby="conflicts-title" data-testid="conflicts-banner">
      <div className="conflicts__head">
        <h2 id="conflicts-title" className="conflicts__title">
          {count === 1 ? '1 conflict from the last reconcile' : `${count} conflicts from the last reconcile`}
        </h2>
        <span className="muted">Changed here and in the directory since the last sync: choose which value to keep.</span>
        <NextConflictButton userId={detail.user.id} disabled={dirty} />
      </div>
      <table className="diff-table conflicts__table" aria-label="Conflicting fields">
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Last synced</th>
            <th scope="col">In Roster</th>
            <th scope="col">In directory</th>
            <th scope="col">Keep</th>
          </tr>
        </thead>
        <tbody>
          {conflicts.map((c) => (
            <tr key={c.field} className="diff-row diff-row--conflict" data-testid="queued-conflict" data-field={c.field}>
              <th scope="row">{c.label}</th>
              <td>
                <DiffValue value={c.base} />
              </td>
              <td className="diff-cell--moved">
                <DiffValue value={c.local} />
              </td>
              <td className="diff-cell--moved">
                <DiffValue value={c.directory} />
              </td>
              <td>
                <ChoiceRadios
                  field={c.field}
                  label={c.label}
                  choice={choices[c.field] ?? c.choice}
                  disabled={busy}
                  onChoose={(field, choice) => setChoices({ ...choices, [field]: choice })}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {error && (
        <p className="banner banner--error" role="alert">
          Could not resolve: {error.message}
        </p>
      )}
      <div className="conflicts__actions">
        <button type="button" className="button button--primary" onClick={() => void submit()} disabled={busy} aria-busy={busy}>
          {busy ? 'Resolving…' : 'Resolve'}
        </button>
      </div>
    </section>
  );
}
