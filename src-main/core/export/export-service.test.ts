import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realmFromPreset } from '../../../src-shared/model/realm-presets';
import { exportRequestSchema, type ExportRequestInput } from '../../../src-shared/model/export';
import { startSlapd, type SlapdServer } from '../../../e2e/fixtures/slapd';
import { seedRealmUsers } from '../../../e2e/fixtures/users';
import { SessionSecretStore } from '../secrets/secret-store';
import { openServices, type Services } from '../services';

const run = promisify(execFile);

const open = (dataDir: string) =>
  openServices({ dataDir, owner: 'test', transport: 'cli', secrets: new SessionSecretStore('t'), version: 't', actor: 'alice' });

async function withStore<T>(work: (services: Services, dir: string) => Promise<T>, seed?: (dir: string) => Promise<unknown>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'roster-export-'));
  await seed?.(dir);
  const services = await open(dir);
  try {
    return await work(services, dir);
  } finally {
    await services.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

const request = (input: ExportRequestInput) => exportRequestSchema.parse(input);

/** Every attribute of every user entry, as the directory holds it (operational attributes left out). */
async function snapshot(server: SlapdServer): Promise<Map<string, Record<string, string[]>>> {
  const client = new Client({ url: server.url });
  try {
    await client.bind(server.rootDn, server.rootPassword);
    const { searchEntries } = await client.search(server.peopleDn, { scope: 'one', filter: '(objectClass=inetOrgPerson)' });
    const entries = new Map<string, Record<string, string[]>>();
    for (const entry of searchEntries) {
      const attributes: Record<string, string[]> = {};
      for (const [name, value] of Object.entries(entry)) {
        if (name === 'dn') continue;
        attributes[name] = (Array.isArray(value) ? value : [value]).map(String).sort();
      }
      entries.set(entry.dn, attributes);
    }
    return entries;
  } finally {
    await client.unbind();
  }
}

describe('LDIF change set against a real slapd', () => {
  let server: SlapdServer;
  beforeAll(async () => {
    server = await startSlapd({ flavor: 'openldap', users: 20 });
  }, 60_000);
  afterAll(async () => server?.stop());

  it('ldapmodify applies exactly the completed attributes, and a following resync finds no conflicts', async () => {
    await withStore(async (services, dir) => {
      const realm = await services.realms.create(
        realmFromPreset('openldap', { name: 'Lab', urls: [server.url], bindDn: server.readerDn, baseDn: server.baseDn }),
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
      expect(result).toMatchObject({ users: 3, records: 3, files: [out] });

      const ldif = await readFile(out, 'utf8');
      expect(ldif).toContain('replace: departmentNumber\ndepartmentNumber: Field Operations\n-');
      // Non-ASCII values go base64.
      expect(ldif).toContain(`departmentNumber:: ${Buffer.from('Ingénierie').toString('base64')}`);
      expect(ldif).toMatch(/replace: employeeNumber\n-/);

      await run('ldapmodify', ['-x', '-H', server.url, '-D', server.rootDn, '-w', server.rootPassword, '-f', out], {
        env: { ...process.env, LDAPNOINIT: '1' },
      });
      const after = await snapshot(server);

      // Exactly the completed attributes changed; every other attribute of every entry is as it was.
      const dnOf = (username: string) => byName(username).origin!.dn;
      const expected = new Map(before);
      const set = (username: string, attribute: string, values: string[] | undefined) => {
        const entry = { ...expected.get(dnOf(username))! };
        if (values) entry[attribute] = values;
        else delete entry[attribute];
        expected.set(dnOf(username), entry);
      };
      set('zangstrom', 'departmentNumber', ['Field Operations']);
      set('user00002', 'departmentNumber', ['Ingénierie']);
      set('user00002', 'mobile', ['+33 6 12 34 56 78']);
      set('user00003', 'employeeNumber', undefined);
      expect(after).toEqual(expected);

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
