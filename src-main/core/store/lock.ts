import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, fsyncSync, linkSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname, uptime } from 'node:os';
import { join, resolve } from 'node:path';
import { RosterError } from '#shared/result';
import { ioError } from './io-error';

/** Who holds the data folder: written into the lock file so a refused writer can say who is in the way. */
export interface LockOwner {
  pid: number;
  host: string;
  owner: string;
  since: string;
}

export const LOCK_FILE = 'roster.lock';

/**
 * How long an empty or unreadable lock file counts as one another process is still writing. Where hard links
 * are unsupported a lock is created empty and then written, so a reader can catch it in between; a writer
 * that died there leaves a file that stops changing, and is taken over once it is this old.
 */
export const LOCK_WRITE_GRACE_MS = 10_000;

/** Lock files this process holds now: a lock with our pid that is not among them was left by an earlier open. */
const heldHere = new Set<string>();

const code = (error: unknown): string | undefined => (error as NodeJS.ErrnoException).code;

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means the process exists but belongs to someone else.
    return code(error) === 'EPERM';
  }
};

/** When this machine last started (a lock written before then belongs to a process that is gone). */
const bootedAt = (): number => Date.now() - uptime() * 1000;

/** What a lock file holds: its text, when it was last changed, and the owner when the text is a whole lock record. */
interface FoundLock {
  text: string;
  mtimeMs: number;
  owner?: LockOwner;
}

function readLock(path: string): FoundLock | undefined {
  let text: string;
  let mtimeMs: number;
  try {
    const fd = openSync(path, 'r');
    try {
      mtimeMs = fstatSync(fd).mtimeMs;
      text = readFileSync(fd, 'utf8');
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if (code(error) === 'ENOENT') return undefined;
    if (code(error) === 'EACCES' || code(error) === 'EPERM') {
      // Probably another account's Roster: taking its lock over could let two writers in.
      throw new RosterError(
        'store-locked',
        `The lock file ${path} cannot be read (permission denied): another account may have this data folder open. Close Roster there, or delete the file if no one uses the folder.`,
      );
    }
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockOwner>;
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string' && typeof parsed.owner === 'string' && typeof parsed.since === 'string') {
      return { text, mtimeMs, owner: parsed as LockOwner };
    }
  } catch {
    // Not a lock record: the caller decides whether it is being written or stale.
  }
  return { text, mtimeMs };
}

/** "empty" or "unreadable": what a lock file that holds no whole record is. */
const whatIsWrong = (lock: FoundLock): string => (lock.text.trim() === '' ? 'empty' : 'unreadable');

/** Whether a lock file without a whole record changed so recently that its writer may still be writing it. */
const beingWritten = (lock: FoundLock): boolean => !lock.owner && Math.abs(Date.now() - lock.mtimeMs) < LOCK_WRITE_GRACE_MS;

/** Why a lock found in the folder no longer protects anyone, or undefined when its holder may still be writing. */
function staleBecause(path: string, lock: FoundLock, me: LockOwner): string | undefined {
  const holder = lock.owner;
  if (!holder) return beingWritten(lock) ? undefined : `it is ${whatIsWrong(lock)}`;
  if (holder.host !== me.host) return undefined;
  // Ours but not held: an earlier open in this process could not remove it (the folder had become read-only).
  if (holder.pid === process.pid) return heldHere.has(resolve(path)) ? undefined : 'this process no longer holds it';
  if (!isAlive(holder.pid)) return `its process ${holder.pid} is gone`;
  // A crash or power cut before the last restart leaves the old pid, which a new process may now carry.
  if (Date.parse(holder.since) < bootedAt() - 60_000) return 'it was written before this machine last started';
  return undefined;
}

/** Makes the creation or removal of a lock durable, where directories can be fsync'd. */
function syncDirSync(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // Windows cannot fsync a directory: the lock is still exclusive, only not power-cut proof.
  } finally {
    closeSync(fd);
  }
}

function writeDurably(path: string, text: string, flags: 'w' | 'wx'): void {
  const fd = openSync(path, flags, 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Creates the lock file whole or not at all: the record is written and fsync'd under a temp name, then
 * hard-linked to the lock's name, which fails if a lock exists. So no other process ever sees it empty or
 * half written. Where hard links are not supported, an exclusive create followed by the write and fsync:
 * others can then see it empty or half written for a moment, and give it `LOCK_WRITE_GRACE_MS` to be finished.
 */
function createLock(path: string, dir: string, text: string): boolean {
  const temp = `${path}.${process.pid}.tmp`;
  writeDurably(temp, text, 'w');
  try {
    linkSync(temp, path);
  } catch (error) {
    if (code(error) === 'EEXIST') return false;
    try {
      writeDurably(path, text, 'wx');
    } catch (fallback) {
      if (code(fallback) === 'EEXIST') return false;
      throw fallback;
    }
  } finally {
    unlinkSync(temp);
  }
  syncDirSync(dir);
  return true;
}

/**
 * Moves a file judged stale out of the way, unless it changed since it was judged: it is renamed aside and
 * compared, and put back if it is not the one judged. Used for the takeover guard, which lives for
 * microseconds; the lock itself is only ever removed under that guard (see `removeStaleLock`).
 */
function moveAsideIfUnchanged(path: string, judged: string): void {
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if (code(error) === 'ENOENT') return;
    throw error;
  }
  try {
    if (readFileSync(aside, 'utf8') !== judged) {
      try {
        linkSync(aside, path);
      } catch {
        // Someone else holds it now: theirs stands.
      }
    }
  } finally {
    unlinkSync(aside);
  }
}

/**
 * Removes a stale lock so that no live lock is ever removed with it: two processes that both judged the
 * old lock stale could otherwise each delete it, the second deleting the first's fresh lock. Takeovers take
 * a guard file first (created like the lock, whole or not at all), and re-read the lock under it. Returns
 * false when another process holds the guard (it is taking over right now): wait and look again.
 */
function removeStaleLock(path: string, dir: string, judged: string, me: LockOwner): boolean {
  const guard = `${path}.takeover`;
  if (!createLock(guard, dir, JSON.stringify(me))) {
    // A guard left by a process killed during its takeover would block every later one.
    const found = readLock(guard);
    if (found && staleBecause(guard, found, me) !== undefined) moveAsideIfUnchanged(guard, found.text);
    return false;
  }
  try {
    if (readLock(path)?.text === judged) unlinkSync(path);
  } finally {
    unlinkSync(guard);
  }
  return true;
}

/** Blocks this thread briefly while another process finishes a takeover (acquire is synchronous). */
const pause = (ms: number): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Removes the temp and set-aside files of lock creations and takeovers whose process was killed in the middle. */
function removeDeadTemps(dir: string): void {
  for (const name of readdirSync(dir)) {
    const match = /^roster\.lock(?:\.takeover)?\.(?:(\d+)\.tmp|stale-(\d+)-[0-9a-f]+)$/.exec(name);
    const pid = Number(match?.[1] ?? match?.[2]);
    if (match && pid !== process.pid && !isAlive(pid)) {
      try {
        unlinkSync(join(dir, name));
      } catch {
        // Already gone.
      }
    }
  }
}

const capitalised = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * An exclusive, cross-process lock on a data folder, shared by the app and the CLI, so two writers never
 * interleave (readers need no lock). A lock whose holder is gone, or that has been empty or unreadable for
 * `LOCK_WRITE_GRACE_MS` (a crash while it was written, a damaged disk), is taken over; a live holder is named.
 */
export class DataDirLock {
  private released = false;
  private readonly onExit = () => this.release();

  private constructor(readonly path: string) {
    heldHere.add(resolve(path));
    process.once('exit', this.onExit);
  }

  /** Takes the lock or throws a `store-locked` error naming the holder (`io` when the folder cannot be written). */
  static acquire(dataDir: string, owner: string): DataDirLock {
    const path = join(dataDir, LOCK_FILE);
    const me: LockOwner = { pid: process.pid, host: hostname(), owner, since: new Date().toISOString() };
    let unfinished: FoundLock | undefined;
    try {
      for (let attempt = 0; attempt < 200; attempt += 1) {
        if (createLock(path, dataDir, JSON.stringify(me))) {
          removeDeadTemps(dataDir);
          return new DataDirLock(path);
        }
        const found = readLock(path);
        if (!found) continue;
        unfinished = undefined;
        if (staleBecause(path, found, me) === undefined) {
          if (found.owner) throw DataDirLock.heldBy(found.owner, me, dataDir, path);
          // Another process is between creating the lock and writing its record: look again in a moment.
          unfinished = found;
          pause(5);
          continue;
        }
        if (!removeStaleLock(path, dataDir, found.text, me)) pause(5);
      }
    } catch (error) {
      if (error instanceof RosterError) throw error;
      throw ioError(error, dataDir, `create its lock file ${LOCK_FILE}`, 'Nothing was changed.');
    }
    if (unfinished) {
      throw new RosterError(
        'store-locked',
        `The lock file ${path} is ${whatIsWrong(unfinished)} and was changed less than ${LOCK_WRITE_GRACE_MS / 1000} seconds ago: another Roster ` +
          `is probably opening the data folder ${dataDir} right now. Try again in a few seconds (a lock file that stays ${whatIsWrong(unfinished)} is then taken over).`,
      );
    }
    throw new RosterError('store-locked', `Could not take the lock ${path}: other processes keep taking it. Try again.`);
  }

  private static heldBy(holder: LockOwner, me: LockOwner, dataDir: string, path: string): RosterError {
    const remote = holder.host !== me.host;
    return new RosterError(
      'store-locked',
      `${capitalised(holder.owner)} (pid ${holder.pid}${remote ? ` on ${holder.host}` : ''}, since ${holder.since}) has the data folder ${dataDir} open. ` +
        'Close it and try again, or use another --data-dir.' +
        (remote ? ` If that machine no longer runs Roster, delete ${path}.` : ''),
      { pid: holder.pid, owner: holder.owner, host: holder.host },
    );
  }

  /** Releases the lock; safe to call more than once. */
  release(): void {
    if (this.released) return;
    this.released = true;
    heldHere.delete(resolve(this.path));
    process.removeListener('exit', this.onExit);
    try {
      if (readLock(this.path)?.owner?.pid === process.pid) unlinkSync(this.path);
    } catch {
      // Already gone: nothing to release.
    }
  }
}
