import { useState } from 'react';
import { useUserNavigation } from '../../../stores/app-store';
import { useSyncActions } from '../../sync/sync-store';

/** Opens the next user with conflicts, so the admin can work through the queue a reconcile left. */
export function NextConflictButton({ userId, disabled }: { userId: string; disabled: boolean }) {
  const { nextConflict } = useSyncActions();
  const { openUser } = useUserNavigation();
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ text: string; error: boolean } | null>(null);
  const next = async () => {
    setBusy(true);
    setNote(null);
    const result = await nextConflict(userId);
    setBusy(false);
    if (!result.ok) setNote({ text: `Could not look for the next conflict: ${result.error.message}`, error: true });
    else if (result.value === null) setNote({ text: 'No other user has conflicts.', error: false });
    else openUser(result.value);
  };
  return (
    <span className="next-conflict">
      <button
        type="button"
        className="button button--small"
        onClick={() => void next()}
        disabled={disabled || busy}
        aria-busy={busy}
        title={disabled ? 'Save or discard the typed values first' : 'Open the next user with conflicts'}
      >
        Next conflict →
      </button>
      {note && (
        <span className={note.error ? 'next-conflict__note next-conflict__note--error' : 'next-conflict__note muted'} role={note.error ? 'alert' : 'status'}>
          {note.text}
        </span>
      )}
    </span>
  );
}
