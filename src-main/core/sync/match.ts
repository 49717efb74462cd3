import type { UserRecord } from '#shared/model/user';
import type { UserStore } from '../users/user-store';
import type { DirectoryUser } from './mapping';

/**
 * How a directory entry relates to the store. A `clash` is the one conflict with a way out: the username
 * belongs to an external user of ANOTHER realm (`realmId`), which the admin may link, rename around, or skip.
 */
export type Match =
  | { kind: 'id' | 'dn' | 'username'; user: UserRecord }
  | { kind: 'none' }
  | { kind: 'conflict'; user: UserRecord; note: string }
  | { kind: 'clash'; user: UserRecord; note: string; realmId: string };

/**
 * Finds the Roster user a directory entry is: realm + immutable id first, then realm + DN, then username —
 * and never merges two people: a DN or username held by a user linked to ANOTHER directory object is a
 * conflict to report, not a match (a username held in another realm is a `clash`, settled only by the
 * admin's choice). A rename or move upstream keeps the id, so it updates, never duplicates.
 */
export function matchEntry(users: UserStore, realmId: string, realmName: (id: string) => string, entry: DirectoryUser): Match {
  const byId = entry.externalId ? users.findByExternalId(realmId, entry.externalId) : undefined;
  if (byId) return { kind: 'id', user: byId };
  const byDn = users.findByDn(realmId, entry.dn);
  if (byDn) {
    if (byDn.origin?.externalId && entry.externalId && byDn.origin.externalId.toLowerCase() !== entry.externalId.toLowerCase()) {
      return {
        kind: 'conflict',
        user: byDn,
        note: `The DN ${entry.dn} belonged to another directory object (id ${byDn.origin.externalId}) when ${byDn.username} was last synced; the account was probably deleted and recreated.`,
      };
    }
    return { kind: 'dn', user: byDn };
  }
  const byName = entry.username ? users.findByUsername(entry.username) : undefined;
  if (!byName) return { kind: 'none' };
  if (byName.kind === 'internal' || !byName.origin) return { kind: 'username', user: byName };
  if (byName.origin.realmId === realmId) {
    return {
      kind: 'conflict',
      user: byName,
      note: `The username ${entry.username} belongs to ${byName.username}, linked to another entry of this realm (${byName.origin.dn}, id ${byName.origin.externalId}).`,
    };
  }
  return {
    kind: 'clash',
    user: byName,
    realmId: byName.origin.realmId,
    note:
      `The username ${entry.username} belongs to ${byName.username}, an external user of realm "${realmName(byName.origin.realmId)}" ` +
      `(${byName.origin.dn}); Roster does not merge users across realms unless told to: link that user to this entry, ` +
      `import this entry under another username, or skip it.`,
  };
}
