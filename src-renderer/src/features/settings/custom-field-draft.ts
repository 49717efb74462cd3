import {
  customFieldInputSchema,
  RESERVED_KEYS,
  STANDARD_FIELDS,
  type CustomFieldInput,
  type FieldDefinition,
  type FieldOwner,
  type FieldType,
} from '#shared/model/fields';

/** The "Add custom field" form as typed. */
export interface CustomFieldDraft {
  key: string;
  label: string;
  type: FieldType;
  ldapAttribute: string;
  owner: FieldOwner;
  required: boolean;
}

export const EMPTY_CUSTOM_FIELD: CustomFieldDraft = { key: '', label: '', type: 'text', ldapAttribute: '', owner: 'local', required: false };

/** Checks the form the way main will (schema, reserved and taken keys); returns the input or messages by input name. */
export function checkCustomField(
  draft: CustomFieldDraft,
  existing: readonly FieldDefinition[],
): { ok: true; input: CustomFieldInput } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const parsed = customFieldInputSchema.safeParse(draft);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? 'key');
      errors[name] ??= issue.message;
    }
  }
  const key = draft.key.trim().toLowerCase();
  if (key && !errors.key) {
    if ((RESERVED_KEYS as readonly string[]).some((k) => k.toLowerCase() === key))
      errors.key = `“${draft.key.trim()}” is a user property, not a field: choose another key.`;
    else if ([...STANDARD_FIELDS, ...existing].some((f) => f.key.toLowerCase() === key))
      errors.key = `A field with the key “${draft.key.trim()}” exists already.`;
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, input: parsed.data };
}
