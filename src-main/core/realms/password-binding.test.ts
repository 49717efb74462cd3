import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startSlapd, type SlapdServer } from '../../../e2e/fixtures/slapd';
import { CHANNELS, contract, type Channel, type ChannelInput, type ChannelOutput } from '#shared/ipc/contract';
import type { RealmInput } from '#shared/model/realm';
import { realmFromPreset } from '#shared/model/realm-presets';
import type { AppError } from '#shared/result';
import { createHandlers, dispatch, type HandlerTable } from '../../handlers';
import { aesTestEncryptor } from '../secrets/aes-test-encryptor';
import { EncryptedFileSecretStore } from '../secrets/encrypted-file-store';
import { openServices, type Services } from '../services';

/**
 * A plain TCP listener on loopback that records every byte a client sends and never answers: what a
 * look-alike or mistyped host would see of Roster.
 */
interface ByteListener {
  url: string;
  connections: number;
  received(): Buffer;
  close(): Promise<void>;
}

async function listen(): Promise<ByteListener> {
  const chunks: Buffer[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ldap://127.0.0.1:${port}`,
    get connections() {
      return connections;
    },
    received: () => Buffer.concat(chunks),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

let server: SlapdServer;
let listener: ByteListener;
let dir: string;
let services: Services;
let table: HandlerTable;

beforeAll(async () => {
  server = await startSlapd({ flavor: 'openldap', users: 3 });
}, 60_000);
afterAll(async () => server?.stop());
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-password-binding-'));
  listener = await listen();
  // Saved passwords persist (encrypted) the way they do with a system keyring.
  services = await openServices({
    dataDir: dir,
    owner: 'test',
    transport: 'cli',
    secrets: new EncryptedFileSecretStore(join(dir, 'secrets.json'), aesTestEncryptor()),
    version: 'test',
  });
  table = createHandlers(services);
});
afterEach(async () => {
  await services.close();
  await listener.close();
  await rm(dir, { recursive: true, force: true });
});

type Outcome<C extends Channel> = { ok: true; value: ChannelOutput<C> } | { ok: false; error: AppError };
const attempt = <C extends Channel>(channel: C, input: ChannelInput<C>) => dispatch(table, channel, input) as Promise<Outcome<C>>;
async function call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const result = await attempt(channel, input);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** The lab realm on the plain test slapd (clear text chosen explicitly: the test server has no TLS). */
const lab = (name = 'Lab'): RealmInput =>
  realmFromPreset('openldap', { name, urls: [server.url], bindDn: server.readerDn, baseDn: server.baseDn, tls: 'none' });
/** A copy of a realm input with other connection settings. */
const withConnection = (realm: RealmInput, change: Partial<RealmInput['connection']>): RealmInput => ({
  ...realm,
  // The listener never answers: a bind that was sent would wait this long before failing.
  connection: { ...realm.connection, connectTimeoutMs: 2_000, operationTimeoutMs: 2_000, ...change },
});
const onListener = (realm: RealmInput) => withConnection(realm, { urls: [listener.url] });
const stateOf = async (id: string) => (await call('realms:list', {})).find((r) => r.id === id);
const bindStep = (report: ChannelOutput<'realms:test'>) => report.steps.find((s) => s.step === 'bind');

/** Every byte the listener got, searched for the password in clear and in the encodings a bind could carry it in. */
function leaked(password: string): string[] {
  const bytes = listener.received();
  const forms: Array<[string, Buffer]> = [
    ['utf8', Buffer.from(password, 'utf8')],
    ['utf16le', Buffer.from(password, 'utf16le')],
    ['base64', Buffer.from(Buffer.from(password, 'utf8').toString('base64'), 'latin1')],
    ['hex', Buffer.from(Buffer.from(password, 'utf8').toString('hex'), 'latin1')],
  ];
  return forms.filter(([, form]) => bytes.includes(form)).map(([name]) => name);
}

const savedFor = (url: string, bindDn: string) =>
  `The saved password was saved for ${url}, bind DN ${bindDn}; the server or bind DN changed, so enter the password again.`;

describe('a saved bind password is bound to the target it was saved for', () => {
  it('is used for the unchanged target and refused, before any bind, for a draft on another server, another bind DN or other TLS settings', async () => {
    const realm = await call('realms:create', { realm: lab() });
    expect(await call('realms:set-session-password', { realmId: realm.id, password: server.readerPassword, remember: true })).toEqual({ kept: 'saved' });
    expect(await stateOf(realm.id)).toMatchObject({ password: 'saved' });
    expect((await stateOf(realm.id))?.passwordNote).toBeUndefined();

    // The unchanged target, saved or as a draft that only edits the search, binds with the saved password.
    expect(bindStep(await call('realms:test', { id: realm.id }))).toMatchObject({ status: 'ok', detail: `Bound as ${server.readerDn}.` });
    const searchOnly = await call('realms:test', { id: realm.id, draft: { ...lab(), search: { ...lab().search, scope: 'one' } } });
    expect(bindStep(searchOnly)?.status).toBe('ok');

    // A draft pointing at another host: the host is reached (reachability), never bound to, and learns nothing.
    const moved = await call('realms:test', { id: realm.id, draft: onListener(lab()) });
    expect(moved.ok).toBe(false);
    expect(moved.error).toEqual({ code: 'password-required', message: savedFor(server.url, server.readerDn) });
    expect(bindStep(moved)).toMatchObject({ status: 'failed', detail: savedFor(server.url, server.readerDn) });
    expect(listener.connections).toBeGreaterThan(0);
    expect(listener.received().length).toBe(0);
    expect(leaked(server.readerPassword)).toEqual([]);

    // The same server with another bind DN, or other TLS settings: refused as well, saying what changed.
    const otherDn = await call('realms:test', { id: realm.id, draft: withConnection(lab(), { bindDn: server.rootDn }) });
    expect(otherDn.error).toEqual({ code: 'password-required', message: savedFor(server.url, server.readerDn) });
    const otherTls = await call('realms:test', { id: realm.id, draft: withConnection(lab(), { verifyCertificate: false }) });
    expect(otherTls.error).toEqual({
      code: 'password-required',
      message: `The saved password was saved for ${server.url}, bind DN ${server.readerDn} with other TLS settings (mode, CA certificate or certificate verification); the TLS settings changed, so enter the password again.`,
    });
    const otherCa = await call('realms:test', {
      id: realm.id,
      draft: withConnection(lab(), { caCertPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' }),
    });
    expect(otherCa.error?.code).toBe('password-required');
  });

  it('an update that changes the target without a new password forgets the old one; an update that keeps the target keeps it', async () => {
    const realm = await call('realms:create', { realm: lab() });
    await call('realms:set-session-password', { realmId: realm.id, password: server.readerPassword, remember: true });
    const key = `realm:${realm.id}:bind-password`;

    // Renamed, other base DN: the same target, the saved password stays and works.
    await call('realms:update', { id: realm.id, realm: { ...lab('Lab renamed'), search: { ...lab().search, scope: 'one' } } });
    expect(await stateOf(realm.id)).toMatchObject({ name: 'Lab renamed', password: 'saved' });
    expect((await call('realms:test', { id: realm.id })).ok).toBe(true);

    // Moved to another host: the password is forgotten, not merely hidden (the secret file no longer has it)…
    await call('realms:update', { id: realm.id, realm: onListener(lab()) });
    expect(await stateOf(realm.id)).toMatchObject({ password: 'missing' });
    expect(Object.keys(JSON.parse(await readFile(join(dir, 'secrets.json'), 'utf8')) as object)).not.toContain(key);
    const onMoved = await call('realms:test', { id: realm.id });
    expect(onMoved.error).toEqual({
      code: 'password-required',
      message: `No bind password is known for ${server.readerDn}. Enter it in the realm settings (CLI: --password-env VAR or --password-file FILE).`,
    });
    expect(listener.received().length).toBe(0);

    // …so moving back does not bring it back: it must be entered again.
    await call('realms:update', { id: realm.id, realm: lab() });
    expect(await stateOf(realm.id)).toMatchObject({ password: 'missing' });
    expect(await attempt('import:search', { realmId: realm.id, query: '*' })).toEqual({
      ok: false,
      error: {
        code: 'password-required',
        message: 'The bind password for realm "Lab" is not saved; enter it to read the directory.',
        details: { realmId: realm.id },
      },
    });

    // A changed bind DN alone forgets it too.
    await call('realms:set-session-password', { realmId: realm.id, password: server.readerPassword, remember: true });
    await call('realms:update', { id: realm.id, realm: withConnection(lab(), { bindDn: server.rootDn }) });
    expect(await stateOf(realm.id)).toMatchObject({ password: 'missing' });
  });

  it('a password saved by an earlier version, without its target, is never sent; the realm and every use say why', async () => {
    const realm = await call('realms:create', { realm: onListener(lab('Legacy')) });
    // What an earlier Roster stored: the bare secret under the realm's key.
    await services.secrets.set(`realm:${realm.id}:bind-password`, server.readerPassword);
    const why = 'The saved password was stored by an earlier version of Roster, which did not record the server it was for; enter the password again.';
    expect(await stateOf(realm.id)).toMatchObject({ password: 'missing', passwordNote: why });
    expect((await call('realms:test', { id: realm.id })).error).toEqual({ code: 'password-required', message: why });
    for (const refused of [await attempt('import:search', { realmId: realm.id, query: '*' }), await attempt('realms:reconcile', { realmId: realm.id })]) {
      expect(refused).toEqual({ ok: false, error: { code: 'password-required', message: `Realm "Legacy": ${why}`, details: { realmId: realm.id } } });
    }
    expect(listener.received().length).toBe(0);
    expect(leaked(server.readerPassword)).toEqual([]);
  });
});

describe('a saved password that cannot be decrypted (the keyring changed)', () => {
  it('is not used, and the realm says why instead of failing to list', async () => {
    const realm = await call('realms:create', { realm: onListener(lab('Rekeyed')) });
    await call('realms:set-session-password', { realmId: realm.id, password: server.readerPassword, remember: true });
    // The same file read with another key, as after a keyring reset.
    await services.close();
    services = await openServices({
      dataDir: dir,
      owner: 'test',
      transport: 'cli',
      secrets: new EncryptedFileSecretStore(join(dir, 'secrets.json'), aesTestEncryptor()),
      version: 'test',
    });
    table = createHandlers(services);
    const why = 'The saved password cannot be decrypted (the system keyring may have changed); enter the password again.';
    expect(await stateOf(realm.id)).toMatchObject({ password: 'missing', passwordNote: why });
    expect((await call('realms:test', { id: realm.id })).error).toEqual({ code: 'password-required', message: why });
    expect(listener.received().length).toBe(0);
    // Entering it again replaces the unreadable one.
    await call('realms:set-session-password', { realmId: realm.id, password: server.readerPassword, remember: true });
    expect(await stateOf(realm.id)).toMatchObject({ password: 'saved' });
  });
});

describe('typed (session) passwords follow the same rule', () => {
  it('are kept in main for the realm’s target, refused for another, and forgotten when the target changes', async () => {
    const realm = await call('realms:create', { realm: lab() });
    expect(await call('realms:set-session-password', { realmId: realm.id, password: server.readerPassword })).toEqual({ kept: 'session' });
    expect(await stateOf(realm.id)).toMatchObject({ password: 'session' });
    // Nothing was saved: the secret file does not exist (or holds no key for the realm).
    await expect(readFile(join(dir, 'secrets.json'), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await call('realms:test', { id: realm.id })).ok).toBe(true);
    expect((await call('import:search', { realmId: realm.id, query: '*' })).total).toBe(3);

    const moved = await call('realms:test', { id: realm.id, draft: onListener(lab()) });
    expect(moved.error).toEqual({
      code: 'password-required',
      message: `The password given this session was given for ${server.url}, bind DN ${server.readerDn}; the server or bind DN changed, so enter the password again.`,
    });
    expect(listener.received().length).toBe(0);

    await call('realms:update', { id: realm.id, realm: onListener(lab()) });
    await call('realms:update', { id: realm.id, realm: lab() });
    expect(await stateOf(realm.id)).toMatchObject({ password: 'missing' });
    expect((await call('realms:test', { id: realm.id })).error?.code).toBe('password-required');
  });

  it('one given for a new realm’s form is used for that draft’s target only, and becomes the realm’s (saved on request) when it is created', async () => {
    const draft = lab('New');
    await call('realms:set-session-password', { draftId: 'form-1', connection: draft.connection, password: server.readerPassword });
    expect((await call('realms:test', { draft, draftId: 'form-1' })).ok).toBe(true);
    // Another form's draft id, or no draft id, has no password.
    expect((await call('realms:test', { draft, draftId: 'form-2' })).error?.code).toBe('password-required');
    expect((await call('realms:test', { draft })).error?.code).toBe('password-required');
    // The form's draft moved to another host: refused there.
    const moved = await call('realms:test', { draft: onListener(draft), draftId: 'form-1' });
    expect(moved.error?.code).toBe('password-required');
    expect(listener.received().length).toBe(0);

    const created = await call('realms:create', { realm: draft, draftId: 'form-1', rememberPassword: true });
    expect(created.password).toBe('saved');
    expect((await call('realms:test', { id: created.id })).ok).toBe(true);
    // Adopted: the draft id holds nothing any more.
    expect((await call('realms:test', { draft, draftId: 'form-1' })).error?.code).toBe('password-required');
  });

  it('a typed password the server refuses is forgotten (the saved one stays and is used again)', async () => {
    const realm = await call('realms:create', { realm: lab() });
    await call('realms:set-session-password', { realmId: realm.id, password: server.readerPassword, remember: true });
    await call('realms:set-session-password', { realmId: realm.id, password: 'not-the-password' });
    expect(await stateOf(realm.id)).toMatchObject({ password: 'session' });
    expect((await call('realms:test', { id: realm.id })).error?.code).toBe('invalid-credentials');
    expect(await stateOf(realm.id)).toMatchObject({ password: 'saved' });
    expect((await call('realms:test', { id: realm.id })).ok).toBe(true);
    // The same through a directory read (import, resync, reconcile open their source the same way).
    await call('realms:set-session-password', { realmId: realm.id, password: 'not-the-password' });
    expect(await attempt('import:search', { realmId: realm.id, query: '*' })).toMatchObject({ ok: false, error: { code: 'invalid-credentials' } });
    expect(await stateOf(realm.id)).toMatchObject({ password: 'saved' });
  });

  it('set-session-password refuses what it cannot bind: remember for another target, both or neither key, a draft without its connection', async () => {
    const realm = await call('realms:create', { realm: lab() });
    expect(
      await attempt('realms:set-session-password', { realmId: realm.id, connection: onListener(lab()).connection, password: 'x', remember: true }),
    ).toEqual({
      ok: false,
      error: { code: 'invalid-input', message: 'A password is saved only for the server and bind DN a realm is saved with: save the realm first.' },
    });
    expect(await attempt('realms:set-session-password', { realmId: realm.id, draftId: 'f', password: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
    expect(await attempt('realms:set-session-password', { password: 'x' })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await attempt('realms:set-session-password', { draftId: 'f', password: 'x' })).toEqual({
      ok: false,
      error: { code: 'invalid-input', message: 'connection: A draft needs the connection the password is for' },
    });
    expect(await attempt('realms:set-session-password', { realmId: 'nope', password: 'x' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await stateOf(realm.id)).toMatchObject({ password: 'missing' });
  });
});

describe('the IPC contract', () => {
  it('lets one channel carry a password: realms:set-session-password (the others only say remember or forget)', () => {
    /** Property names anywhere in a JSON schema that look like they hold a secret. */
    const passwordFields = (schema: unknown): string[] => {
      if (typeof schema !== 'object' || schema === null) return [];
      const own = Object.keys((schema as { properties?: Record<string, unknown> }).properties ?? {}).filter((key) => /pass|secret|pw|credential/i.test(key));
      return [...own, ...Object.values(schema).flatMap(passwordFields)];
    };
    const found: Record<string, string[]> = {};
    for (const channel of CHANNELS) {
      const fields = [...new Set(passwordFields(z.toJSONSchema(contract[channel].input, { unrepresentable: 'any', io: 'input' })))].sort();
      if (fields.length > 0) found[channel] = fields;
    }
    expect(found).toEqual({
      'realms:create': ['rememberPassword'],
      'realms:update': ['forgetPassword', 'rememberPassword'],
      'realms:set-session-password': ['password'],
    });
  });
});
