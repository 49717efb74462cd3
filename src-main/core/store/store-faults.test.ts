import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FaultyFs, type FaultCode } from '../../../e2e/fixtures/faulty-fs';
import type { Channel, ChannelInput, ChannelOutput } from '#shared/ipc/contract';
import type { AuditEntry } from '#shared/model/audit';
import type { AppError } from '#shared/result';
import { createHandlers, dispatch } from '../../handlers';
import { AuditLog, AUDIT_FILE } from '../audit/audit-log';
import { SessionSecretStore } from '../secrets/secret-store';
import { openServices, type Services } from '../services';
import { USERS_FILE, USERS_JOURNAL } from '../users/user-store';
import { FOLDER_SYNC_WARNING } from './atomic-file';
import { Store, STORE_FILE } from './store';

let dir: string;
const opened: Services[] = [];
const at = '2026-11-21T10:00:00.000Z';

/** The real services and handler table on the test folder, writing through `fs`. */
async function start(fs?: FaultyFs, compactAfter?: number) {
  const services = await openServices({
    dataDir: dir,
    owner: 'the Roster app',
    transport: 'cli',
    secrets: new SessionSecretStore('test'),
    version: 'test',
    actor: 'alice',
    now: () => new Date(at),
    ...(fs ? { fs } : {}),
    ...(compactAfter ? { compactAfter } : {}),
  });
  opened.push(services);
  const table = createHandlers(services);
  const attempt = <C extends Channel>(channel: C, input: ChannelInput<C>) => dispatch(table, channel, input);
  const call = async <C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> => {
    const result = await attempt(channel, input);
    if (!result.ok) throw new Error(`${channel} failed: ${result.error.message}`);
    return result.value as ChannelOutput<C>;
  };
  /** The error a call that must fail gave. */
  const refused = async <C extends Channel>(channel: C, input: ChannelInput<C>): Promise<AppError> => {
    const result = await attempt(channel, input);
    if (result.ok) throw new Error(`${channel} was expected to fail`);
    return result.error;
  };
  const stop = async () => {
    opened.splice(opened.indexOf(services), 1);
    await services.close();
  };
  return { services, call, refused, stop };
}

const journalLines = async (): Promise<Array<{ seq: number; ops: Array<{ put?: { username: string; fields: Record<string, string> } }> }>> =>
  (await readFile(join(dir, USERS_JOURNAL), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

const auditLines = async (): Promise<AuditEntry[]> =>
  (await readFile(join(dir, AUDIT_FILE), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

const leftovers = async () => (await readdir(dir)).filter((name) => name.includes('.tmp-') || name.includes('.corrupt-'));

const FULL = 'the disk is full (ENOSPC)';
const savedNothing = (file: string, cause: string, advice: string) =>
  `Roster could not save the change to ${file} in its data folder ${dir}: ${cause}. The change was not saved; everything saved before it is kept. ${advice}`;
const FREE_SPACE = 'Free some space on that disk, then try again.';

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-faults-'));
});
afterEach(async () => {
  for (const services of opened.splice(0)) await services.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the users journal when the disk fails', () => {
  it('a disk that fills up in the middle of a change: the change fails as io, the journal is cut back, later changes survive a reopen', async () => {
    const fs = new FaultyFs();
    const app = await start(fs);
    const ann = (await app.call('users:create', { username: 'ann', fields: { department: 'Sales' } })).user.id;
    fs.spaceLeft = 40;
    expect(await app.refused('users:update', { id: ann, fields: { department: 'Support' } })).toEqual({
      code: 'io',
      message: savedNothing('users.journal', FULL, FREE_SPACE),
      details: { folder: dir, cause: 'ENOSPC' },
    });
    // Memory as before: the failed change is nowhere.
    expect((await app.call('users:get', { id: ann })).user.fields).toEqual({ department: 'Sales' });
    fs.heal();
    await app.call('users:update', { id: ann, fields: { department: 'Legal' } });
    expect((await journalLines()).map((l) => [l.seq, l.ops[0]?.put?.fields.department])).toEqual([
      [1, 'Sales'],
      [2, 'Legal'],
    ]);
    await app.stop();

    const again = await start();
    expect(again.services.info.notices).toEqual([]);
    expect((await again.call('users:get', { id: ann })).user.fields).toEqual({ department: 'Legal' });
    expect((await again.call('users:history', { id: ann })).map((e) => [e.action, e.changes])).toEqual([
      ['user.update', [{ field: 'department', before: 'Sales', after: 'Legal' }]],
      [
        'user.create',
        [
          { field: 'username', before: '', after: 'ann' },
          { field: 'department', before: '', after: 'Sales' },
        ],
      ],
    ]);
    expect(await leftovers()).toEqual([]);
  });

  it('a sync that fails after the whole line was written: the line is taken back and the next change gets the next number, never a repeat', async () => {
    const fs = new FaultyFs();
    const app = await start(fs);
    const ann = (await app.call('users:create', { username: 'ann', fields: {} })).user.id;
    fs.failNext('datasync', USERS_JOURNAL, 'EIO');
    expect(await app.refused('users:update', { id: ann, fields: { title: 'Lost' } })).toEqual({
      code: 'io',
      message: savedNothing('users.journal', 'the disk reported an input/output error (EIO)', 'Check the disk, then try again.'),
      details: { folder: dir, cause: 'EIO' },
    });
    await app.call('users:update', { id: ann, fields: { title: 'Kept' } });
    expect((await journalLines()).map((l) => [l.seq, l.ops[0]?.put?.fields.title ?? null])).toEqual([
      [1, null],
      [2, 'Kept'],
    ]);
    await app.stop();
    const again = await start();
    expect(again.services.info.notices).toEqual([]);
    expect((await again.call('users:get', { id: ann })).user.fields).toEqual({ title: 'Kept' });
  });

  it('when even the cut fails, every later change is refused until a restart, and nothing saved is lost', async () => {
    const fs = new FaultyFs();
    const app = await start(fs);
    const ann = (await app.call('users:create', { username: 'ann', fields: {} })).user.id;
    fs.spaceLeft = 40;
    fs.failNext('truncate', USERS_JOURNAL, 'EIO');
    const broken = {
      code: 'io',
      message:
        `Roster could not save the change to users.journal in its data folder ${dir}: ${FULL}, and could not take the partial write back ` +
        '(the disk reported an input/output error (EIO)). Nothing more will be saved until Roster is restarted; everything saved before it is kept. ' +
        'Fix the disk, then restart Roster.',
      details: { folder: dir, cause: 'ENOSPC' },
    };
    expect(await app.refused('users:update', { id: ann, fields: { title: 'Half' } })).toEqual(broken);
    fs.heal();
    // The file ends in half a line: appending after it would bury this change behind damage.
    expect(await app.refused('users:create', { username: 'bob', fields: {} })).toEqual(broken);
    await app.stop();
    const again = await start();
    expect(again.services.info.notices).toEqual([
      'A change that was being saved when Roster last stopped had not finished; it was discarded and everything before it kept.',
    ]);
    expect((await again.call('users:get', { id: ann })).user.fields).toEqual({});
    expect((await again.call('users:query', { query: {} })).total).toBe(1);
  });

  it('a snapshot rewrite that fails on a full disk does not fail the change before it, which stays in the journal', async () => {
    const fs = new FaultyFs();
    const app = await start(fs, 1);
    fs.failAlways('write', USERS_FILE, 'ENOSPC');
    const dan = (await app.call('users:create', { username: 'dan', fields: { title: 'Engineer' } })).user.id;
    expect(await leftovers()).toEqual([]);
    expect((await journalLines()).map((l) => l.ops[0]?.put?.username)).toEqual(['dan']);
    fs.heal();
    // The next change rewrites the snapshot after all.
    await app.call('users:update', { id: dan, fields: { title: 'Lead' } });
    expect(JSON.parse(await readFile(join(dir, USERS_FILE), 'utf8')).users.map((u: { fields: unknown }) => u.fields)).toEqual([{ title: 'Lead' }]);
    await app.stop();
    const again = await start();
    expect(again.services.info.notices).toEqual([]);
    expect((await again.call('users:get', { id: dan })).user.fields).toEqual({ title: 'Lead' });
  });
});

describe('the audit journal when the disk fails', () => {
  it('a failed append is cut back, so the next entry is not glued to half a line, and numbers never repeat', async () => {
    const fs = new FaultyFs();
    const log = await AuditLog.open(dir, false, fs);
    const entry = (note: string) => ({ at, who: 'alice', action: 'role.create' as const, changes: [], note });
    await log.append([entry('first')]);
    fs.spaceLeft = 20;
    await expect(log.append([entry('second')])).rejects.toMatchObject({
      code: 'io',
      message: `Roster could not save the audit entry to audit.jsonl in its data folder ${dir}: ${FULL}. The audit entry was not saved; everything saved before it is kept. ${FREE_SPACE}`,
    });
    fs.heal();
    await log.append([entry('third')]);
    await log.close();
    const again = await AuditLog.open(dir);
    expect((await again.query({})).map((e) => [e.seq, e.note])).toEqual([
      [3, 'third'],
      [1, 'first'],
    ]);
    expect(again.skippedLines).toBe(0);
    await again.close();
  });

  it('entries a user change carries wait while audit.jsonl is full, and go out in order with the next write', async () => {
    const fs = new FaultyFs();
    const app = await start(fs);
    fs.failNext('write', AUDIT_FILE, 'ENOSPC');
    // The change itself is saved (its journal line carries the entry), so it is acknowledged.
    const bob = (await app.call('users:create', { username: 'bob', fields: {} })).user.id;
    expect(await auditLines()).toEqual([]);
    await app.call('roles:create', { name: 'Auditors' });
    expect((await auditLines()).map((e) => [e.seq, e.action, e.userId ?? null])).toEqual([
      [1, 'user.create', bob],
      [2, 'role.create', null],
    ]);
  });

  it('a user change that fails gives up its audit numbers, so entries numbered after them are not held back', async () => {
    const fs = new FaultyFs();
    const app = await start(fs);
    fs.failNext('write', USERS_JOURNAL, 'ENOSPC');
    expect((await app.refused('users:create', { username: 'erin', fields: {} })).code).toBe('io');
    // Held back for the failed change's entry, this would never be written (the test would time out).
    await app.call('roles:create', { name: 'Auditors' });
    expect((await auditLines()).map((e) => [e.seq, e.action])).toEqual([[2, 'role.create']]);
  });

  it('the snapshot rewrite keeps the journal lines whose audit entries audit.jsonl still lacks, so a restart writes them', async () => {
    const fs = new FaultyFs();
    const app = await start(fs, 1);
    fs.failAlways('write', AUDIT_FILE, 'ENOSPC');
    const carol = (await app.call('users:create', { username: 'carol', fields: {} })).user.id;
    expect((await journalLines()).map((l) => l.ops[0]?.put?.username)).toEqual(['carol']);
    await app.stop();
    const again = await start();
    expect(again.services.info.notices).toEqual([]);
    expect((await auditLines()).map((e) => [e.seq, e.action, e.userId])).toEqual([[1, 'user.create', carol]]);
  });
});

describe('the document (roster.json) when the disk fails', () => {
  it('a failed write leaves memory and the file as they were, says why, and the next write does not carry it', async () => {
    const fs = new FaultyFs();
    const app = await start(fs);
    await app.call('prefs:set', { prefs: { staleDays: 30 } });
    fs.spaceLeft = 10;
    expect(await app.refused('prefs:set', { prefs: { staleDays: 60 } })).toEqual({
      code: 'io',
      message: savedNothing('roster.json', FULL, FREE_SPACE),
      details: { folder: dir, cause: 'ENOSPC' },
    });
    expect((await app.call('prefs:get', {})).staleDays).toBe(30);
    expect(await leftovers()).toEqual([]);
    fs.heal();
    await app.call('roles:create', { name: 'Auditors' });
    const onDisk = JSON.parse(await readFile(join(dir, STORE_FILE), 'utf8'));
    expect([onDisk.prefs, onDisk.roles.map((r: { name: string }) => r.name)]).toEqual([{ staleDays: 30 }, ['Auditors']]);
    await app.stop();
    const again = await start();
    expect(again.services.info.notices).toEqual([]);
    expect((await again.call('prefs:get', {})).staleDays).toBe(30);
  });

  it('a change that throws leaves nothing of itself behind for the changes written with it', async () => {
    const store = await Store.open({ dataDir: dir, owner: 'test' });
    const [failed, kept] = await Promise.allSettled([
      store.update((data) => {
        data.prefs.staleDays = 99;
        throw new Error('refused half-way');
      }),
      store.update((data) => void (data.prefs.usersSort = { column: 'email', direction: 'desc' })),
      store.update((data) => void (data.settings.theme = 'dark')),
    ]);
    expect([failed.status, kept.status]).toEqual(['rejected', 'fulfilled']);
    expect(store.data.prefs).toEqual({ usersSort: { column: 'email', direction: 'desc' } });
    expect(JSON.parse(await readFile(join(dir, STORE_FILE), 'utf8')).prefs).toEqual({ usersSort: { column: 'email', direction: 'desc' } });
    await store.close();
  });
});

describe('each cause, in words a person can act on', () => {
  const causes: Array<[FaultCode, string, string]> = [
    ['ENOSPC', FULL, FREE_SPACE],
    ['EROFS', 'the disk is read-only (EROFS)', 'Make the folder writable again (or choose another data folder with --data-dir), then try again.'],
    ['EACCES', 'permission denied (EACCES)', 'Check that your account may write to that folder and its files, then try again.'],
    [
      'EPERM',
      'the operation is not permitted (the folder or its files are read-only, immutable or owned by someone else) (EPERM)',
      'Check the permissions and flags of that folder and its files, then try again.',
    ],
  ];

  it.each(causes)(
    '%s: user changes and settings fail as io, memory is unchanged, and the previous state is intact after reopening',
    async (code, cause, advice) => {
      const fs = new FaultyFs();
      const app = await start(fs);
      const ann = (await app.call('users:create', { username: 'ann', fields: { title: 'Before' } })).user.id;
      await app.call('prefs:set', { prefs: { staleDays: 30 } });
      fs.refuseWrites = code;
      const details = { folder: dir, cause: code };
      expect(await app.refused('users:update', { id: ann, fields: { title: 'After' } })).toEqual({
        code: 'io',
        message: savedNothing('users.journal', cause, advice),
        details,
      });
      expect(await app.refused('users:create', { username: 'bob', fields: {} })).toEqual({
        code: 'io',
        message: savedNothing('users.journal', cause, advice),
        details,
      });
      expect(await app.refused('prefs:set', { prefs: { staleDays: 60 } })).toEqual({
        code: 'io',
        message: savedNothing('roster.json', cause, advice),
        details,
      });
      expect((await app.call('users:get', { id: ann })).user.fields).toEqual({ title: 'Before' });
      expect((await app.call('prefs:get', {})).staleDays).toBe(30);
      await app.stop();

      const again = await start();
      expect(again.services.info.notices).toEqual([]);
      expect((await again.call('users:query', { query: {} })).rows.map((r) => r.username)).toEqual(['ann']);
      expect((await again.call('users:get', { id: ann })).user.fields).toEqual({ title: 'Before' });
      expect((await again.call('prefs:get', {})).staleDays).toBe(30);
      expect(await leftovers()).toEqual([]);
    },
  );
});

describe('a folder fsync that fails after the rename', () => {
  /** The next process warning with Roster's folder-sync code. */
  const nextFolderSyncWarning = () =>
    new Promise<Error>((resolve) => {
      const listener = (warning: Error & { code?: string }) => {
        if (warning.code !== FOLDER_SYNC_WARNING) return;
        process.off('warning', listener);
        resolve(warning);
      };
      process.on('warning', listener);
    });

  it('acknowledges the change, which is on disk: memory shows it and so does a reopen', async () => {
    const fs = new FaultyFs();
    const app = await start(fs);
    await app.call('prefs:set', { prefs: { staleDays: 30 } });
    // The folder's name matches its own fsync only, not the files inside it.
    fs.failNext('sync', basename(dir), 'EIO');
    const warned = nextFolderSyncWarning();
    await app.call('prefs:set', { prefs: { staleDays: 60 } });
    expect((await warned).message).toBe(
      `${join(dir, STORE_FILE)} was saved, but its folder could not be synced to disk (the disk reported an input/output error (EIO)): ` +
        'a power cut in the next moments could bring back its previous version.',
    );
    expect((await app.call('prefs:get', {})).staleDays).toBe(60);
    expect(await leftovers()).toEqual([]);
    await app.stop();
    const again = await start();
    expect(again.services.info.notices).toEqual([]);
    expect((await again.call('prefs:get', {})).staleDays).toBe(60);
  });

  it('keeps the journal when the users snapshot it was rewritten into may still be undone by a power cut', async () => {
    const fs = new FaultyFs();
    const app = await start(fs, 1);
    fs.failNext('sync', basename(dir), 'EIO');
    const dan = (await app.call('users:create', { username: 'dan', fields: { title: 'Engineer' } })).user.id;
    // The snapshot is in place, but the journal still holds the change (replay skips what the snapshot has).
    expect(JSON.parse(await readFile(join(dir, USERS_FILE), 'utf8')).users.map((u: { username: string }) => u.username)).toEqual(['dan']);
    expect((await journalLines()).map((l) => l.ops[0]?.put?.username)).toEqual(['dan']);
    await app.stop();
    const again = await start();
    expect(again.services.info.notices).toEqual([]);
    expect((await again.call('users:get', { id: dan })).user.fields).toEqual({ title: 'Engineer' });
  });
});
