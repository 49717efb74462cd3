import type { ChannelInput } from '#shared/ipc/contract';
import { validateFieldValue, validateUsername } from '#shared/model/fields';
import type { FieldState, UserDetail } from '#shared/model/user';

/** What the person typed on the Fields tab and has not saved: only the values they touched. */
export interface DetailEdits {
  username?: string;
  fields: Record<string, string>;
}

export const NO_EDITS: DetailEdits = { fields: {} };

/** The key the username's input, errors and server messages use (it is not a field). */
export const USERNAME_KEY = 'username';

/** The value a field shows: the typed one if any, else the stored one. */
export function draftValue(field: FieldState, edits: DetailEdits): string {
  return edits.fields[field.key] ?? field.value;
}

/** The username the form shows. */
export function draftUsername(detail: UserDetail, edits: DetailEdits): string {
  return edits.username ?? detail.user.username;
}

/** Only internal users' usernames are edited in Roster; an external user's comes from the directory. */
export const usernameEditable = (detail: UserDetail) => detail.user.kind === 'internal';

/**
 * Drops edits that no longer change anything (equal to the stored value) or may not be saved any more
 * (the field became directory-owned, or was removed). Run whenever a fresh UserDetail arrives, so unsaved
 * typing survives reloads while saved or impossible edits disappear.
 */
export function pruneEdits(detail: UserDetail, edits: DetailEdits): DetailEdits {
  const byKey = new Map(detail.fields.map((f) => [f.key, f]));
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(edits.fields)) {
    const field = byKey.get(key);
    if (field && !field.readOnly && value !== field.value) fields[key] = value;
  }
  const keepUsername = edits.username !== undefined && usernameEditable(detail) && edits.username.trim() !== detail.user.username;
  return keepUsername ? { username: edits.username, fields } : { fields };
}

/** The `users:update` input carrying only what changed, or null when nothing did. */
export function changedInput(detail: UserDetail, edits: DetailEdits): ChannelInput<'users:update'> | null {
  const pruned = pruneEdits(detail, edits);
  const hasFields = Object.keys(pruned.fields).length > 0;
  if (!hasFields && pruned.username === undefined) return null;
  return {
    id: detail.user.id,
    ...(pruned.username !== undefined ? { username: pruned.username.trim() } : {}),
    fields: pruned.fields,
  };
}

/** Whether anything typed differs from what is stored. */
export const isDirty = (detail: UserDetail, edits: DetailEdits) => changedInput(detail, edits) !== null;

/** Messages for typed values that main would refuse (format checks only; uniqueness is main's to say). */
export function draftErrors(detail: UserDetail, edits: DetailEdits): Record<string, string> {
  const errors: Record<string, string> = {};
  if (edits.username !== undefined && usernameEditable(detail)) {
    const message = validateUsername(edits.username.trim());
    if (message) errors[USERNAME_KEY] = message;
  }
  for (const field of detail.fields) {
    const value = edits.fields[field.key];
    if (value === undefined || field.readOnly) continue;
    const message = validateFieldValue(field, value);
    if (message) errors[field.key] = message;
  }
  return errors;
}

/** A required field left (or made) empty, judged on what the form shows. */
export const isMissing = (field: FieldState, edits: DetailEdits) => field.required && draftValue(field, edits).trim() === '';
