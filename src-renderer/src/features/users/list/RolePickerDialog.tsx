import { useId, useState } from 'react';
import { Modal } from '../../../components/Modal';
import { useAppStore } from '../../../stores/app-store';
import { useRoles, useRolesStatus } from '../../../stores/roles-store';

interface RolePickerDialogProps {
  mode: 'assign' | 'remove';
  count: number;
  onPick(roleId: string, roleName: string): void;
  onClose(): void;
}

/** Asks which role to give to (or take from) the selected users. */
export function RolePickerDialog({ mode, count, onPick, onClose }: RolePickerDialogProps) {
  const roles = useRoles();
  const { loaded, loadError } = useRolesStatus();
  const go = useAppStore((s) => s.go);
  const [roleId, setRoleId] = useState('');
  const selectId = useId();
  const chosen = roles.find((r) => r.id === roleId) ?? roles[0];
  const users = `${count.toLocaleString()} ${count === 1 ? 'user' : 'users'}`;
  const verb = mode === 'assign' ? 'Assign' : 'Remove';
  return (
    <Modal
      title={mode === 'assign' ? `Assign a role to ${users}` : `Remove a role from ${users}`}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={onClose} data-autofocus={roles.length === 0 || undefined}>
            Cancel
          </button>
          <button
            type="button"
            className="button button--primary"
            disabled={!chosen}
            onClick={() => {
              if (chosen) onPick(chosen.id, chosen.name);
            }}
          >
            {verb} role
          </button>
        </>
      }
    >
      {loadError && (
        <p className="banner banner--error" role="alert">
          Could not load the roles: {loadError.message}
        </p>
      )}
      {loaded && roles.length === 0 && !loadError ? (
        <p>
          There are no roles yet.{' '}
          <button type="button" className="link-button" onClick={() => go('settings')}>
            Create roles in Settings
          </button>
        </p>
      ) : (
        <div className="role-picker">
          <label htmlFor={selectId}>Role</label>
          <select id={selectId} className="select" value={chosen?.id ?? ''} onChange={(event) => setRoleId(event.target.value)} data-autofocus>
            {roles.map((role) => (
              <option key={role.id} value={role.id}>
                {role.name} ({role.holders.toLocaleString()} {role.holders === 1 ? 'holder' : 'holders'})
              </option>
            ))}
          </select>
        </div>
      )}
    </Modal>
  );
}
