import { spawn } from 'node:child_process';
import { mkdtemp, open, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { crc32, createDeflateRaw, deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedUsers } from '../../../e2e/fixtures/users';
import type { SheetOptions } from '#shared/model/sheet';
import type { UserRecord } from '#shared/model/user';
import { RosterError } from '#shared/result';
import { formatSheetReport } from '../../cli/sheet-commands';
import { SessionSecretStore } from '../secrets/secret-store';
import { openServices, type Services } from '../services';
import { readSheet } from './read-sheet';
import { MAX_SHEET_BYTES, MAX_SHEET_CELLS, MAX_SHEET_COLUMNS, MAX_SHEET_ROWS } from './sheet-limits';

let dir: string;
let services: Services | undefined;
const now = () => new Date('2026-11-21T10:00:00Z');
const openAll = () =>
  openServices({ dataDir: dir, owner: 'test', transport: 'cli', secrets: new SessionSecretStore('test'), version: 'test', actor: 'alice', now });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-hostile-sheets-'));
});
afterEach(async () => {
  await services?.close();
  services = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** Seeds `count` synthetic users (u000001 zangstrom, then user00002 …; every third external) and opens the services. */
async function withUsers(count: number): Promise<{ services: Services; users: UserRecord[] }> {
  const users = await seedUsers(dir, count);
  services = await openAll();
  return { services, users };
}

async function failure(work: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await work;
  } catch (error) {
    if (error instanceof RosterError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a failure');
}

async function xlsx(name: string, rows: ExcelJS.CellValue[][]): Promise<string> {
  const path = join(dir, name);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Returned');
  rows.forEach((row, i) => row.forEach((value, c) => (sheet.getCell(i + 1, c + 1).value = value)));
  await workbook.xlsx.writeFile(path);
  return path;
}

async function previewAndApply(s: Services, path: string, clearEmpty: boolean) {
  const opened = await s.sheets.open(path);
  const options: SheetOptions = { sheetId: opened.sheetId, clearEmpty };
  const preview = s.sheets.preview(options);
  return { opened, preview, report: await s.sheets.apply(options) };
}

// Generous: a 200,000-row sheet takes 15 to 40 s here (most of it the store writing 200,000 users in one
// transaction), a zip bomb a few seconds to make; the tests wait for results, never for time.
const LARGE = { timeout: 600_000 };

const cellError = (error: string) => `holds the error ${error}: a formula or lookup failed there, so it has no value; correct it in the sheet.`;
const textError = (text: string) => `holds ${text}, which is how a spreadsheet shows a failed formula or lookup, not a value; correct it in the sheet.`;

describe('spreadsheet errors and formulas in a returned XLSX', () => {
  it.each([false, true])(
    'refuses error cells and formulas without a result per row, with the reason; takes a cached result (clearEmpty %s)',
    async (clearEmpty) => {
      const { services: s, users } = await withUsers(20);
      const u = (i: number) => users[i - 1]!;
      const errors = ['#N/A', '#REF!', '#VALUE!', '#DIV/0!', '#NAME?', '#NULL!', '#NUM!'];
      const path = await xlsx('returned.xlsx', [
        ['username', 'department', 'office', 'notes'],
        // Each error as an error cell (t="e"), in a field column.
        ...errors.map((error, i) => [u(i + 2).username, { error }, 'Room 1', ''] as ExcelJS.CellValue[]),
        [u(9).username, { formula: 'VLOOKUP(A9,HR!A:B,2,FALSE)', result: { error: '#N/A' } }, 'Room 2', ''],
        [u(10).username, { formula: 'A10&" team"' }, 'Room 3', ''],
        [u(11).username, 'Platform', { formula: 'B11&"-1"', result: 'Platform-1' }, ''],
        [{ error: '#N/A' }, 'Sales', '', ''],
        [u(13).username, '#VALUE!', '', ''],
        // An error in a column that is not read (notes is ignored) refuses nothing.
        [u(14).username, 'Facilities', '', { error: '#DIV/0!' }],
      ]);
      const before = new Map(users.map((user) => [user.id, s.userStore.get(user.id)]));

      const { opened, preview, report } = await previewAndApply(s, path, clearEmpty);
      expect(opened.columns.map((c) => c.target)).toEqual(['username', 'field:department', 'field:office', 'ignore']);
      expect(preview.counts).toEqual({ change: 2, unchanged: 0, refused: 11 });
      expect(report.refusedRows.map((r) => [r.row, r.username, r.reasons])).toEqual([
        ...errors.map((error, i) => [i + 2, u(i + 2).username, [`Cell B${i + 2} (department) ${cellError(error)}`]]),
        [
          9,
          u(9).username,
          ['Cell B9 (department) holds a formula (=VLOOKUP(A9,HR!A:B,2,FALSE)) whose result is the error #N/A, so it has no value; correct it in the sheet.'],
        ],
        [
          10,
          u(10).username,
          [
            'Cell B10 (department) holds a formula (=A10&" team") saved without its result, so it has no value to take. Open the file in Excel or LibreOffice and save it again (that stores the results), or paste the values over the formulas.',
          ],
        ],
        // An identity that is an error names nobody: nothing is looked up.
        [12, undefined, [`Cell A12 (username) ${cellError('#N/A')}`]],
        // Text that reads as an error is taken for one, in an XLSX as in a CSV.
        [13, u(13).username, [`Cell B13 (department) ${textError('#VALUE!')}`]],
      ]);
      expect(report.refusedRows.every((r) => r.changes.length === 0)).toBe(true);
      // A formula's cached result is the value the spreadsheet showed: it is taken.
      expect(report.appliedRows.map((r) => [r.row, r.changes])).toEqual([
        [
          11,
          [
            { field: 'department', before: u(11).fields.department ?? '', after: 'Platform' },
            { field: 'office', before: '', after: 'Platform-1' },
          ],
        ],
        [14, [{ field: 'department', before: u(14).fields.department ?? '', after: 'Facilities' }]],
      ]);
      // Nothing of a refused row was applied, and no field was cleared, even with "Empty cells clear values".
      for (const user of users) {
        if (user === u(11) || user === u(14)) continue;
        expect(s.userStore.get(user.id)).toEqual(before.get(user.id));
      }
    },
  );

  it('reads a shared formula by its cached result, and refuses one saved without it', async () => {
    const path = join(dir, 'shared.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Returned');
    sheet.addRow(['username', 'department']);
    sheet.addRow(['user00002', 'sales']);
    sheet.getCell('B3').value = { formula: 'UPPER(B2)', result: 'SALES', shareType: 'shared', ref: 'B3:B4' } as ExcelJS.CellValue;
    sheet.getCell('A3').value = 'user00003';
    sheet.getCell('B4').value = { sharedFormula: 'B3' } as ExcelJS.CellValue;
    sheet.getCell('A4').value = 'user00004';
    await workbook.xlsx.writeFile(path);
    expect(await readSheet(path)).toEqual({
      source: 'worksheet "Returned"',
      headers: ['username', 'department'],
      rows: [
        { row: 2, cells: ['user00002', 'sales'] },
        { row: 3, cells: ['user00003', 'SALES'] },
        {
          row: 4,
          cells: ['user00004', ''],
          unusable: {
            1: 'holds a formula (shared with B3) saved without its result, so it has no value to take. Open the file in Excel or LibreOffice and save it again (that stores the results), or paste the values over the formulas.',
          },
        },
      ],
    });
  });
});

describe('spreadsheet errors written as text in a CSV', () => {
  it('refuses every error text per row and never clears the field with it', async () => {
    const { services: s, users } = await withUsers(20);
    const u = (i: number) => users[i - 1]!;
    const texts = ['#N/A', '#REF!', '#VALUE!', '#DIV/0!', '#NAME?', '#NULL!', '#NUM!', ' #n/a ', 'Err:502', '#SPILL!'];
    const lines = [
      'username,department,title',
      ...texts.map((text, i) => `${u(i + 2).username},${text},Analyst`),
      // Text that merely contains an error's spelling is a value.
      `${u(12).username},Team #N/A-2,Analyst`,
      '#REF!,Sales,Analyst',
    ];
    const path = join(dir, 'returned.csv');
    await writeFile(path, `${lines.join('\r\n')}\r\n`);
    const before = new Map(users.map((user) => [user.id, s.userStore.get(user.id)]));

    const { report } = await previewAndApply(s, path, true);
    expect(report.refusedRows.map((r) => [r.row, r.reasons])).toEqual([
      ...texts.map((text, i) => [i + 2, [`Cell B${i + 2} (department) ${textError(text.trim())}`]]),
      [13, [`Cell A13 (username) ${textError('#REF!')}`]],
    ]);
    expect(report.appliedRows.map((r) => [r.row, r.changes.map((c) => c.after)])).toEqual([[12, ['Team #N/A-2', 'Analyst']]]);
    for (const user of users) if (user !== u(12)) expect(s.userStore.get(user.id)?.fields.department).toBe(before.get(user.id)?.fields.department);
  });
});

describe('control characters in a returned sheet', () => {
  it('shows the cells and headers a reason quotes with control and bidi characters escaped', async () => {
    const { services: s } = await withUsers(3);
    const path = join(dir, 'hostile.csv');
    await writeFile(path, 'username,department\r\n"evil\x1b[2J\x1b]0;pwned\x07",Sales\r\n"\u202emoc.evil",Sales\r\n');
    const { report } = await previewAndApply(s, path, false);
    expect(report.refusedRows.map((r) => r.reasons)).toEqual([
      ['No user matches (username evil\\x1b[2J\\x1b]0;pwned\\x07).'],
      ['No user matches (username \\u202emoc.evil).'],
    ]);
    const headers = await xlsx('headers.xlsx', [
      ['username', 'department\u202e'],
      ['user00002', { error: '#N/A' }],
    ]);
    const opened = await s.sheets.open(headers);
    expect(opened.columns.map((c) => c.target)).toEqual(['username', 'ignore']);
    s.sheets.preview({ sheetId: opened.sheetId, clearEmpty: false, mapping: { '1': 'field:department' } });
    expect(s.sheets.page(opened.sheetId, 0, 10).rows[0]?.reasons).toEqual([`Cell B2 (department\\u202e) ${cellError('#N/A')}`]);
  });
});

describe('sheets of 200,000 rows', () => {
  it('a CSV of 200,000 rows opens, previews and applies every row', LARGE, async () => {
    const { services: s, users } = await withUsers(200_000);
    // The History view has read the audit journal (its entries are then kept in memory and appended to).
    expect(await s.audit.query({})).toEqual([]);
    const path = join(dir, 'all.csv');
    await writeFile(path, `username,department\n${users.map((user, i) => `${user.username},Unit ${i % 97}`).join('\n')}\n`);

    const { opened, preview, report } = await previewAndApply(s, path, false);
    expect(opened.rows).toBe(200_000);
    expect(preview).toEqual({ sheetId: opened.sheetId, counts: { change: 200_000, unchanged: 0, refused: 0 }, total: 200_000 });
    expect(report).toMatchObject({ applied: 200_000, unchanged: 0, refused: 0, appliedTruncated: true });
    expect(report.appliedRows).toHaveLength(1000);
    expect(s.userStore.get(users[199_999]!.id)?.fields.department).toBe(`Unit ${199_999 % 97}`);
    expect(await s.audit.query({})).toHaveLength(200_000);
  });

  it('an XLSX of 200,000 rows opens, and its report of 200,000 refused rows prints', LARGE, async () => {
    const { services: s } = await withUsers(3);
    const path = join(dir, 'all.xlsx');
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path });
    const sheet = workbook.addWorksheet('Users');
    sheet.addRow(['username', 'department']).commit();
    for (let i = 1; i <= 200_000; i += 1) sheet.addRow([`nobody${i}`, 'Sales']).commit();
    sheet.commit();
    await workbook.commit();

    const { opened, report } = await previewAndApply(s, path, false);
    expect(opened.rows).toBe(200_000);
    expect(report).toMatchObject({ applied: 0, unchanged: 0, refused: 200_000 });
    expect(report.refusedRows.at(-1)).toEqual({ row: 200_001, status: 'refused', changes: [], reasons: ['No user matches (username nobody200000).'] });
    const text = formatSheetReport(report, false, s.users.fields());
    expect(text.split('\n')).toHaveLength(200_000 + 5);
    expect(text.endsWith('0 changed, 0 unchanged, 200000 refused (not applied: fix them in the sheet and import it again).')).toBe(true);
  });

  it(`refuses a sheet with more than ${MAX_SHEET_ROWS.toLocaleString('en')} rows under its header, and reads one with exactly that many`, LARGE, async () => {
    const tooLong = `more than 250,000 rows under its header, the most Roster reads from one sheet. Split it into several sheets (each with the header row) and import them one after the other.`;
    const rows = (count: number) => `username\n${Array.from({ length: count }, (_, i) => `u${i}`).join('\n')}\n`;
    await writeFile(join(dir, 'limit.csv'), rows(MAX_SHEET_ROWS));
    expect((await readSheet(join(dir, 'limit.csv'))).rows).toHaveLength(MAX_SHEET_ROWS);
    await writeFile(join(dir, 'long.csv'), rows(MAX_SHEET_ROWS + 1));
    expect(await failure(readSheet(join(dir, 'long.csv')))).toEqual({ code: 'invalid-input', message: `long.csv has ${tooLong}` });
    // An XLSX whose last row is past the limit (the rows between are empty).
    expect(await failure(readSheet(await xlsx('long.xlsx', [['username'], ['u1'], ...Array.from({ length: MAX_SHEET_ROWS }, () => []), ['u2']])))).toEqual({
      code: 'invalid-input',
      message: `long.xlsx has ${tooLong}`,
    });
  });

  it('reads a CSV whose 250,000 rows are followed by a million blank lines, and refuses one with a value after them', LARGE, async () => {
    const rows = `username\n${Array.from({ length: MAX_SHEET_ROWS }, (_, i) => `u${i}`).join('\n')}\n`;
    const blank = `${'\n'.repeat(1_000_000)}${',,\n"",""\n \t,\r\n'.repeat(1000)}`;
    await writeFile(join(dir, 'blank.csv'), rows + blank);
    const sheet = await readSheet(join(dir, 'blank.csv'));
    expect([sheet.rows.length, sheet.rows.at(-1)]).toEqual([MAX_SHEET_ROWS, { row: MAX_SHEET_ROWS + 1, cells: [`u${MAX_SHEET_ROWS - 1}`] }]);
    await writeFile(join(dir, 'late.csv'), `${rows + blank},u2\n`);
    expect(await failure(readSheet(join(dir, 'late.csv')))).toEqual({
      code: 'invalid-input',
      message:
        'late.csv has more than 250,000 rows under its header, the most Roster reads from one sheet. Split it into several sheets (each with the header row) and import them one after the other.',
    });
  });

  it('refuses a file larger than 250 MB before reading it', async () => {
    for (const name of ['huge.csv', 'huge.xlsx']) {
      // A sparse file: as large as it says, without the test writing (or the disk holding) 250 MB.
      const file = await open(join(dir, name), 'w');
      await file.truncate(MAX_SHEET_BYTES + 1);
      await file.close();
      expect(await failure(readSheet(join(dir, name)))).toEqual({
        code: 'invalid-input',
        message: `${name} is 250 MB, more than the 250 MB Roster reads from one sheet, so it was not read. Split the rows into several files (each with the header row) and import them one after the other.`,
      });
    }
  });
});

/**
 * Reads a sheet in a Node process whose heap is held to 64 MB (read-sheet.child.ts) and gives what came of it:
 * the sheet in short, the refusal, or — if reading needed more memory than that — how the process died. A
 * bound on memory that holds however fast or slow the machine is.
 */
async function readInSmallHeap(path: string): Promise<unknown> {
  const child = spawn(process.execPath, ['--max-old-space-size=64', '--import', 'tsx', join(import.meta.dirname, 'read-sheet.child.ts'), path]);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code, signal] = (await once(child, 'close')) as [number | null, string | null];
  if (code !== 0) return { died: { code, signal, stderr: stderr.split('\n').slice(0, 8).join('\n') } };
  return JSON.parse(stdout) as unknown;
}

/** A workbook of a header (username, department), then `rows` users each with `far` in column XFD (16,384). */
async function reachingXfd(name: string, rows: number, far: string): Promise<string> {
  const path = join(dir, name);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Returned');
  sheet.addRow(['username', 'department']);
  for (let r = 2; r <= rows + 1; r += 1) {
    sheet.getCell(r, 1).value = `user${r}`;
    sheet.getCell(r, 2).value = 'Sales';
    sheet.getCell(r, 16_384).value = far;
  }
  await workbook.xlsx.writeFile(path);
  return path;
}

const tooManyCells = (name: string) =>
  `${name} has more than 10,000,000 cells (its rows times the columns of its widest row, blank cells included), the most Roster reads from one sheet, so it was not read. Delete the columns you do not need, or split the rows into several files (each with the header row) and import them one after the other.`;
const tooManyFields = (name: string, row: string) =>
  `${name} has more than 1,000 columns in row ${row}, the most Roster reads from one sheet, so it was not read. Delete the columns you do not need (or the stray delimiters) and import it again.`;

describe('sheets too wide, or with too many cells', () => {
  it('the limits are those the messages state', () => {
    expect([MAX_SHEET_COLUMNS, MAX_SHEET_CELLS]).toEqual([1000, 10_000_000]);
  });

  it('a workbook of 2,000 rows each with a value in column XFD is refused at the first one, within a 64 MB heap', LARGE, async () => {
    const path = await reachingXfd('xfd.xlsx', 2000, 'x');
    // A small file: the XML holds one cell per row out there, not the 16,383 before it.
    expect((await stat(path)).size).toBeLessThan(100_000);
    expect(await readInSmallHeap(path)).toEqual({
      error: {
        code: 'invalid-input',
        message:
          'xfd.xlsx has a value in cell XFD2, past column ALL: Roster reads the first 1,000 columns of a sheet, so it was not read. Delete the columns after ALL (or move what they hold into the first 1,000) and import it again.',
      },
    });
  });

  it('blank cells in column XFD are ignored when the sheet stays under the cell limit, and read within a 64 MB heap', LARGE, async () => {
    // The header and 609 users, 16,384 columns each: 9,994,240 cells, under the limit. Reading every column of
    // every row would hold each row 16,384 cells wide (80 MB of them, twice over).
    const rows = Math.floor(MAX_SHEET_CELLS / 16_384) - 1;
    expect(rows).toBe(609);
    expect(await readInSmallHeap(await reachingXfd('blank-xfd.xlsx', rows, ''))).toEqual({
      headers: ['username', 'department'],
      rows,
      last: { row: rows + 1, cells: [`user${rows + 1}`, 'Sales'] },
    });
  });

  it('a workbook of 2,000 rows reaching column XFD with blank cells passes the cell limit and is refused, within a 64 MB heap', LARGE, async () => {
    expect(await readInSmallHeap(await reachingXfd('blank-xfd.xlsx', 2000, ''))).toEqual({
      error: { code: 'invalid-input', message: tooManyCells('blank-xfd.xlsx') },
    });
  });

  it('a CSV that is one line of 20,000,000 commas is refused by the column limit while it is read, within a 64 MB heap', LARGE, async () => {
    const path = join(dir, 'commas.csv');
    await writeFile(path, ','.repeat(20_000_000));
    expect(await readInSmallHeap(path)).toEqual({ error: { code: 'invalid-input', message: tooManyFields('commas.csv', '1') } });
  });

  it('reads a CSV row of 1,000 columns and refuses one of 1,001, naming the row', async () => {
    const header = Array.from({ length: 1000 }, (_, i) => `c${i + 1}`);
    await writeFile(join(dir, 'wide.csv'), `${header.join(',')}\nu1,${'x,'.repeat(998)}x\n`);
    const wide = await readSheet(join(dir, 'wide.csv'));
    expect(wide.headers).toEqual(header);
    expect(wide.rows).toEqual([{ row: 2, cells: ['u1', ...Array.from({ length: 999 }, () => 'x')] }]);

    await writeFile(join(dir, 'wider.csv'), `username\nu1\nu2,${'x,'.repeat(999)}x\nu3\n`);
    expect(await failure(readSheet(join(dir, 'wider.csv')))).toEqual({ code: 'invalid-input', message: tooManyFields('wider.csv', '3') });
  });

  it(`refuses a CSV of more than ${MAX_SHEET_CELLS.toLocaleString('en')} cells (rows × widest row), and reads one of exactly that many`, LARGE, async () => {
    // One row of 1,000 fields (all but the first empty) makes every row count 1,000 wide.
    const csv = (rows: number) => `username\nwide${','.repeat(999)}\n${Array.from({ length: rows - 2 }, (_, i) => `u${i}`).join('\n')}\n`;
    await writeFile(join(dir, 'limit.csv'), csv(MAX_SHEET_CELLS / 1000));
    const limit = await readSheet(join(dir, 'limit.csv'));
    expect([limit.headers, limit.rows.length, limit.rows.at(-1)]).toEqual([['username'], 9999, { row: 10_000, cells: ['u9997'] }]);
    await writeFile(join(dir, 'cells.csv'), csv(MAX_SHEET_CELLS / 1000 + 1));
    expect(await failure(readSheet(join(dir, 'cells.csv')))).toEqual({ code: 'invalid-input', message: tooManyCells('cells.csv') });
  });
});

/** One part of a hand-made zip: its name, its stored bytes, and what the directory says of them. */
interface ZipPart {
  name: string;
  data: Buffer;
  method: 0 | 8;
  crc: number;
  /** The uncompressed size the local header and the central directory declare. */
  size: number;
}

const deflated = (name: string, text: string): ZipPart => {
  const bytes = Buffer.from(text);
  return { name, data: deflateRawSync(bytes), method: 8, crc: crc32(bytes), size: bytes.length };
};

/** A zip file as the format lays it out: local headers and data, then the central directory and its end record. */
function zipFile(parts: readonly ZipPart[]): Buffer {
  const out: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(part.method, 8);
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(part.crc, 14);
    local.writeUInt32LE(part.data.length, 18);
    local.writeUInt32LE(part.size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(part.method, 10);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(part.crc, 16);
    central.writeUInt32LE(part.data.length, 20);
    central.writeUInt32LE(part.size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    out.push(local, name, part.data);
    directory.push(central, name);
    offset += local.length + name.length + part.data.length;
  }
  const cd = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...out, cd, end]);
}

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RELS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const DOC = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const SHEET_HEAD = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>username</t></is></c><c r="B1" t="inlineStr"><is><t>department</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>user00002</t></is></c><c r="B2" t="inlineStr"><is><t>`;
const SHEET_TAIL = '</t></is></c></row></sheetData></worksheet>';

/** The parts of a minimal workbook around a given sheet part (`names`: the workbook's <definedNames>, if any). */
const workbookParts = (sheet: ZipPart, names = ''): ZipPart[] => [
  deflated(
    '[Content_Types].xml',
    `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
  ),
  deflated('_rels/.rels', `<Relationships xmlns="${RELS}"><Relationship Id="rId1" Type="${DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>`),
  deflated('xl/workbook.xml', `<workbook xmlns="${MAIN}" xmlns:r="${DOC}"><sheets><sheet name="Users" sheetId="1" r:id="rId1"/></sheets>${names}</workbook>`),
  deflated(
    'xl/_rels/workbook.xml.rels',
    `<Relationships xmlns="${RELS}"><Relationship Id="rId1" Type="${DOC}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
  ),
  sheet,
];

/**
 * The sheet part of a zip bomb: one cell of `zeros` zeros, deflated as a stream (about 1,000 to 1), so the
 * test holds only the compressed bytes. Returns the part as it really is.
 */
async function zerosSheet(zeros: number): Promise<ZipPart> {
  const deflate = createDeflateRaw({ level: 9 });
  const chunks: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = once(deflate, 'end');
  let crc = 0;
  const write = async (bytes: Buffer) => {
    crc = crc32(bytes, crc);
    if (!deflate.write(bytes)) await once(deflate, 'drain');
  };
  await write(Buffer.from(SHEET_HEAD));
  const block = Buffer.alloc(1 << 20, '0');
  for (let left = zeros; left > 0; left -= block.length) await write(left >= block.length ? block : block.subarray(0, left));
  await write(Buffer.from(SHEET_TAIL));
  deflate.end();
  await ended;
  return { name: 'xl/worksheets/sheet1.xml', data: Buffer.concat(chunks), method: 8, crc, size: SHEET_HEAD.length + zeros + SHEET_TAIL.length };
}

describe('a zip bomb posing as a workbook', () => {
  it('the hand-made workbook itself reads (so the refusals below are about size alone)', async () => {
    const path = join(dir, 'small.xlsx');
    await writeFile(path, zipFile(workbookParts(await zerosSheet(5))));
    expect(await readSheet(path)).toEqual({
      source: 'worksheet "Users"',
      headers: ['username', 'department'],
      rows: [{ row: 2, cells: ['user00002', '00000'] }],
    });
  });

  it('is refused from its zip directory, before anything is inflated', LARGE, async () => {
    const sheet = await zerosSheet(300_000_000);
    expect(sheet.data.length).toBeLessThan(400_000);
    const path = join(dir, 'bomb.xlsx');
    await writeFile(path, zipFile(workbookParts(sheet)));
    const refusal = (name: string) => ({
      code: 'invalid-input',
      message: `${name} would unpack to 300 MB (xl/worksheets/sheet1.xml alone to 300 MB), more than the 250 MB Roster reads from one sheet, so it was not read. Split the rows into several files (each with the header row) and import them one after the other.`,
    });
    expect(await failure(readSheet(path))).toEqual(refusal('bomb.xlsx'));

    // The same directory over bytes that are not deflate data at all: inflating them would fail at once with a
    // zlib error, so the same refusal shows that nothing was inflated before it.
    const garbage = join(dir, 'garbage.xlsx');
    await writeFile(garbage, zipFile(workbookParts({ ...sheet, data: Buffer.alloc(sheet.data.length, 0xff) })));
    expect(await failure(readSheet(garbage))).toEqual(refusal('garbage.xlsx'));
  });

  it('is refused when its directory understates a part, as soon as inflating passes the declared size', LARGE, async () => {
    const sheet = await zerosSheet(300_000_000);
    const path = join(dir, 'liar.xlsx');
    await writeFile(path, zipFile(workbookParts({ ...sheet, size: 10_000 })));
    expect(await failure(readSheet(path))).toEqual({
      code: 'invalid-input',
      message:
        'liar.xlsx is damaged or was made to mislead: its part xl/worksheets/sheet1.xml unpacks to more than the 10,000 bytes its zip directory declares, so it was not read. Save it again from the spreadsheet program as .xlsx or .csv.',
    });
  });
});

/**
 * The parts of a hand-made workbook whose sheet holds username/department for user00002 (Sales) and user00003
 * (department left empty), followed by `extra` (merged ranges, data validations) in the sheet and `names` in
 * the workbook. The sheet is the last part.
 */
function expandingParts(extra: string, names = ''): ZipPart[] {
  const cell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
  const rows = [[cell('A1', 'username'), cell('B1', 'department')], [cell('A2', 'user00002'), cell('B2', 'Sales')], [cell('A3', 'user00003')]];
  const sheetData = rows.map((cells, i) => `<row r="${i + 1}">${cells.join('')}</row>`).join('');
  const sheet = deflated(
    'xl/worksheets/sheet1.xml',
    `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${MAIN}"><sheetData>${sheetData}</sheetData>${extra}</worksheet>`,
  );
  return workbookParts(sheet, names);
}

/** Writes the workbook of `expandingParts` as `name`. */
async function expanding(name: string, extra: string, names = ''): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, zipFile(expandingParts(extra, names)));
  return path;
}

const SMALL_SHEET = { headers: ['username', 'department'], rows: 2, last: { row: 3, cells: ['user00003', ''] } };

describe('workbooks of a few kilobytes that exceljs would expand cell by cell', () => {
  it.each([
    ['plain.xlsx', '<mergeCell ref="B1:XFD20000"/>'],
    // The same range as an XML parser reads it: quoted with apostrophes, letters as character references.
    ['entities.xlsx', "<mergeCell ref='B1:&#88;FD20000'/>"],
    // exceljs reads past a sheet name, and takes the first two parts of a ref.
    ['parts.xlsx', '<mergeCell ref="Users!B1:XFD20000:A1"/>'],
  ])('a merged range of 327 million cells (%s) is refused before exceljs reads it, within a 64 MB heap', LARGE, async (name, merge) => {
    const path = await expanding(name, `<mergeCells count="1">${merge}</mergeCells>`);
    expect((await stat(path)).size).toBeLessThan(2000);
    expect(await readInSmallHeap(path)).toEqual({
      error: {
        code: 'invalid-input',
        message: `${name} has merged ranges covering more than 10,000,000 cells, the most Roster reads from one workbook, so it was not read. Unmerge the cells (in Excel: Merge & Center, then Unmerge Cells) and import it again.`,
      },
    });
  });

  it('a part ending inside a <mergeCell tag does not hide the ranges of the part after it, within a 64 MB heap', LARGE, async () => {
    const parts = expandingParts('<mergeCells count="1"><mergeCell ref="B1:XFD20000"/></mergeCells>');
    // Read on into the sheet part, the unfinished tag's open quote would pair with the sheet's quotes and
    // swallow its <mergeCell> into one long bogus tag.
    const path = join(dir, 'split.xlsx');
    await writeFile(path, zipFile([...parts.slice(0, -1), deflated('xl/unfinished.xml', '<mergeCell a="'), ...parts.slice(-1)]));
    expect(await readInSmallHeap(path)).toEqual({
      error: {
        code: 'invalid-input',
        message:
          'split.xlsx has merged ranges covering more than 10,000,000 cells, the most Roster reads from one workbook, so it was not read. Unmerge the cells (in Excel: Merge & Center, then Unmerge Cells) and import it again.',
      },
    });
  });

  it('a small merged range still gives every row it covers its value; 2,000 ranges are read and 2,001 refused', async () => {
    expect(await readSheet(await expanding('merged.xlsx', '<mergeCells count="1"><mergeCell ref="B2:B3"/></mergeCells>'))).toEqual({
      source: 'worksheet "Users"',
      headers: ['username', 'department'],
      rows: [
        { row: 2, cells: ['user00002', 'Sales'] },
        { row: 3, cells: ['user00003', 'Sales'] },
      ],
    });
    // Ranges of two cells each, on rows below the data: exceljs compares each with every one before it.
    const ranges = (count: number) => Array.from({ length: count }, (_, i) => `<mergeCell ref="D${i + 10}:E${i + 10}"/>`).join('');
    expect((await readSheet(await expanding('2000.xlsx', `<mergeCells>${ranges(2000)}</mergeCells>`))).rows).toHaveLength(2);
    expect(await failure(readSheet(await expanding('2001.xlsx', `<mergeCells>${ranges(2001)}</mergeCells>`)))).toEqual({
      code: 'invalid-input',
      message:
        '2001.xlsx has more than 2,000 merged ranges, the most Roster reads from one workbook, so it was not read. Unmerge the cells (in Excel: Merge & Center, then Unmerge Cells) and import it again.',
    });
  });

  it('a data validation over A1:XFD20000 is not read, and the sheet is, within a 64 MB heap', LARGE, async () => {
    const validation =
      '<dataValidations count="1"><dataValidation type="list" sqref="A1:XFD20000"><formula1>"a,b"</formula1></dataValidation></dataValidations>';
    expect(await readInSmallHeap(await expanding('validation.xlsx', validation))).toEqual(SMALL_SHEET);
  });

  it('a defined name over $A$1:$XFD$20000 is not read, and the sheet is, within a 64 MB heap', LARGE, async () => {
    const names = '<definedNames><definedName name="Everything">Users!$A$1:$XFD$20000</definedName></definedNames>';
    expect(await readInSmallHeap(await expanding('names.xlsx', '', names))).toEqual(SMALL_SHEET);
  });
});
