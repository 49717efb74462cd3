import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { realmFromPreset } from '#shared/model/realm-presets';
import { SessionSecretStore } from './core/secrets/secret-store';
import { openServices, type Services } from './core/services';
import { createHandlers, dispatch, type HandlerTable } from './handlers';

let dir: string;
let services: Services;
let table: HandlerTable;
const draft = (name: string) =>
  realmFromPreset('active-directory', { name, urls: ['ldaps://dc1.corp.example'], bindDn: 'CN=svc', baseDn: 'DC=corp,DC=example' });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-handlers-'));
  services = await openServices({ dataDir: dir, owner: 'test', transport: 'cli', secrets: new SessionSecretStore('test'), version: 'test' });
  table = createHandlers(services);
});
afterEach(async () => {
  await services.close();
  await rm(dir, { recursive: true, force: true });
});

describe('dispatch', () => {
  it('refuses unknown channels and invalid input with a readable message, never throwing', async () => {
    expect(await dispatch(table, 'users:drop-all', {})).toEqual({ ok: false, error: { code: 'invalid-input', message: 'Unknown channel users:drop-all.' } });
    const bad = { ...draft('X'), connection: { ...draft('X').connection, urls: ['http://nope'] } };
    expect(await dispatch(table, 'realms:create', { realm: bad })).toEqual({
      ok: false,
      error: { code: 'invalid-input', message: 'realm.connection.urls.0: Use a URL such as ldap://dc1.corp.example:389 or ldaps://dc1.corp.example:636' },
    });
    expect(await dispatch(table, 'realms:create', { realm: draft('X'), extra: 1 })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('turns unexpected exceptions into an internal error without a stack', async () => {
    const broken = {
      ...table,
      'realms:list': async () => {
        throw new TypeError('boom');
      },
    } as HandlerTable;
    expect(await dispatch(broken, 'realms:list', {})).toEqual({ ok: false, error: { code: 'internal', message: 'Unexpected error: boom' } });
  });

  it('creates, reorders, disables and deletes realms; passwords never come back', async () => {
    const a = await dispatch(table, 'realms:create', { realm: draft('A') });
    const b = await dispatch(table, 'realms:create', { realm: draft('B') });
    if (!a.ok || !b.ok) throw new Error('create failed');
    const [ida, idb] = [(a.value as { id: string }).id, (b.value as { id: string }).id];
    expect(await dispatch(table, 'realms:set-session-password', { realmId: ida, password: 'secret-a', remember: true })).toEqual({
      ok: true,
      value: { kept: 'session' },
    });
    const both = await dispatch(table, 'realms:list', {});
    expect(JSON.stringify(both)).not.toContain('secret-a');
    expect(both.ok && both.value).toMatchObject([
      { name: 'A', password: 'session', order: 0 },
      { name: 'B', password: 'missing', order: 1 },
    ]);

    const reordered = await dispatch(table, 'realms:reorder', { ids: [idb, ida] });
    expect(reordered.ok && (reordered.value as Array<{ name: string }>).map((r) => r.name)).toEqual(['B', 'A']);
    expect(await dispatch(table, 'realms:reorder', { ids: [idb] })).toEqual({
      ok: false,
      error: { code: 'invalid-input', message: 'The new order must list every realm exactly once; reload the realm list and try again.' },
    });
    expect(await dispatch(table, 'realms:set-enabled', { id: ida, enabled: false })).toMatchObject({ ok: true, value: { enabled: false } });
    expect(await dispatch(table, 'realms:update', { id: idb, realm: draft('a') })).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'A realm called "A" already exists; choose another name.', details: { field: 'name' } },
    });
    expect(await dispatch(table, 'realms:delete', { id: ida })).toEqual({ ok: true, value: { id: ida } });
    expect(await services.secrets.get(`realm:${ida}:bind-password`)).toBeUndefined();
    const listed = await dispatch(table, 'realms:list', {});
    expect(listed.ok && (listed.value as Array<{ name: string; order: number }>).map((r) => [r.name, r.order])).toEqual([['B', 0]]);
    expect(JSON.stringify(services.store.data)).not.toContain('secret-a');
  });
});

describe('the list sort preference', () => {
  it('is remembered across a restart: after prefs:set, a new process answers users:query with savedSort in that order', async () => {
    const saved = { column: 'department', direction: 'desc' } as const;
    expect(await dispatch(table, 'prefs:set', { prefs: { usersSort: saved } })).toMatchObject({ ok: true, value: { usersSort: saved } });
    await services.close();
    services = await openServices({ dataDir: dir, owner: 'test', transport: 'cli', secrets: new SessionSecretStore('test'), version: 'test' });
    table = createHandlers(services);
    const first = await dispatch(table, 'users:query', { query: { search: '' }, offset: 0, limit: 10, savedSort: true });
    expect(first).toMatchObject({ ok: true, value: { sort: saved } });
    expect(await dispatch(table, 'prefs:get', {})).toMatchObject({ ok: true, value: { usersSort: saved } });
  });
});
describe('the list column preferences', () => {
  it('survive a restart with the sort; a store that never saved them answers without them', async () => {
    const before = await dispatch(table, 'prefs:get', {});
    expect(before.ok && 'usersColumns' in (before.value as object)).toBe(false);
    const columns = { order: ['displayName', 'username', 'email'], hidden: ['title'], widths: { email: 240, department: 130 } };
    const sort = { column: 'email', direction: 'desc' } as const;
    expect(await dispatch(table, 'prefs:set', { prefs: { usersColumns: columns } })).toMatchObject({ ok: true, value: { usersColumns: columns } });
    expect(await dispatch(table, 'prefs:set', { prefs: { usersSort: sort } })).toMatchObject({ ok: true, value: { usersColumns: columns, usersSort: sort } });
    await services.close();
    services = await openServices({ dataDir: dir, owner: 'test', transport: 'cli', secrets: new SessionSecretStore('test'), version: 'test' });
    table = createHandlers(services);
    expect(await dispatch(table, 'prefs:get', {})).toMatchObject({ ok: true, value: { usersColumns: columns, usersSort: sort } });
    expect(await dispatch(table, 'prefs:set', { prefs: { usersColumns: { ...columns, widths: { email: 5 } } } })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
  });
});

