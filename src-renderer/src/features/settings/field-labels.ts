import type { FieldOwner, FieldType } from '#shared/model/fields';

/** How field types are named in Settings. */
export const FIELD_TYPE_LABELS: Record<FieldType, string> = {
  text: 'Text',
  email: 'Email',
  phone: 'Phone number',
  identifier: 'Identifier',
  dn: 'DN',
};

/** How owners are named: who keeps the value of an external user. */
export const FIELD_OWNER_LABELS: Record<FieldOwner, string> = {
  directory: 'Directory',
  local: 'Local',
};
