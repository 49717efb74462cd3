import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CsvDelimiter, ExportContent } from '#shared/model/export';
import { effectiveFields, type CustomField } from '#shared/model/fields';
import { REALM_PRESETS } from '#shared/model/realm-presets';
import { primaryAttribute } from '#shared/model/realm-mapping';
import type { UserRecord } from '#shared/model/user';
import { unfoldLines } from '../ldif/lines';
import { changeSet } from '../users/user-view';
import { exportColumns, resolveColumns, type ExportUser } from './columns';
import { writeCsv } from './csv';
import type { ExportDocument, WriteContext } from './document';
import { writeLdif } from './ldif';
import { writePs1 } from './ps1';
import { writeXlsx } from './xlsx';

const OTHER_PHONES: CustomField = {
  key: 'otherPhones',
  label: 'Other phones',
  type: 'phone',
  ldapAttribute: 'otherTelephone',
  owner: 'local',
  required: false,
};
const FIELDS = effectiveFields({}, [OTHER_PHONES]);
const CATALOGUE = exportColumns(FIELDS);
const AD_MAPPING: Record<string, string | undefined> = Object.fromEntries(
  Object.entries(REALM_PRESETS['active-directory'].mapping).map(([field, sources]) => [field, primaryAttribute(sources)]),
);
const ROLES = new Map([
  ['r1', 'Admins'],
  ['r2', 'Staff'],
]);

const SMITH_DN = 'CN=Smith\\, John,OU=Sales,DC=corp,DC=example';
const SMITH_GUID = '6f1d2c3b-4a59-4e8f-9d0c-1b2a3c4d5e6f';
const SYNCED_AT = '2024-03-01T09:30:00.000Z';
const QUOTES_AND_NEWLINE = 'He said "hi"\nline two';
const LONG_TITLE = `Head of ${'very '.repeat(20)}important things`;

function user(partial: Partial<UserRecord> & Pick<UserRecord, 'id' | 'username'>): UserRecord {
  return { kind: 'internal', enabled: true, roles: [], fields: {}, createdAt: SYNCED_AT, updatedAt: '2024-03-02T10:00:00.000Z', ...partial };
}

function external(id: string, username: string, dn: string, externalId: string, base: Record<string, string>, fields: Record<string, string>): UserRecord {
  return user({
    id,
    username,
    kind: 'external',
    fields: { ...base, ...fields },
    origin: { realmId: 'ad', externalId, dn, syncedAt: SYNCED_AT, base, baseUsername: username, directoryEnabled: true },
  });
}

/** Completed in Roster: department, phone, office, company, employee id, two other phones; mobile emptied. */
const SMITH = external(
  'u1',
  'jsmith',
  SMITH_DN,
  SMITH_GUID,
  { displayName: 'John Smith', givenName: 'Jöhn', surname: 'Smith', department: 'Old', title: 'Engineer', mobile: '+1 555 0100', office: 'HQ' },
  {
    department: 'Sales',
    phone: '0014255550177',
    mobile: '',
    office: QUOTES_AND_NEWLINE,
    company: 'Société Générale',
    employeeId: '012345',
    otherPhones: '+1 555 0101\n+1 555 0102',
  },
);
/** Only a long title completed. */
const LONG = external('u2', 'along', 'CN=Long,OU=Sales,DC=corp,DC=example', 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d', { title: 'Old' }, { title: LONG_TITLE });
/** External, nothing changed: no LDIF record, no PS1 row. */
const SAME = external('u3', 'same', 'CN=Same,OU=Sales,DC=corp,DC=example', 'b0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d', { department: 'Sales' }, {});
/** Internal, with every formula-looking start, and a phone number that only looks like one. */
const EVIL = user({
  id: 'u4',
  username: 'evil',
  roles: ['r1', 'r2'],
  fields: { displayName: '=HYPERLINK("x")', givenName: '+1+1', surname: '-2', title: '@SUM(A1)', department: '\tTabbed', mobile: '+49 30 1234567' },
});
const USERS = [SMITH, LONG, SAME, EVIL];

const KEYS = [
  'displayName',
  'givenName',
  'surname',
  'department',
  'title',
  'phone',
  'mobile',
  'office',
  'company',
  'employeeId',
  'otherPhones',
  'roles',
  'syncedAt',
];

function documentOf(content: ExportContent, options: { delimiter?: CsvDelimiter; scope?: string; users?: UserRecord[] } = {}): ExportDocument {
  const rows: ExportUser[] = (options.users ?? USERS).map((u) => ({ user: u, changes: changeSet(u, FIELDS) }));
  return {
    columns: resolveColumns(CATALOGUE, KEYS, 'csv', 'snapshot'),
    rows,
    content,
    separator: ' | ',
    delimiter: options.delimiter ?? ',',
    roleName: (id) => ROLES.get(id) ?? id,
    attribute: (row, key) => (row.user.kind === 'external' ? (AD_MAPPING[key] ?? FIELDS.find((f) => f.key === key)?.ldapAttribute) : undefined),
    about: {
      format: 'xlsx',
      content,
      scope: options.scope ?? 'Current filter: Sales',
      realms: ['Corp AD'],
      at: new Date('2024-03-05T08:00:00.000Z'),
      who: 'admin',
      users: rows.length,
      skipped: [{ reason: 'users without changes', count: 7 }],
      rosterVersion: '1.2.3',
    },
  };
}

const quiet = (): WriteContext => ({ signal: new AbortController().signal, progress: () => undefined });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-writers-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const HEADER = ['directoryId', 'dn', 'username', ...KEYS];
const column = (key: string): number => HEADER.indexOf(key) + 1;

describe('writeXlsx', () => {
  it('writes typed, exact cells under a bold frozen filtered header, and an About sheet', async () => {
    const file = join(dir, 'users.xlsx');
    const progress: number[] = [];
    const doc = documentOf('changes');
    expect(await writeXlsx(doc, file, { signal: new AbortController().signal, progress: (n) => progress.push(n) })).toEqual({ records: 4 });
    expect(progress.at(-1)).toBe(4);

    const workbook = await new ExcelJS.Workbook().xlsx.readFile(file);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Users', 'About this export']);
    const sheet = workbook.getWorksheet('Users')!;

    const header = sheet.getRow(1);
    expect((header.values as unknown[]).slice(1)).toEqual(HEADER);
    expect(header.getCell(1).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBe(`A1:${sheet.getColumn(HEADER.length).letter}5`);
    expect(sheet.rowCount).toBe(5);

    const smith = sheet.getRow(2);
    const phone = smith.getCell(column('phone'));
    expect(phone.type).toBe(ExcelJS.ValueType.String);
    expect(phone.value).toBe('0014255550177');
    expect(phone.numFmt).toBe('@');
    const employeeId = smith.getCell(column('employeeId'));
    expect(employeeId.type).toBe(ExcelJS.ValueType.String);
    expect(employeeId.value).toBe('012345');
    expect(smith.getCell(column('dn')).value).toBe(SMITH_DN);
    expect(smith.getCell(column('office')).value).toBe(QUOTES_AND_NEWLINE);
    expect(smith.getCell(column('givenName')).value).toBe('Jöhn');
    // Several values in one cell, joined by the stated separator; a text cell needs no formula guard.
    expect(smith.getCell(column('otherPhones')).value).toBe('+1 555 0101 | +1 555 0102');
    expect(sheet.getRow(5).getCell(column('roles')).value).toBe('Admins | Staff');

    const synced = smith.getCell(column('syncedAt'));
    expect(synced.type).toBe(ExcelJS.ValueType.Date);
    expect((synced.value as Date).toISOString()).toBe(SYNCED_AT);
    expect(synced.numFmt).toBe('yyyy-mm-dd hh:mm');

    // The change set's cells are highlighted; unchanged ones are not.
    expect(smith.getCell(column('department')).fill).toMatchObject({ type: 'pattern', pattern: 'solid' });
    expect((smith.getCell(column('title')).fill as ExcelJS.FillPattern | undefined)?.pattern).not.toBe('solid');

    const evil = sheet.getRow(5);
    // Text cells are never evaluated: every value exactly, no apostrophe added.
    expect(['displayName', 'givenName', 'surname', 'title', 'department', 'mobile'].map((k) => evil.getCell(column(k)).value)).toEqual([
      '=HYPERLINK("x")',
      '+1+1',
      '-2',
      '@SUM(A1)',
      '\tTabbed',
      '+49 30 1234567',
    ]);
    const types = new Set<ExcelJS.ValueType>();
    for (const s of workbook.worksheets) s.eachRow((row) => row.eachCell((cell) => types.add(cell.type)));
    expect(types.has(ExcelJS.ValueType.Formula)).toBe(false);
    expect(types.has(ExcelJS.ValueType.String)).toBe(true);

    const about = workbook.getWorksheet('About this export')!;
    const pairs = new Map<string, unknown>();
    about.eachRow((row) => pairs.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(pairs.get('Scope')).toBe('Current filter: Sales');
    expect(pairs.get('Who')).toBe('admin');
    expect(pairs.get('Users')).toBe(4);
    expect(pairs.get('Skipped: users without changes')).toBe(7);
    expect(pairs.get('Realms')).toBe('Corp AD');
    expect((pairs.get('When (UTC)') as Date).toISOString()).toBe('2024-03-05T08:00:00.000Z');
    expect(String(pairs.get('Multi-value separator'))).toContain('" | "');
    expect(String(pairs.get('Formula-looking cells'))).toContain('written exactly');
    // The columns table: key, label, type, description.
    expect(pairs.get('phone')).toBe('Phone');
  });
});

describe('writeCsv', () => {
  it.each([',', ';', 'tab'] as const)('round-trips with the %s delimiter: BOM, CRLF, RFC 4180 quoting, neutralised cells', async (delimiter) => {
    const file = join(dir, `users-${delimiter}.csv`);
    expect(await writeCsv(documentOf('snapshot', { delimiter }), file, quiet())).toEqual({ records: 4 });
    const bytes = await readFile(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    const char = delimiter === 'tab' ? '\t' : delimiter;
    expect(text.startsWith(`\uFEFF${HEADER.join(char)}\r\n`)).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);

    const records = parse(bytes, { bom: true, delimiter: char, record_delimiter: '\r\n' }) as string[][];
    expect(records).toHaveLength(5);
    expect(records[0]).toEqual(HEADER);
    const smith = records[1]!;
    expect(smith[column('dn') - 1]).toBe(SMITH_DN);
    expect(smith[column('office') - 1]).toBe(QUOTES_AND_NEWLINE);
    expect(smith[column('phone') - 1]).toBe('0014255550177');
    expect(smith[column('employeeId') - 1]).toBe('012345');
    expect(smith[column('givenName') - 1]).toBe('Jöhn');
    // The separator's | is also DDE's, so a joined phone list is neutralised as a whole.
    expect(smith[column('otherPhones') - 1]).toBe("'+1 555 0101 | +1 555 0102");
    expect(smith[column('syncedAt') - 1]).toBe(SYNCED_AT);
    const evil = records[4]!;
    // = @ TAB always; + and - only before more than a number or phone number (+1+1 and -2 are digits and signs).
    expect(['displayName', 'givenName', 'surname', 'title', 'department', 'mobile', 'roles'].map((k) => evil[column(k) - 1])).toEqual([
      '\'=HYPERLINK("x")',
      '+1+1',
      '-2',
      "'@SUM(A1)",
      "'\tTabbed",
      '+49 30 1234567',
      'Admins | Staff',
    ]);
  });

  it('gives the same records with every delimiter', async () => {
    const read = async (delimiter: CsvDelimiter) => {
      const file = join(dir, `same-${delimiter}.csv`);
      await writeCsv(documentOf('snapshot', { delimiter }), file, quiet());
      return parse(await readFile(file), { bom: true, delimiter: delimiter === 'tab' ? '\t' : delimiter }) as string[][];
    };
    const comma = await read(',');
    expect(await read(';')).toEqual(comma);
    expect(await read('tab')).toEqual(comma);
  });
});

/** The logical lines of an LDIF file, with folding undone and comments dropped, by the project's own reader. */
function logicalLines(bytes: Uint8Array): string[] {
  const lines: string[] = [];
  unfoldLines(bytes, 'test.ldif', { line: (text) => lines.push(text), blank: () => lines.push('') });
  return lines;
}

describe('writeLdif', () => {
  it('writes one modify record per completed user, base64 where needed, folded at 76 bytes', async () => {
    const file = join(dir, 'changes.ldif');
    expect(await writeLdif(documentOf('changes'), file, quiet())).toEqual({ records: 2 });
    const text = await readFile(file, 'utf8');

    expect(text.startsWith('version: 1\n\n# Roster LDIF for ldapmodify: change set')).toBe(true);
    expect(text).toContain('# Scope: Current filter: Sales\n');
    const smith = [
      'dn: CN=Smith\\, John,OU=Sales,DC=corp,DC=example',
      'changetype: modify',
      'replace: department',
      'department: Sales',
      '-',
      'replace: telephoneNumber',
      'telephoneNumber: 0014255550177',
      '-',
      'replace: mobile',
      '-',
      'replace: physicalDeliveryOfficeName',
      'physicalDeliveryOfficeName:: SGUgc2FpZCAiaGkiCmxpbmUgdHdv',
      '-',
      'replace: company',
      'company:: U29jacOpdMOpIEfDqW7DqXJhbGU=',
      '-',
      'replace: employeeID',
      'employeeID: 012345',
      '-',
      'replace: otherTelephone',
      'otherTelephone: +1 555 0101',
      'otherTelephone: +1 555 0102',
      '-',
      '',
      '',
    ].join('\n');
    expect(text).toContain(`\n\n${smith}`);
    // Internal and unchanged users have no record.
    expect(text.match(/^dn:/gm)).toHaveLength(2);
    expect(text).not.toContain('CN=Same');

    // Every physical line fits in 76 bytes; the long title was folded and unfolds to the value.
    for (const line of text.split('\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(76);
    expect(text).not.toContain(`title: ${LONG_TITLE}`);
    const lines = logicalLines(await readFile(file));
    expect(lines).toContain(`title: ${LONG_TITLE}`);
    expect(lines.filter((l) => l === 'changetype: modify')).toHaveLength(2);
  });

  it('writes a DN that is not a safe string in base64', async () => {
    const accented = external('u5', 'zoe', 'CN=Zoë Ångström,OU=Sales,DC=corp,DC=example', 'c0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d', {}, { department: 'R&D ' });
    const file = join(dir, 'accented.ldif');
    await writeLdif(documentOf('changes', { users: [accented] }), file, quiet());
    const lines = logicalLines(await readFile(file));
    expect(lines).toContain(`dn:: ${Buffer.from('CN=Zoë Ångström,OU=Sales,DC=corp,DC=example').toString('base64')}`);
    // A trailing space would be lost by some readers: base64 too.
    expect(lines).toContain(`department:: ${Buffer.from('R&D ').toString('base64')}`);
  });

  // ldapmodify -n parses the file and prints what it would do without contacting a server.
  it.skipIf(!existsSync('/usr/bin/ldapmodify'))('is accepted by ldapmodify', async () => {
    const file = join(dir, 'check.ldif');
    await writeLdif(documentOf('changes'), file, quiet());
    const output = execFileSync('ldapmodify', ['-n', '-H', 'ldap://127.0.0.1:1', '-f', file], { encoding: 'utf8' });
    expect(output).toContain(`modifying entry "${SMITH_DN}"`);
    expect(output.match(/modifying entry/g)).toHaveLength(2);
  });
});

/** Every single-quoted string of the code lines removed: a quote left over was not doubled. */
const QUOTE = "['\u2018-\u201b]";
const SINGLE_QUOTED = new RegExp(`${QUOTE}(?:[^'\u2018-\u201b]|${QUOTE}${QUOTE})*${QUOTE}`, 'g');

describe('writePs1', () => {
  // There is no PowerShell on this machine: the script is checked as text, the CSV by parsing it back.
  it('writes the CSV the script reads and a Set-ADUser script that is -WhatIf unless -Apply', async () => {
    const script = join(dir, 'ad-changes.ps1');
    const csv = join(dir, 'ad-changes.csv');
    const doc = documentOf('changes', { scope: "Current filter: O’Brien's team #> <#" });
    expect(await writePs1(doc, script, csv, quiet())).toEqual({ records: 2 });

    const bytes = await readFile(csv);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records = parse(bytes, { bom: true, record_delimiter: '\r\n' }) as string[][];
    expect(records).toEqual([
      [
        'ObjectGUID',
        'DistinguishedName',
        'SamAccountName',
        'department',
        'title',
        'telephoneNumber',
        'mobile',
        'physicalDeliveryOfficeName',
        'company',
        'employeeID',
        'otherTelephone',
        'Clear',
      ],
      [
        SMITH_GUID,
        SMITH_DN,
        'jsmith',
        'Sales',
        '',
        '0014255550177',
        '',
        QUOTES_AND_NEWLINE,
        'Société Générale',
        '012345',
        "'+1 555 0101 | +1 555 0102",
        'mobile',
      ],
      [LONG.origin!.externalId, LONG.origin!.dn, 'along', '', LONG_TITLE, '', '', '', '', '', '', ''],
    ]);

    const text = (await readFile(script)).toString('utf8');
    expect(text.startsWith('\uFEFF#Requires -Modules ActiveDirectory\r\n')).toBe(true);
    expect(text).not.toMatch(/[^\r]\n/);
    expect(text).toContain('[switch]$Apply');
    expect(text).toContain('Set-ADUser -Identity ([guid]$row.ObjectGUID) @change -WhatIf:(-not $Apply) -ErrorAction Stop');
    expect(text).toContain('Import-Csv -LiteralPath $CsvPath -Encoding UTF8');
    expect(text).toContain("[string]$LogPath = (Join-Path $PSScriptRoot ('{0}-{1}.log' -f");
    expect(text).toContain('Add-Content -LiteralPath $LogPath');
    expect(text).toContain(
      "$Attributes = @('department', 'title', 'telephoneNumber', 'mobile', 'physicalDeliveryOfficeName', 'company', 'employeeID', 'otherTelephone')",
    );
    expect(text).toContain("$MultiValued = @('otherTelephone')");
    expect(text).toContain("$Separator = ' | '");
    // The help names the source export, and the scope cannot end it early.
    const help = text.slice(text.indexOf('<#'), text.indexOf('\r\n#>\r\n'));
    expect(help).toContain("Scope:     Current filter: O’Brien's team # > <#");
    expect(help).toContain('-WhatIf');

    const code = text.slice(text.indexOf('\r\n#>\r\n') + 6).split('\r\n');
    for (const line of code.filter((l) => !l.trimStart().startsWith('#'))) {
      expect(line.replace(SINGLE_QUOTED, '')).not.toMatch(new RegExp(QUOTE));
    }
    // The scope with both kinds of quote is one string literal that reads back as written.
    const source = code.find((l) => l.startsWith('$Source = '))!.match(new RegExp(`^\\$Source = (${SINGLE_QUOTED.source})$`));
    expect(source?.[1]).toContain("O’’Brien''s team #> <#");
    expect(source![1]!.slice(1, -1).replace(new RegExp(`(${QUOTE})${QUOTE}`, 'g'), '$1')).toContain("scope: Current filter: O’Brien's team #> <#; 2 users");
  });
});

describe('cancel', () => {
  const many = Array.from({ length: 1200 }, (_, i) => user({ id: `m${i}`, username: `user${i}`, fields: { department: 'Sales' } }));
  /** Aborts once the writer reports its first progress, i.e. in the middle of the rows. */
  const cancelling = (): WriteContext => {
    const controller = new AbortController();
    return { signal: controller.signal, progress: (done) => done > 0 && controller.abort() };
  };

  it('stops writeXlsx with cancelled', async () => {
    await expect(writeXlsx(documentOf('snapshot', { users: many }), join(dir, 'cancel.xlsx'), cancelling())).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('stops writeCsv with cancelled', async () => {
    await expect(writeCsv(documentOf('snapshot', { users: many }), join(dir, 'cancel.csv'), cancelling())).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('stops before the first row when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const ctx = { signal: controller.signal, progress: () => undefined };
    await expect(writeXlsx(documentOf('snapshot'), join(dir, 'aborted.xlsx'), ctx)).rejects.toMatchObject({ code: 'cancelled' });
    await expect(writeCsv(documentOf('snapshot'), join(dir, 'aborted.csv'), ctx)).rejects.toMatchObject({ code: 'cancelled' });
  });
});
