import { useState } from 'react';
import { useBulkState, useUsersListActions, useUsersSelection, useUsersStatus } from '../../../stores/users-list-store';
import { BulkBar, type BulkAction } from './BulkBar';
import { RolePickerDialog } from './RolePickerDialog';
import { selectedCount } from './selection';

/** The user list's bulk bar: login on/off and roles for the selection (ids, or everything in the filter). */
export function UsersBulkBar() {
  const { selection } = useUsersSelection();
  const { total } = useUsersStatus();
  const bulk = useBulkState();
  const { runBulk, clearSelection, selectAllInFilter, dismissBulkMessage } = useUsersListActions();
  const [picking, setPicking] = useState<'assign' | 'remove' | null>(null);
  const count = selectedCount(selection, total);
  if (count === 0 && !bulk.message && !bulk.error && !bulk.busy) return null;

  const actions: BulkAction[] = [
    { id: 'enable', label: 'Enable login', run: () => void runBulk({ kind: 'set-enabled', enabled: true }), disabled: count === 0 },
    { id: 'disable', label: 'Disable login', run: () => void runBulk({ kind: 'set-enabled', enabled: false }), disabled: count === 0 },
    { id: 'assign-role', label: 'Assign role…', run: () => setPicking('assign'), disabled: count === 0 },
    { id: 'remove-role', label: 'Remove role…', run: () => setPicking('remove'), disabled: count === 0 },
  ];
  const summary = selection.all
    ? `All ${total.toLocaleString()} in the filter selected`
    : count === 0
      ? 'Nothing selected'
      : `${count.toLocaleString()} selected`;
  const extra =
    !selection.all && count > 0 && total > count ? (
      <button type="button" className="link-button" onClick={selectAllInFilter}>
        Select all {total.toLocaleString()} in filter
      </button>
    ) : null;
  return (
    <>
      <BulkBar
        summary={summary}
        actions={actions}
        busy={bulk.busy}
        message={bulk.message}
        error={bulk.error}
        extra={extra}
        onClear={clearSelection}
        onDismiss={dismissBulkMessage}
      />
      {picking && (
        <RolePickerDialog
          mode={picking}
          count={count}
          onClose={() => setPicking(null)}
          onPick={(roleId, roleName) => {
            setPicking(null);
            void runBulk({ kind: picking === 'assign' ? 'assign-role' : 'remove-role', roleId, roleName });
          }}
        />
      )}
    </>
  );
}
