import type { FieldDefinition } from '#shared/model/fields';
import { changeLabel } from '#shared/model/change-labels';

/**
 * Names a field as people see it ("Job title"), never by its key ("title"): messages, notes and job reports
 * read this. A field since removed from the catalogue has no label left, so its key stands in.
 */
export function fieldLabel(fields: readonly Pick<FieldDefinition, 'key' | 'label'>[], key: string): string {
  return fields.find((f) => f.key === key)?.label ?? key;
}

/** Why a directory-owned value of an external user cannot be changed in Roster (user service and returned sheets alike). */
export const readOnlyMessage = (label: string, username: string): string =>
  `${label} of ${username} is owned by the directory and read-only; change it in the directory, or make the field local in Settings → Fields.`;

/** Names a recorded change ("title", "enabled", "title.owner") as people know it: "Job title", "Login", "Owner of Job title". */
export function changeLabelOf(fields: readonly Pick<FieldDefinition, 'key' | 'label'>[], key: string): string {
  return changeLabel(key, (k) => fields.find((f) => f.key === k)?.label);
}
