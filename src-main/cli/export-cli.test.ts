import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedTwoRealms } from '../../e2e/fixtures/two-realms';
import { seedRealmUsers, withServices } from '../../e2e/fixtures/users';
import type { UserRecord } from '#shared/model/user';
import { runCli } from './run-cli';

let dir: string;
let users: UserRecord[];
const roster = (...args: string[]) => runCli(dir, args);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-cli-export-'));
  // 12 users, every second one external; two external users get their department completed in Roster.
  ({ users } = await seedRealmUsers(dir, 12, { externalEvery: 2 }));
  await withServices(dir, async (call) => {
    await call('users:update', { id: 'u000002', fields: { department: 'Payroll' } });
    await call('users:update', { id: 'u000004', fields: { department: 'Legal' } });
  });
  return () => rm(dir, { recursive: true, force: true });
});
afterEach(() => undefined);

const readCsv = async (path: string, delimiter = ',') => parse(await readFile(path), { bom: true, delimiter, columns: true }) as Record<string, string>[];

describe('roster export', () => {
  it('--scope changed writes the change set; an existing file is refused until --force', async () => {
    const out = join(dir, 'changes.csv');
    const first = await roster('export', '--format', 'csv', '--out', out, '--scope', 'changed', '--columns', 'displayName,department', '--json');
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.out)).toMatchObject({ format: 'csv', content: 'changes', users: 2, files: [out] });
    const rows = await readCsv(out);
    expect(rows.map((r) => [r.username, r.department])).toEqual([
      [users[1]!.username, 'Payroll'],
      [users[3]!.username, 'Legal'],
    ]);
    // A change set in a sheet says whose each row is: the realm column comes with it.
    expect(Object.keys(rows[0]!)).toEqual(['directoryId', 'dn', 'username', 'realm', 'displayName', 'department']);
    expect(rows.map((r) => r.realm)).toEqual(['Synthetic', 'Synthetic']);

    const again = await roster('export', '--format', 'csv', '--out', out, '--scope', 'changed');
    expect(again.code).toBe(1);
    expect(again.err).toBe(`roster: ${out} already exists; choose another name or confirm replacing it.`);
    const forced = await roster('export', '--format', 'csv', '--out', out, '--scope', 'all', '--delimiter', 'tab', '--force');
    expect(forced.code).toBe(0);
    expect(forced.out).toMatch(/^Exported 12 users \(snapshot, All users\) as CSV: 12 records/);
    expect(await readCsv(out, '\t')).toHaveLength(12);
  });

  it('writes an XLSX of the incomplete users, and an LDIF and a PowerShell script of the change set', async () => {
    const xlsx = join(dir, 'incomplete.xlsx');
    expect((await roster('export', '--format', 'xlsx', '--out', xlsx, '--scope', 'incomplete')).code).toBe(0);
    const book = await new ExcelJS.Workbook().xlsx.readFile(xlsx);
    // Only user 11 lacks its department (every 11th synthetic user).
    expect(book.worksheets[0]!.rowCount).toBe(2);

    const ldif = join(dir, 'changes.ldif');
    const ldifRun = await roster('export', '--format', 'ldif', '--out', ldif, '--scope', 'changed');
    expect(ldifRun.code).toBe(0);
    expect(ldifRun.out.split('\n').slice(2)).toEqual([
      'Left out 6: internal users: they have no directory entry to change.',
      'Left out 4: no changes since the last sync.',
    ]);
    const text = await readFile(ldif, 'utf8');
    expect(text.match(/^changetype: modify$/gm)).toHaveLength(2);

    // The synthetic realm is OpenLDAP (entryUUID): Set-ADUser needs users of an objectGUID realm.
    const ps1 = await roster('export', '--format', 'ps1', '--out', join(dir, 'apply'), '--scope', 'changed', '--json');
    expect(ps1.code).toBe(0);
    expect(JSON.parse(ps1.out)).toMatchObject({ users: 0, files: [join(dir, 'apply.ps1'), join(dir, 'apply.csv')] });
    expect(JSON.parse(ps1.out).skipped).toContainEqual({ reason: 'users of realms without objectGUID (Set-ADUser is for Active Directory)', count: 2 });
  });

  it('names unknown columns and bad options', async () => {
    const bad = await roster('export', '--format', 'csv', '--out', join(dir, 'x.csv'), '--columns', 'username,costCentre');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^roster: Unknown column costCentre\. Columns: directoryId, dn, username, id,/);
    const format = await roster('export', '--format', 'pdf', '--out', join(dir, 'x.pdf'));
    expect(format.code).toBe(2);
    const folder = await roster('export', '--format', 'csv', '--out', join(dir, 'missing', 'x.csv'));
    expect(folder.code).toBe(1);
    expect(folder.err).toContain(`The folder ${join(dir, 'missing')} does not exist`);
  });
});

describe('roster export over two realms', () => {
  let two: string;
  beforeEach(async () => {
    two = await mkdtemp(join(tmpdir(), 'roster-cli-export-two-'));
    // Head office and Branch Zürich, 4 external users each; one department completed in each realm.
    await seedTwoRealms(two, { kind: 'openldap', count: 4 });
    await withServices(two, async (call) => {
      await call('users:update', { id: 'u000002', fields: { department: 'Payroll' } });
      await call('users:update', { id: 'z000003', fields: { department: 'Logistik' } });
    });
    return () => rm(two, { recursive: true, force: true });
  });

  it('writes one LDIF per realm and lists each file under its realm, in words and in --json', async () => {
    const out = join(two, 'roster-changes-2026-12-01.ldif');
    const files = [join(two, 'roster-changes-2026-12-01-branch-zurich.ldif'), join(two, 'roster-changes-2026-12-01-head-office.ldif')];
    const human = await runCli(two, ['export', '--format', 'ldif', '--out', out, '--scope', 'changed', '--columns', 'department']);
    expect(human.err).toBe('');
    expect(human.code).toBe(0);
    expect(human.out.split('\n')[0]).toMatch(
      /^Exported 2 users \(change set, All users\) as LDIF: 2 records, \d+(\.\d)? (bytes|kB), one file per realm \(each is applied to its own directory\):$/,
    );
    expect(human.out.split('\n').slice(1)).toEqual([
      '  Branch Zürich (1 user, 1 record):',
      `    ${files[0]}`,
      '  Head office (1 user, 1 record):',
      `    ${files[1]}`,
      'Left out 6: no changes since the last sync.',
    ]);
    expect(await readFile(files[0]!, 'utf8')).toContain('departmentNumber: Logistik');
    expect(await readFile(files[1]!, 'utf8')).toContain('departmentNumber: Payroll');

    // Any file of the set that exists is refused, naming it; --force replaces the set.
    const again = await runCli(two, ['export', '--format', 'ldif', '--out', out, '--scope', 'changed', '--columns', 'department', '--json']);
    expect(again.code).toBe(1);
    expect(again.err).toBe(`roster: ${files[0]} and ${files[1]} already exist; choose another name or confirm replacing them.`);
    const ps1 = await runCli(two, ['export', '--format', 'ps1', '--out', join(two, 'apply'), '--scope', 'changed', '--json']);
    expect(ps1.code).toBe(0);
    // The seeded realms are OpenLDAP (no objectGUID): the script has no one to change, so no realm splits it.
    expect(JSON.parse(ps1.out)).toMatchObject({ users: 0, files: [join(two, 'apply.ps1'), join(two, 'apply.csv')] });

    const json = await runCli(two, ['export', '--format', 'ldif', '--out', out, '--scope', 'changed', '--columns', 'department', '--force', '--json']);
    expect(json.code).toBe(0);
    const result = JSON.parse(json.out) as { files: string[]; parts: unknown[] };
    expect(result.files).toEqual(files);
    expect(result.parts).toEqual([
      { realm: { id: expect.any(String), name: 'Branch Zürich' }, files: [files[0]], users: 1, records: 1 },
      { realm: { id: expect.any(String), name: 'Head office' }, files: [files[1]], users: 1, records: 1 },
    ]);
  });
});
