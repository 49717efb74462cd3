import type { FieldDefinition } from '#shared/model/fields';
import type { FieldState, UserRecord } from '#shared/model/user';

/** Whether a field of a user is a completion: a local value on an external user that the directory lacks or differs from. */
export function isCompletion(user: UserRecord, field: FieldDefinition): boolean {
  if (user.kind !== 'external' || !user.origin || field.owner !== 'local') return false;
  const value = user.fields[field.key] ?? '';
  return value !== '' && value !== (user.origin.base[field.key] ?? '');
}

/** One value Roster holds that the directory does not: what a change-set export hands over. */
export interface FieldChange {
  field: string;
  /** The directory's value at the last sync. */
  directory: string;
  /** Roster's value ('' means it was emptied in Roster). */
  local: string;
}

/**
 * The change set of a user: on external users, every local-owned field whose value differs from what the
 * directory had at the last sync (completions, edits and emptied values). Internal users have none.
 */
export function changeSet(user: UserRecord, fields: readonly FieldDefinition[]): FieldChange[] {
  if (user.kind !== 'external' || !user.origin) return [];
  const changes: FieldChange[] = [];
  for (const field of fields) {
    if (field.owner !== 'local') continue;
    const local = user.fields[field.key] ?? '';
    const directory = user.origin.base[field.key] ?? '';
    if (local !== directory) changes.push({ field: field.key, directory, local });
  }
  return changes;
}

/** Whether a user has changes that no export has carried yet (or carried with another value). */
export function hasUnexported(user: UserRecord, fields: readonly FieldDefinition[]): boolean {
  const exported = user.exported?.values ?? {};
  return changeSet(user, fields).some((c) => exported[c.field] !== c.local);
}

/** Each field of a user with its value, owner, lock and where the value comes from. */
export function fieldStates(user: UserRecord, fields: readonly FieldDefinition[]): FieldState[] {
  return fields.map((field) => {
    const value = user.fields[field.key] ?? '';
    const external = user.kind === 'external' && user.origin !== undefined;
    const directoryValue = external ? (user.origin!.base[field.key] ?? '') : undefined;
    const conflict = user.conflicts?.find((c) => c.field === field.key);
    return {
      key: field.key,
      label: field.label,
      type: field.type,
      owner: field.owner,
      required: field.required,
      value,
      readOnly: external && field.owner === 'directory',
      source: !external ? 'internal' : field.owner === 'directory' || value === directoryValue ? 'directory' : 'local',
      ...(directoryValue === undefined ? {} : { directoryValue }),
      completion: isCompletion(user, field),
      missing: field.required && value.trim() === '',
      ...(conflict ? { conflict } : {}),
    };
  });
}

/** The three markers of the list: a required field empty, completions, open conflicts. */
export interface UserFlags {
  incomplete: boolean;
  completions: boolean;
  conflicts: boolean;
  /** Changes no export has carried yet (not a list marker; the Reports screen counts it). */
  unexported: boolean;
}

/** Computes the list markers for a user under a field policy (in one pass over the fields: it runs for every user). */
export function userFlags(user: UserRecord, fields: readonly FieldDefinition[]): UserFlags {
  let incomplete = false;
  let completions = false;
  let unexported = false;
  const base = user.kind === 'external' ? user.origin?.base : undefined;
  const exported = user.exported?.values;
  for (const field of fields) {
    const value = user.fields[field.key] ?? '';
    if (!incomplete && field.required && value.trim() === '') incomplete = true;
    if (base === undefined || field.owner !== 'local') continue;
    // As isCompletion, changeSet and hasUnexported decide, without building the change set.
    const directory = base[field.key] ?? '';
    if (value === directory) continue;
    if (value !== '') completions = true;
    if (exported?.[field.key] !== value) unexported = true;
  }
  return { incomplete, completions, conflicts: (user.conflicts?.length ?? 0) > 0, unexported };
}
