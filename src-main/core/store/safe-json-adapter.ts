import { access, readFile, rename, mkdir, copyFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';
import { RosterError } from '#shared/result';
import { writeFileAtomically } from './atomic-file';
import { ioError } from './io-error';
import { nodeStoreFs, type StoreFs } from './store-fs';

/** Why a file could not be used as a store document, or undefined when it looks sound. */
const problemWith = (doc: unknown): string | undefined => {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return 'the top level is not an object';
  const record = doc as Record<string, unknown>;
  if (record.schemaVersion !== undefined && typeof record.schemaVersion !== 'number') return 'schemaVersion is not a number';
  if (record.realms !== undefined && !Array.isArray(record.realms)) return '"realms" is not a list';
  return undefined;
};

const stamp = (now: Date): string => now.toISOString().replace(/[:.]/g, '-');

/**
 * lowdb adapter for Roster's document: parses defensively, sets a damaged file aside instead of overwriting
 * it, and writes atomically (temp file, fsync, rename, fsync of the folder) with concurrent writes coalesced into
 * the latest. A failed write leaves the file as it was and rejects with an `io` error saying why.
 */
export class SafeJsonAdapter implements Adapter<Record<string, unknown>> {
  private writing: Promise<void> | undefined;
  private pending: { data: Record<string, unknown>; waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> } | undefined;

  constructor(
    readonly path: string,
    private readonly now: () => Date = () => new Date(),
    private readonly readOnly = false,
    private readonly fs: StoreFs = nodeStoreFs,
  ) {}

  /** Reads the document; null when there is none yet. Throws `store-corrupt` after moving a damaged file aside. */
  async read(): Promise<Record<string, unknown> | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new RosterError('store-corrupt', `Roster cannot read its data file ${this.path}: ${(error as Error).message}. Check the file's permissions.`);
    }
    let problem: string | undefined;
    let doc: unknown;
    try {
      doc = JSON.parse(text);
      problem = problemWith(doc);
    } catch (error) {
      problem = text.trim() === '' ? 'the file is empty (probably truncated)' : `it is not valid JSON (${(error as Error).message})`;
    }
    if (problem === undefined) return doc as Record<string, unknown>;
    if (this.readOnly) {
      // A reader does not hold the lock, so it must not move files: the next writer will set it aside.
      throw new RosterError(
        'store-corrupt',
        `Roster's data file ${this.path} is damaged: ${problem}. It was left untouched; the next command that writes (or the app) will set it aside.`,
      );
    }
    const aside = await this.freeName(`${basename(this.path, '.json')}.corrupt-${stamp(this.now())}`);
    await rename(this.path, aside);
    throw new RosterError(
      'store-corrupt',
      `Roster's data file ${this.path} is damaged: ${problem}. It was moved, unchanged, to ${aside}; nothing was overwritten. ` +
        'Start Roster again to begin with an empty store, or restore a copy from the backups folder.',
      { aside },
    );
  }

  /** A path beside the store that does not exist yet, so a set-aside file never replaces an earlier one. */
  private async freeName(stem: string): Promise<string> {
    for (let n = 0; ; n += 1) {
      const candidate = join(dirname(this.path), `${stem}${n ? `-${n}` : ''}.json`);
      try {
        await access(candidate);
      } catch {
        return candidate;
      }
    }
  }

  /** Writes atomically; calls made while a write is running are merged into one write of the newest data. */
  write(data: Record<string, unknown>): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.pending) {
        this.pending.data = data;
        this.pending.waiters.push({ resolve, reject });
      } else {
        this.pending = { data, waiters: [{ resolve, reject }] };
      }
      if (!this.writing) this.writing = this.drain();
    });
  }

  private async drain(): Promise<void> {
    while (this.pending) {
      const { data, waiters } = this.pending;
      this.pending = undefined;
      try {
        await writeFileAtomically(this.fs, this.path, JSON.stringify(data));
        for (const w of waiters) w.resolve();
      } catch (error) {
        const failure = ioError(
          error,
          dirname(this.path),
          `save the change to ${basename(this.path)}`,
          'The change was not saved; everything saved before it is kept.',
        );
        for (const w of waiters) w.reject(failure);
      }
    }
    this.writing = undefined;
  }

  /** Copies the current file into `backups/` (before migrations and bulk operations); returns the copy's path. */
  async backup(reason: string): Promise<string | undefined> {
    const dir = join(dirname(this.path), 'backups');
    await mkdir(dir, { recursive: true });
    const target = join(dir, `${basename(this.path, '.json')}.${reason}.${stamp(this.now())}.json`);
    try {
      await copyFile(this.path, target);
      return target;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }
}
