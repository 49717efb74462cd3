import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { RosterError } from '../../../src-shared/result';
import { DataDirLock } from './lock';
import { migrate } from './migrations';
import { SafeJsonAdapter } from './safe-json-adapter';
import { CURRENT_SCHEMA_VERSION, emptyStore, type StoreData } from './schema';

export const STORE_FILE = 'roster.json';

/** How to open the store. */
export interface StoreOptions {
  dataDir: string;
  /** Who is writing, shown to a second writer that is refused ("Roster app", "roster CLI"). */
  owner: string;
  /** Read without taking the lock; writes are refused. */
  readOnly?: boolean;
  now?: () => Date;
}

/**
 * Roster's local store: one lowdb document in the data folder, migrated on open, written atomically,
 * guarded by a cross-process lock. Services mutate it only through `update()`.
 */
export class Store {
  /** Things the user should know about the folder (migrations applied, damaged files set aside earlier). */
  readonly notices: string[] = [];

  private constructor(
    private readonly db: Low<StoreData>,
    private readonly lock: DataDirLock | undefined,
    readonly dataDir: string,
  ) {}

  /** Opens (creating if needed) the store in a data folder. */
  static async open(options: StoreOptions): Promise<Store> {
    await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
    const lock = options.readOnly ? undefined : DataDirLock.acquire(options.dataDir, options.owner);
    try {
      const adapter = new SafeJsonAdapter(join(options.dataDir, STORE_FILE), options.now, options.readOnly);
      const raw = await adapter.read();
      const version = raw && typeof raw.schemaVersion === 'number' ? raw.schemaVersion : raw ? 1 : CURRENT_SCHEMA_VERSION;
      if (version > CURRENT_SCHEMA_VERSION) {
        throw new RosterError(
          'store-corrupt',
          `The data file ${adapter.path} was written by a newer Roster (schema ${version}; this one reads up to ${CURRENT_SCHEMA_VERSION}). Update Roster; the file was not changed.`,
        );
      }
      const db = new Low<StoreData>(adapter as never, emptyStore());
      const store = new Store(db, lock, options.dataDir);
      if (raw === null) {
        if (!options.readOnly) await db.write();
      } else if (version < CURRENT_SCHEMA_VERSION) {
        const { data, applied } = migrate(raw);
        db.data = data;
        if (!options.readOnly) {
          const copy = await adapter.backup(`v${version}`);
          await db.write();
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

  /** The current document. Treat as read-only; change it through `update()`. */
  get data(): Readonly<StoreData> {
    return this.db.data;
  }

  /** Applies a change in memory and resolves once it is durable on disk. */
  async update<T>(change: (data: StoreData) => T): Promise<T> {
    if (!this.lock) throw new RosterError('forbidden', 'This store was opened read-only.');
    const result = change(this.db.data);
    await this.db.write();
    return result;
  }

  /** Waits for pending writes and releases the lock. */
  async close(): Promise<void> {
    try {
      if (this.lock) await this.db.write();
    } finally {
      this.lock?.release();
    }
  }
}
