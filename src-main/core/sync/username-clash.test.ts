import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Attribute, Change, Client } from 'ldapts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Channel, ChannelInput, ChannelOutput } from '#shared/ipc/contract';
import type { AuditEntry } from '#shared/model/audit';
import { realmFromPreset } from '#shared/model/realm-presets';
import type { ImportRow, Job, SyncSummary } from '#shared/model/sync';
import type { UserRecord } from '#shared/model/user';
import { startSlapd, type SlapdServer } from '../../../e2e/fixtures/slapd';
import { createRealm } from '../../../e2e/fixtures/users';
import { createHandlers, dispatch, type HandlerTable } from '../../handlers';
import { SessionSecretStore } from '../secrets/secret-store';
import { openServices, type Services } from '../services';

// A domain migration: realm "Lab" (OpenLDAP: zangstrom, user00002, user00003) is imported first; realm
// "Acme Corp" (AD-like: the same three usernames, plus user00004 and user00005) arrives later.
let lab: SlapdServer;
let acme: SlapdServer;
beforeAll(async () => {
  [lab, acme] = await Promise.all([startSlapd({ flavor: 'openldap', users: 3 }), startSlapd({ flavor: 'ad', users: 5 })]);
}, 120_000);
afterAll(async () => {
  await lab?.stop();
  await acme?.stop();
});

let services: Services;
let table: HandlerTable;
beforeEach(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'roster-clash-'));
  services = await openServices({ dataDir: dir, owner: 'test', transport: 'cli', secrets: new SessionSecretStore('t'), version: 't', actor: 'alice' });
  table = createHandlers(services);
  return async () => {
    await services.close();
    await rm(dir, { recursive: true, force: true });
  };
});

/** Calls a channel through the handler table and unwraps its Result. */
async function call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const result = await dispatch(table, channel, input);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
  return result.value as ChannelOutput<C>;
}
const summaryOf = async (job: Job): Promise<SyncSummary> => {
  const done = await services.jobs.wait(job.id);
  if (done.state !== 'done') throw new Error(`job ${done.state}: ${done.error?.message}`);
  return done.summary!;
};
const addRealm = (server: SlapdServer, kind: 'openldap' | 'active-directory', name: string) =>
  createRealm(call, realmFromPreset(kind, { name, urls: [server.url], bindDn: server.readerDn, baseDn: server.baseDn, tls: 'none' }), server.readerPassword);
const rowsOf = async (searchId: string): Promise<ImportRow[]> => (await call('import:page', { searchId, offset: 0, limit: 100 })).rows;
const user = (username: string): UserRecord => services.users.resolve(username);
const usernames = () => [...services.userStore.all()].map((u) => u.username).sort();

/** Lab imported whole, zangstrom completed and edited in Roster and given a role; then Acme Corp added and searched. */
async function migration() {
  const labRealm = await addRealm(lab, 'openldap', 'Lab');
  const first = await call('import:search', { realmId: labRealm.id, query: '*' });
  expect(await summaryOf(await call('import:run', { searchId: first.searchId }))).toMatchObject({ created: 3 });
  const zoe = user('zangstrom');
  await call('users:update', { id: zoe.id, fields: { mobile: '+44 7700 900001', title: 'Chief of Tests' } });
  const role = await call('roles:create', { name: 'Payroll' });
  await call('users:assign-role', { target: { ids: [zoe.id] }, roleId: role.id });
  const acmeRealm = await addRealm(acme, 'active-directory', 'Acme Corp');
  const search = await call('import:search', { realmId: acmeRealm.id, query: '*' });
  return { labRealm, acmeRealm, search, zoe: user('zangstrom'), role };
}

describe('a username held by a user of another realm, through the handler table', () => {
  it('is classified as a clash with its reason, counted apart from conflicts and per realm', async () => {
    const { labRealm, search } = await migration();
    expect(search.counts).toEqual({ new: 2, unchanged: 0, changed: 0, conflict: 0, clash: 3 });
    expect(search.clashRealms).toEqual([{ realmId: labRealm.id, realmName: 'Lab', count: 3 }]);
    const rows = await rowsOf(search.searchId);
    expect(rows.map((r) => [r.username, r.status]).sort()).toEqual([
      ['user00002', 'clash'],
      ['user00003', 'clash'],
      ['user00004', 'new'],
      ['user00005', 'new'],
      ['zangstrom', 'clash'],
    ]);
    const zoe = rows.find((r) => r.username === 'zangstrom')!;
    expect(zoe).toMatchObject({ userId: user('zangstrom').id, clash: { username: 'zangstrom', realmId: labRealm.id, realmName: 'Lab' } });
    expect(zoe.note).toBe(
      `The username zangstrom belongs to zangstrom, an external user of realm "Lab" (uid=zangstrom,${lab.peopleDn}); Roster does not merge users ` +
        'across realms unless told to: link that user to this entry, import this entry under another username, or skip it.',
    );
    const clashes = await call('import:page', { searchId: search.searchId, status: 'clash' });
    expect(clashes.total).toBe(3);
  }, 60_000);

  it('skip (the default) leaves the clashing users as they were and says why', async () => {
    const { labRealm, search } = await migration();
    const before = JSON.stringify([...services.userStore.all()]);
    const audited = (await services.audit.query({})).length;
    const summary = await summaryOf(await call('import:run', { searchId: search.searchId }));
    expect(summary).toMatchObject({ created: 2, updated: 0, conflicts: 3, usernameClashes: { skip: 3, link: 0, rename: 0 } });
    const skipped = summary.changes.filter((c) => c.clash === 'skip');
    expect(skipped.map((c) => [c.username, c.action]).sort()).toEqual([
      ['user00002', 'conflict'],
      ['user00003', 'conflict'],
      ['zangstrom', 'conflict'],
    ]);
    expect(skipped.find((c) => c.username === 'user00002')!.note).toBe(
      `The username user00002 belongs to user00002, an external user of realm "Lab" (uid=user00002,${lab.peopleDn}); Roster does not merge users ` +
        'across realms unless told to: link that user to this entry, import this entry under another username, or skip it. Skipped.',
    );
    // The three Lab users are exactly as they were; only the two new Acme users were added (and audited).
    const labUsers = JSON.stringify([...services.userStore.all()].filter((u) => u.origin?.realmId === labRealm.id));
    expect(labUsers).toBe(before);
    expect(usernames()).toEqual(['user00002', 'user00003', 'user00004', 'user00005', 'zangstrom']);
    expect((await services.audit.query({})).length).toBe(audited + 2);
  }, 60_000);

  it('link keeps id, completions, edits, roles and history; takes the new directory; journals the move; a later resync is clean', async () => {
    const { labRealm, acmeRealm, search, zoe, role } = await migration();
    const history = await call('users:history', { id: zoe.id });
    const zoeDn = (await rowsOf(search.searchId)).find((r) => r.username === 'zangstrom')!;

    const job = await call('import:run', { searchId: search.searchId, dns: [zoeDn.dn], clash: { onUsernameClash: 'link' } });
    const summary = await summaryOf(job);
    expect(summary).toMatchObject({ matched: 1, created: 0, updated: 1, conflicts: 0, usernameClashes: { link: 1, rename: 0, skip: 0 } });

    const after = user('zangstrom');
    expect(after.id).toBe(zoe.id);
    expect(after.roles).toEqual([role.id]);
    expect(after.origin).toMatchObject({ realmId: acmeRealm.id, dn: zoeDn.dn, externalId: zoeDn.externalId, baseUsername: 'zangstrom' });
    expect(after.fields).toEqual({
      // Directory-owned: the new directory's values.
      displayName: 'Zoë Ångström',
      givenName: 'Zoë',
      surname: 'Ångström',
      email: 'zangstrom@corp.example',
      // Local-owned, set in Roster: kept (a completion and an edit).
      mobile: '+44 7700 900001',
      title: 'Chief of Tests',
      // Local-owned, but only ever Lab's value: Acme's now.
      company: 'Example Corp',
      department: zoe.fields.department,
      phone: zoe.fields.phone,
      employeeId: 'E00001',
    });
    // The base of the next three-way merge is what Acme said, never Lab's values or Roster's.
    // (Both generated directories give zangstrom the same department, title and phone.)
    expect(after.origin!.base).toEqual({
      displayName: 'Zoë Ångström',
      givenName: 'Zoë',
      surname: 'Ångström',
      email: 'zangstrom@corp.example',
      company: 'Example Corp',
      department: zoe.origin!.base.department,
      title: zoe.origin!.base.title,
      phone: zoe.origin!.base.phone,
      employeeId: 'E00001',
    });

    const [relink, ...earlier] = await call('users:history', { id: zoe.id });
    expect(earlier).toEqual(history);
    expect(relink).toMatchObject<Partial<AuditEntry>>({ action: 'user.relink', who: 'alice', userId: zoe.id, username: 'zangstrom', realmId: acmeRealm.id });
    expect(relink!.changes).toEqual([
      { field: 'realm', before: labRealm.name, after: acmeRealm.name },
      { field: 'dn', before: zoe.origin!.dn, after: zoeDn.dn },
      { field: 'external id', before: zoe.origin!.externalId, after: zoeDn.externalId },
      { field: 'email', before: 'zangstrom@example.org', after: 'zangstrom@corp.example' },
      { field: 'company', before: 'Example Org', after: 'Example Corp' },
    ]);
    expect(relink!.note).toBe(
      `Moved from realm "Lab" (${zoe.origin!.dn}, id ${zoe.origin!.externalId}) to realm "Acme Corp" (${zoeDn.dn}, id ${zoeDn.externalId}): ` +
        'the same username; Roster id, local fields, roles and history kept, directory-owned fields from "Acme Corp".',
    );
    const audit = await call('audit:list', { filter: { action: 'user.relink' } });
    expect(audit.total).toBe(1);

    // Acme's search now sees zangstrom as its own, unchanged; the others still clash.
    const again = await call('import:search', { realmId: acmeRealm.id, query: '*' });
    expect(again.counts).toEqual({ new: 2, unchanged: 1, changed: 0, conflict: 0, clash: 2 });

    // Resync against the new realm: no spurious conflicts, nothing to change, local values still there.
    const diff = await call('sync:preview', { userId: zoe.id, realmId: acmeRealm.id, dn: zoeDn.dn });
    expect({ conflicts: diff.conflicts, changes: diff.changes }).toEqual({ conflicts: 0, changes: 0 });
    const resync = await summaryOf(await call('sync:resync-users', { target: { ids: [zoe.id] } }));
    expect(resync).toMatchObject({ matched: 1, updated: 0, unchanged: 1, conflicts: 0, notFound: 0 });
    const reconcile = await summaryOf(await call('realms:reconcile', { realmId: acmeRealm.id }));
    expect(reconcile).toMatchObject({ matched: 1, updated: 0, unchanged: 1, conflicts: 0, notFound: 0 });
    expect(user('zangstrom').fields).toEqual(after.fields);
    // And Lab's reconcile no longer counts zangstrom as one of its users.
    expect(await summaryOf(await call('realms:reconcile', { realmId: labRealm.id }))).toMatchObject({ matched: 2, unchanged: 2, notFound: 0 });
  }, 90_000);

  it("link keeps Roster's values where the new directory has none, as completions for it, and forgets the old realm's export marks", async () => {
    const { acmeRealm } = await migration();
    const before = user('user00002');
    // An earlier export handed user00002's department to Lab's owners.
    await services.userStore.transact(() => ({
      ops: [{ put: { ...before, exported: { at: '2026-11-30T00:00:00.000Z', values: { department: before.fields.department! } } } }],
      audit: [],
      result: undefined,
    }));
    // Acme's entry for user00002 has no department, title or phone (put back afterwards: the server is shared).
    const sparse = ['department', 'title', 'telephoneNumber'];
    const asRoot = async <T>(work: (client: Client) => Promise<T>): Promise<T> => {
      const client = new Client({ url: acme.url });
      try {
        await client.bind(acme.rootDn, acme.rootPassword);
        return await work(client);
      } finally {
        await client.unbind();
      }
    };
    const [entry] = (await asRoot((c) => c.search(acme.baseDn, { filter: '(sAMAccountName=user00002)', attributes: sparse }))).searchEntries;
    const put = (operation: 'delete' | 'add') =>
      asRoot((c) =>
        c.modify(
          entry!.dn,
          sparse.map((type) => new Change({ operation, modification: new Attribute({ type, values: operation === 'add' ? [String(entry![type])] : [] }) })),
        ),
      );
    await put('delete');
    try {
      const search = await call('import:search', { realmId: acmeRealm.id, query: 'user00002' });
      await summaryOf(await call('import:run', { searchId: search.searchId, clash: { onUsernameClash: 'link' } }));
    } finally {
      await put('add');
    }
    const after = user('user00002');
    expect([after.id, after.origin!.realmId]).toEqual([before.id, acmeRealm.id]);
    expect([after.fields.department, after.fields.title, after.fields.phone]).toEqual([before.fields.department, before.fields.title, before.fields.phone]);
    expect([after.fields.department, after.fields.title, after.fields.phone].every((v) => v !== undefined && v !== '')).toBe(true);
    // What Acme said is the base: nothing for those three, so Roster's values are completions for Acme's owners.
    expect([after.origin!.base.department, after.origin!.base.title, after.origin!.base.phone]).toEqual([undefined, undefined, undefined]);
    expect(after.exported).toBeUndefined();
    const unexported = await call('users:query', { query: { unexported: true }, offset: 0, limit: 10 });
    // (zangstrom has completions of its own from the migration's edits.)
    expect(unexported.rows.map((r) => r.username).sort()).toEqual(['user00002', 'zangstrom']);
  });

  it('rename imports under the rule, honours a per-row name, and reports a name that is taken', async () => {
    const { labRealm, acmeRealm, search } = await migration();
    const rows = await rowsOf(search.searchId);
    const dnOf = (username: string) => rows.find((r) => r.username === username)!.dn;
    const summary = await summaryOf(
      await call('import:run', {
        searchId: search.searchId,
        clash: {
          onUsernameClash: 'rename',
          overrides: { [dnOf('user00003')]: { choice: 'rename', username: 'user3.acme' }, [dnOf('zangstrom')]: { choice: 'skip' } },
        },
      }),
    );
    expect(summary).toMatchObject({ created: 4, updated: 0, conflicts: 1, usernameClashes: { rename: 2, skip: 1, link: 0 } });
    expect(usernames()).toEqual(['user00002', 'user00002.acme-corp', 'user00003', 'user00004', 'user00005', 'user3.acme', 'zangstrom']);
    const renamed = user('user00002.acme-corp');
    expect(renamed.origin).toMatchObject({ realmId: acmeRealm.id, dn: dnOf('user00002'), baseUsername: 'user00002' });
    expect(renamed.fields.email).toBe('user00002@corp.example');
    expect(user('user3.acme').origin).toMatchObject({ realmId: acmeRealm.id, dn: dnOf('user00003') });
    expect(user('user00002').origin!.realmId).toBe(labRealm.id);
    expect(user('zangstrom').origin!.realmId).toBe(labRealm.id);
    const imported = (await call('users:history', { id: renamed.id }))[0]!;
    expect(imported).toMatchObject({ action: 'user.import', realmId: acmeRealm.id, username: 'user00002.acme-corp' });
    expect(imported.note).toBe(`Imported from ${dnOf('user00002')} as user00002.acme-corp: the username user00002 belongs to user00002 of realm "Lab".`);

    // Renamed users are Acme's own now: the next search finds them unchanged (no "renamed upstream").
    const again = await call('import:search', { realmId: acmeRealm.id, query: '*' });
    expect(again.counts).toEqual({ new: 0, unchanged: 4, changed: 0, conflict: 0, clash: 1 });

    // A name that is already taken is reported, never suffixed.
    const third = await summaryOf(
      await call('import:run', {
        searchId: again.searchId,
        clash: { onUsernameClash: 'rename', overrides: { [dnOf('zangstrom')]: { choice: 'rename', username: 'USER3.acme' } } },
      }),
    );
    expect(third).toMatchObject({ created: 0, conflicts: 1 });
    expect(third.changes.find((c) => c.action === 'conflict')!.note).toMatch(
      / It was not imported as USER3\.acme: user3\.acme already has that username \(usernames are unique ignoring case\); choose another name\.$/,
    );
    expect(usernames()).toHaveLength(7);
  }, 60_000);

  it('refuses a bad rule or typed name before any job starts, and dry-runs every choice without writing', async () => {
    const { acmeRealm, search } = await migration();
    expect(await dispatch(table, 'import:run', { searchId: search.searchId, clash: { onUsernameClash: 'rename', renameRule: '{user}.{realm}' } })).toEqual({
      ok: false,
      error: { code: 'invalid-input', message: 'clash.renameRule: Unknown placeholder {user}: a rule may use {username} and {realm}.' },
    });
    expect(
      await dispatch(table, 'import:run', { searchId: search.searchId, clash: { overrides: { 'CN=x': { choice: 'rename', username: 'two words' } } } }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringMatching(/^clash\.overrides\.CN=x\.username: Username "two words" may contain only/) },
    });
    expect(services.jobs.list().filter((j) => j.realmId === acmeRealm.id)).toEqual([]);

    const before = JSON.stringify([...services.userStore.all()]);
    const filter = services.importer.filterFor(acmeRealm.id, '*');
    const linked = await services.importer.streamImport(acmeRealm.id, filter, { dryRun: true, clash: { onUsernameClash: 'link' } });
    expect(linked).toMatchObject({ dryRun: true, created: 2, updated: 3, usernameClashes: { link: 3, rename: 0, skip: 0 } });
    const renamed = await services.importer.streamImport(acmeRealm.id, filter, {
      dryRun: true,
      clash: { onUsernameClash: 'rename', renameRule: 'ex-{username}' },
    });
    expect(
      renamed.changes
        .filter((c) => c.clash === 'rename')
        .map((c) => c.username)
        .sort(),
    ).toEqual(['ex-user00002', 'ex-user00003', 'ex-zangstrom']);
    expect(JSON.stringify([...services.userStore.all()])).toBe(before);
  }, 60_000);

  it('other conflicts stay conflicts: a username held by another entry of the same realm', async () => {
    const { acmeRealm } = await migration();
    const at = new Date().toISOString();
    const impostor: UserRecord = {
      id: 'u-impostor',
      username: 'user00004',
      kind: 'external',
      enabled: true,
      roles: [],
      fields: {},
      origin: {
        realmId: acmeRealm.id,
        externalId: 'not-this-one',
        dn: `CN=Someone Else,${acme.peopleDn}`,
        syncedAt: at,
        base: {},
        baseUsername: 'user00004',
        directoryEnabled: true,
      },
      createdAt: at,
      updatedAt: at,
    };
    await services.userStore.transact(() => ({ ops: [{ put: impostor }], audit: [], result: undefined }));
    const search = await call('import:search', { realmId: acmeRealm.id, query: '*' });
    expect(search.counts).toEqual({ new: 1, unchanged: 0, changed: 0, conflict: 1, clash: 3 });
    const summary = await summaryOf(await call('import:run', { searchId: search.searchId, clash: { onUsernameClash: 'link' } }));
    expect(summary).toMatchObject({ created: 1, updated: 3, conflicts: 1, usernameClashes: { link: 3, rename: 0, skip: 0 } });
    expect(summary.changes.find((c) => c.action === 'conflict')).toMatchObject({ username: 'user00004', userId: 'u-impostor' });
    expect(summary.changes.find((c) => c.action === 'conflict')!.clash).toBeUndefined();
  }, 60_000);
  it('the Resynchronize dialog against the other realm is the same link: preview, apply, user.relink', async () => {
    const { labRealm, acmeRealm, zoe } = await migration();
    const candidates = await call('sync:candidates', { userId: zoe.id, realmId: acmeRealm.id });
    expect(candidates.map((c) => [c.username, c.match, c.email])).toEqual([['zangstrom', 'username', 'zangstrom@corp.example']]);
    const dn = candidates[0]!.dn;
    const diff = await call('sync:preview', { userId: zoe.id, realmId: acmeRealm.id, dn });
    const outcomes = Object.fromEntries(diff.fields.map((f) => [f.field, f.outcome]));
    expect(outcomes).toMatchObject({ email: 'take-directory', company: 'take-directory', title: 'keep-local', displayName: 'unchanged' });
    expect(diff.conflicts).toBe(0);
    const detail = await call('sync:apply', { userId: zoe.id, realmId: acmeRealm.id, dn });
    expect(detail.user).toMatchObject({ id: zoe.id, origin: { realmId: acmeRealm.id, dn } });
    expect(detail.user.fields).toMatchObject({ email: 'zangstrom@corp.example', company: 'Example Corp', title: 'Chief of Tests', mobile: '+44 7700 900001' });
    const [entry] = await call('users:history', { id: zoe.id });
    expect(entry).toMatchObject({ action: 'user.relink', realmId: acmeRealm.id });
    expect(entry!.changes[0]).toEqual({ field: 'realm', before: labRealm.name, after: acmeRealm.name });
  }, 60_000);
});

describe('resync against another realm', () => {
  it('refuses by default, saying what would help; links with the link choice; the next resync is an ordinary clean one', async () => {
    const { acmeRealm, zoe } = await migration();
    const users = [user('zangstrom'), user('user00003')];
    await expect(services.resync.resyncNow(users, acmeRealm.id)).rejects.toMatchObject({
      code: 'invalid-input',
      message:
        'zangstrom, user00003 are not linked to realm "Acme Corp" but to "Lab". To bring in "Acme Corp"\'s entry with the same username, ' +
        'choose link (re-link the user to it) or rename (import it as another user) for username clashes.',
    });
    const summary = await services.resync.resyncNow(users, acmeRealm.id, { clash: { onUsernameClash: 'link' } });
    expect(summary).toMatchObject({ matched: 2, updated: 2, conflicts: 0, usernameClashes: { link: 2, rename: 0, skip: 0 } });
    expect(user('zangstrom')).toMatchObject({ id: zoe.id, origin: { realmId: acmeRealm.id } });
    expect(user('user00003').origin!.realmId).toBe(acmeRealm.id);
    // Both are Acme's now: resyncing them again is an ordinary, clean resync.
    expect(await services.resync.resyncNow([user('zangstrom'), user('user00003')], acmeRealm.id)).toMatchObject({ matched: 2, unchanged: 2, conflicts: 0 });
  }, 60_000);

  it('reports a user whose username no entry of the realm has, leaving it where it was', async () => {
    const { labRealm, acmeRealm, search } = await migration();
    await summaryOf(await call('import:run', { searchId: search.searchId }));
    const before = user('user00004');
    const summary = await services.resync.resyncNow([before], labRealm.id, { clash: { onUsernameClash: 'link' } });
    expect(summary).toMatchObject({ matched: 0, updated: 0, notFound: 1, conflicts: 0 });
    expect(summary.changes).toEqual([
      {
        userId: before.id,
        username: 'user00004',
        dn: '',
        action: 'not-found',
        changes: [],
        note: 'No entry of realm "Lab" has the username user00004; user00004 stays linked to realm "Acme Corp".',
      },
    ]);
    expect(user('user00004')).toEqual(before);
    expect(before.origin!.realmId).toBe(acmeRealm.id);
  }, 60_000);
});
