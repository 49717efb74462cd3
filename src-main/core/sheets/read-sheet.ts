import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import ExcelJS from 'exceljs';
import { RosterError } from '#shared/result';
import { restoreCsvCell } from '../export/neutralise';
import { visibleText } from '../visible-text';
import { csvRecords } from './csv-records';
import { CellCount, checkXlsxSize, MAX_SHEET_BYTES, MAX_SHEET_COLUMNS, MAX_SHEET_ROWS, sizeText, tooLarge, tooManyRows } from './sheet-limits';

/** One data row: its number as the spreadsheet program shows it (the header is row 1) and its cells as text. */
export interface SheetRow {
  row: number;
  cells: string[];
  /**
   * Cells that hold no value Roster may take, by column index, each with why (it completes "Cell C5 (department)
   * …"): spreadsheet errors such as #N/A, and formulas saved without their result. Absent when there are none.
   */
  unusable?: Record<number, string>;
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

/**
 * What spreadsheets show where a formula failed — Excel's, LibreOffice's (`Err:502`) and Google Sheets'
 * (`#ERROR!`). No directory value plausibly reads like this, so such text is taken for the error it shows:
 * in a CSV (which can only hold it as text) and in an XLSX text cell alike.
 */
const ERROR_VALUE =
  /^(?:#NULL!|#DIV\/0!|#VALUE!|#REF!|#NAME\?|#NUM!|#N\/A|#GETTING_DATA|#SPILL!|#CALC!|#FIELD!|#BLOCKED!|#CONNECT!|#BUSY!|#UNKNOWN!|#PYTHON!|#ERROR!|Err:\d{3})$/i;

/** Why an XLSX error cell is refused (completes "Cell C5 (department) …"). */
const errorCellReason = (error: string): string =>
  `holds the error ${visibleText(error)}: a formula or lookup failed there, so it has no value; correct it in the sheet.`;
/** Why a cell whose text is a spreadsheet error (ERROR_VALUE) is refused. */
const errorTextReason = (text: string): string =>
  `holds ${visibleText(text)}, which is how a spreadsheet shows a failed formula or lookup, not a value; correct it in the sheet.`;

/** A formula as a message shows it: shortened, control characters escaped. */
const formulaText = (value: { formula?: string; sharedFormula?: string }): string => {
  if (value.formula === undefined) return `a formula (shared with ${visibleText(value.sharedFormula ?? '?')})`;
  const text = `=${value.formula}`;
  return `a formula (${visibleText(text.length > 40 ? `${text.slice(0, 40)}…` : text)})`;
};

/** An exceljs cell value as text, or why it has none Roster may take. */
interface CellRead {
  text: string;
  unusable?: string;
}

/**
 * The text of an exceljs cell value: rich text joined, hyperlinks (Excel makes one of every email) by their text.
 * A formula gives its cached result — the value the spreadsheet showed when the file was saved, which is what
 * the person sending it back meant — but a formula saved without a result (a generator that does not
 * calculate) has no value, and an error (`#N/A`, alone or as a formula's result) is not one.
 */
function xlsxCell(value: unknown): CellRead {
  if (value === null || value === undefined) return { text: '' };
  if (typeof value === 'string') return { text: value };
  if (typeof value === 'number') return { text: numberText(value) };
  if (typeof value === 'boolean') return { text: value ? 'TRUE' : 'FALSE' };
  if (value instanceof Date) return { text: Number.isNaN(value.getTime()) ? '' : value.toISOString() };
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
    if (Array.isArray(v.richText)) return { text: v.richText.map((part) => part.text).join('') };
    if (v.hyperlink !== undefined || v.text !== undefined) return xlsxCell(v.text);
    if (v.formula !== undefined || v.sharedFormula !== undefined) {
      if (v.result === undefined || v.result === null) {
        return {
          text: '',
          unusable: `holds ${formulaText(v)} saved without its result, so it has no value to take. Open the file in Excel or LibreOffice and save it again (that stores the results), or paste the values over the formulas.`,
        };
      }
      const error = (v.result as { error?: unknown }).error;
      if (typeof error === 'string') {
        return {
          text: error,
          unusable: `holds ${formulaText(v)} whose result is the error ${visibleText(error)}, so it has no value; correct it in the sheet.`,
        };
      }
      return xlsxCell(v.result);
    }
    if (v.error !== undefined) return { text: String(v.error), unusable: errorCellReason(String(v.error)) };
  }
  return { text: '' };
}

/** Column letters as spreadsheets show them (0 -> A, 26 -> AA). */
export function columnLetter(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** The refusal of an XLSX holding a value in `cell`, past column MAX_SHEET_COLUMNS. */
const tooWide = (name: string, cell: string): RosterError =>
  new RosterError(
    'invalid-input',
    `${name} has a value in cell ${cell}, past column ${columnLetter(MAX_SHEET_COLUMNS - 1)}: Roster reads the first ${MAX_SHEET_COLUMNS.toLocaleString('en')} columns of a sheet, so it was not read. Delete the columns after ${columnLetter(MAX_SHEET_COLUMNS - 1)} (or move what they hold into the first ${MAX_SHEET_COLUMNS.toLocaleString('en')}) and import it again.`,
  );

async function readXlsx(path: string, size: number): Promise<ReadRecords> {
  if (size > MAX_SHEET_BYTES) throw tooLarge(basename(path), `is ${sizeText(size)}`);
  await checkXlsxSize(path);
  const workbook = new ExcelJS.Workbook();
  // exceljs makes one object for every cell a defined name covers (a name for $A$1:$XFD$20000 takes
  // gigabytes) and for every cell a data validation covers (Excel's whole-column lists: a million each).
  // Roster reads neither: this workbook keeps no names, and validations are not parsed.
  Object.defineProperty(workbook, '_definedNames', { value: { model: [] } });
  try {
    await workbook.xlsx.readFile(path, { ignoreNodes: ['dataValidations'] });
  } catch (error) {
    throw new RosterError(
      'invalid-input',
      `${basename(path)} is not a valid Excel workbook (.xlsx) (${(error as Error).message}). Save it again from the spreadsheet program as .xlsx or .csv.`,
    );
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new RosterError('invalid-input', `${basename(path)} has no worksheet.`);
  const records: SheetRow[] = [];
  const cells = new CellCount(basename(path));
  let tooMany = false;
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber > MAX_SHEET_ROWS + 1) {
      tooMany ||= row.hasValues;
      return;
    }
    // A row is as wide as its last cell, blank or not: counted before its cells are looked at, so a sheet of
    // rows reaching column XFD is refused after a few hundred of them, whatever they hold.
    cells.add(row.cellCount);
    // Only the cells the file holds reach the callback (exceljs still steps over the gaps between them, which
    // the count above bounds): a row with one cell in column XFD is one cell here, not 16,384. Blank cells are
    // not kept (rows are padded with '' once read), so trailing blanks take no room either.
    const record: SheetRow = { row: rowNumber, cells: [] };
    row.eachCell({ includeEmpty: false }, (cell, column) => {
      const { text, unusable } = xlsxCell(cell.value);
      if (text === '' && !unusable) return;
      if (column > MAX_SHEET_COLUMNS) {
        if (text.trim() === '' && !unusable) return;
        throw tooWide(basename(path), `${columnLetter(column - 1)}${rowNumber}`);
      }
      while (record.cells.length < column - 1) record.cells.push('');
      record.cells.push(text);
      if (unusable) (record.unusable ??= {})[column - 1] = unusable;
    });
    if (record.cells.length > 0) records.push(record);
  });
  if (tooMany) throw tooManyRows(basename(path));
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

async function readCsv(path: string, size: number): Promise<ReadRecords> {
  if (size > MAX_SHEET_BYTES) throw tooLarge(basename(path), `is ${sizeText(size)}`);
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
    parsed = await csvRecords(Buffer.from(text), delimiter, basename(path));
  } catch (error) {
    if (error instanceof RosterError) throw error;
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
 * XLSX holds its values exactly (but for the apostrophes of workbooks from earlier Roster versions). Cells
 * holding a spreadsheet error or a formula without its result are marked `unusable`. A sheet over
 * MAX_SHEET_BYTES (an XLSX by what it unpacks to, checked before anything is inflated), with more than
 * MAX_SHEET_ROWS rows, with a value past column MAX_SHEET_COLUMNS or with more than MAX_SHEET_CELLS cells is
 * refused; rows and cells are counted as they are read, before they are kept.
 */
export async function readSheet(path: string): Promise<SheetData> {
  const name = basename(path);
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new RosterError('invalid-input', `${path} is a folder, not a sheet.`);
    size = info.size;
  } catch (error) {
    if (error instanceof RosterError) throw error;
    throw new RosterError('not-found', `There is no file ${path}.`);
  }
  const ext = extname(path).toLowerCase();
  let read: ReadRecords;
  if (ext === '.xlsx') read = await readXlsx(path, size);
  else if (ext === '.csv' || ext === '.txt' || ext === '.tsv') read = await readCsv(path, size);
  else
    throw new RosterError('invalid-input', `${name} is not a sheet Roster can read: use ${ACCEPTED}${ext === '.xls' ? ' (save the old .xls as .xlsx)' : ''}.`);

  const records = read.records.map((r): SheetRow => {
    const cells = r.cells.map(read.restore);
    let { unusable } = r;
    cells.forEach((cell, i) => {
      if (unusable?.[i] === undefined && ERROR_VALUE.test(cell.trim())) (unusable ??= {})[i] = errorTextReason(cell.trim());
    });
    return unusable ? { row: r.row, cells, unusable } : { row: r.row, cells };
  });
  const header = records[0];
  if (!header || header.row !== 1 || header.cells.every((c) => c.trim() === '')) {
    throw new RosterError('invalid-input', `${name} is empty: its first row should name the columns (e.g. username, department).`);
  }
  const rows = records.slice(1).filter((r) => r.cells.some((c) => c.trim() !== ''));
  if (rows.length === 0) throw new RosterError('invalid-input', `${name} has a header but no rows under it.`);

  // Columns without a header but with data still show, so nothing in the sheet goes unseen. (A loop, not
  // Math.max(...rows): spreading 200,000 arguments overflows the stack.)
  const lastUsed = (cells: string[]) => cells.reduce((last, c, i) => (c.trim() !== '' ? i : last), -1);
  let width = lastUsed(header.cells) + 1;
  for (const r of rows) width = Math.max(width, lastUsed(r.cells) + 1);
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
    rows: rows.map((r) => ({ ...r, cells: Array.from({ length: width }, (_, i) => r.cells[i] ?? '') })),
  };
}
