import { useEffect, useState } from 'react';
import type { UserRow } from '#shared/model/user';
import type { AppError } from '#shared/result';
import { Field } from '../../../components/Field';
import { Modal } from '../../../components/Modal';
import { latestOnly } from '../../../lib/latest';
import { useDetailActions } from './user-detail-store';

const TYPING_DELAY_MS = 200;

/** Picks another user (searched by name or mail) and gives this user the same roles. */
export function CopyRolesDialog({ username, onClose }: { username: string; onClose(): void }) {
  const { searchUsers, copyRoles } = useDetailActions();
  const [search, setSearch] = useState('');
  const [rows, setRows] = useState<UserRow[] | null>(null);
  const [searchError, setSearchError] = useState<AppError | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  // Typing outruns main: only the newest search's answer may land.
  const [searches] = useState(latestOnly);

  useEffect(() => {
    const ticket = searches.next();
    const timer = window.setTimeout(async () => {
      const result = await searchUsers(search.trim());
      if (!searches.isCurrent(ticket)) return;
      setRows(result.ok ? result.value : []);
      setSearchError(result.ok ? null : result.error);
    }, TYPING_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [search, searchUsers, searches]);

  const copy = async () => {
    if (!chosen) return;
    setBusy(true);
    const failure = await copyRoles(chosen);
    setBusy(false);
    if (failure) setError(failure);
    else onClose();
  };
  const chosenRow = rows?.find((r) => r.id === chosen);

  return (
    <Modal
      title="Copy roles from another user"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="button button--primary" onClick={() => void copy()} disabled={!chosen || busy} aria-busy={busy}>
            Copy roles
          </button>
        </>
      }
    >
      <p>
        {username}’s roles are replaced by the roles of the user you choose{chosenRow ? ` (${chosenRow.username})` : ''}.
      </p>
      <Field id="copy-roles-search" label="Search users">
        <input
          id="copy-roles-search"
          className="input"
          type="search"
          value={search}
          placeholder="Username, name or email"
          onChange={(event) => setSearch(event.target.value)}
          data-autofocus
          autoComplete="off"
        />
      </Field>
      {searchError && (
        <p className="banner banner--error" role="alert">
          Could not search: {searchError.message}
        </p>
      )}
      <div className="pick-list" role="radiogroup" aria-label="Users" aria-busy={rows === null}>
        {rows === null && <p className="muted">Searching…</p>}
        {rows?.length === 0 && !searchError && <p className="muted">No other user matches “{search}”.</p>}
        {rows?.map((row) => (
          <label key={row.id} className={row.id === chosen ? 'pick-row pick-row--chosen' : 'pick-row'} data-testid="copy-roles-candidate">
            <input type="radio" name="copy-roles-from" value={row.id} checked={row.id === chosen} onChange={() => setChosen(row.id)} />
            <span className="pick-row__main">{row.username}</span>
            <span className="pick-row__meta muted">{[row.displayName, row.email].filter(Boolean).join(' · ')}</span>
          </label>
        ))}
      </div>
      {error && (
        <p className="banner banner--error" role="alert">
          {error.message}
        </p>
      )}
    </Modal>
  );
}
