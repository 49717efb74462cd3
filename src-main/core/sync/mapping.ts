import type { FieldDefinition } from '#shared/model/fields';
import { DN_AS_ID, type MappableField, type RealmInput } from '#shared/model/realm';
import { listAttributes, primaryAttribute, sourceAttributes } from '#shared/model/realm-mapping';
import type { FieldValues } from '#shared/model/user';
import { guidToString } from '../ldap/guid';
import type { LdapEntry } from '../ldap/search';

/** A directory entry in Roster's terms. */
export interface DirectoryUser {
  dn: string;
  externalId: string;
  username: string;
  fields: FieldValues;
  enabled: boolean;
  expiresAt?: string;
  userPrincipalName?: string;
}

/** Per field, the attribute sources a realm reads in order: the realm's mapping, else a custom field's own attribute. */
export function sourceMap(realm: RealmInput, fields: readonly FieldDefinition[]): ReadonlyMap<string, readonly string[]> {
  // Diffing a whole realm asks this once per entry with the same realm and catalogue: work it out once.
  const byRealm = sourceMaps.get(fields) ?? new WeakMap<RealmInput, Map<string, string[]>>();
  sourceMaps.set(fields, byRealm);
  let map = byRealm.get(realm);
  if (!map) {
    map = new Map<string, string[]>();
    for (const field of fields) {
      const sources = realm.mapping[field.key as MappableField] ?? (field.ldapAttribute ? [field.ldapAttribute] : []);
      if (sources.length) map.set(field.key, sources);
    }
    byRealm.set(realm, map);
  }
  return map;
}

const sourceMaps = new WeakMap<readonly FieldDefinition[], WeakMap<RealmInput, Map<string, string[]>>>();

/**
 * The one attribute each field is WRITTEN to (change sets, sheet headers): the first single attribute of its
 * list, so Full name = displayName, cn, givenName+sn goes back as displayName. Fields mapped only through a
 * composite (givenName+sn) have none.
 */
export function attributeMap(realm: RealmInput, fields: readonly FieldDefinition[]): ReadonlyMap<string, string> {
  const map = new Map<string, string>();
  for (const [field, sources] of sourceMap(realm, fields)) {
    const attribute = primaryAttribute(sources);
    if (attribute) map.set(field, attribute);
  }
  return map;
}

/** The attribute that holds a realm's usernames (searched by resync, conversion and keyword queries). */
export const usernameAttribute = (realm: RealmInput): string => primaryAttribute(realm.mapping.username) ?? 'uid';

/** Every attribute a search must request for a realm: mapped ones, the id, and the account state attributes. */
export function attributesToRequest(realm: RealmInput, fields: readonly FieldDefinition[]): string[] {
  const wanted = new Map<string, string>();
  const add = (attribute: string) => {
    if (attribute !== DN_AS_ID && !wanted.has(attribute.toLowerCase())) wanted.set(attribute.toLowerCase(), attribute);
  };
  add(realm.idAttribute);
  for (const attribute of listAttributes(realm.mapping.username ?? ['uid'])) add(attribute);
  for (const sources of sourceMap(realm, fields).values()) for (const attribute of listAttributes(sources)) add(attribute);
  if (realm.kind === 'active-directory') for (const a of ['userAccountControl', 'accountExpires', 'userPrincipalName']) add(a);
  return [...wanted.values()];
}

const FILETIME_EPOCH_OFFSET = 116_444_736_000_000_000n;
const NEVER = 0x7fff_ffff_ffff_ffffn;

/** AD accountExpires (100 ns ticks since 1601, as decimal text) as an ISO date; 0 and 2^63-1 mean never. */
export function accountExpiresToIso(value: string | undefined): string | undefined {
  // 0 and 2^63-1 (never) are what nearly every account holds: answered without a BigInt.
  if (value === undefined || value === '0' || value === '9223372036854775807' || !/^-?\d+$/.test(value.trim())) return undefined;
  const ticks = BigInt(value.trim());
  if (ticks <= 0n || ticks >= NEVER) return undefined;
  return new Date(Number((ticks - FILETIME_EPOCH_OFFSET) / 10_000n)).toISOString();
}

/**
 * The value of the RDN's attribute in a DN (`uid=jdoe, ou=people` -> jdoe for uid), lower-cased, or
 * undefined. Escapes are decoded (`\,`, and `\C3\A9` as UTF-8) and a multi-valued RDN (`cn=A+uid=b`) is read per part.
 */
export function rdnValue(dn: string, attribute: string): string | undefined {
  const wanted = attribute.toLowerCase();
  let type = '';
  let value = '';
  let inValue = false;
  let bytes: number[] = [];
  const flush = () => {
    if (bytes.length) value += Buffer.from(bytes).toString('utf8');
    bytes = [];
  };
  for (let i = 0; i <= dn.length; i += 1) {
    const c = dn[i];
    if (c === undefined || (c === ',' && inValue) || (c === '+' && inValue)) {
      flush();
      if (type.trim().toLowerCase() === wanted) return value.trim().toLowerCase();
      if (c !== '+') return undefined;
      type = '';
      value = '';
      inValue = false;
      continue;
    }
    if (!inValue) {
      if (c === '=') inValue = true;
      else type += c;
      continue;
    }
    if (c === '\\' && i + 1 < dn.length) {
      const hex = dn.slice(i + 1, i + 3);
      if (/^[0-9a-fA-F]{2}$/.test(hex)) {
        bytes.push(Number.parseInt(hex, 16));
        i += 2;
      } else {
        flush();
        value += dn[i + 1];
        i += 1;
      }
      continue;
    }
    flush();
    value += c;
  }
  return undefined;
}

/**
 * Picks one value of a possibly multi-valued attribute. The stated rule: when the attribute names the
 * entry (uid=…, cn=…), the value in the DN wins; otherwise the first value the server returns. Only the
 * plain attribute counts: `cn;lang-es` is another attribute description and is never read for `cn`.
 */
export function pickValue(entry: LdapEntry, attribute: string): string {
  const values = entry.text[attribute.toLowerCase()];
  if (values === undefined) return '';
  if (values.length <= 1) return values[0] ?? '';
  const named = rdnValue(entry.dn, attribute);
  return (named !== undefined ? values.find((v) => v.trim().toLowerCase() === named) : undefined) ?? (values[0] as string);
}

/** The first non-empty value of a field's sources; a `givenName+sn` source joins its non-empty parts with a space. */
export function sourcedValue(entry: LdapEntry, sources: readonly string[]): { value: string; source?: string } {
  for (const source of sources) {
    const value = sourceValue(entry, source);
    if (value.trim() !== '') return { value, source };
  }
  return { value: '' };
}

/** One source's value: an attribute's (pickValue), or a `givenName+sn` composite's non-empty parts joined by a space. */
function sourceValue(entry: LdapEntry, source: string): string {
  return source.includes('+')
    ? sourceAttributes(source)
        .map((attribute) => pickValue(entry, attribute).trim())
        .filter((v) => v !== '')
        .join(' ')
    : pickValue(entry, source);
}

/** sourcedValue's value alone, for mapping whole realms without an object per field. */
function firstValue(entry: LdapEntry, sources: readonly string[]): string {
  for (const source of sources) {
    const value = sourceValue(entry, source);
    if (value.trim() !== '') return value;
  }
  return '';
}

/** The immutable id: binary GUIDs as their canonical string, text ids as sent. */
export function externalIdOf(entry: LdapEntry, idAttribute: string): string {
  // Entries without an id attribute are matched by DN (then username): no id is recorded.
  if (idAttribute === DN_AS_ID) return '';
  const key = idAttribute.toLowerCase();
  const bytes = entry.binary[key]?.[0];
  if (bytes) return bytes.length === 16 ? guidToString(bytes) : bytes.toString('hex');
  return entry.text[key]?.[0] ?? '';
}

/** A mapper for one realm and field catalogue: the attribute plan is worked out once, not per entry. */
export function directoryMapper(realm: RealmInput, fields: readonly FieldDefinition[]): (entry: LdapEntry) => DirectoryUser {
  const custom = new Set(fields.filter((f) => f.custom).map((f) => f.key));
  // Lower-cased once here: entries key attributes in lower case, and lower-casing a mixed-case name allocates per call.
  const lower = (sources: readonly string[]) => sources.map((source) => source.toLowerCase());
  const plan = [...sourceMap(realm, fields)].map(([field, sources]) => ({ field, sources: lower(sources), multi: custom.has(field) }));
  const usernameSources = lower(realm.mapping.username ?? ['uid']);
  return (entry) => {
    const values: FieldValues = {};
    for (const { field, sources, multi } of plan) {
      // Custom fields keep every value (one per line); built-in fields are single-valued by the rule above.
      const value = multi ? multiValue(entry, sources) : firstValue(entry, sources);
      if (value !== '') values[field] = value;
    }
    const uac = Number.parseInt(entry.text.useraccountcontrol?.[0] ?? '', 10);
    const expiresAt = accountExpiresToIso(entry.text.accountexpires?.[0]);
    const upn = entry.text.userprincipalname?.[0];
    const user: DirectoryUser = {
      dn: entry.dn,
      externalId: externalIdOf(entry, realm.idAttribute),
      username: firstValue(entry, usernameSources),
      fields: values,
      // userAccountControl bit 0x2 is ACCOUNTDISABLE; directories without it are taken as enabled.
      enabled: Number.isNaN(uac) ? true : (uac & 0x2) === 0,
    };
    if (expiresAt) user.expiresAt = expiresAt;
    if (upn) user.userPrincipalName = upn;
    return user;
  };
}

/** Every value of the first source that has any (custom fields keep all their values, one per line). */
function multiValue(entry: LdapEntry, sources: readonly string[]): string {
  for (const source of sources) {
    const values = sourceAttributes(source).flatMap((attribute) => entry.text[attribute.toLowerCase()] ?? []);
    if (values.some((v) => v !== '')) return values.join('\n');
  }
  return '';
}

/** How an entry is listed to people choosing among entries (import results, resync and conversion candidates). */
export function entrySummary(d: DirectoryUser): { dn: string; externalId: string; username: string; email: string; displayName: string; enabled: boolean } {
  return { dn: d.dn, externalId: d.externalId, username: d.username, email: d.fields.email ?? '', displayName: d.fields.displayName ?? '', enabled: d.enabled };
}

/** Maps one directory entry to a DirectoryUser under a realm's mapping and the field catalogue. */
export function toDirectoryUser(realm: RealmInput, fields: readonly FieldDefinition[], entry: LdapEntry): DirectoryUser {
  return directoryMapper(realm, fields)(entry);
}
