import type { MappableField, RealmInput, RealmKind } from './realm';

/** Defaults that make a new realm of each kind work against a stock server. */
export interface RealmPreset {
  userFilter: string;
  idAttribute: string;
  defaultPort: { plain: number; ldaps: number };
  mapping: Partial<Record<MappableField, string>>;
}

const AD_MAPPING: RealmPreset['mapping'] = {
  username: 'sAMAccountName',
  displayName: 'displayName',
  givenName: 'givenName',
  surname: 'sn',
  email: 'mail',
  department: 'department',
  title: 'title',
  phone: 'telephoneNumber',
  mobile: 'mobile',
  office: 'physicalDeliveryOfficeName',
  company: 'company',
  manager: 'manager',
  employeeId: 'employeeID',
};

const OPENLDAP_MAPPING: RealmPreset['mapping'] = {
  username: 'uid',
  displayName: 'displayName',
  givenName: 'givenName',
  surname: 'sn',
  email: 'mail',
  department: 'departmentNumber',
  title: 'title',
  phone: 'telephoneNumber',
  mobile: 'mobile',
  office: 'roomNumber',
  company: 'o',
  manager: 'manager',
  employeeId: 'employeeNumber',
};

/** Presets per realm kind (Active Directory, OpenLDAP, generic LDAPv3). */
export const REALM_PRESETS: Record<RealmKind, RealmPreset> = {
  'active-directory': {
    // Leaves out the domain's own accounts (Administrator, Guest, krbtgt), which are no one's to reconcile.
    userFilter: '(&(objectCategory=person)(objectClass=user)(!(isCriticalSystemObject=TRUE)))',
    idAttribute: 'objectGUID',
    defaultPort: { plain: 389, ldaps: 636 },
    mapping: AD_MAPPING,
  },
  openldap: {
    userFilter: '(objectClass=inetOrgPerson)',
    idAttribute: 'entryUUID',
    defaultPort: { plain: 389, ldaps: 636 },
    mapping: OPENLDAP_MAPPING,
  },
  ldap: {
    userFilter: '(objectClass=inetOrgPerson)',
    idAttribute: 'entryUUID',
    defaultPort: { plain: 389, ldaps: 636 },
    mapping: OPENLDAP_MAPPING,
  },
  // An LDIF export is most often ldifde's from Active Directory; in a file objectCategory is a DN, so the
  // filter names the classes instead. Exports from OpenLDAP need the OpenLDAP mapping and entryUUID.
  'ldif-file': {
    userFilter: '(&(objectClass=user)(!(objectClass=computer)))',
    idAttribute: 'objectGUID',
    defaultPort: { plain: 389, ldaps: 636 },
    mapping: AD_MAPPING,
  },
};

/** A complete realm input for a kind, with the preset filter, id attribute and mapping filled in. */
export function realmFromPreset(kind: RealmKind, fields: { name: string; urls: string[]; bindDn: string; baseDn: string }): RealmInput {
  const preset = REALM_PRESETS[kind];
  return {
    name: fields.name,
    kind,
    enabled: true,
    connection: {
      urls: fields.urls,
      tls: 'none',
      verifyCertificate: true,
      bindDn: fields.bindDn,
      connectTimeoutMs: 5_000,
      operationTimeoutMs: 30_000,
    },
    search: { baseDn: fields.baseDn, userFilter: preset.userFilter, scope: 'sub', pageSize: 500 },
    idAttribute: preset.idAttribute,
    mapping: { ...preset.mapping },
  };
}
