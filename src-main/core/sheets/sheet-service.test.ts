import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedRealmUsers, seedUsers } from '../../../e2e/fixtures/users';
import { exportRequestSchema } from '#shared/model/export';
import { effectiveFields } from '#shared/model/fields';
import type { RealmRecord } from '#shared/model/realm';
import { realmFromPreset } from '#shared/model/realm-presets';
import type { SheetOptions } from '#shared/model/sheet';
import type { UserRecord } from '#shared/model/user';
import { RosterError } from '#shared/result';
import { exportColumns } from '../export/columns';
import { neutraliseCsvCell } from '../export/neutralise';
import { SessionSecretStore } from '../secrets/secret-store';
import { openServices, type Services } from '../services';
import { readSheet } from './read-sheet';
import { autoMapping, parseTarget, resolveMapping } from './sheet-mapping';

let dir: string;
let services: Services;
let seeded: UserRecord[];
let clock = Date.parse('2026-11-21T10:00:00Z');
const now = () => new Date((clock += 1000));

const open = () =>
  openServices({ dataDir: dir, owner: 'test', transport: 'cli', secrets: new SessionSecretStore('test'), version: 'test', actor: 'alice', now });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-sheets-'));
  // u000001 zangstrom, u000002 user00002 … internal; u000003 user00003 and u000006 user00006 external (directory-owned names).
  seeded = await seedUsers(dir, 7);
  services = await open();
});
afterEach(async () => {
  await services.close();
  await rm(dir, { recursive: true, force: true });
});

const failure = async (work: Promise<unknown> | (() => unknown)): Promise<RosterError> => {
  try {
    await (typeof work === 'function' ? work() : work);
  } catch (error) {
    if (error instanceof RosterError) return error;
    throw error;
  }
  throw new Error('expected a failure');
};

const user = (index: number): UserRecord => seeded[index - 1] as UserRecord;
const current = (index: number): UserRecord => services.userStore.get(user(index).id) as UserRecord;

/** A cell as a test writes it: text, or an XLSX value (hyperlink, rich text, number, date…). */
type Cell = string | number | boolean | Date | { text: string; hyperlink: string } | { richText: { text: string }[] } | { formula: string; result: string };

async function writeCsv(name: string, rows: Cell[][], delimiter = ','): Promise<string> {
  const path = join(dir, name);
  await writeFile(
    path,
    `\uFEFF${stringify(
      rows.map((r) => r.map((c) => (typeof c === 'string' ? c : String(c)))),
      { delimiter, record_delimiter: '\r\n' },
    )}`,
  );
  return path;
}

async function writeXlsx(name: string, rows: Cell[][]): Promise<string> {
  const path = join(dir, name);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Returned');
  for (const row of rows) sheet.addRow(row);
  workbook.addWorksheet('Second sheet').addRow(['not read']);
  await workbook.xlsx.writeFile(path);
  return path;
}

const write = (format: 'csv' | 'xlsx', stem: string, rows: Cell[][]) => (format === 'csv' ? writeCsv(`${stem}.csv`, rows) : writeXlsx(`${stem}.xlsx`, rows));

/** Opens a sheet and previews it; returns the options used and every row. */
async function previewed(path: string, extra: Partial<SheetOptions> = {}) {
  const opened = await services.sheets.open(path);
  const options: SheetOptions = { sheetId: opened.sheetId, clearEmpty: false, ...extra };
  const preview = services.sheets.preview(options);
  return { opened, options, preview, rows: services.sheets.page(opened.sheetId, 0, 1000).rows };
}

describe('re-import of a returned sheet', () => {
  it.each(['csv', 'xlsx'] as const)('applies the valid row and refuses an unknown user, a locked field and a malformed email (%s)', async (format) => {
    const [carol, zoe, frank] = [user(3), user(1), user(6)];
    const email = (value: string): Cell => (format === 'xlsx' ? { text: value, hyperlink: `mailto:${value}` } : value);
    const path = await write(format, 'returned', [
      ['directoryId', 'dn', 'username', 'displayName', 'email', 'department'],
      [carol.origin!.externalId, carol.origin!.dn, carol.username, carol.fields.displayName!, email(carol.fields.email!), 'Platform QA'],
      ['ffffffff-0000-4000-8000-000000000099', '', 'nobody', 'No Body', email('nobody@example.org'), 'Sales'],
      [frank.origin!.externalId, frank.origin!.dn, frank.username, 'Francis Adams', email(frank.fields.email!), frank.fields.department!],
      ['', '', zoe.username, zoe.fields.displayName!, 'zangstrom(at)example.org', zoe.fields.department!],
    ]);

    const { opened, options, preview, rows } = await previewed(path);
    expect(opened).toMatchObject({ rows: 4, source: format === 'xlsx' ? 'worksheet "Returned"' : 'comma-separated' });
    expect(opened.columns.map((c) => c.target)).toEqual(['directoryId', 'dn', 'username', 'field:displayName', 'field:email', 'field:department']);
    expect(preview).toEqual({ sheetId: opened.sheetId, counts: { change: 1, unchanged: 0, refused: 3 }, total: 4 });
    expect(rows.map((r) => [r.row, r.status])).toEqual([
      [2, 'change'],
      [3, 'refused'],
      [4, 'refused'],
      [5, 'refused'],
    ]);

    const report = await services.sheets.apply(options);
    const refusedReasons = [
      ['No user matches (directoryId ffffffff-0000-4000-8000-000000000099, username nobody).'],
      ['Full name of user00006 is owned by the directory and read-only; change it in the directory, or make the field local in Settings → Fields.'],
      ['Email "zangstrom(at)example.org" is not an email address (name@example.org).'],
    ];
    expect(report).toEqual({
      file: path,
      applied: 1,
      unchanged: 0,
      refused: 3,
      appliedRows: [
        {
          row: 2,
          status: 'change',
          userId: carol.id,
          username: carol.username,
          matchedBy: 'directoryId',
          changes: [{ field: 'department', before: 'Finance', after: 'Platform QA' }],
          reasons: [],
        },
      ],
      refusedRows: [
        { row: 3, status: 'refused', changes: [], reasons: refusedReasons[0] },
        { row: 4, status: 'refused', userId: frank.id, username: frank.username, matchedBy: 'directoryId', changes: [], reasons: refusedReasons[1] },
        { row: 5, status: 'refused', userId: zoe.id, username: zoe.username, matchedBy: 'username', changes: [], reasons: refusedReasons[2] },
      ],
    });

    expect(current(3).fields).toEqual({ ...carol.fields, department: 'Platform QA' });
    expect(current(3).updatedAt).not.toBe(carol.updatedAt);
    expect(current(3).origin).toEqual(carol.origin);
    for (const untouched of [1, 2, 4, 5, 6, 7]) expect(current(untouched)).toEqual(user(untouched));

    const audit = await services.audit.query({});
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      who: 'alice',
      action: 'user.sheet-import',
      userId: carol.id,
      username: carol.username,
      realmId: carol.origin!.realmId,
      changes: [{ field: 'department', before: 'Finance', after: 'Platform QA' }],
      note: `From returned.${format}, row 2.`,
    });

    // Applying the same sheet again changes nothing more and writes no audit entry.
    expect(await services.sheets.apply(options)).toMatchObject({ applied: 0, unchanged: 1, refused: 3 });
    expect(await services.audit.query({})).toHaveLength(1);
  });

  it('re-evaluates at apply time: a value set meanwhile is unchanged, and the preview pages follow the store', async () => {
    const path = await writeCsv('late.csv', [
      ['username', 'department', 'title'],
      ['user00002', 'Research', 'Manager'],
      ['user00004', 'Research', 'Chief of Staff'],
    ]);
    const { options, preview } = await previewed(path);
    expect(preview.counts).toEqual({ change: 2, unchanged: 0, refused: 0 });
    await services.users.update(user(2).id, { fields: { department: 'Research' } });
    expect(services.sheets.page(options.sheetId, 0, 10, 'change').rows.map((r) => r.username)).toEqual(['user00004']);

    const report = await services.sheets.apply(options);
    expect(report).toMatchObject({ applied: 1, unchanged: 1, refused: 0 });
    expect(report.appliedRows[0]!.changes).toEqual([
      { field: 'department', before: 'Human Resources', after: 'Research' },
      { field: 'title', before: 'Director', after: 'Chief of Staff' },
    ]);
    const entries = await services.audit.query({ action: 'user.sheet-import' });
    expect(entries.map((e) => [e.username, e.note])).toEqual([['user00004', 'From late.csv, row 3.']]);
  });

  it('leaves empty cells alone unless clearEmpty, then clears the field', async () => {
    const path = await writeCsv('clear.csv', [
      ['username', 'department', 'phone'],
      ['user00002', '', '+1 555 0000002'],
    ]);
    const { options, rows } = await previewed(path);
    expect(rows[0]).toMatchObject({ status: 'unchanged', changes: [] });

    const clearing = { ...options, clearEmpty: true };
    expect(services.sheets.preview(clearing).counts).toEqual({ change: 1, unchanged: 0, refused: 0 });
    const report = await services.sheets.apply(clearing);
    expect(report.appliedRows[0]!.changes).toEqual([{ field: 'department', before: 'Marketing', after: '' }]);
    expect(current(2).fields).not.toHaveProperty('department');
    expect(current(2).fields.phone).toBe('+1 555 0000002');
  });

  it('refuses a second row for the same user, and rows whose identities name different users', async () => {
    const carol = user(3);
    const path = await writeCsv('twice.csv', [
      ['id', 'directoryId', 'dn', 'username', 'department'],
      ['', '', '', 'user00002', 'Research'],
      ['', '', '', 'USER00002', 'Legal'],
      ['', '', '', 'user00004', 'Human Resources'],
      ['', '', '', 'user00004', 'Legal'],
      [user(5).id, '', '', 'user00007', 'Research'],
      ['', carol.origin!.externalId.toUpperCase(), 'UID=user00003, OU=People,dc=example,dc=org', '', 'Research'],
      ['', '', 'uid=user00006,ou=people,dc=example,dc=org', 'user00003', 'Research'],
      ['', 'ffffffff-0000-4000-8000-000000000099', '', 'user00007', 'Research'],
      ['', '', '', '', 'Research'],
    ]);
    const { rows } = await previewed(path);
    expect(rows.map((r) => ({ row: r.row, status: r.status, matchedBy: r.matchedBy, reasons: r.reasons }))).toEqual([
      { row: 2, status: 'change', matchedBy: 'username', reasons: [] },
      { row: 3, status: 'refused', matchedBy: 'username', reasons: ['user00002 was already changed by row 2; give each user one row.'] },
      { row: 4, status: 'unchanged', matchedBy: 'username', reasons: [] },
      { row: 5, status: 'refused', matchedBy: 'username', reasons: ['user00004 is already on row 4; give each user one row.'] },
      { row: 6, status: 'refused', matchedBy: undefined, reasons: ['The row names two users: id u000005 is user00005, but username user00007 is user00007.'] },
      // The directory id in upper case and the DN spelled differently still name Carol.
      { row: 7, status: 'change', matchedBy: 'directoryId', reasons: [] },
      {
        row: 8,
        status: 'refused',
        matchedBy: undefined,
        reasons: ['The row names two users: dn uid=user00006,ou=people,dc=example,dc=org is user00006, but username user00003 is user00003.'],
      },
      {
        row: 9,
        status: 'refused',
        matchedBy: undefined,
        reasons: ["No user has directoryId ffffffff-0000-4000-8000-000000000099, but username user00007 is user00007: the row's identities disagree."],
      },
      { row: 10, status: 'refused', matchedBy: undefined, reasons: ['The row names no user: its id and directoryId and dn and username cells are empty.'] },
    ]);
    expect(rows[5]).toMatchObject({ userId: carol.id, changes: [{ field: 'department', before: 'Finance', after: 'Research' }] });
  });

  it('lists every reason of a refused row and applies none of its changes', async () => {
    const path = await writeCsv('many.csv', [
      ['username', 'givenName', 'phone', 'department'],
      ['user00006', 'Francis', 'call me', 'Research'],
    ]);
    const { options, rows } = await previewed(path);
    expect(rows[0]).toMatchObject({
      status: 'refused',
      changes: [],
      reasons: [
        'First name of user00006 is owned by the directory and read-only; change it in the directory, or make the field local in Settings → Fields.',
        'Phone "call me" is not a phone number (digits, spaces, + ( ) - . /).',
      ],
    });
    await services.sheets.apply(options);
    expect(current(6)).toEqual(user(6));

    // Once the field is local, the same value is accepted.
    await services.settings.setPolicy('givenName', { owner: 'local' });
    expect(services.sheets.preview(options).counts.refused).toBe(1);
    expect(services.sheets.page(options.sheetId, 0, 1).rows[0]!.reasons).toEqual(['Phone "call me" is not a phone number (digits, spaces, + ( ) - . /).']);
  });

  it("refuses a mapping without an identity or a field column, and takes the admin's choices over the automatic ones", async () => {
    const path = await writeCsv('map.csv', [
      ['Login', 'Dept', 'Notes'],
      ['user00002', 'Research', 'x'],
    ]);
    const opened = await services.sheets.open(path);
    expect(opened.columns.map((c) => [c.header, c.target, c.samples])).toEqual([
      ['Login', 'username', ['user00002']],
      ['Dept', 'ignore', ['Research']],
      ['Notes', 'ignore', ['x']],
    ]);
    const options: SheetOptions = { sheetId: opened.sheetId, clearEmpty: false };
    expect(await failure(() => services.sheets.preview(options))).toMatchObject({
      code: 'invalid-input',
      message: 'No column is mapped to a field, so the sheet would change nothing: map a column to a field such as department.',
    });
    expect((await failure(() => services.sheets.preview({ ...options, mapping: { '0': 'ignore', '1': 'field:department' } }))).message).toBe(
      "No column identifies the users: map a column to id, directoryId, dn or username (the sheet's columns: Login, Dept, Notes).",
    );

    const mapped: SheetOptions = { ...options, mapping: { '1': 'field:department' } };
    expect(services.sheets.preview(mapped).counts).toEqual({ change: 1, unchanged: 0, refused: 0 });
    expect((await services.sheets.apply(mapped)).appliedRows[0]!.changes).toEqual([{ field: 'department', before: 'Marketing', after: 'Research' }]);
    expect(current(2).fields.department).toBe('Research');

    expect(await failure(() => services.sheets.preview({ ...options, mapping: { '2': 'field:nope' } }))).toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(/^Unknown field nope\. Fields: displayName, /),
    });
    expect((await failure(() => services.sheets.preview({ ...options, mapping: { '9': 'ignore' } }))).message).toBe(
      'The sheet has no column 9; it has 3 columns (0 to 2).',
    );
    expect(await failure(() => services.sheets.page('gone', 0, 10))).toMatchObject({
      code: 'not-found',
      message: 'That sheet is no longer open; open it again.',
    });
  });
});

describe('automatic mapping', () => {
  const fields = effectiveFields({}, [
    { key: 'costCenter', label: 'Cost center', type: 'text', ldapAttribute: 'extensionAttribute7', owner: 'local', required: false },
  ]);
  const realm = (mapping: RealmRecord['mapping']): RealmRecord => ({
    ...realmFromPreset('active-directory', { name: 'Corp', urls: ['ldap://dc1.corp.example'], bindDn: 'CN=reader', baseDn: 'DC=corp,DC=example' }),
    mapping,
    id: 'r1',
    order: 0,
  });

  it('maps the columns an export writes: identities, ignored account columns, and one per field', () => {
    const keys = exportColumns(fields).map((c) => c.key);
    const targets = autoMapping(keys, fields, []);
    expect(Object.fromEntries(keys.map((k, i) => [k, targets[i]]))).toEqual({
      directoryId: 'directoryId',
      dn: 'dn',
      username: 'username',
      id: 'id',
      kind: 'ignore',
      realm: 'ignore',
      enabled: 'ignore',
      directoryEnabled: 'ignore',
      userPrincipalName: 'ignore',
      roles: 'ignore',
      changedFields: 'ignore',
      syncedAt: 'ignore',
      expiresAt: 'ignore',
      updatedAt: 'ignore',
      ...Object.fromEntries(fields.map((f) => [f.key, `field:${f.key}`])),
    });
  });

  it('maps labels, directory attribute names and a realm’s own mapping; the first of two columns wins', () => {
    const headers = [
      'Roster ID',
      'objectGUID',
      'Distinguished Name',
      'sAMAccountName',
      'Job title',
      'E-mail',
      'employee_id',
      'telephoneNumber',
      'physicalDeliveryOfficeName',
      'roomNumber',
      'sn',
      'extensionAttribute7',
      'extensionAttribute5',
      'Department',
      'department',
      'Shoe size',
    ];
    const targets = autoMapping(headers, fields, [realm({ department: ['extensionAttribute5'] })]);
    expect(Object.fromEntries(headers.map((h, i) => [h, targets[i]]))).toEqual({
      'Roster ID': 'id',
      objectGUID: 'directoryId',
      'Distinguished Name': 'dn',
      sAMAccountName: 'username',
      'Job title': 'field:title',
      'E-mail': 'field:email',
      employee_id: 'field:employeeId',
      telephoneNumber: 'field:phone',
      physicalDeliveryOfficeName: 'field:office',
      roomNumber: 'ignore',
      sn: 'field:surname',
      extensionAttribute7: 'field:costCenter',
      extensionAttribute5: 'field:department',
      Department: 'ignore',
      department: 'ignore',
      'Shoe size': 'ignore',
    });
  });

  it('lets explicit choices win over the automatic ones', () => {
    const headers = ['uid', 'Dept', 'department'];
    const auto = autoMapping(headers, fields, []);
    expect(auto).toEqual(['username', 'ignore', 'field:department']);
    expect(resolveMapping(headers, auto, { '1': 'field:department' }, fields)).toEqual(['username', 'field:department', 'ignore']);
    expect(() => resolveMapping(headers, auto, { '1': 'field:title', '2': 'field:title' }, fields)).toThrow(
      'Columns "Dept" and "department" are both mapped to field:title; map one of them elsewhere.',
    );
    expect(() => resolveMapping(headers, auto, { '1': 'ignore', '2': 'ignore' }, fields)).toThrow(/^No column is mapped to a field/);
    expect([parseTarget('department'), parseTarget('dn'), parseTarget('ignore'), parseTarget('field:costCenter')]).toEqual([
      'field:department',
      'dn',
      'ignore',
      'field:costCenter',
    ]);
    expect(() => parseTarget('cost center')).toThrow(
      '"cost center" is not a target: use ignore, id, directoryId, dn, username or a field key such as department.',
    );
  });
});

describe('reading sheets', () => {
  it('takes off exactly the apostrophe a CSV export added, and reads XLSX values as they are', async () => {
    const values = ['=SUM(A1:A2)', '+1 555 0100', '-5', '-Sales', '@home', '\tindented', "'quoted", "'=x", "it's"];
    const csv = await writeCsv('n.csv', [['v'], ...values.map((v) => [neutraliseCsvCell(v)])], ';');
    expect((await readSheet(csv)).rows.map((r) => r.cells[0])).toEqual(values);
    // An apostrophe the export would not have added stays.
    const foreign = await writeCsv('foreign.csv', [['v'], ["'quoted"], ["O'Brien"]]);
    expect((await readSheet(foreign)).rows.map((r) => r.cells[0])).toEqual(["'quoted", "O'Brien"]);
    // XLSX exports write values exactly: a leading apostrophe in a workbook is part of the value.
    const xlsx = await writeXlsx('n.xlsx', [['v'], ...values.map((v) => [v]), ["'+1 555 0100"]]);
    expect((await readSheet(xlsx)).rows.map((r) => r.cells[0])).toEqual([...values, "'+1 555 0100"]);
  });

  it('reads XLSX cell types as text and keeps row numbers past empty rows', async () => {
    const path = await writeXlsx('types.xlsx', [
      ['text', 'link', 'rich', 'formula', 'number', 'big', 'date', 'flag'],
      [
        'a',
        { text: 'x@example.org', hyperlink: 'mailto:x@example.org' },
        { richText: [{ text: 'Ab' }, { text: 'cd' }] },
        { formula: 'A2&A2', result: 'aa' },
        42,
        1e21,
        new Date('2026-11-21T00:00:00Z'),
        true,
      ],
      [],
      ['b', '', '', '', 0.5, 12345678901234, '', false],
    ]);
    const sheet = await readSheet(path);
    expect(sheet.headers).toEqual(['text', 'link', 'rich', 'formula', 'number', 'big', 'date', 'flag']);
    expect(sheet.rows).toEqual([
      { row: 2, cells: ['a', 'x@example.org', 'Abcd', 'aa', '42', '1000000000000000000000', '2026-11-21T00:00:00.000Z', 'TRUE'] },
      { row: 4, cells: ['b', '', '', '', '0.5', '12345678901234', '', 'FALSE'] },
    ]);
  });

  it('detects the delimiter, keeps quoted commas and newlines, and counts rows as a spreadsheet does', async () => {
    const path = join(dir, 'people.tsv');
    await writeFile(path, 'username\tdn\tnote\r\nuser00002\t"CN=Smith\\, John,OU=Sales"\t"two\nlines"\r\n\r\nuser00004\t\t"say ""hi"""\r\n');
    expect(await readSheet(path)).toEqual({
      source: 'tab-separated',
      headers: ['username', 'dn', 'note'],
      rows: [
        { row: 2, cells: ['user00002', 'CN=Smith\\, John,OU=Sales', 'two\nlines'] },
        { row: 4, cells: ['user00004', '', 'say "hi"'] },
      ],
    });
    const semicolons = await writeCsv(
      'semi.csv',
      [
        ['username', 'department'],
        ['user00002', 'R;D'],
      ],
      ';',
    );
    expect(await readSheet(semicolons)).toMatchObject({ source: 'semicolon-separated', rows: [{ row: 2, cells: ['user00002', 'R;D'] }] });
    const ansi = join(dir, 'ansi.csv');
    await writeFile(ansi, Buffer.from('username;displayName\r\nuser00002;Zo\xeb\r\n', 'latin1'));
    expect(await readSheet(ansi)).toMatchObject({ source: 'semicolon-separated, Windows-1252', rows: [{ cells: ['user00002', 'Zoë'] }] });
  });

  it('gives clear errors for a missing file, an unknown extension, a corrupt workbook, an empty sheet and duplicate headers', async () => {
    const missing = join(dir, 'nope.xlsx');
    expect(await failure(services.sheets.open(missing))).toMatchObject({ code: 'not-found', message: `There is no file ${missing}.` });

    const ods = join(dir, 'sheet.ods');
    await writeFile(ods, 'x');
    expect(await failure(readSheet(ods))).toMatchObject({
      code: 'invalid-input',
      message: 'sheet.ods is not a sheet Roster can read: use .xlsx, .csv, .txt or .tsv.',
    });

    const corrupt = join(dir, 'corrupt.xlsx');
    await writeFile(corrupt, 'username,department\nuser00002,Research\n');
    expect(await failure(readSheet(corrupt))).toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(
        /^corrupt\.xlsx is not a valid Excel workbook \(\.xlsx\) \(.+\)\. Save it again from the spreadsheet program as \.xlsx or \.csv\.$/,
      ),
    });

    const empty = join(dir, 'empty.csv');
    await writeFile(empty, '\uFEFF');
    expect((await failure(readSheet(empty))).message).toBe('empty.csv is empty: its first row should name the columns (e.g. username, department).');
    expect((await failure(readSheet(await writeXlsx('header-only.xlsx', [['username', 'department']])))).message).toBe(
      'header-only.xlsx has a header but no rows under it.',
    );
    expect(
      (
        await failure(
          readSheet(
            await writeCsv('dup.csv', [
              ['username', 'Department', 'department'],
              ['a', 'b', 'c'],
            ]),
          ),
        )
      ).message,
    ).toBe('dup.csv has two columns named "department" (B and C); rename or remove one so each column can be mapped.');
  });
});

describe('round trip through the real export', () => {
  beforeEach(async () => {
    // The export maps fields to a realm's attributes: start again on users linked to a real realm.
    await services.close();
    await rm(dir, { recursive: true, force: true });
    dir = await mkdtemp(join(tmpdir(), 'roster-sheets-'));
    seeded = (await seedRealmUsers(dir, 7)).users;
    services = await open();
    await services.settings.addField({ key: 'costCenter', label: 'Cost center', ldapAttribute: 'extensionAttribute7' });
    // Formula-looking values (neutralised in a CSV, restored on re-import) and several values of a custom field.
    await services.users.update(user(2).id, { fields: { department: '=1+1', title: '=HYPERLINK("x")', costCenter: 'CC-1\nCC-2' } });
    await services.users.update(user(3).id, { fields: { department: '-Sales', costCenter: 'CC-1\nCC-2\nCC-3' } });
  });

  /** Exports every column of every user with the export service itself. */
  const exported = async (format: 'csv' | 'xlsx'): Promise<string> => {
    const path = join(dir, `export.${format}`);
    const columns = exportColumns(services.users.fields()).map((c) => c.key);
    const result = await services.exporter.run(exportRequestSchema.parse({ format, path, scope: { kind: 'all' }, content: 'snapshot', columns }));
    expect(result).toMatchObject({ files: [path], users: 7, records: 7 });
    return path;
  };

  /** Changes one cell of the exported file: the `column` cell of `username`'s row, from `before` to `after` as the file holds them. */
  async function editCell(format: 'csv' | 'xlsx', path: string, username: string, column: string, before: string, after: string): Promise<void> {
    if (format === 'csv') {
      const lines = (await readFile(path, 'utf8')).split('\r\n');
      const at = lines.findIndex((line) => line.split(',').includes(username));
      expect(lines[at]!.split(before)).toHaveLength(2);
      lines[at] = lines[at]!.replace(before, after);
      await writeFile(path, lines.join('\r\n'));
      return;
    }
    const workbook = await new ExcelJS.Workbook().xlsx.readFile(path);
    const sheet = workbook.getWorksheet('Users')!;
    const header = (sheet.getRow(1).values as ExcelJS.CellValue[]).indexOf(column);
    const usernameAt = (sheet.getRow(1).values as ExcelJS.CellValue[]).indexOf('username');
    let edited = 0;
    sheet.eachRow((row) => {
      if (row.getCell(usernameAt).value !== username) return;
      expect(row.getCell(header).value).toBe(before);
      row.getCell(header).value = after;
      edited += 1;
    });
    expect(edited).toBe(1);
    await workbook.xlsx.writeFile(path);
  }

  it.each(['csv', 'xlsx'] as const)(
    're-importing an unchanged export of every column gives all unchanged; one edited cell gives one change (%s)',
    async (format) => {
      const path = await exported(format);
      if (format === 'csv') {
        // Formulas neutralised; phone numbers exact.
        const text = await readFile(path, 'utf8');
        expect(text).toContain(`,'=1+1,`);
        expect(text).toContain(`,'-Sales,`);
        expect(text).toContain(',+1 555 0000002,');
        expect(text).toContain(',CC-1 | CC-2 | CC-3');
      } else {
        // Every value exact: a text cell is never evaluated.
        const book = await new ExcelJS.Workbook().xlsx.readFile(path);
        const values = book.getWorksheet('Users')!.getSheetValues().flat();
        expect(values).toEqual(expect.arrayContaining(['=1+1', '-Sales', '=HYPERLINK("x")', '+1 555 0000002', 'CC-1 | CC-2 | CC-3']));
        expect(values.filter((v) => typeof v === 'string' && v.startsWith("'"))).toEqual([]);
      }

      const fields = services.users.fields();
      const all = [...services.userStore.all()];
      const { opened, options, preview, rows } = await previewed(path);
      expect(opened.source).toBe(format === 'xlsx' ? 'worksheet "Users"' : 'comma-separated');
      expect(opened.columns.filter((c) => c.target !== 'ignore').map((c) => c.header)).toEqual([
        'directoryId',
        'dn',
        'username',
        'id',
        ...fields.map((f) => f.key),
      ]);
      expect(opened.columns.filter((c) => c.target !== 'ignore').map((c) => c.target)).toEqual([
        'directoryId',
        'dn',
        'username',
        'id',
        ...fields.map((f) => `field:${f.key}`),
      ]);
      expect(preview.counts).toEqual({ change: 0, unchanged: all.length, refused: 0 });
      // Empty cells are empty fields: clearing them changes nothing either.
      expect(services.sheets.preview({ ...options, clearEmpty: true }).counts).toEqual({ change: 0, unchanged: all.length, refused: 0 });
      // The Roster id comes first in the matching order, and agrees with the directory id, DN and username of every row.
      expect(new Set(rows.map((r) => r.matchedBy))).toEqual(new Set(['id']));
      expect(rows.map((r) => r.userId).sort()).toEqual(all.map((u) => u.id).sort());

      await editCell(format, path, user(3).username, 'costCenter', 'CC-1 | CC-2 | CC-3', 'CC-2 | CC-9');
      const edited = await previewed(path);
      expect(edited.preview.counts).toEqual({ change: 1, unchanged: all.length - 1, refused: 0 });
      expect(edited.rows.filter((r) => r.status !== 'unchanged')).toEqual([
        expect.objectContaining({
          status: 'change',
          userId: user(3).id,
          username: user(3).username,
          changes: [{ field: 'costCenter', before: 'CC-1\nCC-2\nCC-3', after: 'CC-2\nCC-9' }],
          reasons: [],
        }),
      ]);
    },
  );
});
