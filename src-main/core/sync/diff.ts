import type { AuditChange } from '#shared/model/audit';
import type { FieldDefinition } from '#shared/model/fields';
import type { RealmRecord } from '#shared/model/realm';
import type { FieldDiff, UserDiff } from '#shared/model/sync';
import type { FieldConflict, FieldValues, UserRecord } from '#shared/model/user';
import { sourceMap, type DirectoryUser } from './mapping';

/** The per-field choice of value: the directory's or Roster's. */
export type Choices = Record<string, 'directory' | 'local'>;

/**
 * The three-way merge of one field. `base` is the value last synced, `local` Roster's, `directory` now.
 * - both equal: unchanged (or converged when both moved to the same value);
 * - only the directory moved: take it;
 * - only Roster moved: keep Roster's — unless the directory owns the field, which always wins;
 * - both moved apart: a conflict; the default choice follows the field's owner.
 * A user never synced (internal, matched by username) has no base: directory-owned fields take the
 * directory's value, local fields keep Roster's when it has one.
 */
export function mergeField(field: FieldDefinition, base: string | undefined, local: string, directory: string): Pick<FieldDiff, 'outcome' | 'choice'> {
  const takesDirectory = field.owner === 'directory';
  if (local === directory) return { outcome: base === undefined || base === directory ? 'unchanged' : 'converged', choice: 'directory' };
  if (base === undefined)
    return takesDirectory || local === '' ? { outcome: 'take-directory', choice: 'directory' } : { outcome: 'keep-local', choice: 'local' };
  if (directory === base) return takesDirectory ? { outcome: 'take-directory', choice: 'directory' } : { outcome: 'keep-local', choice: 'local' };
  if (local === base) return { outcome: 'take-directory', choice: 'directory' };
  return { outcome: 'conflict', choice: takesDirectory ? 'directory' : 'local' };
}

/** The diff of a user against a directory entry over every field the realm maps. */
export function threeWayDiff(user: UserRecord, realm: RealmRecord, fields: readonly FieldDefinition[], entry: DirectoryUser): UserDiff {
  const mapped = sourceMap(realm, fields);
  const linked = user.origin?.realmId === realm.id ? user.origin : undefined;
  const rows: FieldDiff[] = [];
  for (const field of fields) {
    if (!mapped.has(field.key)) continue;
    // A conflict still waiting keeps the base it was found against.
    const pending = user.conflicts?.find((c) => c.field === field.key);
    const base = linked ? (pending?.base ?? linked.base[field.key] ?? '') : undefined;
    const local = user.fields[field.key] ?? '';
    const directory = entry.fields[field.key] ?? '';
    rows.push({ field: field.key, label: field.label, owner: field.owner, base: base ?? '', local, directory, ...mergeField(field, base, local, directory) });
  }
  const baseUsername = linked?.baseUsername ?? user.username;
  return {
    userId: user.id,
    username: user.username,
    realmId: realm.id,
    dn: entry.dn,
    externalId: entry.externalId,
    fields: rows,
    ...(entry.username !== baseUsername && entry.username.toLowerCase() !== user.username.toLowerCase()
      ? { username_change: { from: user.username, to: entry.username } }
      : {}),
    ...(linked && linked.dn !== entry.dn ? { dn_change: { from: linked.dn, to: entry.dn } } : {}),
    directoryEnabled: entry.enabled,
    conflicts: rows.filter((r) => r.outcome === 'conflict').length,
    changes: rows.filter((r) => r.outcome === 'take-directory' || r.outcome === 'conflict').length,
  };
}

/** What applying a diff does to a user. */
export interface Applied {
  user: UserRecord;
  changes: AuditChange[];
  /** Conflicts left waiting (batch mode). */
  conflicts: FieldConflict[];
}

/**
 * Applies a diff. `choices` (the dialog) settles every conflict; without them (import, reconcile) conflicts
 * keep Roster's value and wait in the user's queue with the base they were found against.
 * `usernameFree` says whether the directory's new username may be taken.
 */
export function applyDiff(user: UserRecord, diff: UserDiff, entry: DirectoryUser, at: string, options: { choices?: Choices; usernameFree: boolean }): Applied {
  const fields: FieldValues = { ...user.fields };
  const base: FieldValues = { ...(user.origin?.realmId === diff.realmId ? user.origin.base : {}) };
  const waiting: FieldConflict[] = [];
  for (const row of diff.fields) {
    const choice = options.choices ? (options.choices[row.field] ?? row.choice) : row.choice;
    if (row.outcome === 'conflict' && !options.choices) {
      waiting.push({ field: row.field, base: row.base, local: row.local, directory: row.directory, detectedAt: at });
      continue;
    }
    const value = choice === 'directory' ? row.directory : row.local;
    if (value === '') delete fields[row.field];
    else fields[row.field] = value;
    if (row.directory === '') delete base[row.field];
    else base[row.field] = row.directory;
  }
  const rename = diff.username_change && options.usernameFree ? diff.username_change.to : undefined;
  const username = rename ?? user.username;
  const changes: AuditChange[] = [];
  if (user.kind !== 'external' || user.origin?.realmId !== diff.realmId) changes.push({ field: 'kind', before: user.kind, after: 'external' });
  if (rename) changes.push({ field: 'username', before: user.username, after: rename });
  if (user.origin?.dn !== entry.dn) changes.push({ field: 'dn', before: user.origin?.dn ?? '', after: entry.dn });
  for (const key of new Set([...Object.keys(user.fields), ...Object.keys(fields)])) {
    const before = user.fields[key] ?? '';
    const after = fields[key] ?? '';
    if (before !== after) changes.push({ field: key, before, after });
  }
  if ((user.origin?.directoryEnabled ?? true) !== entry.enabled) {
    changes.push({
      field: 'directory account',
      before: user.origin ? (user.origin.directoryEnabled ? 'enabled' : 'disabled') : '',
      after: entry.enabled ? 'enabled' : 'disabled',
    });
  }
  const updated: UserRecord = {
    ...user,
    username,
    kind: 'external',
    fields,
    origin: {
      realmId: diff.realmId,
      externalId: entry.externalId,
      dn: entry.dn,
      syncedAt: at,
      base,
      baseUsername: entry.username,
      directoryEnabled: entry.enabled,
      ...(entry.expiresAt ? { expiresAt: entry.expiresAt } : {}),
      ...(entry.userPrincipalName ? { userPrincipalName: entry.userPrincipalName } : {}),
    },
    updatedAt: changes.length ? at : user.updatedAt,
  };
  if (waiting.length) updated.conflicts = waiting;
  else delete updated.conflicts;
  // Written even when nothing changed: "last synced" is when the directory was last compared, not last changed.
  return { user: updated, changes, conflicts: waiting };
}

/** A new external user from a directory entry: every mapped value, as synced. */
export function newUserFrom(entry: DirectoryUser, realmId: string, id: string, at: string): UserRecord {
  return {
    id,
    username: entry.username,
    kind: 'external',
    enabled: entry.enabled,
    roles: [],
    fields: { ...entry.fields },
    origin: {
      realmId,
      externalId: entry.externalId,
      dn: entry.dn,
      syncedAt: at,
      base: { ...entry.fields },
      baseUsername: entry.username,
      directoryEnabled: entry.enabled,
      ...(entry.expiresAt ? { expiresAt: entry.expiresAt } : {}),
      ...(entry.userPrincipalName ? { userPrincipalName: entry.userPrincipalName } : {}),
    },
    createdAt: at,
    updatedAt: at,
  };
}
