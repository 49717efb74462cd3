import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { realmFromPreset } from '#shared/model/realm-presets';
import type { Realm } from '#shared/model/realm';
import type { Result } from '#shared/result';
import { createHandlers, dispatch, type HandlerTable } from '../../handlers';
import { runCli } from '../../cli/run-cli';
import { SessionSecretStore } from '../secrets/secret-store';
import { openServices, type Services } from '../services';

/*
 * A malformed user filter is Roster's own mistake to report, before any connection: the realm's server here is
 * a TCP listener that counts connections, and every path (save, test, import, reconcile, the CLI) must leave it
 * at zero and say what is wrong with the filter and where.
 */

let dir: string;
let services: Services;
let table: HandlerTable;
let listener: Server;
let connections = 0;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-filter-check-'));
  services = await openServices({ dataDir: join(dir, 'app'), owner: 'test', transport: 'cli', secrets: new SessionSecretStore('test'), version: 'test' });
  table = createHandlers(services);
  connections = 0;
  listener = createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  listener.listen(0, '127.0.0.1');
  await once(listener, 'listening');
});
afterEach(async () => {
  await services.close();
  listener.close();
  await rm(dir, { recursive: true, force: true });
});

const url = () => `ldap://127.0.0.1:${(listener.address() as AddressInfo).port}`;
const input = (userFilter: string) => {
  const realm = realmFromPreset('openldap', { name: 'Lab', urls: [url()], bindDn: '', baseDn: 'dc=example,dc=org', tls: 'none' });
  realm.search.userFilter = userFilter;
  return realm;
};
const value = <T>(result: Result<unknown>): T => {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
};
const UNCLOSED = 'The "(" at character 21 is never closed: a ")" is missing.';

describe('a malformed user filter', () => {
  it('is refused when a realm is saved or a draft tested, naming the field, what is wrong and where', async () => {
    const bad = input('(&(objectClass=user)(cn=a');
    expect(await dispatch(table, 'realms:create', { realm: bad })).toEqual({
      ok: false,
      error: { code: 'invalid-input', message: `realm.search.userFilter: ${UNCLOSED}` },
    });
    expect(await dispatch(table, 'realms:test', { draft: bad, draftId: 'form-1' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: `draft.search.userFilter: ${UNCLOSED}` },
    });
    const saved = value<Realm>(await dispatch(table, 'realms:create', { realm: input('(objectClass=person)') }));
    expect(await dispatch(table, 'realms:update', { id: saved.id, realm: input('(cn=a\\zz)') })).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('realm.search.userFilter: The "\\" at character 6 must be followed by two hex digits') },
    });
    expect(connections).toBe(0);
  });

  it('saved by an older Roster: test, import and reconcile say so before connecting', async () => {
    const saved = value<Realm>(await dispatch(table, 'realms:create', { realm: input('(objectClass=person)') }));
    await services.store.update((data) => {
      data.realms[0]!.search.userFilter = '(&(objectClass=user)(cn=a';
    });
    const said = `The user filter of realm "Lab" is not valid: ${UNCLOSED} Fix it in the realm's settings.`;
    expect(await dispatch(table, 'realms:test', { id: saved.id })).toEqual({
      ok: false,
      error: { code: 'invalid-filter', message: `The user filter is not valid: ${UNCLOSED} Fix it in the realm's settings.`, details: { field: 'search.userFilter' } },
    });
    expect(await dispatch(table, 'import:search', { realmId: saved.id, query: '*' })).toEqual({
      ok: false,
      error: { code: 'invalid-filter', message: said, details: { realmId: saved.id, field: 'search.userFilter' } },
    });
    // Refused before a job starts, as a missing password is.
    expect(await dispatch(table, 'realms:reconcile', { realmId: saved.id })).toEqual({
      ok: false,
      error: { code: 'invalid-filter', message: said, details: { realmId: saved.id, field: 'search.userFilter' } },
    });
    expect(connections).toBe(0);
  });

  it('is refused by `roster realm add --filter`', async () => {
    const added = await runCli(join(dir, 'cli'), ['realm', 'add', '--name', 'Lab', '--kind', 'openldap', '--tls', 'none', '--url', url(), '--bind-dn', '', '--base-dn', 'dc=example,dc=org', '--filter', '(cn=a))']);
    expect(added.code).toBe(1);
    expect(added.err).toContain('The ")" at character 7 closes nothing: there is one ")" too many.');
    expect(connections).toBe(0);
  });
});
