import { useState, type FormEvent, type KeyboardEvent } from 'react';
import type { Role } from '#shared/model/user';
import type { AppError } from '#shared/result';
import { useRoleAdmin } from './role-admin-store';

interface RoleRowProps {
  role: Role;
  /** Deleting: asks first when someone holds the role. */
  onDelete(): void;
}

/** One role: its name (renamed inline), how many hold it, and its actions. */
export function RoleRow({ role, onDelete }: RoleRowProps) {
  const { rename } = useRoleAdmin();
  const [name, setName] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const inputId = `role-name-${role.id}`;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (name === null || busy) return;
    if (name.trim() === role.name) {
      setName(null);
      return;
    }
    setBusy(true);
    const failure = await rename(role.id, name);
    setBusy(false);
    setError(failure);
    if (!failure) setName(null);
  };
  const keyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    // Escape cancels the rename only; it must not also close anything around the table.
    event.stopPropagation();
    setName(null);
    setError(null);
  };
  const holders = role.holders === 1 ? '1 user' : `${role.holders} users`;

  return (
    <tr data-testid="role-row" data-role={role.name}>
      <th scope="row">
        {name === null ? (
          role.name
        ) : (
          <form className="input-row" onSubmit={(event) => void save(event)} noValidate>
            <input
              id={inputId}
              className="input input--medium"
              value={name}
              aria-label={`New name for ${role.name}`}
              aria-invalid={error ? true : undefined}
              onChange={(event) => setName(event.target.value)}
              onKeyDown={keyDown}
              autoFocus
            />
            <button type="submit" className="button button--small button--primary" disabled={busy}>
              Save
            </button>
            <button
              type="button"
              className="button button--small"
              onClick={() => {
                setName(null);
                setError(null);
              }}
            >
              Cancel
            </button>
          </form>
        )}
        {error && (
          <p className="field__error" role="alert">
            {error.message}
          </p>
        )}
      </th>
      <td className="roles-table__holders">{holders}</td>
      <td>
        <div className="row-actions">
          {name === null && (
            <button type="button" className="button button--small" onClick={() => setName(role.name)} aria-label={`Rename ${role.name}`}>
              Rename
            </button>
          )}
          <button type="button" className="button button--small" onClick={onDelete} aria-label={`Delete ${role.name}`}>
            Delete
          </button>
        </div>
      </td>
    </tr>
  );
}
