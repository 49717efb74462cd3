import { useState } from 'react';
import type { Role } from '#shared/model/user';
import type { AppError } from '#shared/result';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useRoleAdmin } from './role-admin-store';

/** Asks before deleting a role people hold, naming how many; the delete then removes it from them. */
export function DeleteRoleDialog({ role, onClose }: { role: Role; onClose(): void }) {
  const { remove } = useRoleAdmin();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const confirm = async () => {
    setBusy(true);
    const failure = await remove(role.id, true);
    setBusy(false);
    if (failure) setError(failure);
    else onClose();
  };
  const holders = role.holders === 1 ? '1 user' : `${role.holders} users`;
  return (
    <ConfirmDialog
      title={`Delete the role “${role.name}”?`}
      confirmLabel="Delete role"
      danger
      busy={busy}
      error={error}
      onConfirm={() => void confirm()}
      onCancel={onClose}
    >
      <p>
        {role.name} is held by {holders}; deleting it removes it from them.
      </p>
    </ConfirmDialog>
  );
}
