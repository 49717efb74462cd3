import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FaultyFs, type FaultCode } from '../../../e2e/fixtures/faulty-fs';
import type { Channel, ChannelInput, ChannelOutput } from '#shared/ipc/contract';
import type { RealmInput } from '#shared/model/realm';
import { realmFromPreset } from '#shared/model/realm-presets';
import type { AppError } from '#shared/result';
import { createHandlers, dispatch } from '../../handlers';
import { openServices, type Services } from '../services';
import { STORE_FILE } from '../store/store';
import { aesTestEncryptor } from './aes-test-encryptor';
import { EncryptedFileSecretStore } from './encrypted-file-store';

// secrets.json under a failing disk, through the real services and handler table: a change that cannot be
// saved is refused as `io` naming the folder and the cause, and leaves memory, the file and the realm as they were.

let dir: string;
let keyring: Buffer;
const opened: Services[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-secrets-faults-'));
  keyring = randomBytes(32);
});
const chattr = (flag: '+i' | '-i', ...paths: string[]) => execFileSync('chattr', [flag, ...paths], { stdio: 'ignore' });
/** Whether chattr works here (root, the tool installed, a file system that supports it), tried on a scratch folder. */
const CHATTR = ((): boolean => {
  const scratch = mkdtempSync(join(tmpdir(), 'roster-chattr-probe-'));
  try {
    chattr('+i', scratch);
    chattr('-i', scratch);
    return true;
  } catch {
    return false;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
})();

afterEach(async () => {
  for (const services of opened.splice(0)) await services.close();
  if (CHATTR) chattr('-i', dir, ...(await readdir(dir)).map((name) => join(dir, name)));
  await rm(dir, { recursive: true, force: true });
});

/** The services on the test folder with saved passwords encrypted in secrets.json, the store and the secrets both writing through `fs`. */
async function start(fs?: FaultyFs) {
  const services = await openServices({
    dataDir: dir,
    owner: 'the Roster app',
    transport: 'cli',
    secrets: new EncryptedFileSecretStore(join(dir, 'secrets.json'), aesTestEncryptor(keyring), fs),
    version: 'test',
    ...(fs ? { fs } : {}),
  });
  opened.push(services);
  const table = createHandlers(services);
  const attempt = <C extends Channel>(channel: C, input: ChannelInput<C>) => dispatch(table, channel, input);
  const call = async <C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> => {
    const result = await attempt(channel, input);
    if (!result.ok) throw new Error(`${channel} failed: ${result.error.code}: ${result.error.message}`);
    return result.value as ChannelOutput<C>;
  };
  const refused = async <C extends Channel>(channel: C, input: ChannelInput<C>): Promise<AppError> => {
    const result = await attempt(channel, input);
    if (result.ok) throw new Error(`${channel} was expected to fail`);
    return result.error;
  };
  /** Each realm as the Realms list shows it: name, first URL and where its password is. */
  const list = async () => (await call('realms:list', {})).map((r) => [r.name, r.connection.urls[0], r.password]);
  const stop = async () => {
    opened.splice(opened.indexOf(services), 1);
    await services.close();
  };
  return { services, call, refused, list, stop };
}

const OLD_URL = 'ldap://ldap.example.test';
const NEW_URL = 'ldap://ldap.example-typo.test';
const lab = (url = OLD_URL): RealmInput =>
  realmFromPreset('openldap', { name: 'Lab', urls: [url], bindDn: 'cn=reader,dc=example,dc=test', baseDn: 'dc=example,dc=test' });

/** The keys secrets.json holds (none when there is no file). */
const savedKeys = async (): Promise<string[]> => {
  try {
    return Object.keys(JSON.parse(await readFile(join(dir, 'secrets.json'), 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
};
const leftovers = async () => (await readdir(dir)).filter((name) => name.includes('.tmp-'));

/** How each fault is made to hit secrets.json only (and its temp files), and what the person reads about it. */
const faults: Array<[FaultCode, (fs: FaultyFs) => void, string, string]> = [
  ['ENOSPC', (fs) => fs.failAlways('write', 'secrets.json', 'ENOSPC'), 'the disk is full (ENOSPC)', 'Free some space on that disk, then try again.'],
  [
    // What `chattr +i` on the data folder gives: creating the temp file beside secrets.json is not permitted.
    'EPERM',
    (fs) => fs.failAlways('open', 'secrets.json', 'EPERM'),
    'the operation is not permitted (the folder or its files are read-only, immutable or owned by someone else) (EPERM)',
    'Check the permissions and flags of that folder and its files, then try again.',
  ],
];
const notSaved = (cause: string, advice: string) =>
  `Roster could not save the bind password to secrets.json in its data folder ${dir}: ${cause}. The password was not saved; everything saved before it is kept. ${advice}`;
const notRemoved = (cause: string, advice: string) =>
  `Roster could not remove the saved bind password from secrets.json in its data folder ${dir}: ${cause}. The saved password was not removed, and nothing was changed. ${advice}`;

describe.each(faults)('secrets.json when the disk fails (%s)', (code, inject, cause, advice) => {
  it('a password to save that cannot be written is refused as io; the list, the password in use and a reopen all show what was before', async () => {
    const fs = new FaultyFs();
    const app = await start(fs);
    const { id } = await app.call('realms:create', { realm: lab() });
    inject(fs);
    expect(await app.refused('realms:set-session-password', { realmId: id, password: 'first secret', remember: true })).toEqual({
      code: 'io',
      message: notSaved(cause, advice),
      details: { folder: dir, cause: code },
    });
    expect(await app.list()).toEqual([['Lab', OLD_URL, 'missing']]);
    expect(await app.services.realms.passwordFor({ id, connection: lab().connection })).toEqual({});

    // With a password saved, a new one that cannot be written leaves the saved one in use.
    fs.heal();
    await app.call('realms:set-session-password', { realmId: id, password: 'first secret', remember: true });
    inject(fs);
    expect((await app.refused('realms:set-session-password', { realmId: id, password: 'second secret', remember: true })).message).toBe(
      notSaved(cause, advice),
    );
    expect(await app.list()).toEqual([['Lab', OLD_URL, 'saved']]);
    expect(await app.services.realms.passwordFor({ id, connection: lab().connection })).toEqual({ password: 'first secret', kept: 'saved' });
    expect(await leftovers()).toEqual([]);
    await app.stop();

    const again = await start();
    expect(await again.list()).toEqual([['Lab', OLD_URL, 'saved']]);
    expect(await again.services.realms.passwordFor({ id, connection: lab().connection })).toEqual({ password: 'first secret', kept: 'saved' });
  });

  it('an update that moves the realm to another server is refused when the old password cannot be forgotten: the realm stays, and the password never serves the new server', async () => {
    const fs = new FaultyFs();
    const app = await start(fs);
    const { id } = await app.call('realms:create', { realm: lab() });
    await app.call('realms:set-session-password', { realmId: id, password: 'old secret', remember: true });
    inject(fs);
    expect(await app.refused('realms:update', { id, realm: lab(NEW_URL) })).toEqual({
      code: 'io',
      message: notRemoved(cause, advice),
      details: { folder: dir, cause: code },
    });
    expect(await app.list()).toEqual([['Lab', OLD_URL, 'saved']]);
    expect((await app.services.realms.passwordFor({ id, connection: lab(NEW_URL).connection })).password).toBeUndefined();
    await app.stop();

    const again = await start();
    expect(await again.list()).toEqual([['Lab', OLD_URL, 'saved']]);
    expect((await again.services.realms.passwordFor({ id, connection: lab(NEW_URL).connection })).password).toBeUndefined();
    expect(await again.services.realms.passwordFor({ id, connection: lab().connection })).toEqual({ password: 'old secret', kept: 'saved' });
    // Once the disk works, the move forgets the old server's password, on disk too.
    await again.call('realms:update', { id, realm: lab(NEW_URL) });
    expect(await again.list()).toEqual([['Lab', NEW_URL, 'missing']]);
    expect(await savedKeys()).toEqual([]);
    await again.stop();
    expect(await (await start()).list()).toEqual([['Lab', NEW_URL, 'missing']]);
  });

  it('forgetting a password that cannot be written is refused, the realm and its password as they were', async () => {
    const fs = new FaultyFs();
    const app = await start(fs);
    const { id } = await app.call('realms:create', { realm: lab() });
    await app.call('realms:set-session-password', { realmId: id, password: 'old secret', remember: true });
    inject(fs);
    expect((await app.refused('realms:update', { id, realm: lab(), forgetPassword: true })).message).toBe(notRemoved(cause, advice));
    expect(await app.list()).toEqual([['Lab', OLD_URL, 'saved']]);
    await app.stop();
    expect(await (await start()).list()).toEqual([['Lab', OLD_URL, 'saved']]);
  });

  it('a delete whose password cannot be forgotten is refused cleanly: the realm and its password stay, also after a reopen', async () => {
    const fs = new FaultyFs();
    const app = await start(fs);
    const { id } = await app.call('realms:create', { realm: lab() });
    await app.call('realms:set-session-password', { realmId: id, password: 'old secret', remember: true });
    inject(fs);
    expect(await app.refused('realms:delete', { id })).toEqual({ code: 'io', message: notRemoved(cause, advice), details: { folder: dir, cause: code } });
    expect(await app.list()).toEqual([['Lab', OLD_URL, 'saved']]);
    await app.stop();

    const again = await start();
    expect(await again.list()).toEqual([['Lab', OLD_URL, 'saved']]);
    await again.call('realms:delete', { id });
    expect([await again.list(), await savedKeys()]).toEqual([[], []]);
  });

  it('a new realm whose password cannot be saved is not created, and the form keeps the password for the next attempt', async () => {
    const fs = new FaultyFs();
    const app = await start(fs);
    const draftId = randomUUID();
    await app.call('realms:set-session-password', { draftId, connection: lab().connection, password: 'draft secret' });
    inject(fs);
    expect((await app.refused('realms:create', { realm: lab(), draftId, rememberPassword: true })).message).toBe(notSaved(cause, advice));
    expect(await app.list()).toEqual([]);
    fs.heal();
    const { id } = await app.call('realms:create', { realm: lab(), draftId, rememberPassword: true });
    expect(await app.list()).toEqual([['Lab', OLD_URL, 'saved']]);
    await app.stop();
    const again = await start();
    expect(await again.services.realms.passwordFor({ id, connection: lab().connection })).toEqual({ password: 'draft secret', kept: 'saved' });
  });
});

describe('passwords change before the realm does', () => {
  it('a move whose realm write fails has still forgotten the old password (always safe), so it never serves the new server', async () => {
    const fs = new FaultyFs();
    const app = await start(fs);
    const { id } = await app.call('realms:create', { realm: lab() });
    await app.call('realms:set-session-password', { realmId: id, password: 'old secret', remember: true });
    fs.failAlways('open', STORE_FILE, 'ENOSPC');
    expect((await app.refused('realms:update', { id, realm: lab(NEW_URL) })).message).toBe(
      `Roster could not save the change to ${STORE_FILE} in its data folder ${dir}: the disk is full (ENOSPC). The change was not saved; everything saved before it is kept. ` +
        'Free some space on that disk, then try again.',
    );
    expect(await app.list()).toEqual([['Lab', OLD_URL, 'missing']]);
    await app.stop();
    expect(await (await start()).list()).toEqual([['Lab', OLD_URL, 'missing']]);
    expect(await savedKeys()).toEqual([]);
  });
});

describe('a data folder made immutable for real (chattr +i)', () => {
  // Where chattr cannot run (not root, another file system), the injected EPERM above stands in.
  it.skipIf(!CHATTR)('saving, moving and deleting are refused as io naming EPERM; after a restart the realm and its saved password are as before', async () => {
    const app = await start();
    const { id } = await app.call('realms:create', { realm: lab() });
    await app.call('realms:set-session-password', { realmId: id, password: 'old secret', remember: true });
    const files = (await readdir(dir)).map((name) => join(dir, name));
    chattr('+i', dir, ...files);
    const [, , cause, advice] = faults[1]!;
    const details = { folder: dir, cause: 'EPERM' };
    expect(await app.refused('realms:set-session-password', { realmId: id, password: 'new secret', remember: true })).toEqual({
      code: 'io',
      message: notSaved(cause, advice),
      details,
    });
    expect(await app.refused('realms:update', { id, realm: lab(NEW_URL) })).toEqual({ code: 'io', message: notRemoved(cause, advice), details });
    expect(await app.refused('realms:delete', { id })).toEqual({ code: 'io', message: notRemoved(cause, advice), details });
    expect(await app.list()).toEqual([['Lab', OLD_URL, 'saved']]);
    expect(await app.services.realms.passwordFor({ id, connection: lab().connection })).toEqual({ password: 'old secret', kept: 'saved' });
    // Closing cannot remove the lock file from an immutable folder; the next open takes it over.
    await app.stop();
    chattr('-i', dir, ...files);

    const again = await start();
    expect(await again.list()).toEqual([['Lab', OLD_URL, 'saved']]);
    expect(await again.services.realms.passwordFor({ id, connection: lab().connection })).toEqual({ password: 'old secret', kept: 'saved' });
    expect((await again.services.realms.passwordFor({ id, connection: lab(NEW_URL).connection })).password).toBeUndefined();
  });
});
