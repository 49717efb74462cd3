import type { MappableField, RealmKind, TlsMode } from '#shared/model/realm';

/** How each realm kind is named in the UI. */
export const KIND_LABELS: Record<RealmKind, string> = {
  'active-directory': 'Active Directory',
  openldap: 'OpenLDAP',
  ldap: 'Generic LDAP',
  'ldif-file': 'LDIF file (offline)',
};

/** How each TLS mode is named in the UI. */
export const TLS_LABELS: Record<TlsMode, string> = {
  none: 'None (plain LDAP)',
  ldaps: 'LDAPS (TLS from the first byte)',
  starttls: 'StartTLS (upgrade a plain connection)',
};

/** Roster's user fields, as named in the mapping editor. */
export const FIELD_LABELS: Record<MappableField, string> = {
  username: 'Username',
  displayName: 'Display name',
  givenName: 'Given name',
  surname: 'Surname',
  email: 'Email',
  department: 'Department',
  title: 'Job title',
  phone: 'Phone',
  mobile: 'Mobile',
  office: 'Office',
  company: 'Company',
  manager: 'Manager',
  employeeId: 'Employee ID',
};
