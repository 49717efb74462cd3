import { access, copyFile, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditEntry } from '#shared/model/audit';
import type { UserRecord } from '#shared/model/user';
import { RosterError } from '#shared/result';
import type { AuditLog, NewAuditEntry } from '../audit/audit-log';
import { normalizeDn } from '../ldap/dn';
import { removeLeftoverTemps, writeFileAtomically } from '../store/atomic-file';
import { jsonChunks } from '../store/json-chunks';
import { JournalFile, JsonText, jsonArray, parseJournal } from '../store/journal-file';
import { nodeStoreFs, type StoreFs } from '../store/store-fs';

export const USERS_FILE = 'users.json';
export const USERS_JOURNAL = 'users.journal';

/** One change to the user set. */
export type UserOp = { put: UserRecord } | { del: string };

/** One journal line: a batch of changes that lands whole or not at all, with the audit entries it writes. */
interface JournalRecord {
  seq: number;
  ops: UserOp[];
  audit?: AuditEntry[];
}

/** A user as the snapshot stores it: the last-synced values only where they differ from the current ones. */
type StoredUser = UserRecord & { origin?: UserRecord['origin'] & { baseDelta?: Record<string, string | null> } };

interface Snapshot {
  format: 'roster-users';
  version: 1;
  seq: number;
  users: StoredUser[];
}

/**
 * Most external users hold exactly what the directory had: storing `base` whole would double the file.
 * The snapshot keeps `baseDelta` (base keys that differ from `fields`, null = absent) instead.
 */
function encodeUser(user: UserRecord): StoredUser {
  if (!user.origin) return user;
  const { base, ...origin } = user.origin;
  const delta: Record<string, string | null> = {};
  for (const key in base) if (base[key] !== user.fields[key]) delta[key] = base[key] as string;
  for (const key in user.fields) if (!(key in base)) delta[key] = null;
  return { ...user, origin: { ...origin, base: {}, baseDelta: delta } };
}

function decodeUser(stored: StoredUser): UserRecord {
  if (!stored.origin?.baseDelta) return stored;
  const { baseDelta, ...origin } = stored.origin;
  const base: Record<string, string> = { ...stored.fields };
  for (const [key, value] of Object.entries(baseDelta)) {
    if (value === null) delete base[key];
    else base[key] = value;
  }
  return { ...stored, origin: { ...origin, base } };
}

/** What a transaction decides: the changes, the audit entries, and what to hand back to the caller. */
export interface Plan<T> {
  ops: UserOp[];
  audit: NewAuditEntry[];
  result: T;
}

const key = (realmId: string, value: string): string => `${realmId}\u0000${value}`;

const stamp = (now: Date): string => now.toISOString().replace(/[:.]/g, '-');

/** Open options. */
export interface UserStoreOptions {
  dataDir: string;
  audit: AuditLog;
  readOnly?: boolean;
  now?: () => Date;
  /** Journal operations after which the snapshot is rewritten (default: a quarter of the users, at least 2,000). */
  compactAfter?: number;
  /** The file operations writes go through (tests inject disk-full and read-only failures here). */
  fs?: StoreFs;
}

/**
 * The users: a snapshot (users.json) plus an append-only journal (users.journal) of batches since it.
 * An edit appends one fsync'd line, so it is durable in milliseconds however many users there are; the
 * snapshot is rewritten (atomically) once the journal grows. In memory: every user, indexed by id,
 * username (case-insensitive), realm + external id and realm + DN, so matching never scans.
 */
export class UserStore {
  readonly notices: string[] = [];
  private readonly byId = new Map<string, UserRecord>();
  private readonly byUsername = new Map<string, UserRecord>();
  private readonly byExternal = new Map<string, UserRecord>();
  /** Built on first use: DN matching is for imports, and normalising every DN would slow every start. */
  private byDn: Map<string, UserRecord> | undefined;
  private seq = 0;
  private journalOps = 0;
  /** After a failed snapshot rewrite (a full disk), the journal size at which to try again. */
  private retryCompactionAt = 0;
  private queue: Promise<unknown> = Promise.resolve();
  /**
   * The stored JSON of users written since the last snapshot, as their journal line holds it: the snapshot
   * rewrite takes it instead of encoding them again (after an import that is every user, and half its JSON).
   */
  private storedText = new WeakMap<UserRecord, string>();
  private readonly recentDns = new Map<string, string>();
  private changeCount = 0;
  /** Ids each recent transaction touched, so caches can patch instead of recomputing. */
  private readonly recent: Array<{ generation: number; ids: string[] }> = [];

  private constructor(
    private readonly options: UserStoreOptions,
    private readonly journal: JournalFile | undefined,
  ) {}

  /** Opens the users of a data folder: loads the snapshot, replays the journal, repairs a torn tail. */
  static async open(options: UserStoreOptions): Promise<UserStore> {
    const snapshotPath = join(options.dataDir, USERS_FILE);
    const journalPath = join(options.dataDir, USERS_JOURNAL);
    const now = options.now ?? (() => new Date());
    let snapshot: Snapshot | undefined;
    try {
      const text = await readFile(snapshotPath, 'utf8');
      const parsed = JSON.parse(text) as Snapshot;
      if (parsed?.format !== 'roster-users' || !Array.isArray(parsed.users) || typeof parsed.seq !== 'number') throw new Error('it is not a Roster users file');
      if (parsed.version > 1) {
        throw new RosterError(
          'store-corrupt',
          `The users file ${snapshotPath} was written by a newer Roster (format ${parsed.version}). Update Roster; the file was not changed.`,
        );
      }
      snapshot = parsed;
    } catch (error) {
      if (error instanceof RosterError) throw error;
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        const problem = (error as Error).message;
        if (options.readOnly) {
          throw new RosterError(
            'store-corrupt',
            `Roster's users file ${snapshotPath} is damaged (${problem}). It was left untouched; the next command that writes will set it aside.`,
          );
        }
        const aside = await setAside([snapshotPath, journalPath], now());
        throw new RosterError(
          'store-corrupt',
          `Roster's users file ${snapshotPath} is damaged (${problem}). It and its journal were moved, unchanged, to ${aside.join(' and ')}; nothing was overwritten. ` +
            'Start Roster again to begin with no users, or restore a copy from the backups folder.',
          { aside: aside.join(', ') },
        );
      }
    }

    if (!options.readOnly) await removeLeftoverTemps(options.fs ?? nodeStoreFs, [snapshotPath]);
    const store = new UserStore(options, options.readOnly ? undefined : await JournalFile.open(journalPath, options.fs ? { fs: options.fs } : {}));
    for (const user of snapshot?.users ?? []) store.apply({ put: decodeUser(user) });
    store.seq = snapshot?.seq ?? 0;

    let text = '';
    try {
      text = await readFile(journalPath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const read = parseJournal<JournalRecord>(text);
    const lost: AuditEntry[] = [];
    for (const record of read.records) {
      if (record.seq <= store.seq) continue;
      for (const op of record.ops) store.apply('put' in op ? { put: decodeUser(op.put) } : op);
      store.seq = record.seq;
      store.journalOps += record.ops.length;
      // A crash between the user change and its audit line: write the entries the journal carried.
      for (const entry of record.audit ?? []) if (entry.seq > options.audit.lastSeq) lost.push(entry);
    }
    if (!options.readOnly && lost.length > 0) await options.audit.write(lost);
    if (read.badBytes > 0) {
      if (options.readOnly) {
        store.notices.push(`The users journal ${journalPath} ends with ${read.badBytes} unreadable bytes; they were ignored (the next writer repairs it).`);
      } else if (read.torn) {
        await store.journal!.truncate(read.goodBytes);
        store.notices.push('A change that was being saved when Roster last stopped had not finished; it was discarded and everything before it kept.');
      } else {
        const [aside] = await copyAside(journalPath, now());
        await store.compact();
        store.notices.push(
          `The users journal was damaged after ${read.records.length} saved changes. Those were kept; the damaged file was copied, unchanged, to ${aside}.`,
        );
      }
    }
    return store;
  }

  /** How many users there are. */
  get size(): number {
    return this.byId.size;
  }

  /** Increases on every change: caches keyed by it are valid until it moves. */
  get generation(): number {
    return this.changeCount;
  }

  /** Ids changed after `generation` (undefined when that is too long ago to tell). */
  changedSince(generation: number): string[] | undefined {
    if (generation === this.changeCount) return [];
    const first = this.recent[0];
    if (!first || first.generation > generation + 1) return undefined;
    return this.recent.filter((r) => r.generation > generation).flatMap((r) => r.ids);
  }

  /** A user by id. */
  get(id: string): UserRecord | undefined {
    return this.byId.get(id);
  }

  /** A user by username, ignoring case. */
  findByUsername(username: string): UserRecord | undefined {
    return this.byUsername.get(username.toLowerCase());
  }

  /** The user linked to a directory entry by its immutable id. */
  findByExternalId(realmId: string, externalId: string): UserRecord | undefined {
    // Users of a realm matched by DN record no id (''), which names none of them.
    return externalId ? this.byExternal.get(key(realmId, externalId.toLowerCase())) : undefined;
  }

  /** The user linked to a directory entry by DN (compared normalised). */
  findByDn(realmId: string, dn: string): UserRecord | undefined {
    if (!this.byDn) {
      this.byDn = new Map();
      for (const user of this.byId.values()) if (user.origin) this.byDn.set(key(user.origin.realmId, this.normalizedDn(user.origin.dn)), user);
    }
    return this.byDn.get(key(realmId, this.normalizedDn(dn)));
  }

  /** Every user, in no particular order. */
  all(): IterableIterator<UserRecord> {
    return this.byId.values();
  }

  /**
   * normalizeDn, remembered for the DNs seen last: an import looks each entry's DN up, then indexes the new
   * user under that same DN, so every DN would otherwise be normalised twice.
   */
  private normalizedDn(dn: string): string {
    let normal = this.recentDns.get(dn);
    if (normal === undefined) {
      if (this.recentDns.size >= 4096) this.recentDns.clear();
      normal = normalizeDn(dn);
      this.recentDns.set(dn, normal);
    }
    return normal;
  }

  /** A user's JSON as the journal and the snapshot store it (last-synced values only where they differ), kept until the next snapshot. */
  private textOf(user: UserRecord): string {
    const text = JSON.stringify(encodeUser(user));
    this.storedText.set(user, text);
    return text;
  }

  private unindex(user: UserRecord): void {
    this.byId.delete(user.id);
    if (this.byUsername.get(user.username.toLowerCase()) === user) this.byUsername.delete(user.username.toLowerCase());
    if (user.origin) {
      const ext = key(user.origin.realmId, user.origin.externalId.toLowerCase());
      if (this.byExternal.get(ext) === user) this.byExternal.delete(ext);
      if (this.byDn) {
        const dn = key(user.origin.realmId, this.normalizedDn(user.origin.dn));
        if (this.byDn.get(dn) === user) this.byDn.delete(dn);
      }
    }
  }

  private apply(op: UserOp): void {
    if ('del' in op) {
      const existing = this.byId.get(op.del);
      if (existing) this.unindex(existing);
      return;
    }
    const user = op.put;
    const existing = this.byId.get(user.id);
    if (existing) this.unindex(existing);
    this.byId.set(user.id, user);
    this.byUsername.set(user.username.toLowerCase(), user);
    if (user.origin) {
      this.byExternal.set(key(user.origin.realmId, user.origin.externalId.toLowerCase()), user);
      this.byDn?.set(key(user.origin.realmId, this.normalizedDn(user.origin.dn)), user);
    }
  }

  /**
   * Runs `plan` with exclusive access, then makes its changes durable (one journal line) before applying
   * them in memory and writing its audit entries. A failed write changes nothing: the journal is cut back
   * to its last acknowledged line and the promise rejects with an `io` error naming the folder and cause.
   */
  transact<T>(plan: () => Plan<T>, options: { deferCompaction?: boolean } = {}): Promise<T> {
    const run = async (): Promise<T> => {
      const { ops, audit, result } = plan();
      if (ops.length === 0 && audit.length === 0) return result;
      if (!this.journal) throw new RosterError('forbidden', 'The users were opened read-only; this command cannot change them.');
      // Reserved: audit entries numbered later wait for these, so audit.jsonl stays in number order.
      const entries = this.options.audit.reserve(audit);
      try {
        // A JournalRecord, built from each user's stored text (kept for the snapshot) and the audit entries'
        // text (kept for audit.jsonl): exactly what JSON.stringify of the record gives.
        const parts = [`{"seq":${this.seq + 1},"ops":[`];
        ops.forEach((op, i) => {
          if ('put' in op) parts.push(i ? ',{"put":' : '{"put":', this.textOf(op.put), '}');
          else parts.push(`${i ? ',' : ''}${JSON.stringify(op)}`);
        });
        parts.push(entries.length ? `],"audit":${jsonArray(entries)}}` : ']}');
        await this.journal.append([new JsonText(parts)]);
        this.seq += 1;
      } catch (error) {
        this.options.audit.release(entries);
        throw error;
      }
      for (const op of ops) this.apply(op);
      this.journalOps += ops.length;
      this.changeCount += 1;
      this.recent.push({ generation: this.changeCount, ids: ops.map((op) => ('put' in op ? op.put.id : op.del)) });
      if (this.recent.length > 64) this.recent.shift();
      // Acknowledged from here on: the journal line carries the entries, so if audit.jsonl cannot take them
      // now they wait for its next write (or the next open), and a failed snapshot rewrite only postpones it.
      await this.options.audit.write(entries, true).catch(() => undefined);
      if (!options.deferCompaction) await this.compactWhenDue();
      return result;
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Rewrites the snapshot once the journal holds a quarter as many changes as there are users (at least
   * 2,000), so a start never replays much. Batch jobs defer it to their end instead of doing it mid-run.
   */
  compactIfDue(): Promise<void> {
    const run = () => this.compactWhenDue();
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private compactionThreshold(): number {
    return this.options.compactAfter ?? Math.max(2_000, this.byId.size / 4);
  }

  /** Rewrites the snapshot when due; the changes are durable in the journal already, so a failure only postpones it. */
  private async compactWhenDue(): Promise<void> {
    if (this.journal === undefined || this.journalOps < Math.max(this.compactionThreshold(), this.retryCompactionAt)) return;
    try {
      await this.compact();
      this.retryCompactionAt = 0;
    } catch {
      this.retryCompactionAt = this.journalOps + this.compactionThreshold();
    }
  }

  /** Rewrites the snapshot with every user and empties the journal. */
  private async compact(): Promise<void> {
    // Audit entries that audit.jsonl could not take yet exist only in the journal: write them before emptying it.
    if (this.options.audit.unwritten > 0) await this.options.audit.write([]);
    // Written in pieces: 100,000 users are some 75 MB of JSON, which as one string (and one buffer) cost more in
    // garbage collection than the text itself. The queue holds every change back until the rename, so the users
    // read here are the ones `seq` describes.
    const head: Omit<Snapshot, 'users'> = { format: 'roster-users', version: 1, seq: this.seq };
    const kept = this.storedText;
    const text = jsonChunks(head, 'users', [...this.byId.values()], (user) => kept.get(user) ?? JSON.stringify(encodeUser(user)));
    const written = await writeFileAtomically(this.options.fs ?? nodeStoreFs, join(this.options.dataDir, USERS_FILE), text);
    this.storedText = new WeakMap();
    // A snapshot whose rename a power cut may still undo must not take the journal's lines with it.
    if (written.folderSyncError !== undefined) throw written.folderSyncError;
    // Safe to empty only now: a crash before this leaves lines the snapshot already holds, which replay skips.
    await this.journal!.truncate(0);
    this.journalOps = 0;
  }

  /** Waits for pending changes and closes the journal (it is replayed on the next open, so nothing is rewritten here). */
  async close(): Promise<void> {
    await this.queue;
    await this.journal?.close();
  }
}

/** Writes a users snapshot directly (seeding test and benchmark stores; the folder must not be open). */
export async function writeUsersSnapshot(dataDir: string, users: readonly UserRecord[]): Promise<void> {
  const head: Omit<Snapshot, 'users'> = { format: 'roster-users', version: 1, seq: 0 };
  await writeFileAtomically(nodeStoreFs, join(dataDir, USERS_FILE), jsonChunks(head, 'users', users, (user) => JSON.stringify(encodeUser(user))));
}

async function freeName(path: string, now: Date): Promise<string> {
  const dot = path.lastIndexOf('.');
  const [stem, ext] = dot > path.lastIndexOf('/') ? [path.slice(0, dot), path.slice(dot)] : [path, ''];
  for (let n = 0; ; n += 1) {
    const candidate = `${stem}.corrupt-${stamp(now)}${n ? `-${n}` : ''}${ext}`;
    try {
      await access(candidate);
    } catch {
      return candidate;
    }
  }
}

/** Moves files aside under names that never replace an earlier set-aside file; returns the new names. */
async function setAside(paths: string[], now: Date): Promise<string[]> {
  const moved: string[] = [];
  for (const path of paths) {
    try {
      await access(path);
    } catch {
      continue;
    }
    const target = await freeName(path, now);
    await rename(path, target);
    moved.push(target);
  }
  return moved;
}

/** Copies a file aside (the original stays in use). */
async function copyAside(path: string, now: Date): Promise<string[]> {
  const target = await freeName(path, now);
  await copyFile(path, target);
  return [target];
}
