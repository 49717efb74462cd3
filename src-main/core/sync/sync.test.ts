import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Attribute, Change, Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realmFromPreset } from '#shared/model/realm-presets';
import type { Job } from '#shared/model/sync';
import { generateUsers, startSlapd, type SlapdServer } from '../../../e2e/fixtures/slapd';
import { addRealm as addRealmWithPassword } from '../../../e2e/fixtures/users';
import { SessionSecretStore } from '../secrets/secret-store';
import { openServices, type Services } from '../services';

const USERS = 5_000;
let openldap: SlapdServer;
let ad: SlapdServer;

beforeAll(async () => {
  [openldap, ad] = await Promise.all([startSlapd({ flavor: 'openldap', users: USERS }), startSlapd({ flavor: 'ad', users: USERS })]);
}, 120_000);
afterAll(async () => {
  await openldap?.stop();
  await ad?.stop();
});

const open = (dataDir: string) =>
  openServices({ dataDir, owner: 'test', transport: 'cli', secrets: new SessionSecretStore('t'), version: 't', actor: 'alice' });

async function withStore<T>(work: (services: Services, dataDir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'roster-sync-'));
  const services = await open(dir);
  try {
    return await work(services, dir);
  } finally {
    await services.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

const addRealm = (services: Services, server: SlapdServer, kind: 'openldap' | 'active-directory', pageSize = 1000) => {
  const input = realmFromPreset(kind, { name: kind, urls: [server.url], bindDn: server.readerDn, baseDn: server.baseDn, tls: 'none' });
  input.search.pageSize = pageSize;
  return addRealmWithPassword(services, input, server.readerPassword);
};

/** Changes the directory as its owner would (as the root DN), never through Roster. */
async function asRoot(server: SlapdServer, work: (client: Client) => Promise<void>) {
  const client = new Client({ url: server.url });
  try {
    await client.bind(server.rootDn, server.rootPassword);
    await work(client);
  } finally {
    await client.unbind();
  }
}
const replace = (client: Client, dn: string, type: string, value: string) =>
  client.modify(dn, new Change({ operation: 'replace', modification: new Attribute({ type, values: [value] }) }));

const finished = async (services: Services, job: Job) => {
  const done = await services.jobs.wait(job.id);
  if (done.state !== 'done') throw new Error(`job ${done.state}: ${done.error?.message}`);
  return done.summary!;
};

describe.each([
  ['OpenLDAP', 'openldap', 'openldap'],
  ['AD-like (1000-entry limit)', 'ad', 'active-directory'],
] as const)('import from %s', (_name, flavor, kind) => {
  const server = () => (flavor === 'ad' ? ad : openldap);
  const expected = () => generateUsers(USERS, flavor, server().peopleDn);

  it(`imports * — all ${USERS.toLocaleString('en')} users, exactly`, async () => {
    await withStore(async (services) => {
      const realm = await addRealm(services, server(), kind);
      const search = await services.importer.search(realm.id, '*', undefined);
      expect(search.total).toBe(USERS);
      expect(search.counts).toEqual({ new: USERS, unchanged: 0, changed: 0, conflict: 0, clash: 0 });
      const summary = await finished(services, services.importer.run(search.searchId));
      expect(summary).toMatchObject({ created: USERS, updated: 0, conflicts: 0, disabledUpstream: flavor === 'ad' ? USERS / 10 : 0 });
      const usernames = expected().map((e) => String(e.attributes[flavor === 'ad' ? 'sAMAccountName' : 'uid']));
      const stored = [...services.userStore.all()].map((u) => u.username).sort();
      expect(stored).toEqual([...usernames].sort());
      const zoe = services.users.resolve('zangstrom');
      expect(zoe.fields).toMatchObject({
        displayName: 'Zoë Ångström',
        givenName: 'Zoë',
        surname: 'Ångström',
        email: `zangstrom@${flavor === 'ad' ? 'corp.example' : 'example.org'}`,
      });
      expect(zoe.origin?.externalId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      // Searching again: everything is already imported and unchanged.
      const again = await services.importer.search(realm.id, '*', undefined);
      expect(again.counts).toEqual({ new: 0, unchanged: USERS, changed: 0, conflict: 0, clash: 0 });
      expect((await services.audit.query({ action: 'user.import' })).length).toBe(USERS);
    });
  }, 120_000);

  it('imports by keyword and by filter; refuses an invalid filter with a clear message', async () => {
    await withStore(async (services) => {
      const realm = await addRealm(services, server(), kind);
      const keyword = await services.importer.search(realm.id, 'ångström', undefined);
      expect(services.importer.page(keyword.searchId, 0, 10).rows.map((r) => [r.username, r.status])).toEqual([['zangstrom', 'new']]);
      await finished(services, services.importer.run(keyword.searchId));

      const title = flavor === 'ad' ? 'department' : 'departmentNumber';
      const filtered = await services.importer.search(realm.id, '', `(&(${title}=Legal)(title=Director))`);
      const want = expected().filter((e) => e.attributes[title] === 'Legal' && e.attributes.title === 'Director');
      expect(filtered.total).toBe(want.length);
      expect(filtered.total).toBeGreaterThan(10);
      // Each row names the person, department and job title, so namesakes can be told apart.
      const first = services.importer.page(filtered.searchId, 0, 1).rows[0]!;
      const entry = want.find((e) => e.dn.toLowerCase() === first.dn.toLowerCase())!;
      expect(first).toMatchObject({ displayName: entry.attributes.displayName ?? entry.attributes.cn, department: 'Legal', title: 'Director' });
      await finished(
        services,
        services.importer.run(
          filtered.searchId,
          services.importer.page(filtered.searchId, 0, 5).rows.map((r) => r.dn),
        ),
      );
      expect(services.userStore.size).toBe(6);

      await expect(services.importer.search(realm.id, '', '(&(uid=a)(cn=b)')).rejects.toMatchObject({
        code: 'invalid-filter',
        message: expect.stringMatching(/^The LDAP filter \(&\(uid=a\)\(cn=b\) is not valid: .+\. Check the parentheses and escape/),
      });
    });
  }, 60_000);
});

describe('resync and reconcile against OpenLDAP', () => {
  it('resyncs one user after the directory changed, through candidates, preview and apply', async () => {
    await withStore(async (services) => {
      const realm = await addRealm(services, openldap, 'openldap');
      await finished(services, services.importer.run((await services.importer.search(realm.id, 'user00042', undefined)).searchId));
      const user = services.users.resolve('user00042');
      await services.users.update(user.id, { fields: { mobile: '+44 7700 900042' } });
      const dn = user.origin!.dn;
      await asRoot(openldap, (c) => replace(c, dn, 'title', 'Chief Tester'));
      const candidates = await services.resync.candidates(user.id, undefined);
      expect(candidates.map((c) => [c.dn, c.match])).toEqual([[dn, 'id']]);
      const diff = await services.resync.preview(user.id, realm.id, dn);
      const byField = Object.fromEntries(diff.fields.map((f) => [f.field, f]));
      expect(byField.title).toMatchObject({ base: 'Engineer', local: 'Engineer', directory: 'Chief Tester', outcome: 'take-directory' });
      expect(byField.mobile).toMatchObject({ local: '+44 7700 900042', directory: '', outcome: 'keep-local' });
      const detail = await services.resync.apply(user.id, realm.id, dn, {});
      expect(detail.user.fields).toMatchObject({ title: 'Chief Tester', mobile: '+44 7700 900042' });
      const entry = (await services.users.history(user.id))[0]!;
      expect(entry).toMatchObject({ action: 'user.resync', changes: [{ field: 'title', before: 'Engineer', after: 'Chief Tester' }] });
      // A row the merge settles on its own may be turned the other way; the note names it by its label.
      await asRoot(openldap, (c) => replace(c, dn, 'title', 'Head Tester'));
      const overridden = await services.resync.apply(user.id, realm.id, dn, { title: 'local' });
      expect(overridden.user.fields.title).toBe('Chief Tester');
      expect((await services.users.history(user.id))[0]!.note).toBe(`Resynced with ${dn}; chosen instead of the automatic result (Job title: Roster's value).`);
      await asRoot(openldap, (c) => replace(c, dn, 'title', 'Engineer'));
    });
  }, 60_000);

  it('reconciles a realm: updates, a rename upstream (same user), a deletion, a conflict queued, then resolved', async () => {
    await withStore(async (services) => {
      const realm = await addRealm(services, openldap, 'openldap', 500);
      await finished(services, services.importer.run((await services.importer.search(realm.id, 'user0010', undefined)).searchId));
      expect(services.userStore.size).toBe(10); // user00100..user00109
      const renamed = services.users.resolve('user00101');
      const conflicted = services.users.resolve('user00102');
      await services.users.update(conflicted.id, { fields: { department: 'Research' } });
      const gone = services.users.resolve('user00103');
      const dn = (i: number) => `uid=user${String(i).padStart(5, '0')},${openldap.peopleDn}`;
      await asRoot(openldap, async (c) => {
        await replace(c, dn(100), 'title', 'Director of Things');
        await c.modifyDN(dn(101), 'uid=user00101b');
        await replace(c, dn(102), 'departmentNumber', 'Facilities');
        await c.del(dn(103));
      });
      try {
        const summary = await finished(services, await services.resync.reconcile(realm.id));
        expect(summary).toMatchObject({ matched: 9, updated: 2, unchanged: 6, conflicts: 1, notFound: 1 });
        expect(services.userStore.size).toBe(10);
        const after = services.userStore.get(renamed.id)!;
        expect(after).toMatchObject({ username: 'user00101b', origin: { dn: `uid=user00101b,${openldap.peopleDn}`, externalId: renamed.origin!.externalId } });
        expect(services.userStore.get(gone.id)?.origin?.missingSince).toBeDefined();
        const waiting = services.users.detail(conflicted.id);
        expect(waiting.user.conflicts).toEqual([
          { field: 'department', base: 'Legal', local: 'Research', directory: 'Facilities', detectedAt: expect.any(String) },
        ]);
        expect(services.users.query({ search: '', conflicts: true, sort: { column: 'username', direction: 'asc' } }, 0, 5).rows.map((r) => r.username)).toEqual(
          ['user00102'],
        );
        // Messages name the field by its label, never by its key.
        expect(summary.changes.find((c) => c.username === 'user00102')?.note).toBe('1 conflict waits for a decision (Department).');
        const resolved = await services.resync.resolve(conflicted.id, { department: 'directory' });
        expect(resolved.user.fields.department).toBe('Facilities');
        expect((await services.users.history(conflicted.id))[0]!.note).toBe("Settled Department: directory's value.");
        expect(resolved.user.conflicts).toBeUndefined();
        expect(services.store.data.realms[0]?.lastReconcileAt).toBeDefined();
        expect((await services.audit.query({ action: 'realm.reconcile' }))[0]?.note).toBe(
          'Reconciled realm "openldap": 10 users compared; 2 updated, 6 unchanged, 1 with conflicts, 1 not found, 0 disabled upstream, 4990 new in the directory.',
        );
      } finally {
        await asRoot(openldap, async (c) => {
          await c.modifyDN(`uid=user00101b,${openldap.peopleDn}`, 'uid=user00101');
          await replace(c, dn(100), 'title', 'Manager');
          await replace(c, dn(102), 'departmentNumber', 'Legal');
        });
      }
    });
  }, 60_000);
});

describe('a server that dies mid-reconcile', () => {
  it('fails the job with a clear message and leaves the store as it was, as a reload shows', async () => {
    const server = await startSlapd({ flavor: 'openldap', users: 3000 });
    try {
      await withStore(async (services, dataDir) => {
        const realm = await addRealm(services, server, 'openldap', 100);
        await finished(services, services.importer.run((await services.importer.search(realm.id, '*', undefined)).searchId));
        const snapshot = (s: Services) => [...s.userStore.all()].sort((a, b) => a.id.localeCompare(b.id));
        const before = structuredClone(snapshot(services));
        // Kill the server as soon as the reconcile has read its first page.
        const stop = services.events.onAny((event, payload) => {
          if (event === 'jobs:progress' && (payload as { phase: string }).phase.startsWith('Reading')) {
            stop();
            server.kill();
          }
        });
        const job = await services.jobs.wait((await services.resync.reconcile(realm.id)).id);
        expect(job.state).toBe('failed');
        expect(job.error?.message).toMatch(/connection|closed|reach|refused|socket/i);
        expect(job.consistency).toBe('Nothing was changed: the directory was still being read.');
        await services.close();
        const reopened = await open(dataDir);
        try {
          expect(snapshot(reopened)).toEqual(before);
        } finally {
          await reopened.close();
        }
      });
    } finally {
      await server.stop().catch(() => undefined);
    }
  }, 60_000);

  it('a server killed mid-import: the job fails, and the store holds exactly the batches it said it saved', async () => {
    const server = await startSlapd({ flavor: 'openldap', users: 3000 });
    try {
      await withStore(async (services, dataDir) => {
        const realm = await addRealm(services, server, 'openldap', 200);
        // The server dies at a known point, after the second durable batch (400 users), whatever the machine's speed:
        // the reader reads at most two pages ahead, so pages are still to come.
        const first = services.jobs.hold('import', 'batch-saved');
        const started = services.importer.searchAndImport(realm.id, '*', undefined);
        await first.reached;
        const second = services.jobs.hold('import', 'batch-saved');
        first.release();
        await second.reached;
        server.kill();
        second.release();
        const job = await services.jobs.wait(started.id);
        expect(job.state).toBe('failed');
        expect(job.error?.message).toMatch(/connection|closed|reach|refused|socket/i);
        const saved = Number(/^The first ([\d,]+) entries were imported and saved/.exec(job.consistency ?? '')?.[1]?.replace(/,/g, ''));
        expect(saved).toBeGreaterThanOrEqual(400);
        expect(saved % 200).toBe(0);
        await services.close();
        const reopened = await open(dataDir);
        try {
          expect(reopened.userStore.size).toBe(saved);
          expect((await reopened.audit.query({ action: 'user.import' })).length).toBe(saved);
        } finally {
          await reopened.close();
        }
      });
    } finally {
      await server.stop().catch(() => undefined);
    }
  }, 60_000);
});
