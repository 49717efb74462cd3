import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RosterError } from '#shared/result';
import { DataDirLock, LOCK_FILE, LOCK_WRITE_GRACE_MS, type LockOwner } from './lock';

let dir: string;
const held: DataDirLock[] = [];

const take = (owner = 'the Roster app'): DataDirLock => {
  const lock = DataDirLock.acquire(dir, owner);
  held.push(lock);
  return lock;
};
const refusal = (owner = 'the roster command line'): RosterError => {
  try {
    take(owner);
  } catch (error) {
    if (error instanceof RosterError) return error;
    throw error;
  }
  throw new Error('expected the lock to be refused');
};
const lockOnDisk = async (): Promise<LockOwner> => JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8'));

/** Writes a lock file last changed `ageMs` ago (by its mtime): how old it looks to a process judging it. */
const writeAged = async (path: string, text: string, ageMs: number): Promise<void> => {
  await writeFile(path, text);
  const at = new Date(Date.now() - ageMs);
  await utimes(path, at, at);
};
/** Comfortably past the grace an empty or unreadable lock gets to be finished. */
const OLD = LOCK_WRITE_GRACE_MS + 60_000;

/** A process that is certainly gone: started and waited for. */
const deadPid = async (): Promise<number> => {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((done) => child.once('exit', done));
  return child.pid!;
};

/** A process that is alive until the test ends. */
const living: ChildProcessWithoutNullStreams[] = [];
const livePid = (): number => {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
  living.push(child);
  return child.pid!;
};

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-lock-'));
});
afterEach(async () => {
  for (const lock of held.splice(0)) lock.release();
  for (const child of living.splice(0)) child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

describe('the data folder lock', () => {
  it('takes over an empty lock file that has not changed for the grace period (a crash while it was written)', async () => {
    await writeAged(join(dir, LOCK_FILE), '', OLD);
    take('the Roster app');
    expect(await lockOnDisk()).toMatchObject({ pid: process.pid, host: hostname(), owner: 'the Roster app' });
  });

  it('takes over an unreadable lock file that has not changed for the grace period', async () => {
    await writeAged(join(dir, LOCK_FILE), '{"pid": 12', OLD);
    take();
    expect((await lockOnDisk()).pid).toBe(process.pid);
    await writeFile(join(dir, LOCK_FILE), '{"pid": "not a number", "host": 1}');
    held.pop()!.release();
    await writeAged(join(dir, LOCK_FILE), '{"pid": "not a number", "host": 1}', OLD);
    take();
    expect((await lockOnDisk()).pid).toBe(process.pid);
  });

  it.each([
    ['empty', ''],
    ['unreadable', '{"pid": 12'],
  ])(
    'leaves alone an %s lock file changed within the grace period: where hard links are missing, another process creates it first and writes it next',
    async (what, text) => {
      const path = join(dir, LOCK_FILE);
      await writeAged(path, text, 0);
      const error = refusal();
      expect([error.code, error.message]).toEqual([
        'store-locked',
        `The lock file ${path} is ${what} and was changed less than 10 seconds ago: another Roster is probably opening the data folder ${dir} right now. ` +
          `Try again in a few seconds (a lock file that stays ${what} is then taken over).`,
      ]);
      expect(await readFile(path, 'utf8')).toBe(text);
      // The same file, once it has stayed like that past the grace period, was left by a writer that died.
      const at = new Date(Date.now() - OLD);
      await utimes(path, at, at);
      take();
      expect((await lockOnDisk()).pid).toBe(process.pid);
    },
  );

  it('takes over a lock whose process is gone', async () => {
    const pid = await deadPid();
    await writeFile(join(dir, LOCK_FILE), JSON.stringify({ pid, host: hostname(), owner: 'the Roster app', since: new Date().toISOString() }));
    take('the roster command line');
    expect(await lockOnDisk()).toMatchObject({ pid: process.pid, owner: 'the roster command line' });
  });

  it('takes over a lock written before this machine last started, even when its pid now belongs to a live process', async () => {
    const pid = livePid();
    await writeFile(join(dir, LOCK_FILE), JSON.stringify({ pid, host: hostname(), owner: 'the Roster app', since: '2001-01-01T00:00:00.000Z' }));
    take();
    expect((await lockOnDisk()).pid).toBe(process.pid);
  });

  it('names a live holder and leaves its lock alone', async () => {
    const pid = livePid();
    const since = new Date().toISOString();
    const record = JSON.stringify({ pid, host: hostname(), owner: 'the Roster app', since });
    await writeFile(join(dir, LOCK_FILE), record);
    const error = refusal();
    expect([error.code, error.message, error.details]).toEqual([
      'store-locked',
      `The Roster app (pid ${pid}, since ${since}) has the data folder ${dir} open. Close it and try again, or use another --data-dir.`,
      { pid, owner: 'the Roster app', host: hostname() },
    ]);
    expect(await readFile(join(dir, LOCK_FILE), 'utf8')).toBe(record);
  });

  it('names a holder on another machine and says how to free the folder if that machine is gone', async () => {
    await writeFile(join(dir, LOCK_FILE), JSON.stringify({ pid: 4242, host: 'desk-17', owner: 'the Roster app', since: '2026-11-21T10:00:00.000Z' }));
    expect(refusal().message).toBe(
      `The Roster app (pid 4242 on desk-17, since 2026-11-21T10:00:00.000Z) has the data folder ${dir} open. Close it and try again, or use another --data-dir. ` +
        `If that machine no longer runs Roster, delete ${join(dir, LOCK_FILE)}.`,
    );
  });

  it('refuses a second writer in this process while the first holds the lock, and takes over one this process left behind', async () => {
    const first = take();
    expect(refusal().message).toContain(`The Roster app (pid ${process.pid}, since `);
    // A lock with our pid that no open holds: an earlier open could not delete it (the folder was read-only then).
    first.release();
    await writeFile(join(dir, LOCK_FILE), JSON.stringify({ pid: process.pid, host: hostname(), owner: 'the Roster app', since: new Date().toISOString() }));
    take('the roster command line');
    expect((await lockOnDisk()).owner).toBe('the roster command line');
  });

  it('is created whole under a temp name and leaves no temp file behind; a killed process’s temp file is removed', async () => {
    const pid = await deadPid();
    await writeFile(join(dir, `${LOCK_FILE}.${pid}.tmp`), '{"pid":');
    take();
    expect(await readdir(dir)).toEqual([LOCK_FILE]);
    held.pop()!.release();
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('processes racing for one folder', () => {
  /** Children that take and release the lock when told (lock-race.child.ts). */
  const racers: Array<{ child: ChildProcessWithoutNullStreams; next: () => Promise<string> }> = [];

  const startRacer = () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'lock-race.child.ts')]);
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const next = async () => {
      const { value, done } = await lines.next();
      if (done) throw new Error(`a racer exited: ${child.exitCode}`);
      return value as string;
    };
    racers.push({ child, next });
    return next();
  };

  afterEach(() => {
    for (const { child } of racers.splice(0)) child.kill('SIGKILL');
  });

  it('lets exactly one of six processes take over a stale lock, round after round, and names it to the others', async () => {
    await Promise.all(Array.from({ length: 6 }, startRacer));
    const gone = await deadPid();
    for (let round = 0; round < 100; round += 1) {
      const folder = await mkdtemp(join(tmpdir(), 'roster-lock-race-'));
      // Alternate the kinds of stale lock: a dead holder, an empty file left long ago.
      await writeAged(
        join(folder, LOCK_FILE),
        round % 2 ? '' : JSON.stringify({ pid: gone, host: hostname(), owner: 'the Roster app', since: new Date().toISOString() }),
        round % 2 ? OLD : 0,
      );
      for (const { child } of racers) child.stdin.write(`take ${folder}\n`);
      const answers = await Promise.all(racers.map((r) => r.next()));
      const winners = racers.filter((_, i) => answers[i] === 'won');
      expect(winners).toHaveLength(1);
      const winner = winners[0]!;
      for (const answer of answers.filter((a) => a !== 'won')) {
        expect(answer).toMatch(new RegExp(`^lost store-locked Racer ${winner.child.pid} \\(pid ${winner.child.pid}, since .+\\) has the data folder `));
      }
      expect(JSON.parse(await readFile(join(folder, LOCK_FILE), 'utf8')).pid).toBe(winner.child.pid);
      winner.child.stdin.write('release\n');
      expect(await winner.next()).toBe('released');
      expect(await readdir(folder)).toEqual([]);
      await rm(folder, { recursive: true, force: true });
    }
  });
});
