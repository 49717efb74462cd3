import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realmFromPreset } from '#shared/model/realm-presets';
import { startSlapd, type SlapdServer } from '../../../e2e/fixtures/slapd';
import { addRealm, seedRealmUsers } from '../../../e2e/fixtures/users';
import { expectedAfter, ldapmodify, request, snapshot, withStore } from './export-fixtures';

describe('LDIF change set against a real slapd', () => {
  let server: SlapdServer;
  beforeAll(async () => {
    server = await startSlapd({ flavor: 'openldap', users: 20 });
  }, 60_000);
  afterAll(async () => server?.stop());

  it('ldapmodify applies exactly the completed attributes, and a following resync finds no conflicts', async () => {
    await withStore(async (services, dir) => {
      const realm = await addRealm(
        services,
        realmFromPreset('openldap', { name: 'Lab', urls: [server.url], bindDn: server.readerDn, baseDn: server.baseDn, tls: 'none' }),
        server.readerPassword,
      );
      const search = await services.importer.search(realm.id, '*', undefined);
      const imported = await services.jobs.wait(services.importer.run(search.searchId).id);
      expect(imported.summary?.created).toBe(20);

      const byName = (username: string) => services.users.resolve(username);
      // Three completions: a plain department, an accented one (base64 in LDIF), a new mobile number,
      // and one value emptied in Roster (the directory's employeeNumber of user00003 is removed).
      await services.users.update(byName('zangstrom').id, { fields: { department: 'Field Operations' } });
      await services.users.update(byName('user00002').id, { fields: { department: 'Ingénierie', mobile: '+33 6 12 34 56 78' } });
      await services.users.update(byName('user00003').id, { fields: { employeeId: '' } });
      const before = await snapshot(server);

      const out = join(dir, 'changes.ldif');
      const plan = services.exporter.plan(request({ format: 'ldif', path: out, content: 'changes', columns: ['department', 'mobile', 'employeeId'] }));
      expect(plan).toMatchObject({ users: 3, existing: [] });
      expect(plan.skipped).toEqual([{ reason: 'no changes since the last sync', count: 17 }]);
      const result = await services.exporter.run(request({ format: 'ldif', path: out, content: 'changes', columns: ['department', 'mobile', 'employeeId'] }));
      // One realm in scope: one file, under the name asked for.
      expect(result).toMatchObject({
        users: 3,
        records: 3,
        files: [out],
        parts: [{ realm: { id: realm.id, name: 'Lab' }, files: [out], users: 3, records: 3 }],
      });

      const ldif = await readFile(out, 'utf8');
      expect(ldif).toContain('replace: departmentNumber\ndepartmentNumber: Field Operations\n-');
      // Non-ASCII values go base64.
      expect(ldif).toContain(`departmentNumber:: ${Buffer.from('Ingénierie').toString('base64')}`);
      expect(ldif).toMatch(/replace: employeeNumber\n-/);
      // The header names the directory the file is for.
      expect(ldif.replace(/\n /g, '')).toContain(`# Directory: Lab (OpenLDAP) at ${server.url}, base DN ${server.baseDn}\n`);

      await ldapmodify(server, out);
      const after = await snapshot(server);

      // Exactly the completed attributes changed; every other attribute of every entry is as it was.
      const dnOf = (username: string) => byName(username).origin!.dn;
      expect(after).toEqual(
        expectedAfter(before, [
          { dn: dnOf('zangstrom'), attribute: 'departmentNumber', values: ['Field Operations'] },
          { dn: dnOf('user00002'), attribute: 'departmentNumber', values: ['Ingénierie'] },
          { dn: dnOf('user00002'), attribute: 'mobile', values: ['+33 6 12 34 56 78'] },
          { dn: dnOf('user00003'), attribute: 'employeeNumber', values: undefined },
        ]),
      );

      const reconcile = await services.jobs.wait((await services.resync.reconcile(realm.id)).id);
      expect(reconcile.state).toBe('done');
      expect(reconcile.summary).toMatchObject({ conflicts: 0, notFound: 0 });
      // The directory now holds what Roster had: nothing is left to hand over.
      expect(services.reports.overview().reports.find((r) => r.id === 'unexported')?.count).toBe(0);
      expect(services.users.engine.matching({ search: '', sort: { column: 'username', direction: 'asc' }, completions: true })).toHaveLength(0);
    });
  }, 60_000);
});

describe('export service', () => {
  // 30 synthetic users, every second one external (15), user 26 with a local title (a completion).
  const seed = (dir: string) => seedRealmUsers(dir, 30, { externalEvery: 2 });

  it('refuses to replace a file without overwrite, and replaces it with it', async () => {
    await withStore(async (services, dir) => {
      const out = join(dir, 'users.csv');
      await writeFile(out, 'precious');
      expect(services.exporter.plan(request({ format: 'csv', path: out })).existing).toEqual([out]);
      expect(() => services.exporter.start(request({ format: 'csv', path: out }))).toThrow(/already exists; choose another name or confirm replacing it/);
      await expect(services.exporter.run(request({ format: 'csv', path: out }))).rejects.toMatchObject({ code: 'conflict' });
      expect(await readFile(out, 'utf8')).toBe('precious');
      const job = await services.jobs.wait(services.exporter.start(request({ format: 'csv', path: out, overwrite: true })).id);
      expect(job.state).toBe('done');
      expect(job.export).toMatchObject({ users: 30, format: 'csv', files: [out] });
      expect(await readFile(out, 'utf8')).toContain('directoryId');
    }, seed);
  });

  it('a cancelled export leaves no file, not even a partial one', async () => {
    await withStore(async (services, dir) => {
      const out = join(dir, 'users.xlsx');
      const controller = new AbortController();
      controller.abort();
      await expect(services.exporter.run(request({ format: 'xlsx', path: out }), { signal: controller.signal, progress: () => {} })).rejects.toMatchObject({
        code: 'cancelled',
      });
      expect(existsSync(out)).toBe(false);
      expect((await readdir(dir)).filter((f) => f.includes('partial'))).toEqual([]);
    }, seed);
  });

  it('says what a format leaves out, records the export in the audit journal and marks the changes it carried', async () => {
    await withStore(async (services, dir) => {
      const unexported = () => services.reports.overview().reports.find((r) => r.id === 'unexported')!.count;
      const external = [...services.userStore.all()].filter((u) => u.kind === 'external');
      await services.users.update(external[0]!.id, { fields: { department: 'Audit' } });
      await services.users.update(external[1]!.id, { fields: { office: 'B-204' } });
      const withTitle = [...services.userStore.all()].filter((u) => u.kind === 'external' && u.fields.title !== u.origin!.base.title).length;
      expect(unexported()).toBe(2 + withTitle);

      const plan = services.exporter.plan(request({ format: 'ldif', path: join(dir, 'all.ldif') }));
      expect(plan.skipped).toContainEqual({ reason: 'internal users: they have no directory entry to change', count: 15 });

      // Only the department column: the office change is not carried, so that user still counts as unexported.
      const out = join(dir, 'dept.csv');
      const result = await services.exporter.run(request({ format: 'csv', path: out, content: 'changes', columns: ['department'] }));
      expect(result.users).toBe(1);
      expect(unexported()).toBe(1 + withTitle);
      const entries = await services.audit.query({ action: 'users.export' });
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ who: 'alice', action: 'users.export' });
      expect(entries[0]!.note).toContain(`as CSV to ${out}`);
      // Changed again after the export: unexported again.
      await services.users.update(external[0]!.id, { fields: { department: 'Audit & Risk' } });
      expect(unexported()).toBe(2 + withTitle);
    }, seed);
  });
});
