import type { FieldDefinition } from '../../../src-shared/model/fields';
import type { FieldState, UserRecord } from '../../../src-shared/model/user';

/** Whether a field of a user is a completion: a local value on an external user that the directory lacks or differs from. */
export function isCompletion(user: UserRecord, field: FieldDefinition): boolean {
  if (user.kind !== 'external' || !user.origin || field.owner !== 'local') return false;
  const value = user.fields[field.key] ?? '';
  return value !== '' && value !== (user.origin.base[field.key] ?? '');
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
}

/** Computes the list markers for a user under a field policy. */
export function userFlags(user: UserRecord, fields: readonly FieldDefinition[]): UserFlags {
  let incomplete = false;
  let completions = false;
  for (const field of fields) {
    if (!incomplete && field.required && (user.fields[field.key] ?? '').trim() === '') incomplete = true;
    if (!completions && isCompletion(user, field)) completions = true;
    if (incomplete && completions) break;
  }
  return { incomplete, completions, conflicts: (user.conflicts?.length ?? 0) > 0 };
}
