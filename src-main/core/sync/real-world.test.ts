// Import, resync, export and re-import over directory data shaped like real OpenLDAP / 389-ds exports (see
// e2e/fixtures/real-world/openldap-lab.ldif): the same file loaded into a real slapd, and read offline as an
// ldif-file realm, both as written (no entryUUID) and as slapcat exports it from that slapd (with entryUUID).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlapd, type SlapdServer } from '../../../e2e/fixtures/slapd';
import { createRealm, withServices, type Caller } from '../../../e2e/fixtures/users';
import type { Realm } from '#shared/model/realm';
import { realmFromPreset } from '#shared/model/realm-presets';
import { realmNotes } from '#shared/model/realm-status';
import type { Job, SyncSummary } from '#shared/model/sync';
import type { UserRecord } from '#shared/model/user';
import { exportColumns } from '../export/columns';
import type { Services } from '../services';

const run = promisify(execFile);
const FIXTURE = join(import.meta.dirname, '../../../e2e/fixtures/real-world/openldap-lab.ldif');
const BASE_DN = 'dc=lab,dc=example';

// Every inetOrgPerson of the file, and the Full name each must get (none of them has displayName but knguyen).
const FULL_NAMES: Record<string, string> = {
  // Named by cn with two cn values: the RDN's ("Babs Jensen"), though "Barbara Jensen" comes first.
  bjensen: 'Babs Jensen',
  // Its only cn is cn;lang-ja (listed first): never read for cn, so given name + surname.
  htanaka: 'Hiroshi Tanaka',
  // DN written "uid=jcasey ,ou=People,…" (a space before the comma).
  jcasey: 'Jim Casey',
  knguyen: 'Dr. Kim Nguyen',
  // DN, uid, cn, sn and givenName all base64.
  ljiménez: 'Lucía Jiménez',
  // cn;lang-es comes before the plain cn: the plain one wins.
  mgarcia: 'Maria Garcia',
  // objectclass spelled so; raw UTF-8 cn.
  "o'brien": "Siobhán O'Brien",
  // DN written "uid=tmorris, ou=People, dc=lab,dc=example".
  tmorris: 'Ted Morris',
  // Named by uid, two cn values: the first.
  'van der berg': 'Anneke van der Berg',
  // DN in raw UTF-8 (cn=Zoë Ångström,…), cn "Zoe Angstrom" first: the RDN's value.
  zangstrom: 'Zoë Ångström',
};
const USERNAMES = Object.keys(FULL_NAMES).sort();
// Every entry of the file: the suffix, two OUs, the ten people, a role, a service account and a group.
const FILE_ENTRIES = 16;

let slapd: SlapdServer;
let work: string;
let slapcatExport: string;

beforeAll(async () => {
  slapd = await startSlapd({ flavor: 'openldap', baseDn: BASE_DN, ldifFile: FIXTURE });
  work = await mkdtemp(join(tmpdir(), 'roster-real-world-'));
  // The same directory exported as an admin does with slapcat: every entry now carries the entryUUID slapd gave it.
  slapcatExport = join(work, 'slapcat.ldif');
  await run('/usr/sbin/slapcat', ['-f', join(slapd.dir, 'slapd.conf'), '-b', BASE_DN, '-l', slapcatExport]);
}, 60_000);
afterAll(async () => {
  await slapd?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const sorted = (values: Iterable<string>): string[] => [...values].sort();

async function withStore<T>(body: (call: Caller, services: Services, dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'roster-real-world-store-'));
  try {
    return await withServices(dir, (call, services) => body(call, services, dir));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const finished = async (services: Services, job: Job): Promise<Job> => {
  const done = await services.jobs.wait(job.id);
  if (done.state !== 'done') throw new Error(`job ${done.kind} ${done.state}: ${done.error?.message}`);
  return done;
};

const liveRealm = (call: Caller): Promise<Realm> =>
  createRealm(call, realmFromPreset('openldap', { name: 'Lab slapd', urls: [slapd.url], bindDn: slapd.readerDn, baseDn: BASE_DN, tls: 'none' }), slapd.readerPassword);

/** Adds an ldif-file realm the way `roster realm add --kind ldif-file` does: the file says its flavour and id. */
async function offlineRealm(call: Caller, path: string) {
  const inspection = await call('realms:inspect-ldif', { path });
  const input = realmFromPreset('ldif-file', { name: 'Lab export', urls: [], bindDn: '', baseDn: '', ldifPath: path, flavour: inspection.flavour });
  input.idAttribute = inspection.idAttribute;
  return { inspection, realm: await call('realms:create', { realm: input }) };
}

/** Imports `*` and checks the search saw exactly the lab's people, all new; returns the stored users. */
async function importAll(call: Caller, services: Services, realmId: string): Promise<UserRecord[]> {
  const search = await call('import:search', { realmId, query: '*' });
  expect(search.total).toBe(USERNAMES.length);
  expect(search.counts).toMatchObject({ new: USERNAMES.length, unchanged: 0, changed: 0, conflict: 0 });
  const rows = (await call('import:page', { searchId: search.searchId, offset: 0, limit: 100 })).rows;
  expect(sorted(rows.map((r) => r.username))).toEqual(USERNAMES);
  const summary = (await finished(services, await call('import:run', { searchId: search.searchId }))).summary!;
  expect(summary).toMatchObject({ created: USERNAMES.length, updated: 0, conflicts: 0, disabledUpstream: 0 });
  return stored(call);
}

async function stored(call: Caller): Promise<UserRecord[]> {
  const page = await call('users:query', { query: {}, offset: 0, limit: 1000 });
  return Promise.all(page.rows.map(async (row) => (await call('users:get', { id: row.id })).user));
}

/** The fields every import of the file must give, whichever way it is read. */
function expectLabPeople(users: readonly UserRecord[]): void {
  expect(sorted(users.map((u) => u.username))).toEqual(USERNAMES);
  expect(Object.fromEntries(users.map((u) => [u.username, u.fields.displayName]))).toEqual(FULL_NAMES);
  const byName = new Map(users.map((u) => [u.username, u]));
  // Language-tagged givenName/sn come first in the file; the plain values are the ones taken.
  expect(byName.get('htanaka')!.fields).toMatchObject({ givenName: 'Hiroshi', surname: 'Tanaka', email: 'htanaka@lab.example' });
  expect(byName.get('ljiménez')!.fields).toMatchObject({ givenName: 'Lucía', surname: 'Jiménez', email: 'lucia.jimenez@lab.example' });
  expect(byName.get('zangstrom')!.fields).toMatchObject({ givenName: 'Zoë', surname: 'Ångström', title: 'Directrice de recherche' });
  // A manager written as a bare RDN stays as the directory has it.
  expect([byName.get('jcasey')!.fields.manager, byName.get('van der berg')!.fields.manager]).toEqual(['uid=tmorris', "uid=o'brien"]);
  expect(byName.get("o'brien")!.fields).toMatchObject({ phone: '+353 1 555 0199', office: '2.14' });
  expect(byName.get('bjensen')!.fields).toMatchObject({ title: 'Mythical Manager, Research Systems', department: '2604', phone: '+1 408 555 1862' });
  expect(users.every((u) => u.kind === 'external' && u.origin?.directoryEnabled === true)).toBe(true);
}

/** Keyword searches for the awkward usernames find exactly them. */
async function expectKeywords(call: Caller, realmId: string): Promise<void> {
  const found = async (query: string) => {
    const search = await call('import:search', { realmId, query });
    return sorted((await call('import:page', { searchId: search.searchId, offset: 0, limit: 100 })).rows.map((r) => r.username));
  };
  expect(await found("o'brien")).toEqual(["o'brien"]);
  expect(await found('van der')).toEqual(['van der berg']);
  expect(await found('Ångström')).toEqual(['zangstrom']);
  expect(await found('jiménez')).toEqual(['ljiménez']);
  // A keyword searches cn, and a server matches cn's language-tagged values too: the file read offline does the same.
  expect(await found('田中')).toEqual(['htanaka']);
  expect(await found('Bárbara')).toEqual(['bjensen']);
}

/**
 * A second search, a reconcile of the realm and the resync dialog of each user (candidates, preview, apply) all find
 * every user unchanged: no update, no field changed in the audit journal.
 */
async function expectResyncUnchanged(call: Caller, services: Services, realmId: string, match: 'id' | 'dn'): Promise<void> {
  const again = await call('import:search', { realmId, query: '*' });
  expect(again.counts).toMatchObject({ new: 0, unchanged: USERNAMES.length, changed: 0, conflict: 0 });
  const summary: SyncSummary = (await finished(services, await call('realms:reconcile', { realmId }))).summary!;
  expect(summary).toMatchObject({ matched: USERNAMES.length, created: 0, updated: 0, unchanged: USERNAMES.length, conflicts: 0, notFound: 0 });
  for (const user of await stored(call)) {
    const candidates = await call('sync:candidates', { userId: user.id, realmId });
    expect(candidates.map((c) => [c.dn, c.match, c.username])).toEqual([[user.origin!.dn, match, user.username]]);
    const diff = await call('sync:preview', { userId: user.id, realmId, dn: user.origin!.dn });
    expect([diff.changes, diff.conflicts, diff.username_change, diff.dn_change]).toEqual([0, 0, undefined, undefined]);
    const applied = await call('sync:apply', { userId: user.id, realmId, dn: user.origin!.dn, choices: {} });
    expect(applied.user.fields).toEqual(user.fields);
  }
  // Each resync is journalled, with no field changed.
  const journal = (await call('audit:list', { filter: {} })).entries.filter((e) => e.action !== 'user.import');
  expect(journal.map((e) => [e.action, e.changes])).toEqual([...USERNAMES.map(() => ['user.resync', []]), ['realm.reconcile', []]]);
}

/** Exports every column of every user as CSV with the real writer, and re-imports the file: every row unchanged. */
async function expectCsvRoundTrip(call: Caller, services: Services, dir: string): Promise<string> {
  const path = join(dir, 'lab.csv');
  const columns = exportColumns(services.users.fields()).map((c) => c.key);
  const job = await finished(services, await call('export:start', { format: 'csv', path, scope: { kind: 'all' }, content: 'snapshot', columns }));
  expect(job.export).toMatchObject({ files: [path], users: USERNAMES.length });
  const opened = await call('sheets:open', { path });
  expect(opened.rows).toBe(USERNAMES.length);
  for (const clearEmpty of [false, true]) {
    const preview = await call('sheets:preview', { sheetId: opened.sheetId, clearEmpty });
    expect(preview.counts).toEqual({ change: 0, unchanged: USERNAMES.length, refused: 0 });
  }
  const rows = (await call('sheets:page', { sheetId: opened.sheetId, offset: 0, limit: 100 })).rows;
  expect(sorted(rows.map((r) => r.username!))).toEqual(USERNAMES);
  return readFile(path, 'utf8');
}

describe('an OpenLDAP-shaped directory (e2e/fixtures/real-world/openldap-lab.ldif)', () => {
  it('slapd holds it as written, DNs normalised: the ten people, with tagged values and a bare-RDN manager kept', async () => {
    const { stdout } = await run(
      'ldapsearch',
      ['-x', '-LLL', '-o', 'ldif-wrap=no', '-H', slapd.url, '-D', slapd.readerDn, '-w', slapd.readerPassword, '-b', BASE_DN, '(uid=jcasey)', 'manager', 'cn'],
      { env: { ...process.env, LDAPNOINIT: '1' } },
    );
    // The space before the comma is gone from the DN slapd serves; the bare RDN is kept.
    expect(stdout.trim().split('\n')).toEqual(['dn: uid=jcasey,ou=People,dc=lab,dc=example', 'cn: Jim Casey', 'manager: uid=tmorris']);
    const dump = await readFile(slapcatExport, 'utf8');
    expect(dump.match(/^dn:/gm)).toHaveLength(FILE_ENTRIES + 1);
    expect(dump.match(/^entryUUID: /gm)).toHaveLength(FILE_ENTRIES + 1);
    expect(dump).toContain('cn;lang-ja:: 55Sw5LitIOa1qQ==');
  });

  it('imports * from slapd exactly, Full names from cn where there is no displayName; resync and a CSV round trip change nothing', async () => {
    await withStore(async (call, services, dir) => {
      const realm = await liveRealm(call);
      const users = await importAll(call, services, realm.id);
      expectLabPeople(users);
      expect(users.every((u) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(u.origin!.externalId))).toBe(true);
      // slapd serves the DNs written with spaces around commas without them.
      const dns = Object.fromEntries(users.map((u) => [u.username, u.origin!.dn]));
      expect([dns.tmorris, dns.jcasey, dns.zangstrom, dns['ljiménez']]).toEqual([
        'uid=tmorris,ou=People,dc=lab,dc=example',
        'uid=jcasey,ou=People,dc=lab,dc=example',
        'cn=Zoë Ångström,ou=People,dc=lab,dc=example',
        'uid=ljiménez,ou=People,dc=lab,dc=example',
      ]);
      await expectKeywords(call, realm.id);
      await expectResyncUnchanged(call, services, realm.id, 'id');
      const csv = await expectCsvRoundTrip(call, services, dir);
      // RFC 4180: a value with a comma is quoted; the apostrophes and accents are written as they are.
      expect(csv).toContain(',"Mythical Manager, Research Systems",');
      expect(csv).toContain(`,o'brien,`);
    });
  }, 60_000);

  it('reads the file offline (no entryUUID) as OpenLDAP matched by DN, with the same usernames and Full names', async () => {
    await withStore(async (call, services, dir) => {
      const { inspection, realm } = await offlineRealm(call, FIXTURE);
      expect(inspection).toEqual({
        path: FIXTURE,
        flavour: 'openldap',
        detected: 'openldap',
        reason: 'no entry has objectGUID or sAMAccountName, so it is read as an OpenLDAP export',
        entries: FILE_ENTRIES,
        users: USERNAMES.length,
        idAttribute: 'dn',
      });
      expect(realmNotes(realm)).toEqual([
        'Read as an OpenLDAP export.',
        "Users are matched by DN: the entries carry no id attribute (entryUUID), so a user renamed or moved in the directory is taken for a new one. Export with slapcat, or ask ldapsearch for '+' as well, to keep ids.",
      ]);
      const users = await importAll(call, services, realm.id);
      expectLabPeople(users);
      expect(users.map((u) => u.origin!.externalId)).toEqual(users.map(() => ''));
      // The DNs as the file writes them.
      const dns = Object.fromEntries(users.map((u) => [u.username, u.origin!.dn]));
      expect([dns.tmorris, dns.jcasey, dns['ljiménez']]).toEqual([
        'uid=tmorris, ou=People, dc=lab,dc=example',
        'uid=jcasey ,ou=People,dc=lab,dc=example',
        'uid=ljiménez,ou=People,dc=lab,dc=example',
      ]);
      await expectKeywords(call, realm.id);
      await expectResyncUnchanged(call, services, realm.id, 'dn');
      await expectCsvRoundTrip(call, services, dir);
    });
  }, 60_000);

  it("reads slapd's own export (slapcat, entryUUID on every entry) offline keyed by entryUUID: the same people and ids as live", async () => {
    const live = await withStore(async (call, services) => {
      const users = await importAll(call, services, (await liveRealm(call)).id);
      return Object.fromEntries(users.map((u) => [u.username, u.origin!.externalId]));
    });
    await withStore(async (call, services, dir) => {
      const { inspection, realm } = await offlineRealm(call, slapcatExport);
      expect(inspection).toMatchObject({
        flavour: 'openldap',
        detected: 'openldap',
        entries: FILE_ENTRIES + 1,
        users: USERNAMES.length,
        idAttribute: 'entryUUID',
      });
      expect(realmNotes(realm)).toEqual(['Read as an OpenLDAP export.']);
      const users = await importAll(call, services, realm.id);
      expectLabPeople(users);
      expect(Object.fromEntries(users.map((u) => [u.username, u.origin!.externalId]))).toEqual(live);
      await expectResyncUnchanged(call, services, realm.id, 'id');
      await expectCsvRoundTrip(call, services, dir);
    });
  }, 60_000);
});

// Keeps the expected file shape honest: a fixture edit that drops a shape fails here first.
describe('the fixture file itself', () => {
  it('carries the shapes the tests rely on, written as real exports write them', async () => {
    const text = await readFile(FIXTURE, 'utf8');
    const lines = text.split('\n');
    for (const line of [
      'dn: uid=tmorris, ou=People, dc=lab,dc=example',
      'dn: uid=jcasey ,ou=People,dc=lab,dc=example',
      'dn: cn=Zoë Ångström,ou=People,dc=lab,dc=example',
      'dn:: dWlkPWxqaW3DqW5leixvdT1QZW9wbGUsZGM9bGFiLGRjPWV4YW1wbGU=',
      'objectclass: inetOrgPerson',
      'cn;lang-ja: 田中 浩',
      'cn;lang-es: María García',
      'manager: uid=tmorris',
      "uid: o'brien",
      'uid: van der berg',
    ])
      expect(lines).toContain(line);
    expect(lines.filter((l) => /^entryUUID:/i.test(l))).toEqual([]);
    expect(lines.filter((l) => /^displayName:/i.test(l))).toEqual(['displayName: Dr. Kim Nguyen']);
  });
});
