import type { FieldDefinition } from '../../../src-shared/model/fields';
import type { MappableField, RealmInput } from '../../../src-shared/model/realm';
import type { FieldValues } from '../../../src-shared/model/user';
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

/** The LDAP attribute each field reads in a realm: the realm's mapping, else a custom field's own attribute. */
export function attributeMap(realm: RealmInput, fields: readonly FieldDefinition[]): ReadonlyMap<string, string> {
  // Diffing a whole realm asks this once per entry with the same realm and catalogue: work it out once.
  const byRealm = attributeMaps.get(fields) ?? new WeakMap<RealmInput, Map<string, string>>();
  attributeMaps.set(fields, byRealm);
  let map = byRealm.get(realm);
  if (!map) {
    map = new Map<string, string>();
    for (const field of fields) {
      const attribute = realm.mapping[field.key as MappableField] ?? field.ldapAttribute;
      if (attribute) map.set(field.key, attribute);
    }
    byRealm.set(realm, map);
  }
  return map;
}

const attributeMaps = new WeakMap<readonly FieldDefinition[], WeakMap<RealmInput, Map<string, string>>>();

/** Every attribute a search must request for a realm: mapped ones, the id, and the account state attributes. */
export function attributesToRequest(realm: RealmInput, fields: readonly FieldDefinition[]): string[] {
  const wanted = new Set<string>([realm.idAttribute, realm.mapping.username ?? 'uid', ...attributeMap(realm, fields).values()]);
  if (realm.kind === 'active-directory') for (const a of ['userAccountControl', 'accountExpires', 'userPrincipalName']) wanted.add(a);
  return [...wanted];
}

const FILETIME_EPOCH_OFFSET = 116_444_736_000_000_000n;
const NEVER = 0x7fff_ffff_ffff_ffffn;

/** AD accountExpires (100 ns ticks since 1601, as decimal text) as an ISO date; 0 and 2^63-1 mean never. */
export function accountExpiresToIso(value: string | undefined): string | undefined {
  if (value === undefined || !/^-?\d+$/.test(value.trim())) return undefined;
  const ticks = BigInt(value.trim());
  if (ticks <= 0n || ticks >= NEVER) return undefined;
  return new Date(Number((ticks - FILETIME_EPOCH_OFFSET) / 10_000n)).toISOString();
}

/** The value of the RDN's attribute in a DN (`uid=jdoe,ou=people` -> jdoe for uid), lower-cased, or undefined. */
const rdnValue = (dn: string, attribute: string): string | undefined => {
  const match = /^\s*([^=]+)=((?:\\.|[^,+])*)/.exec(dn);
  if (!match || match[1]!.trim().toLowerCase() !== attribute.toLowerCase()) return undefined;
  return match[2]!.replace(/\\(.)/g, '$1').trim().toLowerCase();
};

/**
 * Picks one value of a possibly multi-valued attribute. The stated rule: when the attribute names the
 * entry (uid=…, cn=…), the value in the DN wins; otherwise the first value the server returns.
 */
export function pickValue(entry: LdapEntry, attribute: string): string {
  const values = entry.text[attribute.toLowerCase()] ?? [];
  if (values.length <= 1) return values[0] ?? '';
  const named = rdnValue(entry.dn, attribute);
  return (named !== undefined ? values.find((v) => v.toLowerCase() === named) : undefined) ?? (values[0] as string);
}

/** The immutable id: binary GUIDs as their canonical string, text ids as sent. */
export function externalIdOf(entry: LdapEntry, idAttribute: string): string {
  const key = idAttribute.toLowerCase();
  const bytes = entry.binary[key]?.[0];
  if (bytes) return bytes.length === 16 ? guidToString(bytes) : bytes.toString('hex');
  return entry.text[key]?.[0] ?? '';
}

/** A mapper for one realm and field catalogue: the attribute plan is worked out once, not per entry. */
export function directoryMapper(realm: RealmInput, fields: readonly FieldDefinition[]): (entry: LdapEntry) => DirectoryUser {
  const custom = new Set(fields.filter((f) => f.custom).map((f) => f.key));
  const plan = [...attributeMap(realm, fields)].map(([field, attribute]) => ({ field, attribute, key: attribute.toLowerCase(), multi: custom.has(field) }));
  const usernameAttribute = realm.mapping.username ?? 'uid';
  return (entry) => {
    const values: FieldValues = {};
    for (const { field, attribute, key, multi } of plan) {
      // Custom fields keep every value (one per line); built-in fields are single-valued by the rule above.
      const value = multi ? (entry.text[key] ?? []).join('\n') : pickValue(entry, attribute);
      if (value !== '') values[field] = value;
    }
    const uac = Number.parseInt(entry.text.useraccountcontrol?.[0] ?? '', 10);
    const expiresAt = accountExpiresToIso(entry.text.accountexpires?.[0]);
    const upn = entry.text.userprincipalname?.[0];
    return {
      dn: entry.dn,
      externalId: externalIdOf(entry, realm.idAttribute),
      username: pickValue(entry, usernameAttribute),
      fields: values,
      // userAccountControl bit 0x2 is ACCOUNTDISABLE; directories without it are taken as enabled.
      enabled: Number.isNaN(uac) ? true : (uac & 0x2) === 0,
      ...(expiresAt ? { expiresAt } : {}),
      ...(upn ? { userPrincipalName: upn } : {}),
    };
  };
}

/** Maps one directory entry to a DirectoryUser under a realm's mapping and the field catalogue. */
export function toDirectoryUser(realm: RealmInput, fields: readonly FieldDefinition[], entry: LdapEntry): DirectoryUser {
  return directoryMapper(realm, fields)(entry);
}
