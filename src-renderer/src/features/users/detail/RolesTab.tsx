import { useEffect, useState } from 'react';
import type { UserDetail } from '#shared/model/user';
import { useRoles, useRolesActions, useRolesStatus } from '../../../stores/roles-store';
import { useDetailActionStatus, useDetailActions } from './user-detail-store';
import { CopyRolesDialog } from './CopyRolesDialog';

/** The Roles tab: the roles held (each removable), assigning one, and copying another user's roles. */
export function RolesTab({ detail }: { detail: UserDetail }) {
  const roles = useRoles();
  const { loaded, loadError } = useRolesStatus();
  const { load } = useRolesActions();
  const { busy } = useDetailActionStatus();
  const { assignRole, removeRole } = useDetailActions();
  const [chosen, setChosen] = useState('');
  const [copying, setCopying] = useState(false);
  useEffect(() => {
    void load();
  }, [load]);

  const byId = new Map(roles.map((r) => [r.id, r.name]));
  const held = detail.user.roles.map((id, index) => ({ id, name: byId.get(id) ?? detail.roleNames[index] ?? id }));
  const available = roles.filter((r) => !detail.user.roles.includes(r.id));
  const assign = async () => {
    if (!chosen) return;
    await assignRole(chosen);
    setChosen('');
  };

  return (
    <div className="detail-roles">
      {loadError && (
        <p className="banner banner--error" role="alert">
          Could not load the roles: {loadError.message}
        </p>
      )}
      <h2 className="detail-section-title">Roles held</h2>
      {held.length === 0 ? (
        <p className="muted" data-testid="no-roles">
          {detail.user.username} holds no roles.
        </p>
      ) : (
        <ul className="role-chips" aria-label="Roles held">
          {held.map((role) => (
            <li key={role.id} className="role-chip" data-testid="held-role">
              <span>{role.name}</span>
              <button
                type="button"
                className="icon-button icon-button--danger"
                aria-label={`Remove role ${role.name}`}
                title={`Remove ${role.name}`}
                disabled={busy}
                onClick={() => void removeRole(role.id)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="detail-roles__assign">
        <label htmlFor="assign-role">Assign role</label>
        <select id="assign-role" className="select" value={chosen} onChange={(event) => setChosen(event.target.value)} disabled={available.length === 0}>
          <option value="">
            {!loaded ? 'Loading roles…' : available.length === 0 ? (roles.length === 0 ? 'No roles exist yet' : 'Holds every role') : 'Choose a role…'}
          </option>
          {available.map((role) => (
            <option key={role.id} value={role.id}>
              {role.name}
            </option>
          ))}
        </select>
        <button type="button" className="button" onClick={() => void assign()} disabled={!chosen || busy}>
          Assign
        </button>
      </div>
      {loaded && roles.length === 0 && <p className="field__hint">Roles are created in Settings.</p>}
      <div className="detail-roles__copy">
        <button type="button" className="button" onClick={() => setCopying(true)}>
          Copy roles from another user…
        </button>
        <span className="field__hint">Replaces this user’s roles with theirs.</span>
      </div>
      {copying && <CopyRolesDialog username={detail.user.username} onClose={() => setCopying(false)} />}
    </div>
  );
}
