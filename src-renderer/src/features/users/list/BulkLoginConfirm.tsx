import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { useBulkConfirm, useUsersListActions } from './users-list-store';
import { bulkConfirmText } from './bulk-messages';

/** Asks before a bulk login change: how many users, and which of them their directory disables. */
export function BulkLoginConfirm() {
  const ask = useBulkConfirm();
  const { confirmBulk, cancelBulk } = useUsersListActions();
  if (!ask) return null;
  const text = bulkConfirmText(ask);
  return (
    <ConfirmDialog title={text.title} confirmLabel={text.confirm} danger={!ask.enabled} onConfirm={() => void confirmBulk()} onCancel={cancelBulk}>
      <p data-testid="bulk-confirm-text">{text.body}</p>
      {text.warning && (
        <p className="bulk-confirm__warning" data-testid="bulk-confirm-warning">
          {text.warning}
        </p>
      )}
    </ConfirmDialog>
  );
}
