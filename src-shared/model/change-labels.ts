/**
 * How a changed field or property is named to people, in the app and the CLI alike: journal entries and job
 * reports record changes by key ("title", "enabled", "title.owner"); people read "Job title", "Login",
 * "Owner of Job title".
 */

/** Names for changed properties that are not fields. */
export const PROPERTY_LABELS: Readonly<Record<string, string>> = {
  username: 'Username',
  enabled: 'Login',
  roles: 'Roles',
  role: 'Role',
  kind: 'Kind',
  realm: 'Realm',
  realmId: 'Realm',
  dn: 'DN',
  externalId: 'External id',
  owner: 'Owner',
  required: 'Required',
  name: 'Name',
};

/** A field's policy changes ("title.owner"), named as Settings → Fields names its controls. */
const POLICY_LABELS: Readonly<Record<string, (label: string) => string>> = {
  owner: (label) => `Owner of ${label}`,
  required: (label) => `Required: ${label}`,
};

/**
 * The label a person knows a changed field or property by: the field's label, a property's name, a field
 * policy's control, else the key itself (e.g. a custom field since removed).
 */
export function changeLabel(key: string, fieldLabel: (key: string) => string | undefined): string {
  const own = (table: Readonly<Record<string, unknown>>, k: string) => Object.hasOwn(table, k);
  const label = fieldLabel(key) ?? (own(PROPERTY_LABELS, key) ? PROPERTY_LABELS[key] : undefined);
  if (label !== undefined) return label;
  const dot = key.lastIndexOf('.');
  const policy = dot > 0 && own(POLICY_LABELS, key.slice(dot + 1)) ? POLICY_LABELS[key.slice(dot + 1)] : undefined;
  return policy ? policy(fieldLabel(key.slice(0, dot)) ?? key.slice(0, dot)) : key;
}
