import { randomUUID } from 'node:crypto';
import { basename, resolve } from 'node:path';
import { DEFAULT_MULTI_VALUE_SEPARATOR } from '#shared/model/export';
import { validateFieldValue, type FieldDefinition } from '#shared/model/fields';
import {
  SHEET_MATCH_TARGETS,
  SHEET_ROW_STATUSES,
  type SheetApplyReport,
  type SheetMatchTarget,
  type SheetOpened,
  type SheetOptions,
  type SheetPreview,
  type SheetRowResult,
  type SheetRowStatus,
} from '#shared/model/sheet';
import type { FieldValues, UserRecord } from '#shared/model/user';
import { RosterError } from '#shared/result';
import type { NewAuditEntry } from '../audit/audit-log';
import { readOnlyMessage } from '../users/field-labels';
import { diffFields, type UserContext, type UserService } from '../users/user-service';
import { visibleText } from '../visible-text';
import type { UserOp } from '../users/user-store';
import { directoryIdOf } from './identity-cell';
import { columnLetter, readSheet, type SheetData, type SheetRow } from './read-sheet';
import { autoMapping, resolveMapping } from './sheet-mapping';

/** Sheets kept for mapping, previewing and paging: the last few opened, bounded in memory. */
const KEEP_SHEETS = 4;
/** Applied rows a report lists; the counts stay exact beyond it. */
const MAX_APPLIED_ROWS = 1000;
/** Sample values per column shown while mapping. */
const SAMPLES = 3;

interface OpenSheet {
  opened: SheetOpened;
  data: SheetData;
  /** The last preview's options and its rows as evaluated at a store generation (re-evaluated once the store moves). */
  preview: { options: SheetOptions; generation: number; rows: SheetRowResult[] };
}

/** One row evaluated: the result to show, and for a row that changes something, the user and the new values. */
interface Evaluated {
  result: SheetRowResult;
  user?: UserRecord;
  values?: FieldValues;
}

/** What a row's cells name, looked up: the identity column, its value, and the users it matches. */
interface Identity {
  target: SheetMatchTarget;
  value: string;
  users: UserRecord[];
}

/** Drops empty values so "cleared" and "never set" are stored the same way (as UserService does). */
const compact = (values: FieldValues): FieldValues => Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''));

/** Custom fields hold every value of their attribute one per line; exports join them with the separator, so split it back. */
const multiValue = (cell: string): string =>
  cell
    .split(/\r?\n/)
    .flatMap((line) => line.split(DEFAULT_MULTI_VALUE_SEPARATOR))
    .map((v) => v.trim())
    .filter((v) => v !== '')
    .join('\n');

const names = (users: readonly UserRecord[]): string => users.map((u) => u.username).join(', ');

/**
 * Re-import of a returned or edited sheet (XLSX or CSV): open it, map its columns (automatically by header,
 * editable), preview per row what would change and what is refused, then apply the valid rows to the users'
 * fields in one transaction, one audit entry per user. A row with any problem is refused whole, with every reason.
 */
export class SheetService {
  private readonly sheets = new Map<string, OpenSheet>();

  constructor(
    private readonly ctx: UserContext,
    private readonly users: UserService,
  ) {}

  /** Reads a sheet, maps its columns automatically and keeps it for preview and apply. */
  async open(path: string): Promise<SheetOpened> {
    const file = resolve(path);
    const data = await readSheet(file);
    const auto = autoMapping(data.headers, this.users.fields(), this.ctx.store.data.realms);
    const opened: SheetOpened = {
      sheetId: randomUUID(),
      file,
      source: data.source,
      rows: data.rows.length,
      columns: data.headers.map((header, index) => ({ index, header, target: auto[index] ?? 'ignore', samples: samples(data.rows, index) })),
    };
    const sheet: OpenSheet = { opened, data, preview: { options: { sheetId: opened.sheetId, clearEmpty: false }, generation: -1, rows: [] } };
    this.sheets.set(opened.sheetId, sheet);
    for (const key of [...this.sheets.keys()].slice(0, Math.max(0, this.sheets.size - KEEP_SHEETS))) this.sheets.delete(key);
    return opened;
  }

  private stored(sheetId: string): OpenSheet {
    const sheet = this.sheets.get(sheetId);
    if (!sheet) throw new RosterError('not-found', 'That sheet is no longer open; open it again.');
    return sheet;
  }

  /** Matches every row to a user and works out what it would change under `options`; the rows are kept for paging. */
  preview(options: SheetOptions): SheetPreview {
    const sheet = this.stored(options.sheetId);
    const rows = this.evaluate(sheet, options).map((e) => e.result);
    sheet.preview = { options, generation: this.ctx.users.generation, rows };
    const counts: Record<SheetRowStatus, number> = { change: 0, unchanged: 0, refused: 0 };
    for (const row of rows) counts[row.status] += 1;
    return { sheetId: options.sheetId, counts, total: rows.length };
  }

  /** A window of the last preview's rows (optionally of one status), re-evaluated if the users changed since. */
  page(sheetId: string, offset: number, limit: number, status?: SheetRowStatus): { total: number; offset: number; rows: SheetRowResult[] } {
    if (status && !SHEET_ROW_STATUSES.includes(status)) throw new RosterError('invalid-input', `Unknown status ${status}.`);
    const sheet = this.stored(sheetId);
    if (sheet.preview.generation !== this.ctx.users.generation) this.preview(sheet.preview.options);
    const rows = status ? sheet.preview.rows.filter((r) => r.status === status) : sheet.preview.rows;
    return { total: rows.length, offset, rows: rows.slice(offset, offset + limit) };
  }

  /**
   * Applies the valid rows: evaluated again against the users as they are inside the transaction (they may
   * have changed since the preview), each changed user written with one `user.sheet-import` audit entry.
   */
  async apply(options: SheetOptions): Promise<SheetApplyReport> {
    const sheet = this.stored(options.sheetId);
    const file = basename(sheet.opened.file);
    const evaluated = await this.ctx.users.transact(() => {
      const rows = this.evaluate(sheet, options);
      const at = this.ctx.now().toISOString();
      const ops: UserOp[] = [];
      const audit: NewAuditEntry[] = [];
      for (const { result, user, values } of rows) {
        if (result.status !== 'change' || !user || !values) continue;
        const updated: UserRecord = { ...user, fields: compact({ ...user.fields, ...values }), updatedAt: at };
        ops.push({ put: updated });
        audit.push(this.users.entry('user.sheet-import', updated, diffFields(user.fields, updated.fields), `From ${file}, row ${result.row}.`));
      }
      return { ops, audit, result: rows.map((r) => r.result) };
    });
    const applied = evaluated.filter((r) => r.status === 'change');
    // An empty list would tell windows to reload everything: say nothing when nothing changed.
    if (applied.length > 0) this.users.changed(applied.map((r) => r.userId as string));
    return {
      file: sheet.opened.file,
      applied: applied.length,
      unchanged: evaluated.filter((r) => r.status === 'unchanged').length,
      refused: evaluated.filter((r) => r.status === 'refused').length,
      refusedRows: evaluated.filter((r) => r.status === 'refused'),
      appliedRows: applied.slice(0, MAX_APPLIED_ROWS),
      ...(applied.length > MAX_APPLIED_ROWS ? { appliedTruncated: true } : {}),
    };
  }

  /** Every row of a sheet against the users as they are now. */
  private evaluate(sheet: OpenSheet, options: SheetOptions): Evaluated[] {
    const fields = this.users.fields();
    const { headers, rows } = sheet.data;
    const mapping = resolveMapping(headers, autoMapping(headers, fields, this.ctx.store.data.realms), options.mapping, fields);
    const byKey = new Map(fields.map((f) => [f.key, f]));
    const identityColumns = SHEET_MATCH_TARGETS.flatMap((target) => {
      const column = mapping.indexOf(target);
      return column >= 0 ? [{ target, column }] : [];
    });
    const fieldColumns = mapping.flatMap((target, column) =>
      target.startsWith('field:') ? [{ column, field: byKey.get(target.slice(6)) as FieldDefinition }] : [],
    );
    const realmIds = this.realmIds();
    const seen = new Map<string, SheetRowResult>();
    return rows.map((row) => {
      // A cell without a usable value (#N/A, a formula saved without its result) refuses its row, with why.
      const unusable = (column: number): string | undefined => {
        const why = row.unusable?.[column];
        return why === undefined ? undefined : `Cell ${columnLetter(column)}${row.row} (${visibleText(headers[column] ?? '')}) ${why}`;
      };
      const badIdentities = identityColumns.flatMap(({ column }) => unusable(column) ?? []);
      if (badIdentities.length > 0) {
        const reasons = [...badIdentities, ...fieldColumns.flatMap(({ column }) => unusable(column) ?? [])];
        return { result: { row: row.row, status: 'refused', changes: [], reasons } };
      }
      const identities = identityColumns.flatMap(({ target, column }) => {
        const value = (row.cells[column] ?? '').trim();
        return value ? [{ target, value, users: this.lookup(target, value, realmIds) }] : [];
      });
      const match = matchIdentities(
        identities,
        identityColumns.map((c) => c.target),
      );
      const result: SheetRowResult = { row: row.row, status: 'refused', changes: [], reasons: [] };
      if ('reason' in match) {
        result.reasons.push(match.reason);
        return { result };
      }
      const { user } = match;
      Object.assign(result, { userId: user.id, username: user.username, matchedBy: match.matchedBy });
      const earlier = seen.get(user.id);
      if (earlier) {
        const how = earlier.status === 'change' ? 'was already changed by' : 'is already on';
        result.reasons.push(`${user.username} ${how} row ${earlier.row}; give each user one row.`);
      } else {
        seen.set(user.id, result);
      }
      const values: FieldValues = {};
      for (const { column, field } of fieldColumns) {
        // Checked before anything else: such a cell is never applied, and never clears a field either.
        const why = unusable(column);
        if (why) {
          result.reasons.push(why);
          continue;
        }
        const cell = (row.cells[column] ?? '').trim();
        const value = field.custom ? multiValue(cell) : cell;
        const current = user.fields[field.key] ?? '';
        if ((value === '' && !options.clearEmpty) || value === current) continue;
        if (user.kind === 'external' && field.owner === 'directory') {
          result.reasons.push(readOnlyMessage(field.label, user.username));
          continue;
        }
        const problem = validateFieldValue(field, value);
        if (problem) {
          result.reasons.push(problem);
          continue;
        }
        values[field.key] = value;
        result.changes.push({ field: field.key, before: current, after: value });
      }
      if (result.reasons.length > 0) {
        // Refused whole: nothing of the row is applied, so it lists no changes.
        result.changes = [];
        return { result };
      }
      result.status = result.changes.length > 0 ? 'change' : 'unchanged';
      return { result, user, values };
    });
  }

  /** Every realm id users point at (a deleted realm's users still match by directory id and DN). */
  private realmIds(): string[] {
    const ids = new Set(this.ctx.store.data.realms.map((r) => r.id));
    for (const user of this.ctx.users.all()) if (user.origin) ids.add(user.origin.realmId);
    return [...ids];
  }

  /**
   * The users an identity cell names: ids and usernames are unique; directory ids (also as csvde writes an
   * objectGUID) and DNs are looked up in every realm.
   */
  private lookup(target: SheetMatchTarget, value: string, realmIds: readonly string[]): UserRecord[] {
    const users = this.ctx.users;
    const one = (user: UserRecord | undefined) => (user ? [user] : []);
    if (target === 'id') return one(users.get(value));
    if (target === 'username') return one(users.findByUsername(value));
    const id = target === 'directoryId' ? directoryIdOf(value) : value;
    return realmIds.flatMap((realmId) => one(target === 'dn' ? users.findByDn(realmId, id) : users.findByExternalId(realmId, id)));
  }
}

/**
 * Who a row names: the first non-empty identity (id, directoryId, dn, username) decides; each other identity
 * that names someone must name the same user (it narrows a directory id found in two realms). An identity that
 * names nobody is tolerated when an earlier one matched (a renamed user, a moved entry).
 */
function matchIdentities(
  identities: readonly Identity[],
  mapped: readonly SheetMatchTarget[],
): { user: UserRecord; matchedBy: SheetMatchTarget } | { reason: string } {
  const [primary, ...others] = identities;
  if (!primary) return { reason: `The row names no user: its ${mapped.join(' and ')} ${mapped.length > 1 ? 'cells are' : 'cell is'} empty.` };
  // Cell text from the sheet: a control or bidi character would act where the reason is shown (the CLI's terminal).
  const said = (i: Identity) => `${i.target} ${visibleText(i.value)}`;
  if (primary.users.length === 0) {
    const other = others.find((i) => i.users.length > 0);
    if (other) return { reason: `No user has ${said(primary)}, but ${said(other)} is ${names(other.users)}: the row's identities disagree.` };
    return { reason: `No user matches (${identities.map(said).join(', ')}).` };
  }
  let candidates = primary.users;
  for (const other of others) {
    if (other.users.length === 0) continue;
    const both = candidates.filter((u) => other.users.includes(u));
    if (both.length === 0) return { reason: `The row names two users: ${said(primary)} is ${names(candidates)}, but ${said(other)} is ${names(other.users)}.` };
    candidates = both;
  }
  if (candidates.length > 1) {
    return {
      reason: `${said(primary)} matches ${candidates.length} users (${names(candidates)}) in different realms; add the username or id column to tell them apart.`,
    };
  }
  return { user: candidates[0] as UserRecord, matchedBy: primary.target };
}

/** The first few distinct non-empty values of a column. */
function samples(rows: readonly SheetRow[], index: number): string[] {
  const found = new Set<string>();
  for (const row of rows) {
    const value = (row.cells[index] ?? '').trim();
    if (value !== '') found.add(value.length > 80 ? `${value.slice(0, 79)}…` : value);
    if (found.size >= SAMPLES) break;
  }
  return [...found];
}
