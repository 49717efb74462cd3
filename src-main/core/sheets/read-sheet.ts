import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { RosterError } from '../../../src-shared/result';
import { restoreCsvCell } from '../export/neutralise';

/** One data row: its number as the spreadsheet program shows it (the header is row 1) and its cells as text. */
export interface SheetRow {
  row: number;
  cells: string[];
}

/** A sheet as text: where it came from, the header names and the non-empty data rows. */
export interface SheetData {
  /** XLSX: the worksheet read; CSV: the delimiter found (and the encoding when not UTF-8). */
  source: string;
  headers: string[];
  rows: SheetRow[];
}

/** The extensions Roster reads, as the error for any other says. */
const ACCEPTED = '.xlsx, .csv, .txt or .tsv';

/** Read records, and how a cell's text becomes the value Roster exported (see `restoreCsvCell`, `legacyApostrophes`). */
interface ReadRecords {
  source: string;
  records: SheetRow[];
  restore: (text: string) => string;
}

/**
 * Roster's XLSX exports used to put an apostrophe before every cell starting with = + - @ TAB or CR, and said
 * so on their About sheet in these words. Only in such a workbook does re-import take that apostrophe off:
 * exports now write values exactly, and there a value that starts with an apostrophe really does.
 */
const LEGACY_ABOUT = { sheet: 'About this export', label: 'Formula-looking cells', says: "has a leading apostrophe (')" };
const LEGACY_APOSTROPHE = /^'[=+\-@\t\r]/;
const legacyRestore = (text: string): string => (LEGACY_APOSTROPHE.test(text) ? text.slice(1) : text);
const exact = (text: string): string => text;

/** Whether the workbook is an XLSX export of an earlier Roster, which added apostrophes (see LEGACY_ABOUT). */
function legacyApostrophes(workbook: ExcelJS.Workbook): boolean {
  let legacy = false;
  workbook.getWorksheet(LEGACY_ABOUT.sheet)?.eachRow((row) => {
    const said = row.getCell(2).value;
    legacy ||= row.getCell(1).value === LEGACY_ABOUT.label && typeof said === 'string' && said.includes(LEGACY_ABOUT.says);
  });
  return legacy;
}

/** A number as a person typed it: no exponent, no grouping (1e21 stays 1000000000000000000000). */
function numberText(n: number): string {
  const text = String(n);
  if (!/e/i.test(text) || !Number.isFinite(n)) return text;
  if (Number.isInteger(n)) return BigInt(n).toString();
  return n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
}

/** The text of an exceljs cell value: rich text joined, hyperlinks (Excel makes one of every email) by their text, formulas by their result. */
function xlsxText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  if (typeof value === 'object') {
    const v = value as {
      richText?: { text: string }[];
      text?: unknown;
      hyperlink?: string;
      result?: unknown;
      formula?: string;
      sharedFormula?: string;
      error?: string;
    };
    if (Array.isArray(v.richText)) return v.richText.map((part) => part.text).join('');
    if (v.hyperlink !== undefined || v.text !== undefined) return xlsxText(v.text);
    if (v.formula !== undefined || v.sharedFormula !== undefined) return xlsxText(v.result);
    if (v.error !== undefined) return v.error;
  }
  return '';
}

/** Column letters as spreadsheets show them (0 -> A, 26 -> AA). */
export function columnLetter(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

async function readXlsx(path: string): Promise<ReadRecords> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.readFile(path);
  } catch (error) {
    throw new RosterError(
      'invalid-input',
      `${basename(path)} is not a valid Excel workbook (.xlsx) (${(error as Error).message}). Save it again from the spreadsheet program as .xlsx or .csv.`,
    );
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new RosterError('invalid-input', `${basename(path)} has no worksheet.`);
  const records: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    // row.values is 1-based and sparse: index 0 is unused, missing cells are holes.
    const values = row.values as unknown[];
    const cells: string[] = [];
    for (let c = 1; c < values.length; c += 1) cells.push(xlsxText(values[c]));
    records.push({ row: rowNumber, cells });
  });
  return { source: `worksheet "${sheet.name}"`, records, restore: legacyApostrophes(workbook) ? legacyRestore : exact };
}

/** The delimiter of the header line among `,` `;` and TAB: the most frequent outside quotes (ties go to `preferred`). */
export function detectDelimiter(text: string, preferred: ',' | '\t' = ','): string {
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && counts.has(c)) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let best = preferred;
  for (const [delimiter, count] of counts) if (count > (counts.get(best) ?? 0)) best = delimiter as typeof best;
  return best;
}

const DELIMITER_NAMES: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab' };

async function readCsv(path: string): Promise<ReadRecords> {
  const bytes = await readFile(path);
  let text: string;
  let encoding = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Excel's plain "CSV" save writes the ANSI code page, not UTF-8.
    text = new TextDecoder('windows-1252').decode(bytes);
    encoding = ', Windows-1252';
  }
  const delimiter = detectDelimiter(text.replace(/^\uFEFF/, ''), extname(path).toLowerCase() === '.tsv' ? '\t' : ',');
  let parsed: string[][];
  try {
    parsed = parse(text, { bom: true, delimiter, relax_column_count: true, relax_quotes: true }) as string[][];
  } catch (error) {
    throw new RosterError('invalid-input', `${basename(path)} is not a readable CSV file (${(error as Error).message}).`);
  }
  // Every record counts (an empty line is an empty row in a spreadsheet too), so row numbers match.
  return {
    source: `${DELIMITER_NAMES[delimiter]}-separated${encoding}`,
    records: parsed.map((cells, i) => ({ row: i + 1, cells })),
    restore: restoreCsvCell,
  };
}

/**
 * Reads a returned sheet: the first worksheet of an XLSX, or a CSV (`,` `;` or TAB, UTF-8 with or without BOM).
 * Row 1 is the header; fully empty rows are skipped but row numbers stay those the spreadsheet shows. Cells
 * come back as exported: in a CSV, the apostrophe the export's formula guard added is taken off again; an
 * XLSX holds its values exactly (but for the apostrophes of workbooks from earlier Roster versions).
 */
export async function readSheet(path: string): Promise<SheetData> {
  const name = basename(path);
  try {
    if (!(await stat(path)).isFile()) throw new RosterError('invalid-input', `${path} is a folder, not a sheet.`);
  } catch (error) {
    if (error instanceof RosterError) throw error;
    throw new RosterError('not-found', `There is no file ${path}.`);
  }
  const ext = extname(path).toLowerCase();
  let read: ReadRecords;
  if (ext === '.xlsx') read = await readXlsx(path);
  else if (ext === '.csv' || ext === '.txt' || ext === '.tsv') read = await readCsv(path);
  else
    throw new RosterError('invalid-input', `${name} is not a sheet Roster can read: use ${ACCEPTED}${ext === '.xls' ? ' (save the old .xls as .xlsx)' : ''}.`);

  const records = read.records.map((r) => ({ row: r.row, cells: r.cells.map(read.restore) }));
  const header = records[0];
  if (!header || header.row !== 1 || header.cells.every((c) => c.trim() === '')) {
    throw new RosterError('invalid-input', `${name} is empty: its first row should name the columns (e.g. username, department).`);
  }
  const rows = records.slice(1).filter((r) => r.cells.some((c) => c.trim() !== ''));
  if (rows.length === 0) throw new RosterError('invalid-input', `${name} has a header but no rows under it.`);

  // Columns without a header but with data still show, so nothing in the sheet goes unseen.
  const lastUsed = (cells: string[]) => cells.reduce((last, c, i) => (c.trim() !== '' ? i : last), -1);
  const width = Math.max(lastUsed(header.cells), ...rows.map((r) => lastUsed(r.cells))) + 1;
  const headers = Array.from({ length: width }, (_, i) => header.cells[i]?.trim() || `(column ${columnLetter(i)})`);
  const seen = new Map<string, number>();
  headers.forEach((h, i) => {
    const first = seen.get(h.toLowerCase());
    if (first !== undefined) {
      throw new RosterError(
        'invalid-input',
        `${name} has two columns named "${h}" (${columnLetter(first)} and ${columnLetter(i)}); rename or remove one so each column can be mapped.`,
      );
    }
    seen.set(h.toLowerCase(), i);
  });
  return {
    source: read.source,
    headers,
    rows: rows.map((r) => ({ row: r.row, cells: Array.from({ length: width }, (_, i) => r.cells[i] ?? '') })),
  };
}
