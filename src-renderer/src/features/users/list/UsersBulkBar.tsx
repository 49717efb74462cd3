import { memo, useState } from 'react';
import { useExportActions } from '../../export/export-store';
import { useBulkResync, useSyncActions } from '../../sync/sync-store';
import { useBulkState, useUsersListActions, useUsersQuery, useUsersSelection, useUsersStatus } from './users-list-store';
import { BulkBar, type BulkAction } from './BulkBar';
import { BulkResyncPanel } from '../../sync/BulkResyncPanel';
import { RolePickerDialog } from './RolePickerDialog';
import { bulkTarget, selectedCount } from './selection';
import { formatCount } from './format-count';

/** The user list's bulk bar: login, roles, resync and export for the selection (ids, or everything in the filter). */
export const UsersBulkBar = memo(function UsersBulkBar() {
  const { selection } = useUsersSelection();
  const { total } = useUsersStatus();
  const bulk = useBulkState();
  const { runBulk, clearSelection, selectAllInFilter, dismissBulkMessage } = useUsersListActions();
  const [picking, setPicking] = useState<'assign' | 'remove' | null>(null);
  const { query } = useUsersQuery();
  const resync = useBulkResync();
  const { resyncUsers } = useSyncActions();
  const { openWith } = useExportActions();
  const count = selectedCount(selection, total);
  const target = bulkTarget(selection, query);
  const resyncShown = resync.jobId !== null || resync.error !== null || resync.needsPassword || resync.busy;
  if (count === 0 && !bulk.error && !bulk.busy && !resyncShown) return null;

  const actions: BulkAction[] = [
    { id: 'enable', label: 'Enable login', run: () => void runBulk({ kind: 'set-enabled', enabled: true }), disabled: count === 0 },
    { id: 'disable', label: 'Disable login', run: () => void runBulk({ kind: 'set-enabled', enabled: false }), disabled: count === 0 },
    { id: 'assign-role', label: 'Assign role…', run: () => setPicking('assign'), disabled: count === 0 },
    { id: 'remove-role', label: 'Remove role…', run: () => setPicking('remove'), disabled: count === 0 },
    {
      id: 'resync',
      label: 'Resync selected',
      title: 'Compare the selected external users with their directories (internal users are left alone)',
      run: () => target && void resyncUsers(target),
      disabled: count === 0 || resync.busy,
    },
    {
      id: 'export',
      label: 'Export selected…',
      title: 'Export the selected users (XLSX, CSV, LDIF change set or PowerShell)',
      run: () => openWith({ kind: 'selection' }),
      disabled: count === 0,
    },
  ];
  const summary = selection.all
    ? `All ${formatCount(total)} in the filter selected`
    : count === 0
      ? 'Nothing selected'
      : `${formatCount(count)} selected`;
  const extra =
    !selection.all && count > 0 && total > count ? (
      <button type="button" className="link-button" onClick={selectAllInFilter}>
        Select all {formatCount(total)} in filter
      </button>
    ) : null;
  return (
    <>
      <BulkBar
        summary={summary}
        actions={actions}
        busy={bulk.busy}
        error={bulk.error}
        extra={extra}
        onClear={clearSelection}
        onDismiss={dismissBulkMessage}
      />
      <BulkResyncPanel target={target} />
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
});
