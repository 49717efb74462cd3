import { RosterError } from '#shared/result';
import type { CsvDelimiter, ExportContent, ExportFormat } from '#shared/model/export';
import type { RealmKind } from '#shared/model/realm';
import type { CellValue, ColumnDef, ExportUser } from './columns';

/** The directory a realm stands for, as the headers name it so whoever applies a file knows where it goes. */
export interface ExportDirectory {
  realm: string;
  kind: RealmKind;
  /** The realm's server URLs (none for an `ldif-file` realm). */
  urls: string[];
  /** For an `ldif-file` realm: the LDIF file Roster reads in place of the directory it was exported from. */
  ldifFile?: string;
  /** The realm's base DN, else the entry every exported DN is under, else ''. */
  baseDn: string;
  /** Users of this realm in the export. */
  users: number;
}

/** What the description sheet (and the comment header of LDIF and PS1 files) says about an export. */
export interface ExportAbout {
  format: ExportFormat;
  content: ExportContent;
  /** "All users", "Current filter: …", "12 selected users", "Report: not synced for 30 days". */
  scope: string;
  /** Names of the realms the users come from. */
  realms: string[];
  /** Where each of those realms' directory is; one for an LDIF or PS1 file, which is applied to one directory. */
  directories?: ExportDirectory[];
  /** When LDIF or PS1 is written per realm: the names of the other realms' files of the same export. */
  siblings?: string[];
  at: Date;
  who: string;
  users: number;
  skipped: { reason: string; count: number }[];
  rosterVersion: string;
}

/**
 * Everything a format writer needs, already selected and ordered by the export service: writers only turn
 * rows into bytes. `rows` holds exactly the users to write.
 */
export interface ExportDocument {
  columns: ColumnDef[];
  rows: ExportUser[];
  content: ExportContent;
  /** Joins several values in one cell (multi-valued attributes, roles, changed fields). */
  separator: string;
  delimiter: CsvDelimiter;
  roleName(id: string): string;
  /** The LDAP attribute a field maps to in this user's realm, or undefined (internal user, unmapped field). */
  attribute(row: ExportUser, fieldKey: string): string | undefined;
  about: ExportAbout;
}

/** How a writer reports progress and learns it should stop (throw the signal's reason, or RosterError 'cancelled'). */
export interface WriteContext {
  signal: AbortSignal;
  /** Rows written so far of the document's rows. */
  progress(done: number): void;
}

/** A cell as text: several values joined by the separator, dates as ISO, yes/no as TRUE/FALSE, nothing as ''. */
export function cellText(value: CellValue, separator: string): string {
  if (value === null) return '';
  if (Array.isArray(value)) return value.join(separator);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return value;
}

const fieldColumnsOf = new WeakMap<readonly ColumnDef[], ReadonlyMap<string, ColumnDef>>();

/** The field columns by key, worked out once per column list (it is asked for every row). */
function fieldColumns(columns: readonly ColumnDef[]): ReadonlyMap<string, ColumnDef> {
  let chosen = fieldColumnsOf.get(columns);
  if (!chosen) {
    chosen = new Map(columns.filter((c) => c.group === 'field').map((c) => [c.key, c]));
    fieldColumnsOf.set(columns, chosen);
  }
  return chosen;
}

/** Which fields of a row a directory-facing format (LDIF, PS1) writes: the change set, or every chosen field column. */
export function fieldsToApply(
  doc: Pick<ExportDocument, 'columns' | 'content' | 'attribute'>,
  row: ExportUser,
): { field: string; attribute: string; values: string[] }[] {
  const chosen = fieldColumns(doc.columns);
  const keys = doc.content === 'changes' ? row.changes.map((c) => c.field).filter((k) => chosen.has(k)) : [...chosen.keys()];
  const out: { field: string; attribute: string; values: string[] }[] = [];
  for (const field of keys) {
    const attribute = doc.attribute(row, field);
    if (!attribute) continue;
    const value = row.user.fields[field] ?? '';
    // Custom fields keep every value of their attribute, one per line; '' empties the attribute.
    const values = value === '' ? [] : chosen.get(field)?.multi ? value.split('\n') : [value];
    out.push({ field, attribute, values });
  }
  return out;
}

/**
 * Bytes a writer's file stream buffers before it waits for the disk: 1 MB rather than Node's 16 KB means
 * fewer, larger writes, and rows are built while the file writes instead of waiting on it.
 */
export const FILE_BUFFER = 1 << 20;

/** How often the writers report progress, in rows. */
export const PROGRESS_EVERY = 500;

/**
 * Called by the writers before each row: stops with `cancelled` once the signal is aborted (a flag read is
 * cheap enough to do per row) and reports progress every few hundred rows.
 */
export function checkpoint(ctx: WriteContext, done: number): void {
  if (ctx.signal.aborted) throw new RosterError('cancelled', 'Export cancelled.');
  if (done > 0 && done % PROGRESS_EVERY === 0) ctx.progress(done);
}
