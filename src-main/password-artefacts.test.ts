import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { startSlapd, type SlapdServer } from '../e2e/fixtures/slapd';
import { type Channel, type ChannelInput, type ChannelOutput } from '#shared/ipc/contract';
import type { RealmInput } from '#shared/model/realm';
import { realmFromPreset } from '#shared/model/realm-presets';
import type { AppError } from '#shared/result';
import { runCli } from './cli/run-cli';
import { aesTestEncryptor } from './core/secrets/aes-test-encryptor';
import { EncryptedFileSecretStore } from './core/secrets/encrypted-file-store';
import { openServices, type Services } from './core/services';
import { createHandlers, dispatch, type HandlerTable } from './handlers';

// Distinctive, so a hit can only be the password itself; non-ASCII, so every encoding differs from the others.
const PASSWORD = 'Zq7-Artefact-Pässwörd-31415';
// A wrong password is a secret too (a colleague's, a typo of the real one): it must not be written either.
const WRONG = 'Zq7-Wrong-Pässwörd-27182';
const SECRETS = { PASSWORD, WRONG };
const SVC_DN = 'CN=svc-roster,OU=Staff,DC=corp,DC=example';

/** Every form a secret could be written in: as text, as AD's unicodePwd would carry it, base64 and hex of each. */
function formsOf(secret: string): Array<[string, Buffer]> {
  const utf8 = Buffer.from(secret, 'utf8');
  const utf16 = Buffer.from(secret, 'utf16le');
  const unicodePwd = Buffer.from(`"${secret}"`, 'utf16le');
  const text = (s: string) => Buffer.from(s, 'latin1');
  const jsonAscii = JSON.stringify(secret)
    .slice(1, -1)
    .replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return [
    ['utf8', utf8],
    ['latin1', Buffer.from(secret, 'latin1')],
    ['JSON \\u-escaped', text(jsonAscii)],
    ['utf16le', utf16],
    ['base64', text(utf8.toString('base64'))],
    ['base64url', text(utf8.toString('base64url'))],
    ['hex', text(utf8.toString('hex'))],
    ['HEX', text(utf8.toString('hex').toUpperCase())],
    ['utf16le base64', text(utf16.toString('base64'))],
    ['utf16le hex', text(utf16.toString('hex'))],
    ['unicodePwd base64', text(unicodePwd.toString('base64'))],
  ];
}

/** Where a secret shows in some bytes: directly in any form, or inside a base64 or hex run once decoded. */
function hitsIn(bytes: Buffer): string[] {
  const hits: string[] = [];
  const text = bytes.toString('latin1');
  const decoded: Array<[string, Buffer]> = [
    ...[...text.matchAll(/[A-Za-z0-9+/_-]{12,}={0,2}/g)].map(
      ([run]) => [`base64 run`, Buffer.from(run, run.includes('-') || run.includes('_') ? 'base64url' : 'base64')] as [string, Buffer],
    ),
    ...[...text.matchAll(/(?:[0-9a-fA-F]{2}){8,}/g)].map(([run]) => ['hex run', Buffer.from(run, 'hex')] as [string, Buffer]),
  ];
  for (const [name, secret] of Object.entries(SECRETS)) {
    for (const [form, needle] of formsOf(secret)) if (bytes.includes(needle)) hits.push(`${name} as ${form}`);
    for (const [what, data] of decoded) {
      for (const [form, needle] of formsOf(secret).slice(0, 4)) if (data.includes(needle)) hits.push(`${name} as ${form} inside a ${what}`);
    }
  }
  return hits;
}

/** Every file under a folder, recursively (hidden files, backups, journals and locks included). */
async function filesUnder(dir: string): Promise<string[]> {
  const names = await readdir(dir, { recursive: true });
  const files: string[] = [];
  for (const name of names) {
    const path = join(dir, name);
    if ((await stat(path)).isFile()) files.push(path);
  }
  return files.sort();
}

/** The parts of a zip (an XLSX), inflated, by name. */
async function zipParts(path: string): Promise<Array<[string, Buffer]>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.open(path, { lazyEntries: true }, (e, z) => (e ? reject(e) : resolve(z))));
  const parts: Array<[string, Buffer]> = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      zip.openReadStream(entry, (error, stream: Readable) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.once('error', reject);
        stream.once('end', () => {
          parts.push([entry.fileName, Buffer.concat(chunks)]);
          zip.readEntry();
        });
        return undefined;
      });
    });
    zip.once('end', () => resolve());
    zip.once('error', reject);
    zip.readEntry();
  });
  return parts;
}

let server: SlapdServer;
let root: string;
let dataDir: string;
let exportsDir: string;

beforeAll(async () => {
  server = await startSlapd({
    flavor: 'ad',
    users: 12,
    tls: true,
    // The service account Roster binds as, with the distinctive password (checked by bind, never readable).
    extraEntries: [
      { dn: 'CN=svc-roster', attributes: { objectClass: ['top', 'organizationalRole', 'simpleSecurityObject'], cn: 'svc-roster', userPassword: PASSWORD } },
    ],
  });
  root = await mkdtemp(join(tmpdir(), 'roster-artefacts-'));
  dataDir = join(root, 'data');
  exportsDir = join(root, 'exports');
  await mkdir(exportsDir);
}, 60_000);
afterAll(async () => {
  await server?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('the bind password appears in no artefact', () => {
  it('after a full flow in the app and on the command line: data folder, exports, outputs, job messages and events hold neither password in any form', async () => {
    /** Everything Roster said: every handler result, event, job message and CLI output, by where it came from. */
    const said: Array<[string, string]> = [];
    // The keyring's key: the same one when the app opens the folder again.
    const keyringKey = randomBytes(32);
    const secrets = new EncryptedFileSecretStore(join(dataDir, 'secrets.json'), aesTestEncryptor(keyringKey));
    // compactAfter: the users snapshot is rewritten along the way, so it is among the files searched.
    let services: Services = await openServices({
      dataDir,
      owner: 'test',
      transport: 'cli',
      secrets,
      version: 'test',
      actor: 'artefact-admin',
      compactAfter: 5,
    });
    const table: HandlerTable = createHandlers(services);
    services.events.onAny((event, payload) => void said.push([`event ${event}`, JSON.stringify(payload)]));
    type Outcome<C extends Channel> = { ok: true; value: ChannelOutput<C> } | { ok: false; error: AppError };
    const attempt = async <C extends Channel>(channel: C, input: ChannelInput<C>): Promise<Outcome<C>> => {
      const result = (await dispatch(table, channel, input)) as Outcome<C>;
      said.push([channel, JSON.stringify(result)]);
      return result;
    };
    const call = async <C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> => {
      const result = await attempt(channel, input);
      if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
      return result.value;
    };
    const finished = async (jobId: string) => {
      const job = await services.jobs.wait(jobId);
      said.push([`job ${job.kind}`, JSON.stringify(job)]);
      return job;
    };

    // StartTLS with the test CA (the default for ldap://), and LDAPS: the flows a real directory needs.
    const adRealm = (name: string, over: Partial<RealmInput['connection']> = {}): RealmInput => {
      const realm = realmFromPreset('active-directory', { name, urls: [server.url], bindDn: SVC_DN, baseDn: server.baseDn, tls: 'starttls' });
      realm.connection = { ...realm.connection, caCertPem: server.caPem, ...over };
      return realm;
    };
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });

    // A realm with a SAVED password (encrypted in secrets.json), one with a SESSION password over LDAPS.
    const saved = await call('realms:create', { realm: adRealm('Corp') });
    expect(await call('realms:set-session-password', { realmId: saved.id, password: PASSWORD, remember: true })).toEqual({ kept: 'saved' });
    const session = await call('realms:create', { realm: adRealm('Corp LDAPS', { urls: [server.ldapsUrl!], tls: 'ldaps' }) });
    expect(await call('realms:set-session-password', { realmId: session.id, password: PASSWORD })).toEqual({ kept: 'session' });
    expect((await call('realms:test', { id: saved.id })).ok).toBe(true);
    expect((await call('realms:test', { id: session.id })).ok).toBe(true);

    // A new realm's form: the password typed for its draft, then created and saved.
    const draft = adRealm('Corp form');
    await call('realms:set-session-password', { draftId: 'form-artefacts', connection: draft.connection, password: PASSWORD });
    expect((await call('realms:test', { draft, draftId: 'form-artefacts' })).ok).toBe(true);
    const formed = await call('realms:create', { realm: draft, draftId: 'form-artefacts', rememberPassword: true });
    expect(formed.password).toBe('saved');

    // Failures: a wrong password (test, search, a reconcile job that fails), an unreachable host, a draft moved elsewhere.
    const wrong = await call('realms:create', { realm: adRealm('Corp wrong') });
    await call('realms:set-session-password', { realmId: wrong.id, password: WRONG });
    expect((await call('realms:test', { id: wrong.id })).error?.code).toBe('invalid-credentials');
    await call('realms:set-session-password', { realmId: wrong.id, password: WRONG });
    expect(await attempt('import:search', { realmId: wrong.id, query: '*' })).toMatchObject({ ok: false, error: { code: 'invalid-credentials' } });
    await call('realms:set-session-password', { realmId: wrong.id, password: WRONG });
    expect((await finished((await call('realms:reconcile', { realmId: wrong.id })).id)).error?.code).toBe('invalid-credentials');
    await call('realms:set-session-password', { draftId: 'form-wrong', connection: draft.connection, password: WRONG });
    expect((await call('realms:test', { draft, draftId: 'form-wrong' })).error?.code).toBe('invalid-credentials');
    const down = await call('realms:create', { realm: adRealm('Corp down', { urls: [`ldap://127.0.0.1:${closedPort}`] }) });
    await call('realms:set-session-password', { realmId: down.id, password: PASSWORD, remember: true });
    expect((await call('realms:test', { id: down.id })).error?.code).toBe('connection-refused');
    expect(await attempt('import:search', { realmId: down.id, query: '*' })).toMatchObject({ ok: false, error: { code: 'connection-refused' } });
    // The saved realm's draft moved to another bind DN: refused before any bind.
    expect((await call('realms:test', { id: saved.id, draft: adRealm('Corp', { bindDn: server.readerDn }) })).error?.code).toBe('password-required');
    expect(await attempt('import:search', { realmId: saved.id, query: '', filter: '(uid=' })).toMatchObject({ ok: false, error: { code: 'invalid-filter' } });

    // Import, a local completion, a resync of one user (candidates, preview, apply), a bulk resync and a reconcile.
    const found = await call('import:search', { realmId: saved.id, query: '*' });
    expect(found.total).toBe(12);
    expect((await finished((await call('import:run', { searchId: found.searchId })).id)).state).toBe('done');
    const [first, second] = (await call('users:query', { query: {}, limit: 2 })).rows;
    await call('users:update', { id: first!.id, fields: { mobile: '+49 30 1234567', office: 'B-204' } });
    await call('users:update', { id: second!.id, fields: { department: 'Completions' } });
    const candidates = await call('sync:candidates', { userId: first!.id });
    await call('sync:preview', { userId: first!.id, realmId: saved.id, dn: candidates[0]!.dn });
    await call('sync:apply', { userId: first!.id, realmId: saved.id, dn: candidates[0]!.dn });
    expect((await finished((await call('sync:resync-users', { target: { ids: [first!.id, second!.id] } })).id)).state).toBe('done');
    expect((await finished((await call('realms:reconcile', { realmId: saved.id })).id)).state).toBe('done');
    // A realm whose password is missing, for the password-required paths.
    const bare = await call('realms:create', { realm: adRealm('Corp bare') });
    expect(await attempt('realms:reconcile', { realmId: bare.id })).toMatchObject({ ok: false, error: { code: 'password-required' } });
    expect(await attempt('sync:candidates', { userId: first!.id, realmId: bare.id })).toMatchObject({ ok: false, error: { code: 'password-required' } });

    // Every export format, and the audit journal as CSV.
    for (const [format, content] of [
      ['xlsx', 'snapshot'],
      ['csv', 'snapshot'],
      ['ldif', 'changes'],
      ['ps1', 'changes'],
    ] as const) {
      const job = await finished((await call('export:start', { format, content, path: join(exportsDir, `${format}-export.${format}`) })).id);
      expect(job.state).toBe('done');
    }
    const audit = await call('audit:csv', {});
    expect(audit.count).toBeGreaterThan(10);
    said.push(['jobs:list', JSON.stringify(await call('jobs:list', {}))]);
    said.push(['realms:list', JSON.stringify(await call('realms:list', {}))]);
    await services.close();

    // The command line on the same data folder: passwords from the environment and a file, JSON output, failures.
    const pwFile = join(root, 'bind-password.txt'); // the admin's own file, outside Roster's folders
    await writeFile(pwFile, `${PASSWORD}\n`, { mode: 0o600 });
    process.env.ROSTER_ARTEFACT_PW = PASSWORD;
    process.env.ROSTER_ARTEFACT_WRONG = WRONG;
    const cli = async (...args: string[]) => {
      const result = await runCli(dataDir, args);
      said.push([`roster ${args.join(' ')}`, `${result.out}\n${result.err}`]);
      return result;
    };
    const caFile = server.caFile!;
    const pwEnv = ['--password-env', 'ROSTER_ARTEFACT_PW'];
    expect(
      (
        await cli(
          'realm',
          'add',
          '--name',
          'Cli corp',
          '--kind',
          'active-directory',
          '--url',
          server.url,
          '--tls',
          'starttls',
          '--ca-file',
          caFile,
          '--bind-dn',
          SVC_DN,
          '--base-dn',
          server.baseDn,
          ...pwEnv,
        )
      ).code,
    ).toBe(0);
    expect((await cli('realm', 'test', 'Cli corp', ...pwEnv, '--json')).code).toBe(0);
    expect((await cli('realm', 'test', 'Cli corp', '--password-file', pwFile, '--json')).code).toBe(0);
    expect((await cli('realm', 'test', 'Cli corp', '--password-env', 'ROSTER_ARTEFACT_WRONG', '--json')).code).toBe(1);
    expect((await cli('realm', 'test', 'Cli corp', '--json')).code).toBe(1);
    expect((await cli('import', '--realm', 'Cli corp', '--query', '*', ...pwEnv, '--json')).code).toBe(0);
    expect((await cli('import', '--realm', 'Cli corp', '--query', '*', '--password-env', 'ROSTER_ARTEFACT_WRONG', '--json')).code).toBe(1);
    expect((await cli('import', '--realm', 'Cli corp', '--query', '*', '--json')).code).toBe(1);
    expect((await cli('resync', '--realm', 'Corp', '--all', ...pwEnv, '--json')).code).toBe(0);
    expect((await cli('resync', '--realm', 'Corp', '--user', first!.username, '--password-file', pwFile, '--json')).code).toBe(0);
    expect((await cli('resync', '--realm', 'Corp', '--all', '--password-env', 'ROSTER_ARTEFACT_UNSET', '--json')).code).toBe(1);
    expect((await cli('export', '--format', 'csv', '--out', join(exportsDir, 'cli.csv'), '--json')).code).toBe(0);
    expect((await cli('export', '--format', 'ps1', '--scope', 'changed', '--out', join(exportsDir, 'cli-apply.ps1'), '--json')).code).toBe(0);
    expect((await cli('audit', 'export', '--out', join(exportsDir, 'audit.csv'))).code).toBe(0);
    for (const args of [
      ['realm', 'list', '--json'],
      ['users', 'list', '--json'],
      ['audit', 'list', '--json'],
      ['report', 'completeness', '--json'],
    ])
      expect((await cli(...args)).code).toBe(0);

    // The folder again, read by the app: nothing of it may have been written since either.
    services = await openServices({
      dataDir,
      owner: 'test',
      transport: 'cli',
      secrets: new EncryptedFileSecretStore(join(dataDir, 'secrets.json'), aesTestEncryptor(keyringKey)),
      version: 'test',
    });
    said.push(['realms:list (reopened)', JSON.stringify(await services.realms.list())]);
    await services.close();

    // Now look everywhere.
    const dataFiles = await filesUnder(dataDir);
    const exportFiles = await filesUnder(exportsDir);
    expect(dataFiles.map((f) => relative(dataDir, f))).toEqual(expect.arrayContaining(['secrets.json', 'audit.jsonl']));
    expect(exportFiles.map((f) => relative(exportsDir, f))).toEqual(
      expect.arrayContaining(['xlsx-export.xlsx', 'csv-export.csv', 'ldif-export.ldif', 'ps1-export.ps1', 'ps1-export.csv', 'cli.csv', 'audit.csv']),
    );
    // The secret file holds the saved realms' passwords, but only as ciphertext.
    expect(Object.keys(JSON.parse(await readFile(join(dataDir, 'secrets.json'), 'utf8')) as object).sort()).toEqual(
      [saved.id, formed.id, down.id].map((id) => `realm:${id}:bind-password`).sort(),
    );
    const artefacts: Array<[string, Buffer]> = [
      ...(await Promise.all([...dataFiles, ...exportFiles].map(async (f) => [relative(root, f), await readFile(f)] as [string, Buffer]))),
      ...(
        await Promise.all(
          exportFiles
            .filter((f) => f.endsWith('.xlsx'))
            .map(async (f) => (await zipParts(f)).map(([part, bytes]) => [`${relative(root, f)}!${part}`, bytes] as [string, Buffer])),
        )
      ).flat(),
      ['audit:csv', Buffer.from(audit.csv, 'utf8')],
      ...said.map(([where, text]) => [`said by ${where}`, Buffer.from(text, 'utf8')] as [string, Buffer]),
    ];
    expect(artefacts.length).toBeGreaterThan(60);
    const found_ = artefacts.flatMap(([where, bytes]) => hitsIn(bytes).map((hit) => `${where}: ${hit}`));
    expect(found_).toEqual([]);
    // The check itself finds what it looks for (the pieces above are only as good as this).
    expect(hitsIn(Buffer.from(`note: ${Buffer.from(`"${WRONG}"`, 'utf16le').toString('base64')}`))).toEqual([
      'WRONG as unicodePwd base64',
      'WRONG as utf16le inside a base64 run',
    ]);
    expect(hitsIn(Buffer.from(`x::${Buffer.from(`cn: ${PASSWORD}`).toString('base64')}`))).toEqual(['PASSWORD as utf8 inside a base64 run']);
    expect(hitsIn(Buffer.from(`id ${Buffer.from(`[${PASSWORD}]`).toString('hex')}`))).toEqual(['PASSWORD as hex', 'PASSWORD as utf8 inside a hex run']);
  }, 180_000);
});
