import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { RosterError } from '#shared/result';
import { removeLeftoverTemps } from './atomic-file';
import { ioError } from './io-error';
import { DataDirLock } from './lock';
import { migrate } from './migrations';
import { SafeJsonAdapter } from './safe-json-adapter';
import { CURRENT_SCHEMA_VERSION, emptyStore, type StoreData } from './schema';
import { nodeStoreFs, type StoreFs } from './store-fs';

export const STORE_FILE = 'roster.json';

/** How to open the store. */
export interface StoreOptions {
  dataDir: string;
  /** Who is writing, shown to a second writer that is refused ("the Roster app", "the roster command line"). */
  owner: string;
  /** Read without taking the lock; writes are refused. */
  readOnly?: boolean;
  now?: () => Date;
  /** The file operations writes go through (tests inject disk-full and read-only failures here). */
  fs?: StoreFs;
}

/** A change waiting for the next write. */
interface Queued {
  change: (data: StoreData) => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Roster's local store: one lowdb document in the data folder, migrated on open, written atomically,
 * guarded by a cross-process lock. Services change it only through `update()`, which applies the change
 * to a copy and shows it in `data` only once that copy is on disk: a failed write changes nothing.
 */
export class Store {
  /** Things the user should know about the folder (migrations applied, damaged files set aside earlier). */
  readonly notices: string[] = [];
  private queued: Queued[] = [];
  private writing: Promise<void> | undefined;

  private constructor(
    private readonly db: Low<StoreData>,
    private readonly adapter: SafeJsonAdapter,
    private readonly lock: DataDirLock | undefined,
    readonly dataDir: string,
  ) {}

  /** Opens (creating if needed) the store in a data folder. */
  static async open(options: StoreOptions): Promise<Store> {
    const fs = options.fs ?? nodeStoreFs;
    try {
      await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw ioError(error, options.dataDir, 'create the data folder', 'Nothing was changed.');
    }
    const lock = options.readOnly ? undefined : DataDirLock.acquire(options.dataDir, options.owner);
    try {
      const path = join(options.dataDir, STORE_FILE);
      if (lock) await removeLeftoverTemps(fs, [path]);
      const adapter = new SafeJsonAdapter(path, options.now, options.readOnly, fs);
      const raw = await adapter.read();
      const version = raw && typeof raw.schemaVersion === 'number' ? raw.schemaVersion : raw ? 1 : CURRENT_SCHEMA_VERSION;
      if (version > CURRENT_SCHEMA_VERSION) {
        throw new RosterError(
          'store-corrupt',
          `The data file ${adapter.path} was written by a newer Roster (schema ${version}; this one reads up to ${CURRENT_SCHEMA_VERSION}). Update Roster; the file was not changed.`,
        );
      }
      const db = new Low<StoreData>(adapter as never, emptyStore());
      const store = new Store(db, adapter, lock, options.dataDir);
      if (raw === null) {
        if (!options.readOnly) await adapter.write(db.data as never);
      } else if (version < CURRENT_SCHEMA_VERSION) {
        const { data, applied } = migrate(raw);
        db.data = data;
        if (!options.readOnly) {
          const copy = await adapter.backup(`v${version}`);
          await adapter.write(db.data as never);
          store.notices.push(`Upgraded the data file (${applied.join('; ')}); the previous version is kept at ${copy}.`);
        }
      } else {
        db.data = raw as unknown as StoreData;
      }
      const aside = (await readdir(options.dataDir)).filter((f) => f.includes('.corrupt-'));
      if (aside.length > 0) store.notices.push(`Damaged data files were set aside earlier and are still in ${options.dataDir}: ${aside.join(', ')}.`);
      return store;
    } catch (error) {
      lock?.release();
      throw error;
    }
  }

  /** The current document, as it is on disk. Treat as read-only; change it through `update()`. */
  get data(): Readonly<StoreData> {
    return this.db.data;
  }

  /**
   * Applies a change and resolves once it is durable on disk; only then does `data` show it. If the write
   * fails, `data` stays as it was and the promise rejects with an `io` error naming the folder and the cause.
   * Changes made while a write is running are written together, in order, by the next one.
   */
  update<T>(change: (data: StoreData) => T): Promise<T> {
    if (!this.lock) return Promise.reject(new RosterError('forbidden', 'This store was opened read-only.'));
    return new Promise<T>((resolve, reject) => {
      this.queued.push({ change, resolve: resolve as (value: unknown) => void, reject });
      this.writing ??= this.writeQueued();
    });
  }

  private async writeQueued(): Promise<void> {
    // Never finish synchronously: `writing` must be set before this can clear it.
    await Promise.resolve();
    while (this.queued.length > 0) {
      const batch = this.queued.splice(0);
      let draft = structuredClone(this.db.data);
      const applied: Array<{ item: Queued; value: unknown }> = [];
      for (const item of batch) {
        // A change that throws must leave nothing behind, not even half of itself, for the next one.
        const before = batch.length > 1 ? structuredClone(draft) : undefined;
        try {
          applied.push({ item, value: item.change(draft) });
        } catch (error) {
          item.reject(error);
          if (before) draft = before;
        }
      }
      if (applied.length === 0) continue;
      try {
        await this.adapter.write(draft as never);
      } catch (error) {
        for (const { item } of applied) item.reject(error);
        continue;
      }
      this.db.data = draft;
      for (const { item, value } of applied) item.resolve(value);
    }
    this.writing = undefined;
  }

  /** Waits for pending writes and releases the lock. */
  async close(): Promise<void> {
    try {
      await this.writing;
    } finally {
      this.lock?.release();
    }
  }
}
