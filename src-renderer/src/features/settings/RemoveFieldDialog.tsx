import { useState } from 'react';
import type { FieldDefinition } from '#shared/model/fields';
import type { AppError } from '#shared/result';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useFieldsActions } from '../../stores/fields-store';

/** Asks before removing a custom field; stays open with main's message if that fails. */
export function RemoveFieldDialog({ field, onClose }: { field: FieldDefinition; onClose(): void }) {
  const { remove } = useFieldsActions();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const confirm = async () => {
    setBusy(true);
    const failure = await remove(field.key);
    setBusy(false);
    if (failure) setError(failure);
    else onClose();
  };
  return (
    <ConfirmDialog
      title={`Remove the field “${field.label}”?`}
      confirmLabel="Remove field"
      danger
      busy={busy}
      error={error}
      onConfirm={() => void confirm()}
      onCancel={onClose}
    >
      <p>
        Users no longer show their {field.label}, and imports stop reading <span className="mono">{field.ldapAttribute}</span>. The values users hold are kept
        and return if the field is added again; the audit journal keeps the changes made to it.
      </p>
    </ConfirmDialog>
  );
}
