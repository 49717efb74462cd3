import { z } from 'zod';
import { userQuerySchema } from './user';

/** File formats an export can write. `ps1` writes a PowerShell script and the CSV it reads, side by side. */
export const EXPORT_FORMATS = ['xlsx', 'csv', 'ldif', 'ps1'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_FORMAT_LABELS: Record<ExportFormat, string> = {
  xlsx: 'Excel workbook (.xlsx)',
  csv: 'CSV (.csv)',
  ldif: 'LDIF change set for ldapmodify (.ldif)',
  ps1: 'PowerShell for Set-ADUser (.ps1 + .csv)',
};

/** The file extension each format writes. */
export const EXPORT_EXTENSIONS: Record<ExportFormat, string> = { xlsx: '.xlsx', csv: '.csv', ldif: '.ldif', ps1: '.ps1' };

/**
 * What goes in: `snapshot` is every user in scope with their current values; `changes` is the change set,
 * only external users whose local values differ from what the directory had at the last sync (completions,
 * edits and emptied values), which is what directory owners apply.
 */
export const EXPORT_CONTENTS = ['snapshot', 'changes'] as const;
export type ExportContent = (typeof EXPORT_CONTENTS)[number];

/** CSV delimiters: comma, semicolon (Excel in many European locales), tab. */
export const CSV_DELIMITERS = [',', ';', 'tab'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

/** Joins the values of a multi-valued attribute in one cell (stated in the export's description). */
export const DEFAULT_MULTI_VALUE_SEPARATOR = ' | ';

/** How a column's cells are typed in XLSX: identifiers, phones and postal codes stay text, dates are real dates. */
export const EXPORT_CELL_TYPES = ['text', 'identifier', 'phone', 'email', 'dn', 'date', 'boolean', 'list'] as const;
export type ExportCellType = (typeof EXPORT_CELL_TYPES)[number];

/** One column an export can have. Its key is the header, and what re-import maps back. */
export interface ExportColumn {
  key: string;
  label: string;
  /** identity columns are always written for external users; account columns are Roster's own state. */
  group: 'identity' | 'account' | 'field';
  type: ExportCellType;
  /** One sentence for the export's description sheet. */
  description: string;
  /** Field columns: whether the directory or Roster owns the value on external users. */
  owner?: 'directory' | 'local';
  /** Field columns: may hold several values (custom fields keep every value of their attribute). */
  multi?: boolean;
}

/** The identity columns, in the order they lead every export. */
export const IDENTITY_COLUMNS = ['directoryId', 'dn', 'username'] as const;

const isIdentityColumn = (key: string) => (IDENTITY_COLUMNS as readonly string[]).includes(key);

/** Whether a file carries the `realm` column whatever was chosen: a change set in a sheet may mix directories, and each row says whose it is. */
export const realmColumnForced = (format: ExportFormat, content: ExportContent): boolean => (format === 'xlsx' || format === 'csv') && content === 'changes';

/**
 * The column keys a file is written with, in order — what main writes and what the Export screen shows. Identity
 * columns left out go in front (directory owners and re-import find each user by them); a sheet's change set
 * gets `realm` right after the last identity column when it was left out. `chosen` holds known keys only.
 */
export function writtenColumns(chosen: readonly string[], format: ExportFormat, content: ExportContent): string[] {
  const unique = [...new Set(chosen)];
  const keys = [...IDENTITY_COLUMNS.filter((k) => !unique.includes(k)), ...unique];
  if (!realmColumnForced(format, content) || keys.includes('realm')) return keys;
  const after = keys.reduce((last, key, i) => (isIdentityColumn(key) ? i : last), -1);
  return [...keys.slice(0, after + 1), 'realm', ...keys.slice(after + 1)];
}

/** Ready-made column choices. */
export const EXPORT_PRESETS = ['ad-owners', 'openldap-owners', 'everything'] as const;
export type ExportPresetId = (typeof EXPORT_PRESETS)[number];

export interface ExportPreset {
  id: ExportPresetId;
  label: string;
  description: string;
  columns: string[];
  format: ExportFormat;
  content: ExportContent;
}

/** Which users: all, what a list query matches (a filter or a report), or picked ids. */
export const exportScopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }).strict(),
  z.object({ kind: z.literal('query'), query: userQuerySchema, label: z.string().max(200).optional() }).strict(),
  z.object({ kind: z.literal('ids'), ids: z.array(z.string().min(1).max(64)).min(1).max(200_000) }).strict(),
]);
export type ExportScope = z.input<typeof exportScopeSchema>;

const columnKey = z.string().regex(/^[a-zA-Z][a-zA-Z0-9]{0,39}$/, 'A column is named by its key, e.g. department');

/**
 * Everything an export needs; `path` is where the file goes (ps1 also writes the CSV beside it). An LDIF or PS1
 * export whose users come from several realms writes one file per realm, named `<name>-<realm>.<ext>`.
 */
export const exportRequestSchema = z
  .object({
    format: z.enum(EXPORT_FORMATS),
    path: z.string().trim().min(1, 'Choose where to save the export').max(4096),
    scope: exportScopeSchema.default({ kind: 'all' }),
    content: z.enum(EXPORT_CONTENTS).default('snapshot'),
    /** Columns in order; identity columns are added in front when missing. Default: the format's preset. */
    columns: z.array(columnKey).max(200).optional(),
    delimiter: z.enum(CSV_DELIMITERS).default(','),
    separator: z.string().min(1).max(8).default(DEFAULT_MULTI_VALUE_SEPARATOR),
    /** Replace an existing file; without it an existing file is an `exists` error and nothing is written. */
    overwrite: z.boolean().default(false),
  })
  .strict();
export type ExportRequest = z.output<typeof exportRequestSchema>;
export type ExportRequestInput = z.input<typeof exportRequestSchema>;

/**
 * One file of an export (for PS1, the script and the CSV it reads) and the users it carries. An LDIF change set
 * or a PowerShell script is applied to ONE directory, so those formats write one part per realm; XLSX and CSV
 * write one part for every realm (a `realm` column tells their rows apart).
 */
export interface ExportPart {
  /** The realm whose directory the files are for (LDIF, PS1); absent for XLSX and CSV, and when no user is written. */
  realm?: { id: string; name: string };
  files: string[];
  users: number;
}

/** How many users an export would write, before it runs. */
export interface ExportPlan {
  users: number;
  /** Users in scope the format cannot carry (internal users in LDIF/PS1, users without changes in a change set). */
  skipped: { reason: string; count: number }[];
  /** Every file the export writes, part after part. */
  files: string[];
  /** The files per realm (LDIF, PS1) or the one part of an XLSX or CSV. */
  parts: ExportPart[];
  /** Files that exist already and would be replaced. */
  existing: string[];
}

/** What a finished export wrote. */
export interface ExportResult {
  format: ExportFormat;
  content: ExportContent;
  /** Every file written, part after part. */
  files: string[];
  /** What each file (per realm for LDIF and PS1) carries. */
  parts: (ExportPart & { records: number })[];
  users: number;
  /** LDIF: modify records; PS1/CSV/XLSX: data rows. */
  records: number;
  skipped: { reason: string; count: number }[];
  columns: string[];
  bytes: number;
  scope: string;
}

/** Export choices remembered across restarts. */
export const exportPrefsSchema = z
  .object({
    preset: z.enum(EXPORT_PRESETS).optional(),
    columns: z.array(columnKey).max(200),
    format: z.enum(EXPORT_FORMATS),
    content: z.enum(EXPORT_CONTENTS),
    delimiter: z.enum(CSV_DELIMITERS),
    folder: z.string().max(4096),
  })
  .partial()
  .strict();
export type ExportPrefs = z.infer<typeof exportPrefsSchema>;
