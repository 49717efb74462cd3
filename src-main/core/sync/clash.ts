import type { AuditChange } from '#shared/model/audit';
import type { FieldDefinition } from '#shared/model/fields';
import type { RealmRecord } from '#shared/model/realm';
import type { UserDiff } from '#shared/model/sync';
import type { UserRecord } from '#shared/model/user';
import { applyRenameRule, usernameClashSchema, type UsernameClashInput } from '#shared/model/username-clash';
import { RosterError } from '#shared/result';
import { fieldLabel } from '../users/field-labels';
import { applyDiff, threeWayDiff, type Choices } from './diff';
import type { DirectoryUser } from './mapping';

/** What a run does with one clashing entry; `typed` names were typed by the admin, not made by the rule. */
export type ClashDecision = { choice: 'skip' } | { choice: 'link' } | { choice: 'rename'; username: string; typed: boolean };

/** A run's answer to username clashes, entry by entry. */
export interface ClashPolicy {
  decide(entry: DirectoryUser): ClashDecision;
}

/** Skip every clash: what a run does when nobody chose otherwise. */
export const SKIP_CLASHES: ClashPolicy = { decide: () => ({ choice: 'skip' }) };

/** The policy for a run into `realm`: per-DN overrides first, then the choice for all; names from the rule. */
export function clashPolicy(input: UsernameClashInput | undefined, realm: RealmRecord): ClashPolicy {
  const parsed = usernameClashSchema.safeParse(input ?? {});
  if (!parsed.success) throw new RosterError('invalid-input', parsed.error.issues.map((i) => i.message).join('; '));
  const { onUsernameClash, renameRule, overrides } = parsed.data;
  const byDn = new Map(Object.entries(overrides).map(([dn, o]) => [dn.toLowerCase(), o]));
  return {
    decide(entry) {
      const own = byDn.get(entry.dn.toLowerCase());
      const choice = own?.choice ?? onUsernameClash;
      if (choice !== 'rename') return { choice };
      if (own?.username) return { choice, username: own.username, typed: true };
      return { choice, username: applyRenameRule(renameRule, entry.username, realm.name), typed: false };
    },
  };
}

/** Whether linking `user` to an entry of `realmId` moves it from another realm (rather than first linking an internal user). */
export const linkedElsewhere = (user: UserRecord, realmId: string): boolean => user.kind === 'external' && !!user.origin && user.origin.realmId !== realmId;

/**
 * The diff that re-links a user of another realm to an entry of `realm`. There is no base in this realm
 * yet, so directory-owned fields take the entry's values; a local-owned field keeps a value set in Roster
 * (a completion or an edit), and takes the entry's when its value merely came from the old realm — unless
 * the new directory has none: then Roster's value stays, as a completion for the new directory's owners.
 */
export function relinkDiff(user: UserRecord, realm: RealmRecord, fields: readonly FieldDefinition[], entry: DirectoryUser): UserDiff {
  const diff = threeWayDiff(user, realm, fields, entry);
  const oldBase = user.origin?.base ?? {};
  const rows = diff.fields.map((row) =>
    row.outcome === 'keep-local' && row.directory !== '' && row.local === (oldBase[row.field] ?? '')
      ? { ...row, outcome: 'take-directory' as const, choice: 'directory' as const }
      : row,
  );
  return { ...diff, fields: rows, changes: rows.filter((r) => r.outcome === 'take-directory').length };
}

/** A DN with its id, when the realm has ids (realms matched by DN have none). */
const idText = (dn: string, id: string): string => (id ? `${dn}, id ${id}` : dn);

/** A user re-linked from its realm to an entry of another, with the audit's changes and sentence. */
export interface Relinked {
  user: UserRecord;
  changes: AuditChange[];
  note: string;
}

/**
 * Re-links `user` (external, of another realm) to `entry` of `realm`: the Roster id, username, roles,
 * login state and local values stay; the origin becomes the entry, with its values as the new base, so the
 * next three-way merge against this realm starts from what this directory said. Export marks go: what was
 * handed to the old directory's owners was never handed to this one's.
 */
export function relinkUser(
  user: UserRecord,
  realm: RealmRecord,
  fields: readonly FieldDefinition[],
  entry: DirectoryUser,
  at: string,
  realmName: (id: string) => string,
  options: { choices?: Choices; usernameFree?: boolean } = {},
): Relinked {
  const from = user.origin!;
  const applied = applyDiff(user, relinkDiff(user, realm, fields, entry), entry, at, { choices: options.choices, usernameFree: options.usernameFree ?? false });
  const changes: AuditChange[] = [
    { field: 'realm', before: realmName(from.realmId), after: realm.name },
    { field: 'dn', before: from.dn, after: entry.dn },
    { field: 'external id', before: from.externalId, after: entry.externalId },
    ...applied.changes.filter((c) => c.field !== 'kind' && c.field !== 'dn'),
  ];
  const dropped = user.conflicts?.length
    ? ` ${user.conflicts.length} conflict${user.conflicts.length === 1 ? '' : 's'} waiting against realm "${realmName(from.realmId)}" (${user.conflicts.map((c) => fieldLabel(fields, c.field)).join(', ')}) no longer ${user.conflicts.length === 1 ? 'applies' : 'apply'}.`
    : '';
  const note =
    `Moved from realm "${realmName(from.realmId)}" (${idText(from.dn, from.externalId)}) to realm "${realm.name}" (${idText(entry.dn, entry.externalId)}): ` +
    `the same username; Roster id, local fields, roles and history kept, directory-owned fields from "${realm.name}".${dropped}`;
  const { exported: _handedToOldRealm, ...moved } = applied.user;
  return { user: { ...moved, updatedAt: at }, changes, note };
}
