import { useState } from 'react';
import type { UserDetail } from '#shared/model/user';
import type { AppError } from '#shared/result';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { useDetailActions } from './user-detail-store';

/** Asks before turning an external user into an internal one; stays open with main's message on failure. */
export function ConvertToInternalDialog({ detail, onClose }: { detail: UserDetail; onClose(): void }) {
  const { toInternal } = useDetailActions();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const confirm = async () => {
    setBusy(true);
    const failure = await toInternal();
    setBusy(false);
    if (failure) setError(failure);
    else onClose();
  };
  const directory = detail.realmName ?? 'its directory';
  return (
    <ConfirmDialog
      title={`Convert ${detail.user.username} to an internal user?`}
      confirmLabel="Convert to internal"
      busy={busy}
      error={error}
      onConfirm={() => void confirm()}
      onCancel={onClose}
    >
      <p>Roster keeps every current value but drops the link to {directory}: the user is no longer resynchronised and every field becomes editable here.</p>
      <p className="muted">You can link the user to a directory entry again later with “Convert to external…”.</p>
    </ConfirmDialog>
  );
}
