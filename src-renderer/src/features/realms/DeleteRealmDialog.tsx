import { useState } from 'react';
import type { Realm } from '#shared/model/realm';
import type { AppError } from '#shared/result';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useRealmActions } from '../../stores/realms-store';

/** Asks before deleting a realm; stays open with main's message if the delete fails. */
export function DeleteRealmDialog({ realm, onClose }: { realm: Realm; onClose(): void }) {
  const { remove } = useRealmActions();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const confirm = async () => {
    setBusy(true);
    const failure = await remove(realm.id);
    setBusy(false);
    if (failure) setError(failure);
    else onClose();
  };
  return (
    <ConfirmDialog title={`Delete realm “${realm.name}”?`} confirmLabel="Delete" danger busy={busy} error={error} onConfirm={() => void confirm()} onCancel={onClose}>
      <p>Its connection settings and its stored bind password are removed. This cannot be undone.</p>
    </ConfirmDialog>
  );
}
