import { useEffect, useState, type FormEvent } from 'react';
import type { Role } from '#shared/model/user';
import type { AppError } from '#shared/result';
import { useRoles, useRolesActions, useRolesStatus } from '../../stores/roles-store';
import { DeleteRoleDialog } from './DeleteRoleDialog';
import { RoleRow } from './RoleRow';
import { useRoleAdmin } from './role-admin-store';

/** Settings → Roles: the roles users can hold, with how many hold each; create, rename, delete. */
export function RolesSection() {
  const roles = useRoles();
  const { loaded, loadError } = useRolesStatus();
  const { load } = useRolesActions();
  const { create, remove } = useRoleAdmin();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [deleting, setDeleting] = useState<Role | null>(null);
  // Holder counts move whenever someone's roles change: count afresh each time Settings opens.
  useEffect(() => {
    void load();
  }, [load]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (!name.trim()) {
      setError({ code: 'invalid-input', message: 'Give the role a name.' });
      return;
    }
    setBusy(true);
    const failure = await create(name.trim());
    setBusy(false);
    setError(failure);
    if (!failure) setName('');
  };
  const askDelete = async (role: Role) => {
    if (role.holders > 0) {
      setDeleting(role);
      return;
    }
    // Nobody holds it: nothing is lost, so no question.
    setError(await remove(role.id, false));
  };

  return (
    <section className="settings-section" aria-labelledby="settings-roles-title">
      <div className="settings-section__head">
        <h2 id="settings-roles-title">Roles</h2>
      </div>
      <p className="settings-section__intro">
        Roles are what users may do downstream. Assign them on a user’s Roles tab, or to many users at once from the list.
      </p>
      <form className="roles-create" onSubmit={(event) => void submit(event)} noValidate>
        <label htmlFor="new-role-name">New role</label>
        <input
          id="new-role-name"
          className="input input--medium"
          value={name}
          placeholder="e.g. VPN"
          autoComplete="off"
          onChange={(event) => {
            setName(event.target.value);
            setError(null);
          }}
        />
        <button type="submit" className="button" disabled={busy} aria-busy={busy}>
          Create role
        </button>
      </form>
      {error && (
        <p className="banner banner--error" role="alert">
          {error.message}
        </p>
      )}
      {loadError && (
        <p className="banner banner--error" role="alert">
          Could not load the roles: {loadError.message}{' '}
          <button type="button" className="link-button" onClick={() => void load()}>
            Retry
          </button>
        </p>
      )}
      {loaded && roles.length === 0 && !loadError && <p className="muted">No roles yet.</p>}
      {roles.length > 0 && (
        <table className="roles-table" aria-labelledby="settings-roles-title">
          <thead>
            <tr>
              <th scope="col">Role</th>
              <th scope="col">Held by</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {roles.map((role) => (
              <RoleRow key={role.id} role={role} onDelete={() => void askDelete(role)} />
            ))}
          </tbody>
        </table>
      )}
      {deleting && <DeleteRoleDialog role={deleting} onClose={() => setDeleting(null)} />}
    </section>
  );
}
