import { openSync, writeSync, closeSync, readFileSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { RosterError } from '../../../src-shared/result';

/** Who holds the data folder: written into the lock file so a refused writer can say who is in the way. */
export interface LockOwner {
  pid: number;
  host: string;
  owner: string;
  since: string;
}

export const LOCK_FILE = 'roster.lock';

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const readOwner = (path: string): LockOwner | undefined => {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
};

/**
 * An exclusive, cross-process lock on a data folder (O_EXCL lock file), shared by the app and the CLI,
 * so two writers never interleave. A lock left by a dead process on this host is taken over.
 */
export class DataDirLock {
  private released = false;
  private readonly onExit = () => this.release();

  private constructor(readonly path: string) {
    process.once('exit', this.onExit);
  }

  /** Takes the lock or throws a `store-locked` error naming the holder. */
  static acquire(dataDir: string, owner: string): DataDirLock {
    const path = join(dataDir, LOCK_FILE);
    const me: LockOwner = { pid: process.pid, host: hostname(), owner, since: new Date().toISOString() };
    for (let attempt = 0; attempt < 3; attempt += 1) {
      try {
        const fd = openSync(path, 'wx', 0o600);
        try {
          writeSync(fd, JSON.stringify(me));
        } finally {
          closeSync(fd);
        }
        return new DataDirLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const holder = readOwner(path);
        const stale = holder !== undefined && holder.host === me.host && holder.pid !== process.pid && !isAlive(holder.pid);
        // A lock file we cannot parse was caught between its creation and its write: try again.
        if (stale) {
          unlinkSync(path);
          continue;
        }
        if (holder === undefined && attempt < 2) continue;
        const who = holder ? `${holder.owner} (process ${holder.pid} on ${holder.host}, since ${holder.since})` : 'another process';
        throw new RosterError(
          'store-locked',
          `The data folder ${dataDir} is in use by ${who}. Close it and try again, or use another --data-dir.` +
            (holder && holder.host !== me.host ? ` If that machine no longer runs Roster, delete ${path}.` : ''),
          holder ? { pid: holder.pid, owner: holder.owner } : undefined,
        );
      }
    }
    throw new RosterError('store-locked', `Could not take the lock ${path}; try again.`);
  }

  /** Releases the lock; safe to call more than once. */
  release(): void {
    if (this.released) return;
    this.released = true;
    process.removeListener('exit', this.onExit);
    try {
      const holder = readOwner(this.path);
      if (holder?.pid === process.pid) unlinkSync(this.path);
    } catch {
      // Already gone: nothing to release.
    }
  }
}
