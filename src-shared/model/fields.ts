import { z } from 'zod';

/** Who owns a field's value on external users. */
export const FIELD_OWNERS = ['directory', 'local'] as const;
export type FieldOwner = (typeof FIELD_OWNERS)[number];

/** How a field's value is checked and shown (and, later, typed in exports). */
export const FIELD_TYPES = ['text', 'email', 'phone', 'identifier', 'dn'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** A field of the catalogue, as built in. */
export interface StandardField {
  key: string;
  label: string;
  type: FieldType;
  owner: FieldOwner;
  required: boolean;
}

/**
 * The built-in field catalogue, in display order. Defaults: the directory owns who a person is (names,
 * mail); Roster's admins complete where they sit and how to reach them. Required fields drive "incomplete".
 */
export const STANDARD_FIELDS: readonly StandardField[] = [
  { key: 'displayName', label: 'Full name', type: 'text', owner: 'directory', required: true },
  { key: 'givenName', label: 'First name', type: 'text', owner: 'directory', required: true },
  { key: 'surname', label: 'Last name', type: 'text', owner: 'directory', required: true },
  { key: 'email', label: 'Email', type: 'email', owner: 'directory', required: true },
  { key: 'department', label: 'Department', type: 'text', owner: 'local', required: true },
  { key: 'title', label: 'Job title', type: 'text', owner: 'local', required: true },
  { key: 'phone', label: 'Phone', type: 'phone', owner: 'local', required: false },
  { key: 'mobile', label: 'Mobile', type: 'phone', owner: 'local', required: false },
  { key: 'office', label: 'Office', type: 'text', owner: 'local', required: false },
  { key: 'company', label: 'Company', type: 'text', owner: 'local', required: false },
  { key: 'manager', label: 'Manager (DN)', type: 'dn', owner: 'directory', required: false },
  { key: 'employeeId', label: 'Employee ID', type: 'identifier', owner: 'local', required: false },
];

/** A field as the app uses it: the built-in or custom definition merged with the admin's policy. */
export interface FieldDefinition {
  key: string;
  label: string;
  type: FieldType;
  owner: FieldOwner;
  required: boolean;
  custom: boolean;
  /** For custom fields: the LDAP attribute it maps to in every realm (a realm's mapping may override). */
  ldapAttribute?: string;
}

/** What the admin changed about a field: kept in settings, merged over the defaults. */
export interface FieldPolicyOverride {
  owner?: FieldOwner;
  required?: boolean;
}

/** A field the admin added, mapped to any LDAP attribute. */
export interface CustomField {
  key: string;
  label: string;
  type: FieldType;
  ldapAttribute: string;
  owner: FieldOwner;
  required: boolean;
}

/**
 * Field keys: camelCase identifiers, the way exports and the CLI name them. Names every object inherits
 * (`constructor`, `toString`, `valueOf`…) are refused: looked up in a user's fields they would find a function.
 */
export const fieldKeySchema = z
  .string()
  .trim()
  .regex(/^[a-zA-Z][a-zA-Z0-9]{0,39}$/, 'A field key starts with a letter and has only letters and digits (at most 40), e.g. costCenter')
  .refine((key) => !(key in Object.prototype), 'That name is reserved (every JavaScript object has it); choose another key, e.g. costCenter');

/** An LDAP attribute name or OID. */
export const ldapAttributeSchema = z
  .string()
  .trim()
  .max(200)
  .regex(/^([a-zA-Z][a-zA-Z0-9-]*|\d+(\.\d+)+)$/, 'An LDAP attribute is a name such as extensionAttribute1 or an OID such as 1.2.840.113556.1.4.221');

export const customFieldInputSchema = z.object({
  key: fieldKeySchema,
  label: z.string().trim().min(1, 'Give the field a label').max(60),
  type: z.enum(FIELD_TYPES).default('text'),
  ldapAttribute: ldapAttributeSchema,
  owner: z.enum(FIELD_OWNERS).default('local'),
  required: z.boolean().default(false),
});
export type CustomFieldInput = z.input<typeof customFieldInputSchema>;

/** Names that are not fields but user properties; a custom field may not take them. */
export const RESERVED_KEYS = ['id', 'username', 'kind', 'enabled', 'roles', 'realm', 'dn', 'externalId'] as const;

/** Merges the built-in catalogue, custom fields and the admin's overrides into the effective list. */
export function effectiveFields(overrides: Record<string, FieldPolicyOverride>, custom: readonly CustomField[]): FieldDefinition[] {
  const standard = STANDARD_FIELDS.map((f) => ({ ...f, custom: false, ...overrides[f.key] }));
  return [...standard, ...custom.map((f) => ({ ...f, custom: true, ...overrides[f.key] }))];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ().\-/]{3,30}$/;

/** Checks one value against its field's type; returns the message a person can act on, or null. */
export function validateFieldValue(field: Pick<FieldDefinition, 'label' | 'type'>, value: string): string | null {
  if (value === '') return null;
  if (value.length > 1024) return `${field.label} is too long (at most 1024 characters).`;
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(value)) return `${field.label} contains control characters.`;
  if (field.type === 'email' && !EMAIL.test(value)) return `${field.label} "${value}" is not an email address (name@example.org).`;
  if (field.type === 'phone' && !PHONE.test(value)) return `${field.label} "${value}" is not a phone number (digits, spaces, + ( ) - . /).`;
  return null;
}

/** Usernames: letters (any script), digits and . _ - @, 1–64 characters; unique ignoring case. */
export const USERNAME_PATTERN = /^[\p{L}\p{N}._@-]{1,64}$/u;

/** Checks a username's characters; returns the message or null. */
export function validateUsername(username: string): string | null {
  if (username.length === 0) return 'A username is required.';
  if (!USERNAME_PATTERN.test(username)) {
    return `Username "${username}" may contain only letters, digits, and . _ - @ (at most 64 characters, no spaces).`;
  }
  return null;
}
