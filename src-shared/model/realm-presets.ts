import type { LdifFlavour, MappableField, RealmInput, RealmKind, TlsMode } from './realm';
import { defaultTlsFor } from './realm-tls';

/** Defaults that make a new realm of each kind work against a stock server. */
export interface RealmPreset {
  userFilter: string;
  idAttribute: string;
  defaultPort: { plain: number; ldaps: number };
  /** Per field, the attributes to read in order: the first non-empty value wins. */
  mapping: Partial<Record<MappableField, string[]>>;
}

/**
 * Full name: the display name when the directory has one, else the entry's cn (plain inetOrgPerson
 * entries often have only that), else given name and surname. Other fields have no fallback: a second
 * attribute is added only where it means the same thing (mobile is not a telephoneNumber, a
 * userPrincipalName is a login name and not a mail address).
 */
const FULL_NAME = ['displayName', 'cn', 'givenName+sn'];

const AD_MAPPING: RealmPreset['mapping'] = {
  username: ['sAMAccountName'],
  displayName: FULL_NAME,
  givenName: ['givenName'],
  surname: ['sn'],
  email: ['mail'],
  department: ['department'],
  title: ['title'],
  phone: ['telephoneNumber'],
  mobile: ['mobile'],
  office: ['physicalDeliveryOfficeName'],
  company: ['company'],
  manager: ['manager'],
  employeeId: ['employeeID'],
};

const OPENLDAP_MAPPING: RealmPreset['mapping'] = {
  username: ['uid'],
  displayName: FULL_NAME,
  givenName: ['givenName'],
  surname: ['sn'],
  email: ['mail'],
  department: ['departmentNumber'],
  title: ['title'],
  phone: ['telephoneNumber'],
  mobile: ['mobile'],
  office: ['roomNumber'],
  company: ['o'],
  manager: ['manager'],
  employeeId: ['employeeNumber'],
};

/**
 * Normal user accounts only (sAMAccountType SAM_NORMAL_USER_ACCOUNT), which leaves out computers
 * (805306369) and interdomain trust accounts (805306370, `CHILD$`), and not the domain's critical system
 * objects (Administrator, Guest, krbtgt, dns-*). The same filter serves a live DC and an export of one, so
 * both select the same people: in a file objectCategory is a DN, which is why the filter does not use it.
 */
export const AD_USER_FILTER = '(&(objectClass=user)(sAMAccountType=805306368)(!(isCriticalSystemObject=TRUE)))';

const AD_PRESET: RealmPreset = {
  userFilter: AD_USER_FILTER,
  idAttribute: 'objectGUID',
  defaultPort: { plain: 389, ldaps: 636 },
  mapping: AD_MAPPING,
};

const OPENLDAP_PRESET: RealmPreset = {
  userFilter: '(objectClass=inetOrgPerson)',
  idAttribute: 'entryUUID',
  defaultPort: { plain: 389, ldaps: 636 },
  mapping: OPENLDAP_MAPPING,
};

/** Presets per realm kind (Active Directory, OpenLDAP, generic LDAPv3); an LDIF file starts as AD's. */
export const REALM_PRESETS: Record<RealmKind, RealmPreset> = {
  'active-directory': AD_PRESET,
  openldap: OPENLDAP_PRESET,
  ldap: OPENLDAP_PRESET,
  'ldif-file': AD_PRESET,
};

/** The preset an LDIF export of each directory flavour needs. */
export const LDIF_FLAVOUR_PRESETS: Record<LdifFlavour, RealmPreset> = {
  'active-directory': AD_PRESET,
  openldap: OPENLDAP_PRESET,
};

/** The preset for a kind; for an LDIF file, the one of its flavour. */
export const presetFor = (kind: RealmKind, flavour?: LdifFlavour): RealmPreset =>
  kind === 'ldif-file' && flavour ? LDIF_FLAVOUR_PRESETS[flavour] : REALM_PRESETS[kind];

/** A deep copy of a preset mapping, so an edit never changes the preset itself. */
export const copyMapping = (mapping: RealmPreset['mapping']): RealmPreset['mapping'] =>
  Object.fromEntries(Object.entries(mapping).map(([field, sources]) => [field, [...sources]]));

/**
 * A complete realm input for a kind, with the preset filter, id attribute and mapping filled in. TLS is LDAPS
 * for ldaps:// URLs and StartTLS otherwise, unless `tls` says otherwise: no TLS is only ever asked for.
 */
export function realmFromPreset(
  kind: RealmKind,
  fields: { name: string; urls: string[]; bindDn: string; baseDn: string; ldifPath?: string; flavour?: LdifFlavour; tls?: TlsMode },
): RealmInput {
  const preset = presetFor(kind, fields.flavour);
  return {
    name: fields.name,
    kind,
    enabled: true,
    connection: {
      urls: fields.urls,
      tls: fields.tls ?? defaultTlsFor(fields.urls),
      verifyCertificate: true,
      bindDn: fields.bindDn,
      connectTimeoutMs: 5_000,
      operationTimeoutMs: 30_000,
    },
    ...(fields.ldifPath !== undefined ? { ldif: { path: fields.ldifPath, ...(fields.flavour ? { flavour: fields.flavour } : {}) } } : {}),
    search: { baseDn: fields.baseDn, userFilter: preset.userFilter, scope: 'sub', pageSize: 500 },
    idAttribute: preset.idAttribute,
    mapping: copyMapping(preset.mapping),
  };
}
