import type { FieldDefinition } from '#shared/model/fields';
import type { RealmRecord } from '#shared/model/realm';
import { REALM_PRESETS } from '#shared/model/realm-presets';
import { primaryAttribute } from '#shared/model/realm-mapping';
import { SHEET_MATCH_TARGETS, sheetTargetSchema, type SheetMatchTarget, type SheetTarget } from '#shared/model/sheet';
import { RosterError } from '#shared/result';
import { attributeMap } from '../sync/mapping';

/** A header as compared: lower-case, without spaces, `_` and `-` ("Employee ID", "employee_id" and "employeeId" agree). */
export const normaliseHeader = (header: string): string => header.toLowerCase().replace(/[\s_-]+/g, '');

/** Header spellings of the identity columns: Roster's export keys and labels, and the directory attribute names. */
const IDENTITY_ALIASES: Record<string, SheetMatchTarget> = {
  id: 'id',
  rosterid: 'id',
  directoryid: 'directoryId',
  objectguid: 'directoryId',
  entryuuid: 'directoryId',
  guid: 'directoryId',
  nsuniqueid: 'directoryId',
  dn: 'dn',
  distinguishedname: 'dn',
  username: 'username',
  samaccountname: 'username',
  uid: 'username',
  login: 'username',
};

/**
 * Works out where each header goes: an identity, a field (by key, label, or an LDAP attribute a realm — or,
 * failing that, a stock AD or OpenLDAP mapping — reads it from), or nowhere. Export account columns (kind,
 * realm, roles, syncedAt…) and unknown headers are ignored. When two columns reach the same target, the first wins.
 */
export function autoMapping(headers: readonly string[], fields: readonly FieldDefinition[], realms: readonly RealmRecord[]): SheetTarget[] {
  const byName = new Map<string, SheetTarget>();
  const add = (name: string | undefined, target: SheetTarget) => {
    if (name && !byName.has(normaliseHeader(name))) byName.set(normaliseHeader(name), target);
  };
  for (const [alias, target] of Object.entries(IDENTITY_ALIASES)) add(alias, target);
  for (const realm of realms) add(realm.idAttribute, 'directoryId');
  for (const field of fields) add(field.key, `field:${field.key}`);
  for (const field of fields) add(field.label, `field:${field.key}`);
  for (const realm of realms) for (const [key, attribute] of attributeMap(realm, fields)) add(attribute, `field:${key}`);
  const known = new Set(fields.map((f) => f.key));
  for (const preset of [REALM_PRESETS['active-directory'], REALM_PRESETS.openldap]) {
    for (const [key, sources] of Object.entries(preset.mapping)) if (key !== 'username' && known.has(key)) add(primaryAttribute(sources), `field:${key}`);
  }

  const taken = new Set<SheetTarget>();
  return headers.map((header) => {
    const target = byName.get(normaliseHeader(header)) ?? 'ignore';
    if (target === 'ignore' || taken.has(target)) return 'ignore';
    taken.add(target);
    return target;
  });
}

/** A column as messages name it: its header, quoted. */
const named = (headers: readonly string[], index: number): string => `"${headers[index] ?? index}"`;

/**
 * The mapping a preview or apply uses: the automatic one, with the admin's choices (column index -> target) over
 * it. A column the admin points at a target takes it from the column auto-mapping gave it to. Checked: the
 * columns exist, field targets are fields of the catalogue, no two chosen columns share a target, and there is
 * at least one identity column and one field column.
 */
export function resolveMapping(
  headers: readonly string[],
  auto: readonly SheetTarget[],
  chosen: Readonly<Record<string, SheetTarget>> | undefined,
  fields: readonly FieldDefinition[],
): SheetTarget[] {
  const mapping = [...auto];
  const explicit = new Map<SheetTarget, number>();
  for (const [key, target] of Object.entries(chosen ?? {})) {
    const index = Number(key);
    if (!Number.isInteger(index) || index < 0 || index >= headers.length) {
      throw new RosterError('invalid-input', `The sheet has no column ${key}; it has ${headers.length} columns (0 to ${headers.length - 1}).`);
    }
    if (target !== 'ignore') {
      const other = explicit.get(target);
      if (other !== undefined) {
        throw new RosterError(
          'invalid-input',
          `Columns ${named(headers, other)} and ${named(headers, index)} are both mapped to ${target}; map one of them elsewhere.`,
        );
      }
      explicit.set(target, index);
      mapping.forEach((t, i) => {
        if (t === target && i !== index) mapping[i] = 'ignore';
      });
    }
    mapping[index] = target;
  }

  const known = new Set(fields.map((f) => f.key));
  const unknown = mapping.filter((t) => t.startsWith('field:') && !known.has(t.slice(6)));
  if (unknown.length > 0) {
    throw new RosterError('invalid-input', `Unknown field ${unknown.map((t) => t.slice(6)).join(', ')}. Fields: ${[...known].join(', ')}.`);
  }
  if (!mapping.some((t) => (SHEET_MATCH_TARGETS as readonly string[]).includes(t))) {
    throw new RosterError(
      'invalid-input',
      `No column identifies the users: map a column to id, directoryId, dn or username (the sheet's columns: ${headers.join(', ')}).`,
    );
  }
  if (!mapping.some((t) => t.startsWith('field:'))) {
    throw new RosterError('invalid-input', `No column is mapped to a field, so the sheet would change nothing: map a column to a field such as department.`);
  }
  return mapping;
}

/** The target a typed name means (the CLI's `--map`): ignore, id, directoryId, dn, username, a field key or `field:<key>`. */
export function parseTarget(text: string): SheetTarget {
  const value = text.trim();
  const parsed = sheetTargetSchema.safeParse(
    (SHEET_MATCH_TARGETS as readonly string[]).includes(value) || value === 'ignore' || value.startsWith('field:') ? value : `field:${value}`,
  );
  if (!parsed.success)
    throw new RosterError('invalid-input', `"${value}" is not a target: use ignore, id, directoryId, dn, username or a field key such as department.`);
  return parsed.data;
}
