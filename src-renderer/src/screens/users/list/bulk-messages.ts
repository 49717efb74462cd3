import type { BulkResult } from '../../../../../src-shared/ipc/contract';

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
