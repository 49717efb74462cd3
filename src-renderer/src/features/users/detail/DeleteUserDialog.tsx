import { useState } from 'react';
import type { UserDetail } from '#shared/model/user';
import type { AppError } from '#shared/result';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { useAppStore } from '../../../stores/app-store';
import { useDetailActions } from './user-detail-store';

/** Asks before deleting the user; on success goes back to the list. */
export function DeleteUserDialog({ detail, onClose }: { detail: UserDetail; onClose(): void }) {
  const { remove } = useDetailActions();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const confirm = async () => {
    setBusy(true);
    const failure = await remove();
    setBusy(false);
    if (failure) setError(failure);
    else {
      onClose();
      useAppStore.getState().closeUser();
    }
  };
  return (
    <ConfirmDialog
      title={`Delete ${detail.user.username}?`}
      confirmLabel="Delete user"
      danger
      busy={busy}
      error={error}
      onConfirm={() => void confirm()}
      onCancel={onClose}
    >
      <p>The user, its local values and its roles are removed from Roster. The audit journal keeps its history.</p>
      {detail.user.kind === 'external' && <p className="muted">The directory is not touched: a later import can bring the user back.</p>}
    </ConfirmDialog>
  );
}
