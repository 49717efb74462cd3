import ExcelJS from 'exceljs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportContent } from '#shared/model/export';
import { effectiveFields } from '#shared/model/fields';
import type { UserRecord } from '#shared/model/user';
import { changeSet } from '../users/user-view';
import { exportColumns, type ExportUser } from './columns';
import type { ExportDocument } from './document';
import { writeXlsx } from './xlsx';

/*
 * Every cell of the Users sheet, one by one: its column's number format, the change-set fill exactly where a
 * change is, bold only in the header. The writer hands each cell a style object shared by its column (the
 * fast path); a style leaking from one column, row or changed cell to another would show here.
 */

const FIELDS = effectiveFields({}, []);
const COLUMNS = exportColumns(FIELDS);
const AT = '2024-03-01T09:30:00.000Z';

function person(i: number): UserRecord {
  const fields: Record<string, string> = { displayName: `Person ${i}`, givenName: `P${i}`, surname: `S${i}`, title: i % 2 ? 'Engineer' : '' };
  if (i % 3 === 0) return { id: `i${i}`, username: `int${i}`, kind: 'internal', enabled: i % 2 === 0, roles: [], fields, createdAt: AT, updatedAt: AT };
  const base = { ...fields, department: 'Old', phone: '+1 555 0100' };
  // Changes move around: department on some, phone on others, both on some, none on the rest.
  const local = { ...base, ...(i % 4 === 1 ? { department: `Dept ${i}` } : {}), ...(i % 5 === 1 ? { phone: `00${i}` } : {}) };
  return {
    id: `e${i}`,
    username: `ext${i}`,
    kind: 'external',
    enabled: true,
    roles: [],
    fields: local,
    createdAt: AT,
    updatedAt: AT,
    origin: {
      realmId: 'r',
      externalId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      dn: `uid=ext${i},dc=x`,
      syncedAt: AT,
      base,
      baseUsername: `ext${i}`,
      directoryEnabled: i % 2 === 1,
    },
  };
}

const USERS = Array.from({ length: 40 }, (_, i) => person(i + 1));

function documentOf(content: ExportContent): ExportDocument {
  const rows: ExportUser[] = USERS.map((user) => ({ user, changes: changeSet(user, FIELDS) })).filter(
    (row) => content === 'snapshot' || row.changes.length > 0,
  );
  return {
    columns: COLUMNS,
    rows,
    content,
    separator: ' | ',
    delimiter: ',',
    roleName: (id) => id,
    attribute: () => undefined,
    about: { format: 'xlsx', content, scope: 'All users', realms: [], at: new Date(AT), who: 't', users: rows.length, skipped: [], rosterVersion: 't' },
  };
}

const EXPECTED_FORMAT: Record<string, string | undefined> = {
  text: '@',
  identifier: '@',
  phone: '@',
  email: '@',
  dn: '@',
  list: '@',
  date: 'yyyy-mm-dd hh:mm',
  boolean: undefined,
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-xlsx-cells-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeXlsx cell styles', () => {
  for (const content of ['snapshot', 'changes'] as const) {
    it(`gives every cell of a ${content} its column's format, and the fill to exactly the changed cells`, async () => {
      const doc = documentOf(content);
      const file = join(dir, `${content}.xlsx`);
      await writeXlsx(doc, file, { signal: new AbortController().signal, progress: () => undefined });
      const sheet = (await new ExcelJS.Workbook().xlsx.readFile(file)).getWorksheet('Users')!;
      expect(sheet.rowCount).toBe(doc.rows.length + 1);

      let filled = 0;
      for (const [i, row] of doc.rows.entries()) {
        const line = sheet.getRow(i + 2);
        const changed = new Set(row.changes.map((c) => c.field));
        for (const [j, column] of COLUMNS.entries()) {
          const cell = line.getCell(j + 1);
          const where = `${row.user.username} ${column.key}`;
          expect(cell.numFmt, where).toBe(EXPECTED_FORMAT[column.type]);
          expect(cell.font?.bold ?? false, where).toBe(false);
          const solid = (cell.fill as ExcelJS.FillPattern | undefined)?.pattern === 'solid';
          expect(solid, where).toBe(content === 'changes' && changed.has(column.key));
          if (solid) {
            filled += 1;
            expect((cell.fill as ExcelJS.FillPattern).fgColor?.argb, where).toBe('FFFFF2CC');
          }
        }
      }
      // The fixture does change cells, so the fill check above is not vacuous for the change set.
      if (content === 'changes') expect(filled).toBeGreaterThan(10);
      const header = sheet.getRow(1);
      for (let j = 1; j <= COLUMNS.length; j += 1) expect(header.getCell(j).font?.bold).toBe(true);
    });
  }
});
