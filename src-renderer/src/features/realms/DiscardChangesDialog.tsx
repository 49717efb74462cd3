import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useFormActions, usePendingTarget } from './realm-form-hooks';

/** Asks before leaving a realm form with unsaved edits. */
export function DiscardChangesDialog() {
  const pending = usePendingTarget();
  const { confirmDiscard, keepEditing } = useFormActions();
  if (!pending) return null;
  return (
    <ConfirmDialog title="Discard your changes?" confirmLabel="Discard changes" danger onConfirm={confirmDiscard} onCancel={keepEditing}>
      <p>The realm you are editing has changes that are not saved yet.</p>
    </ConfirmDialog>
  );
}
