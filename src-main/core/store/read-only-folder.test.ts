import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Channel, ChannelInput, ChannelOutput } from '#shared/ipc/contract';
import type { AppError } from '#shared/result';
import { RosterError } from '#shared/result';
import { runCli } from '../../cli/run-cli';
import { createHandlers, dispatch } from '../../handlers';
import { SessionSecretStore } from '../secrets/secret-store';
import { openServices, type Services } from '../services';

/** Whether a command works here (root, the tool installed, a file system that supports it), tried on a scratch folder. */
function works(setUp: (scratch: string) => void, tearDown: (scratch: string) => void): boolean {
  const scratch = join(tmpdir(), `roster-ro-probe-${process.pid}-${Math.random().toString(36).slice(2)}`);
  execFileSync('mkdir', ['-p', join(scratch, 'a'), join(scratch, 'b')]);
  try {
    setUp(scratch);
    tearDown(scratch);
    return true;
  } catch {
    return false;
  } finally {
    execFileSync('rm', ['-rf', scratch]);
  }
}

const chattr = (flag: '+i' | '-i', ...paths: string[]) => execFileSync('chattr', [flag, ...paths], { stdio: 'ignore' });
const CHATTR = works(
  (s) => chattr('+i', join(s, 'a')),
  (s) => chattr('-i', join(s, 'a')),
);
const mountReadOnly = (from: string, to: string) => {
  execFileSync('mount', ['--bind', from, to], { stdio: 'ignore' });
  try {
    execFileSync('mount', ['-o', 'remount,ro,bind', to], { stdio: 'ignore' });
  } catch (error) {
    execFileSync('umount', [to], { stdio: 'ignore' });
    throw error;
  }
};
const BIND_MOUNT = works(
  (s) => mountReadOnly(join(s, 'a'), join(s, 'b')),
  (s) => execFileSync('umount', [join(s, 'b')], { stdio: 'ignore' }),
);

let dir: string;
const opened: Services[] = [];

async function start(dataDir = dir, readOnly = false) {
  const services = await openServices({
    dataDir,
    owner: 'the Roster app',
    transport: 'cli',
    secrets: new SessionSecretStore('test'),
    version: 'test',
    actor: 'alice',
    readOnly,
  });
  opened.push(services);
  const table = createHandlers(services);
  const call = async <C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> => {
    const result = await dispatch(table, channel, input);
    if (!result.ok) throw new Error(`${channel} failed: ${result.error.message}`);
    return result.value as ChannelOutput<C>;
  };
  const refused = async <C extends Channel>(channel: C, input: ChannelInput<C>): Promise<AppError> => {
    const result = await dispatch(table, channel, input);
    if (result.ok) throw new Error(`${channel} was expected to fail`);
    return result.error;
  };
  const stop = async () => {
    opened.splice(opened.indexOf(services), 1);
    await services.close();
  };
  return { services, call, refused, stop };
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-ro-'));
});
afterEach(async () => {
  for (const services of opened.splice(0)) await services.close();
  if (CHATTR) chattr('-i', dir, ...(await readdir(dir)).map((name) => join(dir, name)));
  await rm(dir, { recursive: true, force: true });
});

describe('a data folder that becomes read-only for real', () => {
  // Where chattr cannot run (not root, another file system), the injected EPERM/EROFS in store-faults.test.ts stand in.
  it.skipIf(!CHATTR)('immutable (chattr +i) under a running app: each change fails as io naming the folder and cause, nothing is lost', async () => {
    const app = await start();
    const ann = (await app.call('users:create', { username: 'ann', fields: { title: 'Before' } })).user.id;
    await app.call('prefs:set', { prefs: { staleDays: 30 } });
    const files = (await readdir(dir)).map((name) => join(dir, name));
    chattr('+i', dir, ...files);
    const cause = 'the operation is not permitted (the folder or its files are read-only, immutable or owned by someone else) (EPERM)';
    const advice = 'Check the permissions and flags of that folder and its files, then try again.';
    const message = (file: string) =>
      `Roster could not save the change to ${file} in its data folder ${dir}: ${cause}. The change was not saved; everything saved before it is kept. ${advice}`;
    expect(await app.refused('users:update', { id: ann, fields: { title: 'After' } })).toEqual({
      code: 'io',
      message: message('users.journal'),
      details: { folder: dir, cause: 'EPERM' },
    });
    expect(await app.refused('prefs:set', { prefs: { staleDays: 60 } })).toEqual({
      code: 'io',
      message: message('roster.json'),
      details: { folder: dir, cause: 'EPERM' },
    });
    expect((await app.call('users:get', { id: ann })).user.fields).toEqual({ title: 'Before' });
    expect((await app.call('prefs:get', {})).staleDays).toBe(30);
    // Closing cannot remove the lock file from an immutable folder; the next open takes it over.
    await app.stop();
    chattr('-i', dir, ...files);

    const again = await start();
    expect(again.services.info.notices).toEqual([]);
    expect((await again.call('users:get', { id: ann })).user.fields).toEqual({ title: 'Before' });
    expect((await again.call('prefs:get', {})).staleDays).toBe(30);
    expect((await again.call('users:history', { id: ann })).map((e) => e.action)).toEqual(['user.create']);
  });

  // Where bind mounts are not allowed (not root, a container without the capability), only the injected EROFS runs.
  it.skipIf(!BIND_MOUNT)('on a read-only mount: opening it to write says so in one clear error; reading it works', async () => {
    const app = await start();
    await app.call('users:create', { username: 'ann', fields: { title: 'Before' } });
    await app.stop();
    const mount = join(await mkdtemp(join(tmpdir(), 'roster-ro-mount-')), 'data');
    await mkdir(mount);
    mountReadOnly(dir, mount);
    try {
      const message =
        `Roster could not create its lock file roster.lock in its data folder ${mount}: the disk is read-only (EROFS). Nothing was changed. ` +
        'Make the folder writable again (or choose another data folder with --data-dir), then try again.';
      const refused = await start(mount).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(RosterError);
      expect((refused as RosterError).toAppError()).toEqual({ code: 'io', message, details: { folder: mount, cause: 'EROFS' } });
      expect(await runCli(mount, ['roles', 'create', 'Auditors'])).toEqual({ code: 1, out: '', err: `roster: ${message}` });

      const reader = await start(mount, true);
      expect((await reader.call('users:query', { query: {} })).rows.map((r) => r.username)).toEqual(['ann']);
      await reader.stop();
      expect((await runCli(mount, ['users', 'list'])).code).toBe(0);
    } finally {
      execFileSync('umount', [mount]);
      await rm(join(mount, '..'), { recursive: true, force: true });
    }
    const again = await start();
    expect(again.services.info.notices).toEqual([]);
    expect((await again.call('users:query', { query: {} })).rows.map((r) => r.username)).toEqual(['ann']);
  });
});
