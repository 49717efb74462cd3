import type { ExportCellType, ExportColumn, ExportContent, ExportFormat, ExportPreset } from '#shared/model/export';
import { IDENTITY_COLUMNS, writtenColumns } from '#shared/model/export';
import type { FieldDefinition, FieldType } from '#shared/model/fields';
import type { RealmRecord } from '#shared/model/realm';
import type { UserRecord } from '#shared/model/user';
import { RosterError } from '#shared/result';
import type { FieldChange } from '../users/user-view';

/** One user on its way into an export: the record, its realm, and its change set. */
export interface ExportUser {
  user: UserRecord;
  realm?: RealmRecord;
  /** Local values that differ from the directory's (empty for internal users). */
  changes: FieldChange[];
}

/** A cell before a format writes it: text, several values, a date, a yes/no, or nothing. */
export type CellValue = string | string[] | Date | boolean | null;

/** A column with how to read its cell from a user. */
export interface ColumnDef extends ExportColumn {
  value(row: ExportUser, roleName: (id: string) => string): CellValue;
}

const date = (iso: string | undefined): Date | null => {
  if (!iso) return null;
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? null : at;
};

const CELL_TYPES: Record<FieldType, ExportCellType> = { text: 'text', email: 'email', phone: 'phone', identifier: 'identifier', dn: 'dn' };

/** Identity and account columns: Roster's own properties of a user, in catalogue order. */
const PROPERTY_COLUMNS: readonly ColumnDef[] = [
  {
    key: 'directoryId',
    label: 'Directory id',
    group: 'identity',
    type: 'identifier',
    description: "The directory's immutable id: objectGUID (Active Directory, canonical string) or entryUUID (OpenLDAP).",
    value: ({ user }) => user.origin?.externalId ?? '',
  },
  {
    key: 'dn',
    label: 'Distinguished name',
    group: 'identity',
    type: 'dn',
    description: 'The entry’s DN as the directory had it at the last sync.',
    value: ({ user }) => user.origin?.dn ?? '',
  },
  {
    key: 'username',
    label: 'Username',
    group: 'identity',
    type: 'identifier',
    description: 'sAMAccountName (Active Directory) or uid (OpenLDAP); for internal users, the Roster username.',
    value: ({ user }) => user.username,
  },
  { key: 'id', label: 'Roster id', group: 'account', type: 'identifier', description: 'Roster’s own id of the user.', value: ({ user }) => user.id },
  {
    key: 'kind',
    label: 'Kind',
    group: 'account',
    type: 'text',
    description: '“internal” (made in Roster) or “external” (imported from a realm).',
    value: ({ user }) => user.kind,
  },
  {
    key: 'realm',
    label: 'Realm',
    group: 'account',
    type: 'text',
    description: 'The realm an external user comes from.',
    value: ({ realm }) => realm?.name ?? '',
  },
  {
    key: 'enabled',
    label: 'Login enabled in Roster',
    group: 'account',
    type: 'boolean',
    description: 'Whether the user may log in to the systems Roster feeds.',
    value: ({ user }) => user.enabled,
  },
  {
    key: 'directoryEnabled',
    label: 'Enabled in directory',
    group: 'account',
    type: 'boolean',
    description: 'Whether the directory account is enabled (AD userAccountControl bit 0x2 clear), at the last sync.',
    value: ({ user }) => (user.origin ? user.origin.directoryEnabled : null),
  },
  {
    key: 'userPrincipalName',
    label: 'User principal name',
    group: 'account',
    type: 'text',
    description: 'Active Directory’s userPrincipalName.',
    value: ({ user }) => user.origin?.userPrincipalName ?? '',
  },
  {
    key: 'roles',
    label: 'Roles',
    group: 'account',
    type: 'list',
    description: 'The Roster roles the user holds.',
    value: ({ user }, roleName) => user.roles.map(roleName),
  },
  {
    key: 'changedFields',
    label: 'Changed fields',
    group: 'account',
    type: 'list',
    description: 'The fields whose Roster value differs from the directory’s: what directory owners should apply.',
    value: ({ changes }) => changes.map((c) => c.field),
  },
  {
    key: 'syncedAt',
    label: 'Last synced',
    group: 'account',
    type: 'date',
    description: 'When the user was last synced with the directory.',
    value: ({ user }) => date(user.origin?.syncedAt),
  },
  {
    key: 'expiresAt',
    label: 'Account expires',
    group: 'account',
    type: 'date',
    description: 'When the directory account expires (AD accountExpires), if it does.',
    value: ({ user }) => date(user.origin?.expiresAt),
  },
  {
    key: 'updatedAt',
    label: 'Last changed',
    group: 'account',
    type: 'date',
    description: 'When Roster last changed the user.',
    value: ({ user }) => date(user.updatedAt),
  },
];

/** Every column an export can have: identity, account, then each field of the catalogue. */
export function exportColumns(fields: readonly FieldDefinition[]): ColumnDef[] {
  const fieldColumns = fields.map((field): ColumnDef => ({
    key: field.key,
    label: field.label,
    group: 'field',
    type: CELL_TYPES[field.type],
    owner: field.owner,
    ...(field.custom ? { multi: true } : {}),
    description: `${field.label}: ${field.owner === 'local' ? 'completed in Roster' : 'owned by the directory'}${field.required ? ', required' : ''}.`,
    // Custom fields keep every value of their attribute, one per line.
    value: ({ user }) => {
      const value = user.fields[field.key] ?? '';
      return field.custom && value.includes('\n') ? value.split('\n') : value;
    },
  }));
  return [...PROPERTY_COLUMNS, ...fieldColumns];
}

/** Column metadata without the readers, for the renderer. */
export const describeColumns = (columns: readonly ColumnDef[]): ExportColumn[] => columns.map(({ value: _value, ...column }) => column);

/** The identity columns, the display name, then every local field: what directory owners need to apply completions. */
function ownerColumns(fields: readonly FieldDefinition[]): string[] {
  return [...IDENTITY_COLUMNS, 'displayName', 'changedFields', ...fields.filter((f) => f.owner === 'local').map((f) => f.key)];
}

/** The ready-made column choices. */
export function exportPresets(fields: readonly FieldDefinition[]): ExportPreset[] {
  return [
    {
      id: 'ad-owners',
      label: 'AD owners: Set-ADUser',
      description: 'The change set as a PowerShell script (with its CSV) that applies Set-ADUser by objectGUID, -WhatIf until run with -Apply.',
      columns: ownerColumns(fields),
      format: 'ps1',
      content: 'changes',
    },
    {
      id: 'openldap-owners',
      label: 'OpenLDAP owners: ldapmodify',
      description: 'The change set as LDIF: one modify record per user, replace per changed attribute, ready for ldapmodify.',
      columns: ownerColumns(fields),
      format: 'ldif',
      content: 'changes',
    },
    {
      id: 'everything',
      label: 'Everything',
      description: 'Every column for every user in scope, as a workbook.',
      columns: exportColumns(fields).map((c) => c.key),
      format: 'xlsx',
      content: 'snapshot',
    },
  ];
}

/** The default columns of a format: its preset's. */
export function defaultColumns(fields: readonly FieldDefinition[], format: ExportFormat): string[] {
  const preset = exportPresets(fields).find((p) => p.format === format) ?? exportPresets(fields).find((p) => p.id === 'everything');
  return preset!.columns;
}

/**
 * The columns a file is written with, in order ({@link writtenColumns}: identity columns put in front when
 * left out, a sheet's change set always says each row's realm). Unknown keys are an error naming the known ones.
 */
export function resolveColumns(catalogue: readonly ColumnDef[], keys: readonly string[], format: ExportFormat, content: ExportContent): ColumnDef[] {
  const byKey = new Map(catalogue.map((c) => [c.key, c]));
  const unknown = keys.filter((k) => !byKey.has(k));
  if (unknown.length > 0) {
    throw new RosterError(
      'invalid-input',
      `Unknown column${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}. Columns: ${catalogue.map((c) => c.key).join(', ')}.`,
    );
  }
  return writtenColumns(keys, format, content).map((k) => byKey.get(k)!);
}
