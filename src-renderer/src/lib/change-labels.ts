import { changeLabel as sharedChangeLabel } from '#shared/model/change-labels';

/** The label a person knows a changed field or property by; the key itself when unknown (e.g. a removed custom field). */
export function changeLabel(key: string, fieldLabels: Record<string, string>): string {
  return sharedChangeLabel(key, (k) => (Object.hasOwn(fieldLabels, k) ? fieldLabels[k] : undefined));
}

/** A changed value as a person reads it: login flags as words, the rest as recorded. */
export function changeValue(key: string, value: string): string {
  if (key === 'enabled' && (value === 'true' || value === 'false')) return value === 'true' ? 'Enabled' : 'Disabled';
  return value;
}

const SUMMARY_VALUE_MAX = 40;
const clip = (value: string) => (value === '' ? '(empty)' : value.length > SUMMARY_VALUE_MAX ? `${value.slice(0, SUMMARY_VALUE_MAX - 1)}…` : value);

/** One line about what an entry changed: the change itself when there is one, else the fields' names. */
export function summarizeChanges(changes: readonly { field: string; before: string; after: string }[], fieldLabels: Record<string, string>): string {
  if (changes.length === 0) return '';
  if (changes.length === 1) {
    const [change] = changes as [{ field: string; before: string; after: string }];
    return `${changeLabel(change.field, fieldLabels)}: ${clip(changeValue(change.field, change.before))} → ${clip(changeValue(change.field, change.after))}`;
  }
  return changes.map((c) => changeLabel(c.field, fieldLabels)).join(', ');
}
