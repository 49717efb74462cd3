import type { BulkResult } from '#shared/ipc/contract';
import type { BulkConfirm } from './users-list-store';

/** A bulk action the list can run on its selection. */
export type BulkRequest =
  | { kind: 'set-enabled'; enabled: boolean }
  | { kind: 'assign-role'; roleId: string; roleName: string }
  | { kind: 'remove-role'; roleId: string; roleName: string };

const users = (n: number) => `${n.toLocaleString()} ${n === 1 ? 'user' : 'users'}`;

/** What a finished bulk action says: "Disabled 3 users", "Gave role “Help desk” to 2 users (1 already had it)". */
export function bulkMessage(request: BulkRequest, { matched, changed }: BulkResult): string {
  const untouched = matched - changed;
  switch (request.kind) {
    case 'set-enabled': {
      const state = request.enabled ? 'enabled' : 'disabled';
      const done = `${request.enabled ? 'Enabled' : 'Disabled'} ${users(changed)}`;
      return untouched > 0 ? `${done} (${untouched.toLocaleString()} already ${state})` : done;
    }
    case 'assign-role': {
      const done = `Gave role “${request.roleName}” to ${users(changed)}`;
      return untouched > 0 ? `${done} (${untouched.toLocaleString()} already had it)` : done;
    }
    case 'remove-role': {
      const done = `Removed role “${request.roleName}” from ${users(changed)}`;
      return untouched > 0 ? `${done} (${untouched.toLocaleString()} did not have it)` : done;
    }
  }
}

/** What the confirm dialog of a bulk login change says, naming the users their directory disables. */
export function bulkConfirmText({ enabled, count, directoryDisabled, directoryDisabledNames }: BulkConfirm): {
  title: string;
  body: string;
  confirm: string;
  warning: string | null;
} {
  const verb = enabled ? 'Enable' : 'Disable';
  const more = directoryDisabled - directoryDisabledNames.length;
  const names = directoryDisabledNames.join(', ') + (more > 0 ? ` and ${more.toLocaleString()} more` : '');
  const warning =
    directoryDisabled === 0
      ? null
      : enabled
        ? `${directoryDisabled === 1 ? '1 of them is' : `${directoryDisabled.toLocaleString()} of them are`} disabled in the directory: ${names}. Roster would allow a login the directory refuses.`
        : `${directoryDisabled === 1 ? '1 of them is' : `${directoryDisabled.toLocaleString()} of them are`} already disabled in the directory: ${names}.`;
  return {
    title: `${verb} login for ${users(count)}?`,
    body: `${verb} login in Roster for ${users(count)}. You can undo it for a few seconds after.`,
    confirm: `${verb} ${users(count)}`,
    warning,
  };
}
