import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { realmFromPreset } from '#shared/model/realm-presets';
import type { Realm, RealmInput } from '#shared/model/realm';
import type { Job } from '#shared/model/sync';
import type { Result } from '#shared/result';
import { startSlapd, type SlapdServer } from '../../../e2e/fixtures/slapd';
import { createHandlers, dispatch, type HandlerTable } from '../../handlers';
import { aesTestEncryptor } from '../secrets/aes-test-encryptor';
import { EncryptedFileSecretStore } from '../secrets/encrypted-file-store';
import { openServices, type Services } from '../services';

/*
 * What a realm's card shows comes from main: the last connection test (result and when) and when the realm
 * was last imported and reconciled. Through the real handler table against a real slapd, as the form does it:
 * a test in the form, then Save; an import; a reconcile.
 */

let slapd: SlapdServer;
let dir: string;
let services: Services;
let table: HandlerTable;
let clock = Date.parse('2026-12-01T09:00:00.000Z');

beforeAll(async () => {
  slapd = await startSlapd({ flavor: 'openldap', users: 5 });
}, 60_000);
afterAll(async () => slapd?.stop());
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-realm-card-'));
  services = await openServices({
    dataDir: dir,
    owner: 'test',
    transport: 'cli',
    secrets: new EncryptedFileSecretStore(join(dir, 'secrets.json'), aesTestEncryptor()),
    version: 'test',
    now: () => new Date((clock += 60_000)),
  });
  table = createHandlers(services);
  return async () => {
    await services.close();
    await rm(dir, { recursive: true, force: true });
  };
});

const value = <T>(result: Result<unknown>): T => {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
};
const call = async <T>(channel: string, input: unknown): Promise<T> => value<T>(await dispatch(table, channel, input));
const lab = (): RealmInput => realmFromPreset('openldap', { name: 'Lab', urls: [slapd.url], bindDn: slapd.readerDn, baseDn: slapd.baseDn, tls: 'none' });
const listed = async (id: string) => (await call<Realm[]>('realms:list', {})).find((r) => r.id === id)!;
/** Resolves at the next realms:changed for `id` (main says so after writing what the card shows). */
const changed = (id: string) =>
  new Promise<void>((resolve) => {
    const off = services.events.onAny((event, payload) => {
      if (event === 'realms:changed' && (payload as { ids: string[] }).ids.includes(id)) {
        off();
        resolve();
      }
    });
  });
const OK = expect.objectContaining({ ok: true, message: expect.stringMatching(/^OpenLDAP at ldap:\/\/127\.0\.0\.1:\d+, base DN found, 5 users$/) });

describe("a realm's card data", () => {
  it('a new realm tested in its form and then saved keeps that test; saved with other settings it does not', async () => {
    await call('realms:set-session-password', { draftId: 'form-a', connection: lab().connection, password: slapd.readerPassword });
    const report = await call<{ ok: boolean }>('realms:test', { draft: lab(), draftId: 'form-a' });
    expect(report.ok).toBe(true);
    const saved = await call<Realm>('realms:create', { realm: lab(), draftId: 'form-a', rememberPassword: true });
    expect(saved.lastTest).toEqual(OK);
    expect((await listed(saved.id)).lastTest).toEqual(saved.lastTest);

    await call('realms:set-session-password', { draftId: 'form-b', connection: lab().connection, password: slapd.readerPassword });
    await call('realms:test', { draft: { ...lab(), name: 'Other' }, draftId: 'form-b' });
    const moved = { ...lab(), name: 'Other', search: { ...lab().search, baseDn: `ou=people,${slapd.baseDn}` } };
    expect((await call<Realm>('realms:create', { realm: moved, draftId: 'form-b' })).lastTest).toBeUndefined();
  });

  it('a saved realm tested with a typed password keeps the test when Save remembers that password; an edited draft test is kept when saved', async () => {
    const realm = await call<Realm>('realms:create', { realm: lab() });
    expect(realm.lastTest).toBeUndefined();
    await call('realms:set-session-password', { realmId: realm.id, connection: realm.connection, password: slapd.readerPassword });
    await call('realms:test', { id: realm.id });
    const tested = (await listed(realm.id)).lastTest;
    expect(tested).toEqual(OK);
    const remembered = await call<Realm>('realms:update', { id: realm.id, realm: lab(), rememberPassword: true });
    expect(remembered.password).toBe('saved');
    expect(remembered.lastTest).toEqual(tested);

    // Settings edited in the form and tested as a draft, then saved: the card shows that test.
    const edited = { ...lab(), search: { ...lab().search, pageSize: 100 } };
    await call('realms:test', { id: realm.id, draft: edited });
    const updated = await call<Realm>('realms:update', { id: realm.id, realm: edited });
    expect(updated.lastTest).toEqual(OK);
    expect(updated.lastTest?.at).not.toBe(tested?.at);
    // A new password makes the form's test stale: a save after it keeps no test.
    await call('realms:set-session-password', { realmId: realm.id, connection: realm.connection, password: 'another-one' });
    expect((await call<Realm>('realms:update', { id: realm.id, realm: edited, rememberPassword: true })).lastTest).toBeUndefined();
  });

  it('an import stamps when it finished and a reconcile is announced, both kept across edits', async () => {
    const realm = await call<Realm>('realms:create', { realm: lab() });
    await call('realms:set-session-password', { realmId: realm.id, connection: realm.connection, password: slapd.readerPassword });
    const imported = changed(realm.id);
    const job = services.importer.searchAndImport(realm.id, '*', undefined);
    await imported;
    const done = await services.jobs.wait(job.id);
    expect(done.state).toBe('done');
    expect((await listed(realm.id)).lastImportAt).toBe(done.finishedAt);

    const reconciled = changed(realm.id);
    const run = await call<Job>('realms:reconcile', { realmId: realm.id });
    await reconciled;
    const finished = await services.jobs.wait(run.id);
    const card = await listed(realm.id);
    expect(card.lastReconcileAt).toBeDefined();
    expect(Date.parse(card.lastReconcileAt!)).toBeLessThanOrEqual(Date.parse(finished.finishedAt!));
    expect(card.lastImportAt).toBe(done.finishedAt);
    expect((await call<Realm>('realms:update', { id: realm.id, realm: { ...lab(), name: 'Renamed' } })).lastImportAt).toBe(done.finishedAt);
  });
});
