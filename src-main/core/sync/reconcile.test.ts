import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { Attribute, Change, Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RealmInput } from '#shared/model/realm';
import { realmFromPreset } from '#shared/model/realm-presets';
import { adDelete, adModify, adRename, adRestore } from '../../../e2e/fixtures/ad-usn';
import { incrementalMatchesFull, openAt, twinStore, type TestClock } from '../../../e2e/fixtures/reconcile-kit';
import { startSlapd, toFiletime, type SlapdServer } from '../../../e2e/fixtures/slapd';
import { addRealm } from '../../../e2e/fixtures/users';
import { generalizedTime, generalizedTimeMs } from './change-markers';
import type { ReconcileOptions } from './reconcile';

const run = promisify(execFile);
// Long before any test runs: seeded entries are far outside the clock overlap, so only real changes are read.
const SEED = new Date('2026-01-05T08:00:00Z');
const MINUTE = 60_000;

/** Changes the directory as its owner would (the root DN), never through Roster. */
async function asRoot<T>(server: SlapdServer, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ url: server.url });
  try {
    await client.bind(server.rootDn, server.rootPassword);
    return await work(client);
  } finally {
    await client.unbind();
  }
}
const replace = (type: string, value: string) => new Change({ operation: 'replace', modification: new Attribute({ type, values: [value] }) });

/** `count` uids of users now in the realm (the tests share one server, which earlier tests changed at random). */
const liveUids = async (server: SlapdServer, from: number, count: number): Promise<string[]> =>
  asRoot(server, async (c) => {
    const found = await c.search(server.baseDn, { filter: '(&(objectClass=inetOrgPerson)(!(description=left))(uid=user*))', attributes: ['uid'] });
    const uids = found.searchEntries.map((e) => String(e.uid)).sort();
    return uids.slice(from, from + count);
  });

/** A user's DN on an OpenLDAP test server (uid is the RDN). */
const dnOfUid = async (server: SlapdServer, uid: string): Promise<string> =>
  asRoot(server, async (c) => {
    const found = (await c.search(server.baseDn, { filter: `(uid=${uid})`, attributes: ['1.1'] })).searchEntries;
    if (found.length !== 1) throw new Error(`${found.length} entries with uid=${uid}`);
    return found[0]!.dn;
  });

/**
 * A data folder with a realm over `server`, every user imported, and a first (full) reconcile done. `touch`
 * changes one entry first: on a server that keeps only modifyTimestamp, the newest stamp is then now, not the
 * seed's, so the seeded entries lie outside the clock overlap.
 */
async function seededStore(server: SlapdServer, input: RealmInput, clock: TestClock, touch?: () => Promise<void>, folder?: string) {
  const dataDir = folder ?? (await mkdtemp(join(tmpdir(), 'roster-reconcile-')));
  const services = await openAt(dataDir, clock);
  const realm = await addRealm(services, input, server.readerPassword);
  const imported = await services.importer.streamImport(realm.id, services.importer.filterFor(realm.id, '*'));
  expect(imported.created).toBeGreaterThan(0);
  clock.ms += MINUTE;
  await touch?.();
  const first = await services.resync.reconcileNow(realm.id);
  expect(first.reconcile).toMatchObject({ mode: 'full', reason: 'first reconcile of this realm (no change markers kept from an earlier one)' });
  clock.ms += MINUTE;
  return { dataDir, services, realmId: realm.id, password: { realmId: realm.id, password: server.readerPassword } };
}

/** Stamps user00300 now (an attribute no realm maps). */
const touchLast = (server: SlapdServer) => async () =>
  asRoot(server, async (c) => c.modify(await dnOfUid(server, 'user00300'), replace('street', `tick ${Date.now()}`)));

const openldapRealm = (server: SlapdServer, pageSize = 100): RealmInput => {
  const input = realmFromPreset('openldap', { name: 'lab', urls: [server.url], bindDn: server.readerDn, baseDn: server.baseDn, tls: 'none' });
  // Users with description=left leave the realm without being deleted.
  input.search.userFilter = '(&(objectClass=inetOrgPerson)(!(description=left)))';
  // Small pages: the sweep and every read go over several.
  input.search.pageSize = pageSize;
  return input;
};

describe('incremental reconcile against OpenLDAP (modifyTimestamp)', () => {
  let server: SlapdServer;
  const cleanup: string[] = [];
  beforeAll(async () => {
    server = await startSlapd({
      flavor: 'openldap',
      users: 300,
      seedTime: SEED,
      extraEntries: [
        { dn: 'ou=elsewhere,dc=example,dc=org', attributes: { objectClass: ['top', 'organizationalUnit'], ou: 'elsewhere' } },
        // Holds two attributes a custom field may be mapped to in turn.
        { dn: 'uid=custom1', attributes: { objectClass: ['inetOrgPerson'], uid: 'custom1', cn: 'Custom One', sn: 'One', l: 'Lyon', carLicense: 'CAR-1' } },
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    for (const dir of cleanup) await rm(dir, { recursive: true, force: true });
  });

  it('reads only what changed, finds deleted, moved and departed users by an id-only sweep, and ends as a full reconcile would', async () => {
    const clock = { ms: Date.parse('2026-06-01T09:00:00Z') };
    const seeded = await seededStore(server, openldapRealm(server), clock, touchLast(server));
    cleanup.push(seeded.dataDir);
    const realm = seeded.services.realms.resolve(seeded.realmId);
    // The newest stamp seen (the seed's) less the time the read took: a server time, never this machine's.
    expect(realm.sync?.marker.kind).toBe('timestamp');
    expect(generalizedTimeMs((realm.sync!.marker as { time: string }).time)!).toBeGreaterThan(SEED.getTime());

    await asRoot(server, async (c) => {
      for (const uid of ['user00002', 'user00003', 'user00004']) await c.modify(await dnOfUid(server, uid), replace('title', `Changed ${uid}`));
      await c.modifyDN(await dnOfUid(server, 'user00005'), 'uid=renamed5');
      await c.modifyDN(await dnOfUid(server, 'user00006'), 'uid=user00006,ou=elsewhere,dc=example,dc=org');
      await c.del(await dnOfUid(server, 'user00007'));
      await c.del(await dnOfUid(server, 'user00008'));
      await c.modify(await dnOfUid(server, 'user00009'), replace('description', 'left'));
      await c.add('uid=newcomer,ou=people,dc=example,dc=org', { objectClass: ['inetOrgPerson'], uid: 'newcomer', cn: 'New Comer', sn: 'Comer' });
    });
    // A local edit of a field the directory also changed (a conflict), and a local completion.
    const services = seeded.services;
    await services.users.update(services.users.resolve('user00004').id, { fields: { title: 'Local title' } });
    await services.users.update(services.users.resolve('user00011').id, { fields: { mobile: '+49 30 1234567' } });
    // An id kept in another spelling (an earlier export, a hand edit): a reconcile writes it as the server spells it.
    const spelled = services.users.resolve('user00012');
    await services.userStore.transact(() => ({
      ops: [{ put: { ...spelled, origin: { ...spelled.origin!, externalId: spelled.origin!.externalId.toUpperCase() } } }],
      audit: [],
      result: undefined,
    }));
    clock.ms += MINUTE;

    const stores = await twinStore(services, seeded.dataDir, clock, seeded.password);
    cleanup.push(stores.twinDir);
    try {
      const { incremental } = await incrementalMatchesFull(stores, seeded.realmId, clock);
      expect(incremental.reconcile).toMatchObject({
        mode: 'incremental',
        reason: "the last reconcile's change markers hold: the same server, search and mapping",
        // 3 modified, renamed, moved (a rename stamps the entry), the newcomer, user00300 touched before the
        // last reconcile (within the clock overlap); user00009 left the filter.
        entriesRead: 7,
        idsSwept: 301 - 2 - 1 + 1,
        reread: 0,
      });
      expect(incremental).toMatchObject({ matched: 298, updated: 4, conflicts: 1, notFound: 3, unchanged: 293, newInDirectory: 1 });
      const byName = (name: string) => stores.first.users.resolve(name);
      expect(byName('user00002').fields.title).toBe('Changed user00002');
      expect(byName('user00004').conflicts?.map((c) => [c.field, c.local, c.directory])).toEqual([['title', 'Local title', 'Changed user00004']]);
      // The rename changed the username (the uid) of the same user; the move changed only the DN.
      expect(byName('renamed5').origin?.dn).toBe('uid=renamed5,ou=people,dc=example,dc=org');
      expect(byName('user00006').origin?.dn).toBe('uid=user00006,ou=elsewhere,dc=example,dc=org');
      for (const gone of ['user00007', 'user00008', 'user00009']) expect(byName(gone).origin?.missingSince).toBe(new Date(clock.ms - MINUTE).toISOString());
      expect(() => byName('newcomer')).toThrow();
      expect(byName('user00011').fields.mobile).toBe('+49 30 1234567');
      expect(byName('user00012').origin?.externalId).toBe(spelled.origin!.externalId);

      // Nothing changed since: only the entries stamped within the clock overlap are read again, and users
      // whose comparison changes nothing are left exactly as they were (not even rewritten).
      const before = new Map([...stores.first.userStore.all()].map((u) => [u.id, u]));
      const again = await stores.first.resync.reconcileNow(seeded.realmId);
      expect(again.reconcile).toMatchObject({ mode: 'incremental', entriesRead: 7, idsSwept: 299 });
      expect(again).toMatchObject({ updated: 0, unchanged: 297, notFound: 3, conflicts: 1 });
      const rewritten = [...stores.first.userStore.all()].filter((u) => u !== before.get(u.id)).map((u) => u.username);
      // Only the waiting conflict is found again (as a full reconcile finds it); entries read again as they were synced are not rewritten.
      expect(rewritten).toEqual(['user00004']);
    } finally {
      await stores.close();
    }
  });

  it('ends as a full reconcile would over random change sets: modifications, renames, moves, an OU renamed, deletions, departures, local edits and resyncs', async () => {
    const clock = { ms: Date.parse('2026-07-01T09:00:00Z') };
    const ou = { name: 'elsewhere' };
    const seeded = await seededStore(server, openldapRealm(server, 50), clock, touchLast(server));
    cleanup.push(seeded.dataDir);
    const stores = await twinStore(seeded.services, seeded.dataDir, clock, seeded.password);
    cleanup.push(stores.twinDir);
    const realmId = seeded.realmId;
    let added = 0;
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('modify' as const),
        pick: fc.nat(),
        attribute: fc.constantFrom('title', 'mail', 'telephoneNumber', 'displayName'),
        value: fc.stringMatching(/^[A-Za-z][A-Za-z .]{0,11}$/),
      }),
      fc.record({ kind: fc.constant('rename' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('move' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('renameOu' as const) }),
      fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('leave' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('rejoin' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('add' as const) }),
      fc.record({ kind: fc.constant('localEdit' as const), pick: fc.nat(), value: fc.constantFrom('', 'Local', 'Changed') }),
      fc.record({ kind: fc.constant('resyncOne' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('titleOwner' as const), owner: fc.constantFrom('directory' as const, 'local' as const) }),
    );
    type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;
    const entries = (filter: string) =>
      asRoot(server, async (c) => (await c.search(server.baseDn, { filter, attributes: ['uid'] })).searchEntries.map((e) => e.dn).sort());
    const apply = async (o: Op) => {
      // custom1 is a later test's own; user00300 is stamped before each first reconcile.
      const people = await entries('(&(objectClass=inetOrgPerson)(!(uid=custom1))(!(uid=user00300)))');
      const dn = 'pick' in o ? people[o.pick % people.length]! : '';
      await asRoot(server, async (c) => {
        if (o.kind === 'modify') await c.modify(dn, replace(o.attribute, o.value.trim() || 'x'));
        else if (o.kind === 'rename') await c.modifyDN(dn, `uid=r${Date.now().toString(36)}${o.pick}`);
        else if (o.kind === 'move')
          await c.modifyDN(dn, `${dn.split(',')[0]},${dn.includes(`ou=${ou.name}`) ? 'ou=people' : `ou=${ou.name}`},dc=example,dc=org`);
        else if (o.kind === 'renameOu') {
          // A container renamed: the entries under it move without being stamped themselves.
          const next = ou.name === 'elsewhere' ? 'elsewhere2' : 'elsewhere';
          await c.modifyDN(`ou=${ou.name},dc=example,dc=org`, `ou=${next}`);
          ou.name = next;
        } else if (o.kind === 'delete') await c.del(dn);
        else if (o.kind === 'leave') await c.modify(dn, replace('description', 'left'));
        else if (o.kind === 'rejoin')
          await c.modify(dn, new Change({ operation: 'delete', modification: new Attribute({ type: 'description' }) })).catch(() => undefined);
        else if (o.kind === 'add') {
          added += 1;
          await c.add(`uid=added${added},ou=people,dc=example,dc=org`, {
            objectClass: ['inetOrgPerson'],
            uid: `added${added}`,
            cn: `Added ${added}`,
            sn: 'Added',
          });
        }
      });
      if (o.kind === 'titleOwner')
        for (const services of [stores.first, stores.twin, stores.witness]) await services.settings.setPolicy('title', { owner: o.owner });
      if (o.kind === 'localEdit' || o.kind === 'resyncOne') {
        const users = [...stores.first.userStore.all()].filter((u) => u.origin?.realmId === realmId).sort((a, b) => a.id.localeCompare(b.id));
        const user = users[o.pick % users.length]!;
        for (const services of [stores.first, stores.twin, stores.witness]) {
          // A field the directory owns is read-only for external users: refused the same way in both stores.
          if (o.kind === 'localEdit') await services.users.update(user.id, { fields: { title: o.value } }).catch(() => undefined);
          // Synced outside a reconcile: the incremental one must not trust what it stored before.
          else await services.resync.resyncNow([services.userStore.get(user.id)!], realmId);
        }
      }
    };
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 8 }), async (ops) => {
        for (const o of ops) await apply(o);
        clock.ms += MINUTE;
        const { incremental } = await incrementalMatchesFull(stores, realmId, clock);
        expect(incremental.reconcile?.mode).toBe('incremental');
      }),
      // Each run changes the one directory further: no shrinking (it would replay on another state).
      { numRuns: 12, endOnFailure: true },
    );
    await stores.close();
  });

  it("takes the directory value of a field that became the directory's, for users whose entries did not change", async () => {
    const clock = { ms: Date.parse('2026-07-15T09:00:00Z') };
    const seeded = await seededStore(server, openldapRealm(server), clock, touchLast(server));
    cleanup.push(seeded.dataDir);
    const services = seeded.services;
    const [uid] = (await liveUids(server, 40, 1)) as [string];
    const directoryTitle = services.users.resolve(uid).origin!.base.title;
    await services.users.update(services.users.resolve(uid).id, { fields: { title: 'Local title' } });
    await services.settings.setPolicy('title', { owner: 'directory' });
    clock.ms += MINUTE;
    const stores = await twinStore(services, seeded.dataDir, clock, seeded.password);
    cleanup.push(stores.twinDir);
    try {
      const { incremental } = await incrementalMatchesFull(stores, seeded.realmId, clock);
      expect(incremental.reconcile?.mode).toBe('incremental');
      expect(stores.first.users.resolve(uid).fields.title).toBe(directoryTitle);
      await stores.first.settings.setPolicy('title', { owner: 'local' });
    } finally {
      await stores.close();
    }
  });

  it('catches on the next reconcile what changed while one ran, with no clock overlap', async () => {
    const clock = { ms: Date.parse('2026-08-01T09:00:00Z') };
    const seeded = await seededStore(server, openldapRealm(server), clock, touchLast(server));
    cleanup.push(seeded.dataDir);
    const services = seeded.services;
    const during: Record<string, string> = {};
    const [a, b, c] = (await liveUids(server, 20, 3)) as [string, string, string];
    const hold: ReconcileOptions['checkpoint'] = async (point) => {
      const uid = { 'state-read': a, 'changes-read': b, swept: c }[point];
      during[uid] = `During ${point}`;
      await asRoot(server, async (c) => c.modify(await dnOfUid(server, uid), replace('title', during[uid]!)));
    };
    const held = await services.resync.reconcileNow(seeded.realmId, { checkpoint: hold, overlapMs: 0 });
    expect(held.reconcile?.mode).toBe('incremental');
    clock.ms += MINUTE;
    const stores = await twinStore(services, seeded.dataDir, clock, seeded.password);
    cleanup.push(stores.twinDir);
    try {
      const next = await incrementalMatchesFull(stores, seeded.realmId, clock, { overlapMs: 0 });
      expect(next.incremental.reconcile?.mode).toBe('incremental');
      for (const [uid, title] of Object.entries(during)) expect(stores.first.users.resolve(uid).fields.title).toBe(title);
    } finally {
      await stores.close();
    }
  });

  it('covers a server clock stepped back by less than the overlap; a change stamped further back only a full reconcile sees', async () => {
    const clock = { ms: Date.parse('2026-09-01T09:00:00Z') };
    const seeded = await seededStore(server, openldapRealm(server), clock, touchLast(server));
    cleanup.push(seeded.dataDir);
    const services = seeded.services;
    const [fresh, near, far] = (await liveUids(server, 30, 3)) as [string, string, string];
    // A fresh change moves the marker to now (the server's now).
    await asRoot(server, async (c) => c.modify(await dnOfUid(server, fresh), replace('title', 'Fresh')));
    expect((await services.resync.reconcileNow(seeded.realmId)).reconcile?.mode).toBe('incremental');
    const marker = services.realms.resolve(seeded.realmId).sync!.marker as { kind: 'timestamp'; time: string };
    expect(marker.kind).toBe('timestamp');
    const stampedBefore = async (uid: string, minutes: number, title: string) => {
      const ldif = `dn: ${await dnOfUid(server, uid)}\nchangetype: modify\nreplace: title\ntitle: ${title}\n-\nreplace: modifyTimestamp\nmodifyTimestamp: ${generalizedTime(generalizedTimeMs(marker.time)! - minutes * MINUTE)}\n`;
      const file = join(seeded.dataDir, 'skew.ldif');
      await writeFile(file, ldif);
      // The Relax Rules control lets the root DN write modifyTimestamp: a change the server stamped in its past.
      await run('ldapmodify', ['-x', '-H', server.url, '-D', server.rootDn, '-w', server.rootPassword, '-e', 'relax', '-f', file]);
    };
    await stampedBefore(near, 5, 'Five minutes back');
    clock.ms += MINUTE;
    const caught = await services.resync.reconcileNow(seeded.realmId);
    expect(caught.reconcile?.mode).toBe('incremental');
    expect(services.users.resolve(near).fields.title).toBe('Five minutes back');
    // The marker never goes back to the stepped-back stamp.
    const kept = services.realms.resolve(seeded.realmId).sync!.marker as { time: string };
    expect(generalizedTimeMs(kept.time)!).toBeGreaterThanOrEqual(generalizedTimeMs(marker.time)!);

    await stampedBefore(far, 30, 'Half an hour back');
    clock.ms += MINUTE;
    expect((await services.resync.reconcileNow(seeded.realmId)).reconcile?.mode).toBe('incremental');
    expect(services.users.resolve(far).fields.title).not.toBe('Half an hour back');
    clock.ms += MINUTE;
    expect((await services.resync.reconcileNow(seeded.realmId, { full: true })).reconcile?.mode).toBe('full');
    expect(services.users.resolve(far).fields.title).toBe('Half an hour back');
    await services.close();
  });

  it('reads again a user synced since the last reconcile: what it stored may not be what that reconcile saw', async () => {
    const clock = { ms: Date.parse('2026-09-15T09:00:00Z') };
    const site = (ldapAttribute: string) => ({ key: 'site', label: 'Site', ldapAttribute, owner: 'directory' as const });
    const dataDir = await mkdtemp(join(tmpdir(), 'roster-reconcile-'));
    cleanup.push(dataDir);
    const setup = await openAt(dataDir, clock);
    await setup.settings.addField(site('l'));
    await setup.close();
    const seeded = await seededStore(server, openldapRealm(server), clock, touchLast(server), dataDir);
    const services = seeded.services;
    expect(services.users.resolve('custom1').fields.site).toBe('Lyon');
    // The field is mapped to another attribute for a while, one user is resynced meanwhile, and it comes back:
    // the realm reads as it did at the last reconcile, but that user's stored values come from the other attribute.
    await services.settings.removeField('site');
    await services.settings.addField(site('carLicense'));
    await services.resync.resyncNow([services.users.resolve('custom1')], seeded.realmId);
    expect(services.users.resolve('custom1').fields.site).toBe('CAR-1');
    await services.settings.removeField('site');
    await services.settings.addField(site('l'));
    clock.ms += MINUTE;
    const stores = await twinStore(services, seeded.dataDir, clock, seeded.password);
    cleanup.push(stores.twinDir);
    try {
      const { incremental } = await incrementalMatchesFull(stores, seeded.realmId, clock, { overlapMs: 0 });
      expect(incremental.reconcile).toMatchObject({ mode: 'incremental', reread: 1 });
      expect(stores.first.users.resolve('custom1').fields.site).toBe('Lyon');
    } finally {
      await stores.close();
    }
  });

  it('forgets its markers when the realm is edited to read otherwise, and keeps them through a rename', async () => {
    const clock = { ms: Date.parse('2026-10-01T09:00:00Z') };
    const seeded = await seededStore(server, openldapRealm(server), clock, touchLast(server));
    cleanup.push(seeded.dataDir);
    const services = seeded.services;
    const realm = services.realms.resolve(seeded.realmId);
    const { id: _id, order: _order, lastTest: _test, lastReconcileAt: _last, sync, ...input } = realm;
    await services.realms.update(realm.id, { ...input, name: 'lab (renamed)' });
    expect(services.realms.resolve(realm.id).sync).toEqual(sync);
    expect((await services.resync.reconcileNow(realm.id)).reconcile?.mode).toBe('incremental');
    await services.realms.update(realm.id, { ...input, mapping: { ...input.mapping, title: ['description', 'title'] } });
    expect(services.realms.resolve(realm.id).sync).toBeUndefined();
    expect((await services.resync.reconcileNow(realm.id)).reconcile).toMatchObject({ mode: 'full', reason: expect.stringMatching(/^first reconcile/) });
    await services.close();
  });

  it('counts the entries no Roster user is linked to: added since the last reconcile, and older ones never imported, the same in incremental and full', async () => {
    const clock = { ms: Date.parse('2026-11-01T09:00:00Z') };
    const seeded = await seededStore(server, openldapRealm(server), clock, touchLast(server));
    cleanup.push(seeded.dataDir);
    const services = seeded.services;
    // Everyone is imported: nothing new in the directory.
    const settled = await services.resync.reconcileNow(seeded.realmId);
    expect(settled.reconcile?.mode).toBe('incremental');
    expect(settled.newInDirectory).toBe(0);
    clock.ms += MINUTE;

    // Two users Roster never had (removed from the store: their entries did not change, only the sweep sees
    // them), two entries added to the directory since (the changed-entries search returns them), one of which
    // leaves the realm's filter at once and is no entry of the realm.
    const [keptOut1, keptOut2] = await liveUids(server, 10, 2);
    const forgotten = [keptOut1!, keptOut2!].map((uid) => services.users.resolve(uid).id);
    await services.userStore.transact(() => ({ ops: forgotten.map((id) => ({ del: id })), audit: [], result: undefined }));
    await asRoot(server, async (c) => {
      for (const uid of ['fresh1', 'fresh2', 'fresh3'])
        await c.add(`uid=${uid},ou=people,dc=example,dc=org`, { objectClass: ['inetOrgPerson'], uid, cn: `Fresh ${uid}`, sn: 'Fresh' });
      await c.modify('uid=fresh3,ou=people,dc=example,dc=org', replace('description', 'left'));
    });
    // Import shows an entry whose username a Roster user holds as taken over (or clashing), not New: one of the
    // forgotten entries (only the sweep sees it) and one of the added ones now have an internal namesake.
    for (const username of [keptOut1!, 'FRESH2']) await services.users.create({ username, fields: {}, enabled: true, roles: [] });
    clock.ms += MINUTE;

    const stores = await twinStore(services, seeded.dataDir, clock, seeded.password);
    cleanup.push(stores.twinDir);
    try {
      const { incremental, full } = await incrementalMatchesFull(stores, seeded.realmId, clock);
      expect(incremental.reconcile?.mode).toBe('incremental');
      expect(incremental.newInDirectory).toBe(2);
      expect(full.newInDirectory).toBe(2);
      // The journal's note says so too, beside the other counts.
      for (const store of [stores.first, stores.twin]) {
        expect((await store.audit.query({ action: 'realm.reconcile' }))[0]?.note).toMatch(/, 0 disabled upstream, 2 new in the directory\.$/);
      }
      // Importing them leaves nothing new.
      const first = stores.first;
      await first.importer.streamImport(seeded.realmId, first.importer.filterFor(seeded.realmId, '*'));
      const after = await first.resync.reconcileNow(seeded.realmId);
      expect(after.reconcile?.mode).toBe('incremental');
      expect(after.newInDirectory).toBe(0);
      expect((await first.audit.query({ action: 'realm.reconcile' }))[0]?.note).toMatch(/, 0 new in the directory\.$/);
    } finally {
      await stores.close();
    }
  });
});

describe('incremental reconcile against OpenLDAP with syncprov (entryCSN from the contextCSN)', () => {
  let server: SlapdServer;
  const cleanup: string[] = [];
  beforeAll(async () => {
    server = await startSlapd({ flavor: 'openldap', users: 200, seedTime: SEED, syncprov: true });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    for (const dir of cleanup) await rm(dir, { recursive: true, force: true });
  });

  it('keeps the contextCSN read before anything else, so changes made while a reconcile runs are read by the next one', async () => {
    const clock = { ms: Date.parse('2026-06-01T09:00:00Z') };
    const seeded = await seededStore(server, openldapRealm(server), clock);
    cleanup.push(seeded.dataDir);
    const services = seeded.services;
    expect(services.realms.resolve(seeded.realmId).sync?.marker).toMatchObject({ kind: 'csn', server: server.url });
    const during: Record<string, string> = {};
    const hold: ReconcileOptions['checkpoint'] = async (point) => {
      const uid = { 'state-read': 'user00040', 'changes-read': 'user00041', swept: 'user00042' }[point];
      during[uid] = `During ${point}`;
      await asRoot(server, async (c) => c.modify(await dnOfUid(server, uid), replace('title', during[uid]!)));
    };
    const held = await services.resync.reconcileNow(seeded.realmId, { checkpoint: hold, overlapMs: 0 });
    // The change made before the changed entries were asked for is read by this run already.
    expect(held.reconcile).toMatchObject({ mode: 'incremental', entriesRead: 1 });
    clock.ms += MINUTE;
    const stores = await twinStore(services, seeded.dataDir, clock, seeded.password);
    cleanup.push(stores.twinDir);
    try {
      const next = await incrementalMatchesFull(stores, seeded.realmId, clock, { overlapMs: 0 });
      expect(next.incremental.reconcile).toMatchObject({ mode: 'incremental', entriesRead: 3 });
      for (const [uid, title] of Object.entries(during)) expect(stores.first.users.resolve(uid).fields.title).toBe(title);
    } finally {
      await stores.close();
    }
  });
});

describe('incremental reconcile against the AD-like slapd (uSNChanged, invocationId)', () => {
  let dc1: SlapdServer;
  let dc2: SlapdServer;
  const cleanup: string[] = [];
  beforeAll(async () => {
    // Two DCs of one domain: the same objects (same GUIDs), each with its own USNs and identity.
    [dc1, dc2] = await Promise.all([
      startSlapd({ flavor: 'ad', users: 200, seedTime: SEED, adUsn: { dcName: 'DC1' } }),
      startSlapd({ flavor: 'ad', users: 200, seedTime: SEED, adUsn: { dcName: 'DC2', invocationId: Buffer.alloc(16, 0x22) } }),
    ]);
  }, 60_000);
  afterAll(async () => {
    await dc1?.stop();
    await dc2?.stop();
    for (const dir of cleanup) await rm(dir, { recursive: true, force: true });
  });

  const adRealm = (): RealmInput => {
    const input = realmFromPreset('active-directory', { name: 'corp', urls: [dc1.url, dc2.url], bindDn: dc1.readerDn, baseDn: dc1.baseDn, tls: 'none' });
    input.search.pageSize = 100;
    return input;
  };
  const dnOfSam = (server: SlapdServer, sam: string) =>
    asRoot(server, async (c) => (await c.search(server.baseDn, { filter: `(sAMAccountName=${sam})`, attributes: ['1.1'] })).searchEntries[0]!.dn);

  it('asks for uSNChanged above the USN of the last reconcile, on the same DC, and ends as a full reconcile would', async () => {
    const clock = { ms: Date.parse('2026-06-01T09:00:00Z') };
    const seeded = await seededStore(dc1, adRealm(), clock);
    cleanup.push(seeded.dataDir);
    const marker = seeded.services.realms.resolve(seeded.realmId).sync?.marker;
    expect(marker).toEqual({
      kind: 'usn',
      usn: String(dc1.adDc!.highestUsn()),
      dsServiceName: dc1.adDc!.dsServiceName,
      dnsHostName: 'dc1.corp.example',
      invocationId: '0e6a1c5f-7d9b-2a4e-8c3b-1d0f6e4a2b9c',
    });
    await adModify(dc1, await dnOfSam(dc1, 'user00002'), { title: 'Changed', mobile: '+1 555 0100' });
    await adModify(dc1, await dnOfSam(dc1, 'user00003'), { userAccountControl: '514' });
    await adRename(dc1, await dnOfSam(dc1, 'user00004'), 'CN=Renamed Four,OU=Staff,DC=corp,DC=example');
    await adModify(dc1, 'CN=Renamed Four,OU=Staff,DC=corp,DC=example', { sAMAccountName: 'renamed4' });
    await adDelete(dc1, await dnOfSam(dc1, 'user00005'));
    // A new sAMAccountName under the same CN: the username changes, the DN does not.
    await adModify(dc1, await dnOfSam(dc1, 'user00006'), { sAMAccountName: 'renamed6' });
    // Only the expiry, only the UPN: no field changes, but what Roster keeps of the account does.
    await adModify(dc1, await dnOfSam(dc1, 'user00007'), { accountExpires: toFiletime(new Date('2031-03-01T00:00:00Z')) });
    await adModify(dc1, await dnOfSam(dc1, 'user00008'), { userPrincipalName: 'eight@corp.example' });
    clock.ms += MINUTE;
    const stores = await twinStore(seeded.services, seeded.dataDir, clock, seeded.password);
    cleanup.push(stores.twinDir);
    try {
      const { incremental } = await incrementalMatchesFull(stores, seeded.realmId, clock);
      expect(incremental.reconcile).toMatchObject({
        mode: 'incremental',
        entriesRead: 6,
        idsSwept: 199,
        since: `USN ${dc1.adDc!.highestUsn() - 7} on dc1.corp.example`,
      });
      expect(stores.first.users.resolve('renamed4').origin?.dn).toMatch(/^cn=Renamed Four,ou=Staff,dc=corp,dc=example$/i);
      expect(stores.first.users.resolve('user00003').origin?.directoryEnabled).toBe(false);
      expect(stores.first.users.resolve('renamed6').origin?.baseUsername).toBe('renamed6');
      expect(stores.first.users.resolve('user00007').origin?.expiresAt).toBe('2031-03-01T00:00:00.000Z');
      expect(stores.first.users.resolve('user00008').origin?.userPrincipalName).toBe('eight@corp.example');
      expect(stores.first.users.resolve('user00005').origin?.missingSince).toBeDefined();
      // The RootDSE said the USN of the last start: a lower bound, so the same changes are asked for again.
      expect((await stores.first.resync.reconcileNow(seeded.realmId)).reconcile).toMatchObject({ mode: 'incremental', entriesRead: 6 });
      await dc1.adDc!.publishUsn();
      clock.ms += MINUTE;
      expect((await stores.first.resync.reconcileNow(seeded.realmId)).reconcile).toMatchObject({ mode: 'incremental', entriesRead: 6 });
      clock.ms += MINUTE;
      expect((await stores.first.resync.reconcileNow(seeded.realmId)).reconcile).toMatchObject({
        mode: 'incremental',
        entriesRead: 0,
        since: `USN ${dc1.adDc!.highestUsn()} on dc1.corp.example`,
      });
    } finally {
      await stores.close();
    }
  });

  it('reads the whole realm, and says why, when another DC answers or the DC was restored from a backup', async () => {
    const clock = { ms: Date.parse('2026-07-01T09:00:00Z') };
    const seeded = await seededStore(dc1, adRealm(), clock);
    cleanup.push(seeded.dataDir);
    const services = seeded.services;
    expect((await services.resync.reconcileNow(seeded.realmId)).reconcile?.mode).toBe('incremental');
    // DC1 is down: the realm's second URL answers, a DC whose USNs say nothing about DC1's.
    await dc1.stop();
    clock.ms += MINUTE;
    expect((await services.resync.reconcileNow(seeded.realmId)).reconcile).toMatchObject({
      mode: 'full',
      reason: "another domain controller answered (dc2.corp.example instead of dc1.corp.example); update sequence numbers are each DC's own",
    });
    clock.ms += MINUTE;
    expect((await services.resync.reconcileNow(seeded.realmId)).reconcile).toMatchObject({
      mode: 'incremental',
      since: `USN ${dc2.adDc!.highestUsn()} on dc2.corp.example`,
    });
    // DC2 restored from a backup: a new invocationId, and USNs it may give again.
    await adRestore(dc2, Buffer.alloc(16, 0x33));
    clock.ms += MINUTE;
    expect((await services.resync.reconcileNow(seeded.realmId)).reconcile).toMatchObject({
      mode: 'full',
      reason:
        'the domain controller dc2.corp.example has a new invocationId (its database was restored from a backup), so its update sequence numbers were reused',
    });
    expect(services.realms.resolve(seeded.realmId).sync?.marker).toMatchObject({ invocationId: '33333333-3333-3333-3333-333333333333' });
    await services.close();
  });
});
