import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateUsers, startSlapd, type SlapdServer } from '../../../e2e/fixtures/slapd';
import { seedTwoRealms } from '../../../e2e/fixtures/two-realms';
import { addRealm } from '../../../e2e/fixtures/users';
import type { Realm } from '#shared/model/realm';
import { realmFromPreset } from '#shared/model/realm-presets';
import { unfoldLines } from '../ldif/lines';
import type { Services } from '../services';
import { expectedAfter, ldapmodify, request, snapshot, withStore } from './export-fixtures';

const run = promisify(execFile);
const BRANCH_BASE = 'dc=branch,dc=example';
const COLUMNS = ['department', 'mobile', 'employeeId'];

/** The logical lines of an LDIF file (folding undone, comments dropped), by the project's own reader. */
function logicalLines(bytes: Uint8Array): string[] {
  const lines: string[] = [];
  unfoldLines(bytes, 'test.ldif', { line: (text) => lines.push(text), blank: () => lines.push('') });
  return lines;
}

/** The DNs an LDIF change set modifies, in order (base64 ones decoded). */
const dnsOf = (bytes: Uint8Array): string[] =>
  logicalLines(bytes)
    .filter((l) => l.startsWith('dn:'))
    .map((l) => (l.startsWith('dn:: ') ? Buffer.from(l.slice(5), 'base64').toString('utf8') : l.slice(4)));

/** The comment lines of an LDIF file, with folded comment lines put back together. */
const commentsOf = (text: string): string[] =>
  text
    .replace(/\n /g, '')
    .split('\n')
    .filter((l) => l.startsWith('# '));

async function importRealm(services: Services, realm: Realm, expected: number): Promise<void> {
  const search = await services.importer.search(realm.id, '*', undefined);
  const done = await services.jobs.wait(services.importer.run(search.searchId).id);
  expect(done.summary?.created).toBe(expected);
}

describe('LDIF change sets for two directories, against two real slapd servers', () => {
  let head: SlapdServer;
  let branch: SlapdServer;
  beforeAll(async () => {
    [head, branch] = await Promise.all([
      startSlapd({ flavor: 'openldap', users: 6 }),
      // Other people (user00101…user00105) under another suffix: no username is in both directories.
      startSlapd({ flavor: 'openldap', users: 0, baseDn: BRANCH_BASE, extraEntries: generateUsers(5, 'openldap', `ou=people,${BRANCH_BASE}`, 100) }),
    ]);
  }, 60_000);
  afterAll(async () => Promise.all([head?.stop(), branch?.stop()]));

  const headRealm = (services: Services) =>
    addRealm(
      services,
      realmFromPreset('openldap', { name: 'Head office', urls: [head.url], bindDn: head.readerDn, baseDn: head.baseDn, tls: 'none' }),
      head.readerPassword,
    );

  it('writes one LDIF per realm, each naming its directory; each applied to its own slapd changes exactly its realm’s completions', async () => {
    await withStore(async (services, dir) => {
      const headOffice = await headRealm(services);
      const branchOffice = await addRealm(
        services,
        realmFromPreset('openldap', { name: 'Branch Zürich', urls: [branch.url], bindDn: branch.readerDn, baseDn: branch.baseDn, tls: 'none' }),
        branch.readerPassword,
      );
      await importRealm(services, headOffice, 6);
      await importRealm(services, branchOffice, 5);

      const byName = (username: string) => services.users.resolve(username);
      await services.users.update(byName('zangstrom').id, { fields: { department: 'Field Operations' } });
      await services.users.update(byName('user00003').id, { fields: { mobile: '+33 6 12 34 56 78' } });
      await services.users.update(byName('user00102').id, { fields: { department: 'Vente Zürich' } });
      await services.users.update(byName('user00104').id, { fields: { employeeId: '' } });
      const before = { head: await snapshot(head), branch: await snapshot(branch) };

      const out = join(dir, 'roster-changes-2026-12-01.ldif');
      const branchFile = join(dir, 'roster-changes-2026-12-01-branch-zurich.ldif');
      const headFile = join(dir, 'roster-changes-2026-12-01-head-office.ldif');
      const asked = request({ format: 'ldif', path: out, content: 'changes', columns: COLUMNS });
      expect(services.exporter.plan(asked)).toEqual({
        users: 4,
        skipped: [{ reason: 'no changes since the last sync', count: 7 }],
        files: [branchFile, headFile],
        parts: [
          { realm: { id: branchOffice.id, name: 'Branch Zürich' }, files: [branchFile], users: 2 },
          { realm: { id: headOffice.id, name: 'Head office' }, files: [headFile], users: 2 },
        ],
        existing: [],
      });
      const result = await services.exporter.run(asked);
      expect(result).toMatchObject({
        users: 4,
        records: 4,
        files: [branchFile, headFile],
        parts: [
          { realm: { id: branchOffice.id, name: 'Branch Zürich' }, files: [branchFile], users: 2, records: 2 },
          { realm: { id: headOffice.id, name: 'Head office' }, files: [headFile], users: 2, records: 2 },
        ],
      });
      // Exactly those two files: the name asked for is not written when the set is split.
      expect((await readdir(dir)).filter((f) => f.endsWith('.ldif')).sort()).toEqual([
        'roster-changes-2026-12-01-branch-zurich.ldif',
        'roster-changes-2026-12-01-head-office.ldif',
      ]);

      // Each file holds only its realm's entries, and its header says which directory it is for.
      const dnOf = (username: string) => byName(username).origin!.dn;
      expect(dnsOf(await readFile(branchFile))).toEqual([dnOf('user00102'), dnOf('user00104')]);
      expect(dnsOf(await readFile(headFile))).toEqual([dnOf('user00003'), dnOf('zangstrom')]);
      const branchHeader = commentsOf(await readFile(branchFile, 'utf8'));
      expect(branchHeader).toContain(`# Directory: Branch Zürich (OpenLDAP) at ${branch.url}, base DN ${BRANCH_BASE}`);
      expect(branchHeader).toContain('# Apply it to this directory only: every DN below is an entry of Branch Zürich.');
      expect(branchHeader).toContain("# The other realms' users are in their own files: roster-changes-2026-12-01-head-office.ldif");
      expect(branchHeader).toContain('# Users: 2');
      expect(branchHeader).toContain(`# Apply with: ldapmodify -H ${branch.url} -D <bind DN> -W -f <this file>`);
      expect(commentsOf(await readFile(headFile, 'utf8'))).toContain(`# Directory: Head office (OpenLDAP) at ${head.url}, base DN ${head.baseDn}`);

      await ldapmodify(branch, branchFile);
      await ldapmodify(head, headFile);
      // Every attribute of every entry of both directories: exactly each realm's completions changed.
      expect(await snapshot(branch)).toEqual(
        expectedAfter(before.branch, [
          { dn: dnOf('user00102'), attribute: 'departmentNumber', values: ['Vente Zürich'] },
          { dn: dnOf('user00104'), attribute: 'employeeNumber', values: undefined },
        ]),
      );
      expect(await snapshot(head)).toEqual(
        expectedAfter(before.head, [
          { dn: dnOf('zangstrom'), attribute: 'departmentNumber', values: ['Field Operations'] },
          { dn: dnOf('user00003'), attribute: 'mobile', values: ['+33 6 12 34 56 78'] },
        ]),
      );

      const audit = await services.audit.query({ action: 'users.export' });
      expect(audit.map((e) => e.note)).toEqual([
        `Exported 4 users (change set, All users) as LDIF to ${branchFile} and ${headFile} (one file per realm). 7 left out: no changes since the last sync.`,
      ]);
    });
  }, 60_000);

  it('gives an ldif-file realm its own change set, for the directory its file was exported from', async () => {
    await withStore(async (services, dir) => {
      // The branch's directory as an admin would take it away: an ldapsearch dump, read by an offline realm.
      const dump = join(dir, 'branch-dump.ldif');
      const { stdout } = await run(
        'ldapsearch',
        [
          '-x',
          '-LLL',
          '-H',
          branch.url,
          '-D',
          branch.rootDn,
          '-w',
          branch.rootPassword,
          '-b',
          branch.peopleDn,
          '(objectClass=inetOrgPerson)',
          '*',
          'entryUUID',
        ],
        { env: { ...process.env, LDAPNOINIT: '1' } },
      );
      await writeFile(dump, stdout);
      const headOffice = await headRealm(services);
      const offline = await services.realms.create(
        realmFromPreset('ldif-file', { name: 'Branch (offline)', urls: [], bindDn: '', baseDn: '', ldifPath: dump, flavour: 'openldap' }),
      );
      await importRealm(services, headOffice, 6);
      await importRealm(services, offline, 5);

      const byName = (username: string) => services.users.resolve(username);
      await services.users.update(byName('user00101').id, { fields: { department: 'Logistik' } });
      await services.users.update(byName('user00002').id, { fields: { department: 'Research' } });
      const before = { head: await snapshot(head), branch: await snapshot(branch) };

      const result = await services.exporter.run(request({ format: 'ldif', path: join(dir, 'changes.ldif'), content: 'changes', columns: COLUMNS }));
      const offlineFile = join(dir, 'changes-branch-offline.ldif');
      const headFile = join(dir, 'changes-head-office.ldif');
      expect(result.files).toEqual([offlineFile, headFile]);
      const header = commentsOf(await readFile(offlineFile, 'utf8'));
      // No base DN was set on the offline realm: the header names the entry its users are under.
      expect(header).toContain(`# Directory: Branch (offline) (LDIF file) read from the LDIF file ${dump}, base DN ou=people,${BRANCH_BASE}`);
      expect(header).toContain(
        `# Roster reads this realm from an LDIF file: apply the change set to the directory that file was exported from (entries under ou=people,${BRANCH_BASE}), not to the file.`,
      );

      // Applied to the directory the file stands for, it changes exactly the offline realm's completion.
      await ldapmodify(branch, offlineFile);
      await ldapmodify(head, headFile);
      expect(await snapshot(branch)).toEqual(
        expectedAfter(before.branch, [{ dn: byName('user00101').origin!.dn, attribute: 'departmentNumber', values: ['Logistik'] }]),
      );
      expect(await snapshot(head)).toEqual(
        expectedAfter(before.head, [{ dn: byName('user00002').origin!.dn, attribute: 'departmentNumber', values: ['Research'] }]),
      );
    });
  }, 60_000);
});

describe('per-realm files without a server', () => {
  // Two Active Directory realms of 4 external users each, the second one read from an LDIF file (never read here).
  const seedAd = (dir: string) => seedTwoRealms(dir, { kind: 'active-directory', count: 4, externalEvery: 1, offlineSecond: '/srv/exports/zurich.ldif' });
  // Two OpenLDAP realms of 6 users each, every second one external.
  const seedLdap = (dir: string) => seedTwoRealms(dir, { kind: 'openldap', count: 6, externalEvery: 2 });

  /** Completes the department of the first two external users of each realm: Dept 1 and 2 in Head office, 3 and 4 in Zürich. */
  async function complete(services: Services): Promise<string[]> {
    const external = [...services.userStore.all()].filter((u) => u.kind === 'external');
    const picked = [...external.filter((u) => !u.username.endsWith('.zh')).slice(0, 2), ...external.filter((u) => u.username.endsWith('.zh')).slice(0, 2)];
    for (const [i, user] of picked.entries()) await services.users.update(user.id, { fields: { department: `Dept ${i + 1}` } });
    return picked.map((u) => u.username);
  }

  it('writes a PowerShell script and its CSV per realm, each script naming its directory', async () => {
    await withStore(async (services, dir) => {
      // Users are exported in username order.
      const [head, zurich] = await complete(services).then((names) => [names.slice(0, 2).sort(), names.slice(2).sort()]);
      const result = await services.exporter.run(request({ format: 'ps1', path: join(dir, 'apply.ps1'), content: 'changes', columns: ['department'] }));
      const files = {
        zurich: [join(dir, 'apply-branch-zurich.ps1'), join(dir, 'apply-branch-zurich.csv')],
        head: [join(dir, 'apply-head-office.ps1'), join(dir, 'apply-head-office.csv')],
      };
      expect(result.files).toEqual([...files.zurich, ...files.head]);
      expect(result.parts.map((p) => [p.realm?.name, p.files, p.users, p.records])).toEqual([
        ['Branch Zürich', files.zurich, 2, 2],
        ['Head office', files.head, 2, 2],
      ]);
      const csvUsers = async (file: string) =>
        (parse(await readFile(file), { bom: true, columns: true }) as Record<string, string>[]).map((r) => r.SamAccountName);
      expect(await csvUsers(files.zurich[1]!)).toEqual(zurich);
      expect(await csvUsers(files.head[1]!)).toEqual(head);

      const zurichScript = (await readFile(files.zurich[0]!, 'utf8')).split('\r\n');
      expect(zurichScript).toContain(
        'This script is for ONE directory: Branch Zürich (LDIF file) read from the LDIF file /srv/exports/zurich.ldif, base DN dc=zurich,dc=example,dc=org.',
      );
      expect(zurichScript).toContain('Roster reads that realm from an LDIF file: run the script against the domain the file was exported from.');
      expect(zurichScript).toContain("The other realms' users are in their own scripts: apply-head-office.ps1.");
      expect(zurichScript).toContain('  Users:     2 in the CSV of 2 exported');
      const headScript = (await readFile(files.head[0]!, 'utf8')).split('\r\n');
      expect(headScript).toContain(
        'This script is for ONE directory: Head office (Active Directory) at ldap://ldap.example.org:389, base DN dc=example,dc=org.',
      );
      expect(headScript).toContain('Run it against that domain only (-Server ldap.example.org).');
      expect(headScript).toContain('  Directory: Head office (Active Directory) at ldap://ldap.example.org:389, base DN dc=example,dc=org');
      expect(headScript.find((l) => l.startsWith('$Source = '))).toContain('; 2 users; for Head office (Active Directory) at ldap://ldap.example.org:389');
    }, seedAd);
  });

  it('keeps one CSV for every realm, with the realm column, and lists the realms in the XLSX About sheet', async () => {
    await withStore(async (services, dir) => {
      const names = await complete(services);
      const csv = await services.exporter.run(
        request({ format: 'csv', path: join(dir, 'changes.csv'), content: 'changes', columns: ['displayName', 'department'] }),
      );
      expect(csv.files).toEqual([join(dir, 'changes.csv')]);
      expect(csv.parts).toEqual([{ files: [join(dir, 'changes.csv')], users: 4, records: 4 }]);
      const records = parse(await readFile(join(dir, 'changes.csv')), { bom: true }) as string[][];
      expect(records[0]).toEqual(['directoryId', 'dn', 'username', 'realm', 'displayName', 'department']);
      // In username order, both realms in one file, each row saying whose it is.
      expect(names).toEqual(['user00002', 'user00004', 'user00002.zh', 'user00004.zh']);
      expect(records.slice(1).map((r) => [r[2], r[3], r[5]])).toEqual([
        ['user00002', 'Head office', 'Dept 1'],
        ['user00002.zh', 'Branch Zürich', 'Dept 3'],
        ['user00004', 'Head office', 'Dept 2'],
        ['user00004.zh', 'Branch Zürich', 'Dept 4'],
      ]);
      // A realm column the admin placed is kept where it is; a snapshot has it only when chosen.
      await services.exporter.run(request({ format: 'csv', path: join(dir, 'placed.csv'), content: 'changes', columns: ['department', 'realm'] }));
      expect((parse(await readFile(join(dir, 'placed.csv')), { bom: true }) as string[][])[0]).toEqual([
        'directoryId',
        'dn',
        'username',
        'department',
        'realm',
      ]);
      await services.exporter.run(request({ format: 'csv', path: join(dir, 'snapshot.csv'), content: 'snapshot', columns: ['department'] }));
      expect((parse(await readFile(join(dir, 'snapshot.csv')), { bom: true }) as string[][])[0]).toEqual(['directoryId', 'dn', 'username', 'department']);

      const xlsx = join(dir, 'changes.xlsx');
      await services.exporter.run(request({ format: 'xlsx', path: xlsx, content: 'changes', columns: ['department'] }));
      const book = await new ExcelJS.Workbook().xlsx.readFile(xlsx);
      const users = book.getWorksheet('Users')!;
      expect((users.getRow(1).values as unknown[]).slice(1)).toEqual(['directoryId', 'dn', 'username', 'realm', 'department']);
      const realmColumn: unknown[] = [];
      users.eachRow((row, n) => n > 1 && realmColumn.push(row.getCell(4).value));
      expect(realmColumn).toEqual(['Head office', 'Branch Zürich', 'Head office', 'Branch Zürich']);
      const about: unknown[][] = [];
      book.getWorksheet('About this export')!.eachRow((row) => about.push((row.values as unknown[]).slice(1)));
      expect(about).toContainEqual(['Realms', 'Branch Zürich, Head office']);
      const table = about.findIndex((r) => r[0] === 'Directories');
      expect(about.slice(table, table + 4)).toEqual([
        ['Directories'],
        ['Realm', 'Directory', 'Users', 'Base DN'],
        ['Branch Zürich', 'OpenLDAP: ldap://ldap.zurich.example.org:389', 2, 'dc=zurich,dc=example,dc=org'],
        ['Head office', 'OpenLDAP: ldap://ldap.example.org:389', 2, 'dc=example,dc=org'],
      ]);
    }, seedLdap);
  });

  it('plans every file of the set, refuses to replace any of them without overwrite, and replaces them all with it', async () => {
    await withStore(async (services, dir) => {
      await complete(services);
      const files = [join(dir, 'set-branch-zurich.ldif'), join(dir, 'set-head-office.ldif')];
      const asked = (overwrite = false) => request({ format: 'ldif', path: join(dir, 'set.ldif'), content: 'changes', columns: ['department'], overwrite });
      expect(services.exporter.plan(asked())).toMatchObject({ users: 4, files, existing: [] });
      // Only the second realm's file is there: the plan names it, and nothing is written.
      await writeFile(files[1]!, 'precious');
      expect(services.exporter.plan(asked())).toMatchObject({ files, existing: [files[1]] });
      expect(() => services.exporter.start(asked())).toThrow(`${files[1]} already exists; choose another name or confirm replacing it.`);
      await expect(services.exporter.run(asked())).rejects.toMatchObject({ code: 'conflict', details: { existing: files[1] } });
      await writeFile(files[0]!, 'precious too');
      await expect(services.exporter.run(asked())).rejects.toMatchObject({
        code: 'conflict',
        message: `${files[0]} and ${files[1]} already exist; choose another name or confirm replacing them.`,
        details: { existing: files.join('\n') },
      });
      expect([await readFile(files[0]!, 'utf8'), await readFile(files[1]!, 'utf8')]).toEqual(['precious too', 'precious']);
      expect(await readdir(dir).then((names) => names.filter((n) => n.startsWith('set')).sort())).toEqual(['set-branch-zurich.ldif', 'set-head-office.ldif']);

      const job = await services.jobs.wait(services.exporter.start(asked(true)).id);
      expect(job.state).toBe('done');
      expect(job.export?.files).toEqual(files);
      for (const file of files) expect(await readFile(file, 'utf8')).toMatch(/^version: 1\n/);
      expect((await readdir(dir)).filter((n) => n.includes('partial') || n.includes('replaced'))).toEqual([]);
    }, seedLdap);
  });

  it('a multi-file export cancelled or failing after the first realm’s file leaves none of the files', async () => {
    await withStore(async (services, dir) => {
      await complete(services);
      const leftovers = async () => (await readdir(dir)).filter((n) => n.startsWith('apply') || n.includes('partial'));

      // Cancelled once the first realm's script and CSV are written (its writer reports all its rows).
      const controller = new AbortController();
      const progress: number[] = [];
      const cancelled = services.exporter.run(request({ format: 'ps1', path: join(dir, 'apply.ps1'), content: 'changes', columns: ['department'] }), {
        signal: controller.signal,
        progress: (done) => {
          progress.push(done);
          if (done === 2) controller.abort();
        },
      });
      await expect(cancelled).rejects.toMatchObject({ code: 'cancelled', message: 'Export cancelled; no file was written.' });
      expect(progress).toEqual([0, 2]);
      expect(await leftovers()).toEqual([]);

      // Failing in the second realm's file, after the first one's were written.
      const failing = services.exporter.run(request({ format: 'ldif', path: join(dir, 'apply.ldif'), content: 'changes', columns: ['department'] }), {
        signal: new AbortController().signal,
        progress: (done) => {
          if (done > 2) throw new Error('No space left on device');
        },
      });
      await expect(failing).rejects.toMatchObject({ code: 'io' });
      await expect(failing).rejects.toThrow(
        `could not be written to ${join(dir, 'apply-branch-zurich.ldif')} and ${join(dir, 'apply-head-office.ldif')}: No space left on device`,
      );
      expect(await leftovers()).toEqual([]);
      expect(existsSync(join(dir, 'apply-branch-zurich.ldif'))).toBe(false);
      expect(await services.audit.query({ action: 'users.export' })).toEqual([]);
    }, seedAd);
  });
});
