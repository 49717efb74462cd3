import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RosterError } from '#shared/result';
import { realmFromPreset } from '#shared/model/realm-presets';
import { LOCK_FILE } from './lock';
import { Store, STORE_FILE } from './store';
import { AD_USER_FILTER } from '#shared/model/realm-presets';
import { CURRENT_SCHEMA_VERSION } from './schema';

let dir: string;
const fixedNow = () => new Date('2026-11-21T10:00:00.000Z');
const open = (owner = 'test', readOnly = false) => Store.open({ dataDir: dir, owner, readOnly, now: fixedNow });
const realm = (name: string, order: number) => ({
  ...realmFromPreset('openldap', { name, urls: ['ldap://h'], bindDn: 'cn=r', baseDn: 'dc=x' }),
  id: name,
  order,
});

const failure = async (promise: Promise<unknown>): Promise<RosterError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RosterError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
};

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Store', () => {
  it('creates a current-version document and keeps changes across reopening', async () => {
    const store = await open();
    await store.update((d) => void d.realms.push(realm('a', 0)));
    await store.close();
    expect(JSON.parse(await readFile(join(dir, STORE_FILE), 'utf8'))).toMatchObject({
      schemaVersion: CURRENT_SCHEMA_VERSION,
      realms: [{ id: 'a', name: 'a' }],
    });
    const again = await open();
    expect(again.data.realms.map((r) => r.id)).toEqual(['a']);
    await again.close();
  });

  it('keeps a truncated file aside, byte for byte, and says so clearly', async () => {
    const damaged = '{"schemaVersion":2,"realms":[{"id":"a","na';
    await writeFile(join(dir, STORE_FILE), damaged);
    const error = await failure(open());
    const aside = join(dir, 'roster.corrupt-2026-11-21T10-00-00-000Z.json');
    expect(error.code).toBe('store-corrupt');
    expect(error.message).toContain(`Roster's data file ${join(dir, STORE_FILE)} is damaged: it is not valid JSON (`);
    expect(error.message).toContain(`It was moved, unchanged, to ${aside}; nothing was overwritten.`);
    expect(await readFile(aside, 'utf8')).toBe(damaged);
    // The refused open released its lock, and the next start begins empty but reminds the user.
    expect(await readdir(dir)).not.toContain(LOCK_FILE);
    const fresh = await open();
    expect(fresh.data.realms).toEqual([]);
    expect(fresh.notices).toEqual([`Damaged data files were set aside earlier and are still in ${dir}: roster.corrupt-2026-11-21T10-00-00-000Z.json.`]);
    await fresh.close();
    expect(await readFile(aside, 'utf8')).toBe(damaged);
  });

  it('never moves a damaged file when opened read-only', async () => {
    await writeFile(join(dir, STORE_FILE), '{"schemaVersion":');
    expect((await failure(open('reader', true))).message).toBe(
      `Roster's data file ${join(dir, STORE_FILE)} is damaged: it is not valid JSON (Unexpected end of JSON input). It was left untouched; the next command that writes (or the app) will set it aside.`,
    );
    expect(await readFile(join(dir, STORE_FILE), 'utf8')).toBe('{"schemaVersion":');
  });

  it('treats an empty file and a non-object document as damaged', async () => {
    await writeFile(join(dir, STORE_FILE), '');
    expect((await failure(open())).message).toContain('is damaged: the file is empty (probably truncated).');
    await writeFile(join(dir, STORE_FILE), '[1,2]');
    expect((await failure(open())).message).toContain('is damaged: the top level is not an object.');
    // Same clock, second damaged file: the first one set aside must not be replaced.
    expect(await readFile(join(dir, 'roster.corrupt-2026-11-21T10-00-00-000Z.json'), 'utf8')).toBe('');
    expect(await readFile(join(dir, 'roster.corrupt-2026-11-21T10-00-00-000Z-1.json'), 'utf8')).toBe('[1,2]');
  });

  it('refuses a file from a newer Roster without touching it', async () => {
    const newer = '{"schemaVersion":99,"realms":[]}';
    await writeFile(join(dir, STORE_FILE), newer);
    const error = await failure(open());
    expect(error.message).toBe(
      `The data file ${join(dir, STORE_FILE)} was written by a newer Roster (schema 99; this one reads up to ${CURRENT_SCHEMA_VERSION}). Update Roster; the file was not changed.`,
    );
    expect(await readFile(join(dir, STORE_FILE), 'utf8')).toBe(newer);
  });

  it('migrates a version 1 document, keeping a backup of the original', async () => {
    const v1 = {
      schemaVersion: 1,
      realms: [
        {
          id: 'r1',
          name: 'Corp AD',
          kind: 'active-directory',
          connection: { url: 'ldaps://dc1.corp.example', tls: 'ldaps', bindDn: 'CN=svc' },
          search: { baseDn: 'DC=corp' },
        },
        { id: 'r2', name: 'Lab', kind: 'openldap', connection: { url: 'ldap://lab' }, search: { baseDn: 'dc=lab' } },
      ],
    };
    await writeFile(join(dir, STORE_FILE), JSON.stringify(v1));
    const store = await open();
    expect(store.data.schemaVersion).toBe(7);
    expect(store.data.roles).toEqual([]);
    expect(store.data.fields).toEqual({ overrides: {}, custom: [] });
    expect(store.data.realms.map((r) => [r.id, r.order, r.connection.urls])).toEqual([
      ['r1', 0, ['ldaps://dc1.corp.example']],
      ['r2', 1, ['ldap://lab']],
    ]);
    expect(store.data.realms[0]?.connection).not.toHaveProperty('url');
    expect(store.data.realms[0]?.connection.tls).toBe('ldaps');
    const backup = join(dir, 'backups', 'roster.v1.2026-11-21T10-00-00-000Z.json');
    expect(store.notices[0]).toBe(
      `Upgraded the data file (v1→v2: realm connection.url -> connection.urls[], explicit realm order; v2→v3: roles, field policy and preferences; v3→v4: attribute mapping as ordered lists (Full name falls back to cn), AD preset filter for normal user accounts (built-in, computer and trust accounts imported before show as not found at the next reconcile); v4→v5: realms that sent the bind password without TLS by default now use StartTLS (choose None in the realm settings to keep clear text); v5→v6: realms remember where the directory stood at their last reconcile, so the next one reads only what changed (each realm's next reconcile is a full one); v6→v7: realms remember when they were last imported (imports made before this version are not known); a user filter missing its closing ")" at the end, which was sent as if it were there, gets it); the previous version is kept at ${backup}.`,
    );
    expect(JSON.parse(await readFile(backup, 'utf8'))).toEqual(v1);
    await store.close();
    expect(JSON.parse(await readFile(join(dir, STORE_FILE), 'utf8')).schemaVersion).toBe(7);
  });

  it('migrates a version 3 mapping to ordered lists: Full name gains cn and givenName+sn, old AD filters become the normal-user filter', async () => {
    const v3 = {
      schemaVersion: 3,
      roles: [],
      fields: { overrides: {}, custom: [] },
      prefs: {},
      settings: {},
      realms: [
        {
          id: 'ol',
          name: 'Lab',
          kind: 'openldap',
          order: 0,
          connection: { urls: ['ldap://lab'] },
          search: { baseDn: 'dc=lab', userFilter: '(objectClass=inetOrgPerson)' },
          mapping: { username: 'uid', displayName: 'displayName', email: 'mail', manager: '' },
        },
        {
          id: 'ad',
          name: 'Corp',
          kind: 'active-directory',
          order: 1,
          connection: { urls: ['ldap://dc1'] },
          search: { baseDn: 'DC=corp', userFilter: '(&(objectCategory=person)(objectClass=user)(!(isCriticalSystemObject=TRUE)))' },
          mapping: { username: 'sAMAccountName', displayName: 'name' },
        },
        {
          id: 'file',
          name: 'Export',
          kind: 'ldif-file',
          order: 2,
          connection: { urls: [] },
          search: { baseDn: '', userFilter: '(&(objectClass=user)(!(objectClass=computer)))' },
          mapping: { username: 'sAMAccountName' },
        },
        {
          id: 'own',
          name: 'Own filter',
          kind: 'active-directory',
          order: 3,
          connection: { urls: ['ldap://dc2'] },
          search: { baseDn: 'DC=corp', userFilter: '(&(objectClass=user)(department=IT))' },
          mapping: {},
        },
      ],
    };
    await writeFile(join(dir, STORE_FILE), JSON.stringify(v3));
    const store = await open();
    expect(store.data.schemaVersion).toBe(7);
    expect(store.data.realms.map((r) => [r.id, r.mapping, r.search.userFilter])).toEqual([
      ['ol', { username: ['uid'], displayName: ['displayName', 'cn', 'givenName+sn'], email: ['mail'] }, '(objectClass=inetOrgPerson)'],
      ['ad', { username: ['sAMAccountName'], displayName: ['name'] }, AD_USER_FILTER],
      ['file', { username: ['sAMAccountName'] }, AD_USER_FILTER],
      ['own', {}, '(&(objectClass=user)(department=IT))'],
    ]);
    await store.close();
  });

  it('moves realms that sent their bind password in clear by default to StartTLS; explicit TLS, anonymous and mixed-URL realms stay', async () => {
    const realm = (id: string, connection: Record<string, unknown>) => ({
      id,
      name: id,
      kind: 'openldap',
      order: 0,
      connection,
      search: { baseDn: 'dc=x', userFilter: '(objectClass=inetOrgPerson)' },
      mapping: {},
    });
    const v4 = {
      schemaVersion: 4,
      roles: [],
      fields: { overrides: {}, custom: [] },
      prefs: {},
      settings: {},
      realms: [
        realm('default-none', { urls: ['ldap://a', 'ldap://b'], tls: 'none', bindDn: 'cn=r' }),
        realm('no-mode', { urls: ['ldap://a'], bindDn: 'cn=r' }),
        realm('anonymous', { urls: ['ldap://a'], tls: 'none', bindDn: '' }),
        realm('ldaps', { urls: ['ldaps://a'], tls: 'ldaps', bindDn: 'cn=r' }),
        realm('none-over-ldaps', { urls: ['ldaps://a'], tls: 'none', bindDn: 'cn=r' }),
        realm('mixed', { urls: ['ldaps://a', 'ldap://b'], tls: 'none', bindDn: 'cn=r' }),
      ],
    };
    await writeFile(join(dir, STORE_FILE), JSON.stringify(v4));
    const store = await open();
    expect(store.data.realms.map((r) => [r.id, r.connection.tls])).toEqual([
      ['default-none', 'starttls'],
      ['no-mode', 'starttls'],
      ['anonymous', 'none'],
      ['ldaps', 'ldaps'],
      ['none-over-ldaps', 'none'],
      ['mixed', 'none'],
    ]);
    await store.close();
  });

  it('migrates version 5 to 6: realms keep their settings and last reconcile time, and start without change markers (the next reconcile is full)', async () => {
    const realm = {
      id: 'ad',
      name: 'Corp',
      kind: 'active-directory',
      order: 0,
      connection: { urls: ['ldaps://dc1'], tls: 'ldaps', bindDn: 'CN=svc' },
      search: { baseDn: 'DC=corp', userFilter: AD_USER_FILTER },
      mapping: { username: ['sAMAccountName'] },
      lastReconcileAt: '2026-11-20T10:00:00.000Z',
    };
    // A version 5 document cannot have markers; one that claims to (hand-edited, a broken build) is not trusted.
    const v5 = {
      schemaVersion: 5,
      roles: [],
      fields: { overrides: {}, custom: [] },
      prefs: {},
      settings: {},
      realms: [realm, { ...realm, id: 'odd', sync: { marker: {} } }],
    };
    await writeFile(join(dir, STORE_FILE), JSON.stringify(v5));
    const store = await open();
    expect(store.data.schemaVersion).toBe(7);
    expect(store.data.realms).toEqual([realm, { ...realm, id: 'odd' }]);
    expect(store.notices[0]).toMatch(/^Upgraded the data file \(v5→v6: realms remember where the directory stood at their last reconcile/);
    await store.close();
    expect(JSON.parse(await readFile(join(dir, STORE_FILE), 'utf8')).schemaVersion).toBe(7);
  });

  it('migrates version 6 to 7 with a backup: realms keep their last test, reconcile and markers, and start with no import time', async () => {
    const realm = {
      id: 'lab',
      name: 'Lab',
      kind: 'openldap',
      order: 0,
      connection: { urls: ['ldap://ldap1'], tls: 'starttls', bindDn: 'cn=reader' },
      search: { baseDn: 'dc=example', userFilter: '(objectClass=inetOrgPerson)' },
      mapping: { username: ['uid'] },
      lastTest: { at: '2026-11-20T09:00:00.000Z', ok: true, message: 'OpenLDAP at ldap://ldap1, base DN found, 300 users' },
      lastReconcileAt: '2026-11-20T10:00:00.000Z',
      sync: { marker: { kind: 'timestamp', time: '20261120100000Z', server: 'ldap://ldap1' }, fingerprint: 'f', at: '2026-11-20T10:00:00.000Z' },
    };
    // A version 6 document cannot know import times; one that claims to is not trusted.
    // Filters were sent unchecked up to v6 (ldapts closed a missing last ")" itself): those get it; other faults stay.
    const unclosed = { ...realm, id: 'unclosed', search: { ...realm.search, userFilter: '(&(objectClass=person)(ou=Staff) ' } };
    const broken = { ...realm, id: 'broken', search: { ...realm.search, userFilter: '(cn=a))' } };
    const v6 = {
      schemaVersion: 6,
      roles: [],
      fields: { overrides: {}, custom: [] },
      prefs: {},
      settings: {},
      realms: [realm, { ...realm, id: 'odd', lastImportAt: 'x' }, unclosed, broken],
    };
    const original = JSON.stringify(v6);
    await writeFile(join(dir, STORE_FILE), original);
    const store = await open();
    expect(store.data.schemaVersion).toBe(7);
    expect(store.data.realms).toEqual([
      realm,
      { ...realm, id: 'odd' },
      { ...unclosed, search: { ...realm.search, userFilter: '(&(objectClass=person)(ou=Staff))' } },
      broken,
    ]);
    const backup = join(dir, 'backups', 'roster.v6.2026-11-21T10-00-00-000Z.json');
    expect(store.notices).toEqual([
      `Upgraded the data file (v6→v7: realms remember when they were last imported (imports made before this version are not known); a user filter missing its closing ")" at the end, which was sent as if it were there, gets it); the previous version is kept at ${backup}.`,
    ]);
    expect(await readFile(backup, 'utf8')).toBe(original);
    await store.close();
    expect(JSON.parse(await readFile(join(dir, STORE_FILE), 'utf8')).schemaVersion).toBe(7);
  });

  it('lets only one writer in; a reader may look while it writes', async () => {
    const first = await open('the Roster app');
    const error = await failure(open('the roster command line'));
    expect(error.code).toBe('store-locked');
    expect(error.message).toMatch(
      new RegExp(`^The Roster app \\(pid ${process.pid}, since .+\\) has the data folder ${dir} open\\. Close it and try again, or use another --data-dir\\.$`),
    );
    const reader = await open('reader', true);
    await expect(reader.update(() => undefined)).rejects.toThrow('This store was opened read-only.');
    await first.update((d) => void d.realms.push(realm('x', 0)));
    await first.close();
    const second = await open('the roster command line');
    expect(second.data.realms.map((r) => r.id)).toEqual(['x']);
    await second.close();
  });

  it('refuses while another live process holds the lock and takes over once it died', async () => {
    const holder = spawn(process.execPath, [
      '-e',
      `require('fs').writeFileSync(${JSON.stringify(join(dir, LOCK_FILE))}, JSON.stringify({pid: process.pid, host: require('os').hostname(), owner: 'another process', since: 'now'})); console.log('ready'); setInterval(() => {}, 1000);`,
    ]);
    await new Promise<void>((ready) => holder.stdout.once('data', () => ready()));
    expect((await failure(open())).message).toBe(
      `Another process (pid ${holder.pid}, since now) has the data folder ${dir} open. Close it and try again, or use another --data-dir.`,
    );
    const exited = new Promise((done) => holder.once('exit', done));
    holder.kill('SIGKILL');
    await exited;
    const store = await open();
    expect(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    await store.close();
  });

  it('coalesces concurrent updates without losing any', async () => {
    const store = await open();
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.update((d) => void d.realms.push(realm(`r${i}`, i)))));
    await store.close();
    const reopened = await open();
    expect(reopened.data.realms.map((r) => r.id)).toEqual(Array.from({ length: 50 }, (_, i) => `r${i}`));
    await reopened.close();
  });
});
