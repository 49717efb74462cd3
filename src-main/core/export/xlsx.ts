import ExcelJS from 'exceljs';
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { EXPORT_FORMAT_LABELS, type ExportCellType } from '#shared/model/export';
import type { CellValue, ColumnDef } from './columns';
import { checkpoint, cellText, type ExportDocument, type WriteContext } from './document';
import { xlsxTextCell } from './xlsx-text';
import { KIND_NAMES } from './parts';

/** Column types written as text cells (format `@`): leading zeros and 15+ digit numbers stay as typed. */
const TEXT_TYPES: ReadonlySet<ExportCellType> = new Set(['text', 'identifier', 'phone', 'email', 'dn', 'list']);
const DATE_FORMAT = 'yyyy-mm-dd hh:mm';
const TEXT_FORMAT = '@';
/** Light yellow behind the cells a change set carries. */
const CHANGED_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };
const BOLD: Partial<ExcelJS.Font> = { bold: true };
/** Widths come from the header and this many first rows (the rest are not looked at: the file streams). */
const WIDTH_SAMPLE = 200;
const MIN_WIDTH = 8;
const MAX_WIDTH = 60;

/** A column's width in characters: its longest line among the header and the first rows, clamped. */
function columnWidth(doc: ExportDocument, column: ColumnDef): number {
  let longest = Math.max(column.key.length, column.type === 'date' ? DATE_FORMAT.length : 0);
  for (const row of doc.rows.slice(0, WIDTH_SAMPLE)) {
    const value = column.value(row, doc.roleName);
    if (value instanceof Date) continue;
    for (const line of cellText(value, doc.separator).split('\n')) longest = Math.max(longest, line.length);
  }
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, longest + 2));
}

/**
 * A cell as exceljs writes it: dates and yes/no typed, several values joined, nothing empty, and text exactly
 * as Roster holds it. Text cells are never evaluated when a workbook opens, so `=1+2` or `+49 30 1234567`
 * needs no apostrophe (an apostrophe would end up in the directory through any tool but Roster's). Excel's
 * quotePrefix style would also keep such a cell text when someone edits it, but exceljs has no quotePrefix
 * (its style model and the streaming WorkbookWriter cannot write one), so the text columns' `@` number
 * format does that job: a cell edited under `@` stays text.
 */
function cellValue(value: CellValue, separator: string): ExcelJS.CellValue {
  if (value === null || value instanceof Date || typeof value === 'boolean') return value;
  const text = Array.isArray(value) ? value.join(separator) : value;
  return text === '' ? null : xlsxTextCell(text);
}

const columnStyle = (type: ExportCellType): Partial<ExcelJS.Style> =>
  TEXT_TYPES.has(type) ? { numFmt: TEXT_FORMAT } : type === 'date' ? { numFmt: DATE_FORMAT } : {};

/**
 * exceljs's streaming writer has no backpressure (exceljs issue #734): committed rows pile up in memory until
 * the event loop turns and the zip stream deflates them. Yielding after about this many bytes of sheet XML
 * keeps that backlog small (measured: 100k rows of 26 columns stay under a few MB of buffers).
 */
const YIELD_BYTES = 16_384;
/** Rough XML size of a cell around its text. */
const CELL_OVERHEAD = 32;
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Closes the file after a failure, so the caller can remove it (Windows keeps open files). */
async function close(out: WriteStream): Promise<void> {
  if (out.closed) return;
  const closed = once(out, 'close').catch(() => undefined);
  out.destroy();
  await closed;
}

/**
 * Writes the document as an XLSX workbook with exceljs's streaming writer (rows are committed as they are
 * written, so 100k users do not sit in memory). Sheet "Users": bold frozen header of column keys with an
 * autofilter, text columns as text cells, dates as dates, changed cells highlighted in a change set. Sheet
 * "About this export": what, who, when, counts, and each column explained.
 */
export async function writeXlsx(doc: ExportDocument, file: string, ctx: WriteContext): Promise<{ records: number }> {
  // Our own stream rather than `filename`: its errors are caught from the start and it can be closed on a cancel.
  const out = createWriteStream(file);
  let failure: Error | undefined;
  out.on('error', (error) => (failure = error));
  try {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    workbook.creator = `Roster ${doc.about.rosterVersion}`;
    workbook.created = doc.about.at;
    await writeUsers(workbook, doc, ctx, () => failure);
    writeAbout(workbook, doc);
    await workbook.commit();
    if (failure) throw failure;
    return { records: doc.rows.length };
  } catch (error) {
    await close(out);
    throw error;
  }
}

/** The "Users" sheet, row by row; `failure` is the file's write error, if one happened meanwhile. */
async function writeUsers(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  doc: ExportDocument,
  ctx: WriteContext,
  failure: () => Error | undefined,
): Promise<void> {
  // Views are written when the sheet opens, so they go in here rather than later.
  const sheet = workbook.addWorksheet('Users', { views: [{ state: 'frozen', ySplit: 1 }] });
  // Column widths and styles are written before the first row, so they are settled up front.
  sheet.columns = doc.columns.map((column) => ({ key: column.key, width: columnWidth(doc, column), style: columnStyle(column.type) }));
  const header = sheet.addRow(doc.columns.map((c) => c.key));
  header.font = BOLD;
  header.commit();

  const position = new Map(doc.columns.map((c, i) => [c.key, i + 1]));
  // Each cell gets its column's style as one shared object (and a changed cell the same plus the fill).
  // exceljs gives each new cell a fresh copy of the column's style, and then renders every copy to XML to
  // find its style id: about 40 % of an export's time. It remembers ids by style object, so a shared one
  // is rendered once. Cell types do not matter here: exceljs only looks at them for a style without a
  // number format holding a number or a date, and such columns (yes/no) hold booleans and empty cells only.
  const styles = doc.columns.map((column) => columnStyle(column.type));
  const changedStyles = styles.map((style) => ({ ...style, fill: CHANGED_FILL }));
  let pending = 0;
  for (const [i, row] of doc.rows.entries()) {
    checkpoint(ctx, i);
    if (pending >= YIELD_BYTES) {
      pending = 0;
      await nextTurn();
      const error = failure();
      if (error) throw error;
    }
    const values = doc.columns.map((c) => cellValue(c.value(row, doc.roleName), doc.separator));
    for (const value of values) pending += CELL_OVERHEAD + (typeof value === 'string' ? value.length : 0);
    const line = sheet.addRow(values);
    for (const [i, style] of styles.entries()) line.getCell(i + 1).style = style;
    if (doc.content === 'changes') {
      for (const change of row.changes) {
        const column = position.get(change.field);
        if (column !== undefined) line.getCell(column).style = changedStyles[column - 1]!;
      }
    }
    line.commit();
  }
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: doc.rows.length + 1, column: doc.columns.length } };
  sheet.commit();
  ctx.progress(doc.rows.length);
}

const CONTENT_TEXT = {
  snapshot: 'Snapshot: every user in scope with their current values.',
  changes:
    'Change set: only external users whose Roster values differ from what the directory had at the last sync (completions, edits and emptied values); the changed cells are highlighted.',
} as const;

/** The description sheet: what the export holds, for whom, and what each column means. */
function writeAbout(workbook: ExcelJS.stream.xlsx.WorkbookWriter, doc: ExportDocument): void {
  const { about } = doc;
  const sheet = workbook.addWorksheet('About this export');
  sheet.columns = [{ width: 26 }, { width: 48 }, { width: 12 }, { width: 90 }];
  const add = (values: ExcelJS.CellValue[], style?: { bold?: boolean; numFmt?: string }) => {
    const row = sheet.addRow(values);
    row.getCell(1).font = BOLD;
    if (style?.bold) row.font = BOLD;
    if (style?.numFmt) row.getCell(2).numFmt = style.numFmt;
    row.commit();
  };

  const title = sheet.addRow(['Roster export']);
  title.font = { bold: true, size: 14 };
  title.commit();
  add(['Format', EXPORT_FORMAT_LABELS[about.format]]);
  add(['Content', CONTENT_TEXT[about.content]]);
  add(['Scope', about.scope]);
  add(['Realms', about.realms.length > 0 ? about.realms.join(', ') : 'None (internal users only)']);
  add(['When (UTC)', about.at], { numFmt: DATE_FORMAT });
  add(['Who', about.who]);
  add(['Users', about.users]);
  if (about.skipped.length === 0) add(['Skipped', 'None']);
  for (const skipped of about.skipped) add([`Skipped: ${skipped.reason}`, skipped.count]);
  add(['Roster version', about.rosterVersion]);
  add(['Multi-value separator', `"${doc.separator}" (several values of one attribute are joined with it in one cell)`]);
  add(['Dates', 'Date cells are in UTC.']);
  add([
    'Formula-looking cells',
    'Values are written exactly as Roster holds them, with nothing added: a text cell is never evaluated, so one that starts with = + - or @ is shown as text.',
  ]);
  const directories = about.directories ?? [];
  if (directories.length > 0) {
    sheet.addRow([]).commit();
    add(['Directories'], { bold: true });
    add(['Realm', 'Directory', 'Users', 'Base DN'], { bold: true });
    for (const d of directories) {
      const where = d.kind === 'ldif-file' ? `read from the LDIF file ${d.ldifFile ?? '(not set)'}` : d.urls.join(' ') || '(no server set)';
      add([d.realm, `${KIND_NAMES[d.kind]}: ${where}`, d.users, d.baseDn || '(not known)']);
    }
  }
  sheet.addRow([]).commit();
  add(['Columns'], { bold: true });
  add(['Key', 'Label', 'Type', 'Description'], { bold: true });
  for (const column of doc.columns) add([column.key, column.label, column.type, column.description]);
  sheet.commit();
}
