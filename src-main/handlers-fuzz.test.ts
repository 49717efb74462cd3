import fc from 'fast-check';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { CHANNEL_NAMES } from '#shared/ipc/channels';
import { contract, type Channel, type ChannelInput } from '#shared/ipc/contract';
import type { Result } from '#shared/result';
import { SessionSecretStore } from './core/secrets/secret-store';
import { openServices, type Services } from './core/services';
import { propertyRuns, propertyTimeout } from './core/testing/property-runs';
import { createHandlers, dispatch, type HandlerTable } from './handlers';

/*
 * Malformed input on every channel, through the real dispatch over real services on a temp data folder:
 * the answer is `invalid-input`, never `internal`, and nothing throws. Each channel has a minimal valid
 * input (only the keys it requires, so removing any key makes it invalid) and a full one (every key, so
 * any value of another JSON type anywhere makes it invalid).
 */

const REALM_MIN = {
  name: 'Fuzz',
  kind: 'openldap',
  connection: { urls: ['ldap://127.0.0.1:1'] },
  search: { baseDn: 'dc=example,dc=org', userFilter: '(objectClass=inetOrgPerson)' },
  idAttribute: 'entryUUID',
  mapping: {},
} as const satisfies ChannelInput<'realms:create'>['realm'];
const REALM_FULL = {
  name: 'Fuzz',
  kind: 'openldap',
  enabled: true,
  connection: {
    urls: ['ldap://127.0.0.1:1'],
    tls: 'starttls',
    caCertPem: '-----BEGIN CERTIFICATE-----',
    verifyCertificate: true,
    bindDn: 'cn=admin,dc=example,dc=org',
    connectTimeoutMs: 1000,
    operationTimeoutMs: 1000,
  },
  ldif: { path: '/nonexistent/fuzz.ldif', flavour: 'openldap' },
  search: { baseDn: 'dc=example,dc=org', userFilter: '(objectClass=inetOrgPerson)', scope: 'sub', pageSize: 100 },
  idAttribute: 'entryUUID',
  mapping: { username: ['uid'], displayName: ['displayName', 'cn', 'givenName+sn'] },
} as const satisfies ChannelInput<'realms:create'>['realm'];
const QUERY_FULL = {
  search: 'a',
  kind: 'internal',
  realmId: 'r1',
  enabled: true,
  incomplete: false,
  completions: false,
  conflicts: false,
  missingField: 'department',
  unexported: false,
  staleDays: 30,
  directoryEnabled: true,
  notFound: false,
  sort: { column: 'username', direction: 'asc' },
} as const satisfies ChannelInput<'users:query'>['query'];
const AUDIT_FILTER = { user: 'alice', action: 'user.update', from: '2024-01-01', to: '2024-12-31' } as const;
const DN = 'uid=alice,ou=people,dc=example,dc=org';
const EXPORT_FULL: ChannelInput<'export:plan'> = {
  format: 'csv',
  path: '/nonexistent/fuzz.csv',
  scope: { kind: 'ids', ids: ['u1'] },
  content: 'changes',
  columns: ['department'],
  delimiter: ';',
  separator: ' | ',
  overwrite: false,
};
const SHEET_FULL = { sheetId: 's1', mapping: { '0': 'username', '1': 'field:department', '2': 'ignore' }, clearEmpty: false } as const;

/** Per channel: the smallest valid input, and one that sets every key. */
const INPUTS: { [C in Channel]: { required: ChannelInput<C>; full: ChannelInput<C> } } = {
  'app:info': { required: {}, full: {} },
  'realms:list': { required: {}, full: {} },
  'realms:create': { required: { realm: REALM_MIN }, full: { realm: REALM_FULL, draftId: 'd1', rememberPassword: true } },
  'realms:update': {
    required: { id: 'r1', realm: REALM_MIN },
    full: { id: 'r1', realm: REALM_FULL, rememberPassword: true, forgetPassword: false },
  },
  'realms:set-session-password': {
    required: { realmId: 'r1', password: 'pw' },
    full: { draftId: 'd1', connection: REALM_FULL.connection, password: 'pw', remember: false },
  },
  'realms:set-enabled': { required: { id: 'r1', enabled: true }, full: { id: 'r1', enabled: true } },
  'realms:reorder': { required: { ids: ['r1'] }, full: { ids: ['r1', 'r2'] } },
  'realms:delete': { required: { id: 'r1' }, full: { id: 'r1' } },
  'realms:inspect-ldif': {
    required: { path: '/nonexistent/fuzz.ldif' },
    full: { path: '/nonexistent/fuzz.ldif', flavour: 'openldap', userFilter: '(uid=*)' },
  },
  'realms:test': { required: { id: 'r1' }, full: { id: 'r1', draft: REALM_FULL, draftId: 'd1' } },
  'users:query': { required: {}, full: { query: QUERY_FULL, offset: 0, limit: 10, savedSort: true } },
  'users:get': { required: { id: 'u1' }, full: { id: 'u1' } },
  'users:create': { required: { username: 'alice' }, full: { username: 'alice', fields: { department: 'Sales' }, enabled: true, roles: ['role1'] } },
  'users:update': { required: { id: 'u1' }, full: { id: 'u1', username: 'bob', fields: { department: 'Sales' } } },
  'users:delete': { required: { id: 'u1' }, full: { id: 'u1' } },
  'users:bulk-preview': { required: { target: { ids: ['u1'] } }, full: { target: { query: QUERY_FULL } } },
  'users:set-enabled': { required: { target: { ids: ['u1'] }, enabled: true }, full: { target: { query: QUERY_FULL }, enabled: false } },
  'users:assign-role': { required: { target: { ids: ['u1'] }, roleId: 'role1' }, full: { target: { query: QUERY_FULL }, roleId: 'role1' } },
  'users:remove-role': { required: { target: { ids: ['u1'] }, roleId: 'role1' }, full: { target: { ids: ['u1', 'u2'] }, roleId: 'role1' } },
  'users:copy-roles': { required: { id: 'u1', fromId: 'u2' }, full: { id: 'u1', fromId: 'u2' } },
  'users:to-internal': { required: { id: 'u1' }, full: { id: 'u1' } },
  'users:find-in-realm': { required: { id: 'u1', realmId: 'r1' }, full: { id: 'u1', realmId: 'r1' } },
  'users:to-external': { required: { id: 'u1', realmId: 'r1', dn: DN }, full: { id: 'u1', realmId: 'r1', dn: DN } },
  'users:history': { required: { id: 'u1' }, full: { id: 'u1' } },
  'fields:list': { required: {}, full: {} },
  'fields:set-policy': { required: { key: 'department' }, full: { key: 'department', owner: 'local', required: true } },
  'fields:add': {
    required: { field: { key: 'costCenter', label: 'Cost centre', ldapAttribute: 'costCenter' } },
    full: { field: { key: 'costCenter', label: 'Cost centre', type: 'identifier', ldapAttribute: 'costCenter', owner: 'local', required: false } },
  },
  'fields:remove': { required: { key: 'costCenter' }, full: { key: 'costCenter' } },
  'roles:list': { required: {}, full: {} },
  'roles:create': { required: { name: 'Ops' }, full: { name: 'Ops' } },
  'roles:rename': { required: { id: 'role1', name: 'Ops' }, full: { id: 'role1', name: 'Ops' } },
  'roles:delete': { required: { id: 'role1' }, full: { id: 'role1', force: true } },
  'audit:list': { required: {}, full: { filter: AUDIT_FILTER, offset: 0, limit: 10 } },
  'audit:csv': { required: {}, full: { filter: AUDIT_FILTER } },
  'import:search': { required: { realmId: 'r1' }, full: { realmId: 'r1', query: 'alice', filter: '(uid=alice)' } },
  'import:page': { required: { searchId: 'x1' }, full: { searchId: 'x1', offset: 0, limit: 10, status: 'new' } },
  'import:run': {
    required: { searchId: 'x1' },
    full: {
      searchId: 'x1',
      dns: [DN],
      clash: { onUsernameClash: 'rename', renameRule: '{username}.{realm}', overrides: { [DN]: { choice: 'rename', username: 'alice2' } } },
    },
  },
  'sync:candidates': { required: { userId: 'u1' }, full: { userId: 'u1', realmId: 'r1' } },
  'sync:preview': { required: { userId: 'u1', realmId: 'r1', dn: DN }, full: { userId: 'u1', realmId: 'r1', dn: DN } },
  'sync:apply': {
    required: { userId: 'u1', realmId: 'r1', dn: DN },
    full: { userId: 'u1', realmId: 'r1', dn: DN, choices: { department: 'local' } },
  },
  'sync:resolve': { required: { userId: 'u1', choices: {} }, full: { userId: 'u1', choices: { department: 'directory' } } },
  'sync:resync-users': { required: { target: { ids: ['u1'] } }, full: { target: { query: QUERY_FULL } } },
  'realms:reconcile': { required: { realmId: 'r1' }, full: { realmId: 'r1' } },
  'jobs:list': { required: {}, full: {} },
  'jobs:get': { required: { id: 'j1' }, full: { id: 'j1' } },
  'jobs:cancel': { required: { id: 'j1' }, full: { id: 'j1' } },
  'demo:start': { required: {}, full: {} },
  'prefs:get': { required: {}, full: {} },
  'prefs:set': {
    required: { prefs: {} },
    full: {
      prefs: {
        usersSort: { column: 'department', direction: 'desc' },
        usersColumns: { order: ['email', 'username'], hidden: ['title'], widths: { email: 200 } },
        export: { preset: 'ad-owners', columns: ['department'], format: 'csv', content: 'snapshot', delimiter: ';', folder: '/nonexistent' },
        staleDays: 30,
      },
    },
  },
  'app:show-in-folder': { required: { path: '/nonexistent/x' }, full: { path: '/nonexistent/x' } },
  'app:choose-path': { required: { mode: 'save' }, full: { mode: 'open', defaultPath: '/nonexistent/x.csv', extensions: ['csv'] } },
  'export:columns': { required: {}, full: {} },
  'export:plan': { required: { format: 'csv', path: '/nonexistent/fuzz.csv' }, full: EXPORT_FULL },
  'export:start': { required: { format: 'csv', path: '/nonexistent/fuzz.csv' }, full: EXPORT_FULL },
  'sheets:open': { required: { path: '/nonexistent/sheet.csv' }, full: { path: '/nonexistent/sheet.csv' } },
  'sheets:preview': { required: { sheetId: 's1' }, full: SHEET_FULL },
  'sheets:page': { required: { sheetId: 's1' }, full: { sheetId: 's1', offset: 0, limit: 10, status: 'change' } },
  'sheets:apply': { required: { sheetId: 's1' }, full: SHEET_FULL },
  'reports:overview': { required: {}, full: { staleDays: 30 } },
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

/** The JSON type of a value: what a schema checks first. */
const jsonType = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);
const isRecord = (value: unknown): value is Record<string, unknown> => jsonType(value) === 'object';

/** Every path to a value inside `value` (objects and arrays), depth first; the root is not included. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  const out: Path[] = [];
  const children: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : isRecord(value) ? Object.entries(value) : [];
  for (const [key, child] of children) out.push([...prefix, key], ...pathsOf(child, [...prefix, key]));
  return out;
}
/** The paths of object keys only (what "a missing key" can remove). */
const keyPaths = (value: unknown): Path[] => pathsOf(value).filter((p) => typeof p[p.length - 1] === 'string');
const get = (value: unknown, path: Path): unknown => path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], value);

/** A deep copy of `value` with the value at `path` replaced (or removed, when `remove`). */
function edit(value: unknown, path: Path, replacement: unknown, remove = false): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  const parent = get(copy, path.slice(0, -1)) as Record<string | number, unknown>;
  const key = path[path.length - 1]!;
  if (remove) delete parent[key];
  else parent[key] = replacement;
  return copy;
}
/** A deep copy with the key at `path` renamed (same value). */
function renameKey(value: unknown, path: Path, name: string): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  const parent = get(copy, path.slice(0, -1)) as Record<string, unknown>;
  const key = path[path.length - 1] as string;
  const moved = parent[key];
  delete parent[key];
  parent[name] = moved;
  return copy;
}

const TEN_MB = 10 * 1024 * 1024;
const huge = (start: string) => start + 'a'.repeat(TEN_MB);
const deepObject = (depth: number): Json => {
  let v: Json = {};
  for (let i = 0; i < depth; i += 1) v = { a: v };
  return v;
};
const deepArray = (depth: number): Json => {
  let v: Json = [];
  for (let i = 0; i < depth; i += 1) v = [v];
  return v;
};

/** Values of every JSON type, odd ones included; each replacement uses those of another type than the original. */
const SHAPES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.MAX_SAFE_INTEGER + 2,
  '',
  'x',
  '__proto__',
  huge(''),
  [],
  [null],
  ['x'],
  [{}],
  {},
  { a: 1 },
  { __proto__: null, toString: 'x' },
  JSON.parse('{"__proto__": {"polluted": true}}'),
  { constructor: { prototype: { polluted: true } } },
  deepObject(10_000),
  deepArray(10_000),
];

let dir: string;
let services: Services;
let table: HandlerTable;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-fuzz-'));
  services = await openServices({ dataDir: dir, owner: 'test', transport: 'cli', secrets: new SessionSecretStore('test'), version: 'test' });
  table = createHandlers(services);
});
afterAll(async () => {
  await services.close();
  await rm(dir, { recursive: true, force: true });
});

/** The schema alone must not throw on the input (dispatch would hide it), and dispatch must not either. */
async function call(channel: Channel, input: unknown): Promise<Result<unknown>> {
  expect(() => contract[channel].input.safeParse(input ?? {}), `${channel}: the schema threw`).not.toThrow();
  return dispatch(table, channel, input);
}

/** Sends a wrong input and expects exactly an `invalid-input` answer with a readable, bounded message. */
async function expectInvalid(channel: Channel, input: unknown, what: string): Promise<string> {
  const result = await call(channel, input);
  expect(result.ok, `${channel} accepted ${what}`).toBe(false);
  if (result.ok) return '';
  expect(result.error.code, `${channel} with ${what}: ${result.error.message}`).toBe('invalid-input');
  expect(result.error.message.length, `${channel} with ${what}: the message is too long`).toBeLessThanOrEqual(2000);
  expect(result.error.message).not.toMatch(/Cannot read|undefined \(reading|is not a function/);
  return result.error.message;
}

/** The keys holding records (any key name the schema accepts, e.g. field keys), not objects of fixed keys. */
const RECORDS = ['mapping', 'fields', 'choices', 'overrides'];
const describePath = (path: Path) => path.join('.') || '(top)';

describe('every channel refuses malformed input with invalid-input (fixed list)', () => {
  it('knows every channel, and each minimal and full input is valid', () => {
    expect(Object.keys(INPUTS).sort()).toEqual([...CHANNEL_NAMES].sort());
    for (const channel of CHANNEL_NAMES) {
      expect(contract[channel].input.safeParse(INPUTS[channel].required).success, `${channel} minimal`).toBe(true);
      expect(contract[channel].input.safeParse(INPUTS[channel].full).success, `${channel} full`).toBe(true);
    }
  });

  it('refuses a realms:create without a realm (it used to crash in a refinement reading .kind)', async () => {
    for (const input of [{}, { realm: undefined }, { realm: null }, undefined, null]) {
      expect(await call('realms:create', input)).toEqual({
        ok: false,
        error: { code: 'invalid-input', message: expect.stringMatching(/^realm: Invalid input: expected object, received (undefined|null)$/) },
      });
    }
  });

  it.each(CHANNEL_NAMES)('%s: inputs that are not objects', async (channel) => {
    for (const shape of SHAPES.filter((s) => s !== null && !isRecord(s))) await expectInvalid(channel, shape, `the top-level ${jsonType(shape)}`);
    // A channel whose inputs are all optional takes null or undefined as "no input"; any other refuses it.
    if (Object.keys(INPUTS[channel].required ?? {}).length > 0) {
      await expectInvalid(channel, null, 'null');
      await expectInvalid(channel, undefined, 'undefined');
    }
  });

  it.each(CHANNEL_NAMES)('%s: each required key missing', async (channel) => {
    const { required } = INPUTS[channel];
    for (const path of keyPaths(required)) await expectInvalid(channel, edit(required, path, undefined, true), `${describePath(path)} missing`);
    for (const path of keyPaths(required)) await expectInvalid(channel, edit(required, path, undefined), `${describePath(path)} undefined`);
  });

  it.each(CHANNEL_NAMES)('%s: each value replaced by values of other JSON types', async (channel) => {
    const { full } = INPUTS[channel];
    for (const path of pathsOf(full)) {
      const original = get(full, path);
      for (const shape of SHAPES.filter((s) => jsonType(s) !== jsonType(original)))
        await expectInvalid(channel, edit(full, path, shape), `${describePath(path)} = ${jsonType(shape)}`);
    }
  });

  it.each(CHANNEL_NAMES)('%s: each string 10 MB long, and each record key', async (channel) => {
    const { full } = INPUTS[channel];
    for (const path of pathsOf(full)) {
      const original = get(full, path);
      if (typeof original === 'string') await expectInvalid(channel, edit(full, path, huge(original)), `a 10 MB ${describePath(path)}`);
    }
    // Keys of records (field values, choices, overrides, mappings): a huge key is refused as well. (A key of a
    // nested object is no record key: an unknown one is dropped there, as zod does, and the default applies.)
    for (const path of keyPaths(full).filter((p) => RECORDS.includes(String(p[p.length - 2])))) {
      const name = String(path[path.length - 1]);
      await expectInvalid(channel, renameKey(full, path, huge(name)), `a 10 MB key at ${describePath(path)}`);
    }
  });

  it.each(CHANNEL_NAMES)('%s: extra keys, however named and nested', async (channel) => {
    const { full } = INPUTS[channel];
    for (const name of ['extra', '__proto__', 'constructor', 'toString', '', huge('k')])
      for (const value of [1, null, deepObject(10_000), deepArray(10_000)]) {
        const input = structuredClone(full) as Record<string, unknown>;
        Object.defineProperty(input, name, { value, enumerable: true, configurable: true, writable: true });
        const message = await expectInvalid(channel, input, `an extra key ${name.slice(0, 20) || '(empty)'}`);
        // The key is named, cut short when long: `Unrecognized key: "kaaa…"`.
        expect(message).toBe(`Unrecognized key: "${name}"`.length > 300 ? `Unrecognized key: "${name.slice(0, 280)}…` : `Unrecognized key: "${name}"`);
      }
  });
});

describe('channel names that are not channels', () => {
  it('are refused with a bounded message, whatever they are', async () => {
    const hostile = {
      toString: () => {
        throw new Error('boom');
      },
    };
    expect(await dispatch(table, 'users:drop-all', {})).toEqual({ ok: false, error: { code: 'invalid-input', message: 'Unknown channel users:drop-all.' } });
    expect(await dispatch(table, huge('x'), {})).toEqual({ ok: false, error: { code: 'invalid-input', message: `Unknown channel x${'a'.repeat(98)}….` } });
    expect(await dispatch(table, hostile, {})).toEqual({
      ok: false,
      error: { code: 'invalid-input', message: 'A channel is named by a string, not an object.' },
    });
    expect(await dispatch(table, null, {})).toEqual({ ok: false, error: { code: 'invalid-input', message: 'A channel is named by a string, not null.' } });
    expect(await dispatch(table, 42, {})).toEqual({ ok: false, error: { code: 'invalid-input', message: 'A channel is named by a string, not a number.' } });
    expect(await dispatch(table, '__proto__', {})).toEqual({ ok: false, error: { code: 'invalid-input', message: 'Unknown channel __proto__.' } });
  });
});

describe('names every object inherits (constructor, toString…), on real users', () => {
  const INHERITED = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString'];

  it("are refused wherever a field key goes (a user's fields would find a function under them)", async () => {
    const created = await dispatch(table, 'users:create', { username: 'proto-alice' });
    if (!created.ok) throw new Error(created.error.message);
    const userId = (created.value as { user: { id: string } }).user.id;
    const reserved = 'That name is reserved (every JavaScript object has it); choose another key, e.g. costCenter';
    for (const key of INHERITED) {
      const cases: [Channel, unknown, string][] = [
        ['fields:add', { field: { key, label: 'L', ldapAttribute: 'cn' } }, `field.key: ${reserved}`],
        ['fields:set-policy', { key, owner: 'local' }, `key: ${reserved}`],
        ['fields:remove', { key }, `key: ${reserved}`],
        ['users:query', { query: { missingField: key } }, `query.missingField: ${reserved}`],
        ['users:update', { id: userId, fields: { [key]: 'x' } }, `fields.${key}: Invalid key in record`],
        ['users:create', { username: 'proto-bob', fields: { [key]: 'x' } }, `fields.${key}: Invalid key in record`],
        ['sync:resolve', { userId, choices: { [key]: 'local' } }, `choices.${key}: Invalid key in record`],
      ];
      for (const [channel, input, message] of cases)
        expect(await call(channel, input), `${channel} ${key}`).toEqual({ ok: false, error: { code: 'invalid-input', message } });
    }
    const fields = await dispatch(table, 'fields:list', {});
    expect(fields.ok && (fields.value as { key: string }[]).filter((f) => INHERITED.includes(f.key))).toEqual([]);
  });

  it('as ids, search ids and sheet ids are not found, never an internal error', async () => {
    for (const key of [...INHERITED, '__proto__', 'prototype']) {
      const cases: [Channel, unknown][] = [
        ['users:get', { id: key }],
        ['users:delete', { id: key }],
        ['jobs:get', { id: key }],
        ['jobs:cancel', { id: key }],
        ['realms:delete', { id: key }],
        ['realms:reconcile', { realmId: key }],
        ['roles:delete', { id: key }],
        ['import:page', { searchId: key }],
        ['sheets:page', { sheetId: key }],
        ['sheets:preview', { sheetId: key }],
      ];
      for (const [channel, input] of cases) {
        const result = await call(channel, input);
        expect(result.ok === false && result.error.code, `${channel} ${key}: ${JSON.stringify(result)}`).toBe('not-found');
      }
    }
  });
});

describe('a schema that throws while parsing is still invalid input (the wrapper as last line)', () => {
  it.each([
    ['a TypeError', () => new TypeError("Cannot read properties of undefined (reading 'kind')")],
    ['a ZodError', () => new z.ZodError([{ code: 'custom', path: ['realm'], message: 'Give a realm', input: undefined }])],
  ])('%s thrown by the schema', async (_, error) => {
    const spy = vi.spyOn(contract['realms:create'].input, 'safeParse').mockImplementation(() => {
      throw error();
    });
    try {
      const result = await dispatch(table, 'realms:create', {});
      expect(result.ok === false && result.error.code).toBe('invalid-input');
      expect(result).toEqual({
        ok: false,
        error: {
          code: 'invalid-input',
          message:
            error() instanceof z.ZodError
              ? 'realm: Give a realm'
              : "The input for realms:create has an unexpected shape (Cannot read properties of undefined (reading 'kind')).",
        },
      });
    } finally {
      spy.mockRestore();
    }
  });
});

/** Any value fast-check can make, JSON-like or not (NaN, -0, sparse arrays, odd keys). */
const anyValue = fc.anything({ maxDepth: 4, withNullPrototype: true, withObjectString: true });
const channelArb = fc.constantFrom(...CHANNEL_NAMES);

describe('every channel refuses malformed input with invalid-input (generated by fast-check)', () => {
  it(
    'a value of another JSON type anywhere in a full input',
    async () => {
      const cases = channelArb.chain((channel) => {
        const paths = pathsOf(INPUTS[channel].full);
        if (paths.length === 0) return fc.constant({ channel, path: [] as Path, value: 1 as unknown });
        return fc.record({
          channel: fc.constant(channel),
          path: fc.constantFrom(...paths),
          value: anyValue,
        });
      });
      await fc.assert(
        fc.asyncProperty(
          cases.filter(
            ({ channel, path, value }) => path.length === 0 || (value !== undefined && jsonType(value) !== jsonType(get(INPUTS[channel].full, path))),
          ),
          async ({ channel, path, value }) => {
            const input = path.length === 0 ? value : edit(INPUTS[channel].full, path, value);
            await expectInvalid(channel, input, `${describePath(path)} = ${jsonType(value)}`);
          },
        ),
        { numRuns: propertyRuns(300) },
      );
    },
    propertyTimeout(),
  );

  it(
    'any subset of required keys removed',
    async () => {
      const cases = channelArb
        .filter((c) => keyPaths(INPUTS[c].required).length > 0)
        .chain((channel) => fc.record({ channel: fc.constant(channel), remove: fc.subarray(keyPaths(INPUTS[channel].required), { minLength: 1 }) }));
      await fc.assert(
        fc.asyncProperty(cases, async ({ channel, remove }) => {
          // Remove the deepest paths first so a parent's removal does not hide a child's.
          let input: unknown = INPUTS[channel].required;
          for (const path of [...remove].sort((a, b) => b.length - a.length))
            if (get(input, path.slice(0, -1)) !== undefined) input = edit(input, path, undefined, true);
          await expectInvalid(channel, input, `${remove.map(describePath).join(', ')} missing`);
        }),
        { numRuns: propertyRuns(300) },
      );
    },
    propertyTimeout(),
  );

  it(
    'an extra top-level key with any name and value',
    async () => {
      await fc.assert(
        fc.asyncProperty(channelArb, fc.string({ maxLength: 30 }), anyValue, async (channel, name, value) => {
          fc.pre(!Object.hasOwn(INPUTS[channel].full ?? {}, name) && value !== undefined);
          const input = structuredClone(INPUTS[channel].full) as Record<string, unknown>;
          Object.defineProperty(input, name, { value, enumerable: true, configurable: true, writable: true });
          await expectInvalid(channel, input, `an extra key ${JSON.stringify(name)}`);
        }),
        { numRuns: propertyRuns(300) },
      );
    },
    propertyTimeout(),
  );

  it(
    'any value at all as the whole input: never internal, never a throw; invalid-input unless it is an object',
    async () => {
      await fc.assert(
        fc.asyncProperty(channelArb, anyValue, async (channel, value) => {
          if (value !== null && value !== undefined && (typeof value !== 'object' || Array.isArray(value))) {
            await expectInvalid(channel, value, `the top-level ${jsonType(value)}`);
            return;
          }
          const result = await call(channel, value);
          if (!result.ok) expect(result.error.code, `${channel}: ${result.error.message}`).not.toBe('internal');
        }),
        { numRuns: propertyRuns(300) },
      );
    },
    propertyTimeout(),
  );
});
