import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditEntry, AuditFilter } from '#shared/model/audit';
import { JournalFile, serialiseOnce } from '../store/journal-file';
import type { StoreFs } from '../store/store-fs';

export const AUDIT_FILE = 'audit.jsonl';

/**
 * An entry as audit.jsonl (and a users journal line) holds it. An import may carry `imported`, the values the user
 * was created with, instead of a username change and one before/after pair per field: 100,000 imported users
 * then cost a third less JSON and no per-field objects. Readers see it expanded (expandAuditEntry), so the
 * Audit screen, History tab, CSV and `roster audit` show what they always showed.
 */
export type StoredAuditEntry = AuditEntry & { imported?: Readonly<Record<string, string>> };

/** An entry before the log numbers it. */
export type NewAuditEntry = Omit<StoredAuditEntry, 'seq'>;

/** An entry as readers see it: `imported` spelt out as the username and each field going from empty to its value. */
export function expandAuditEntry(entry: StoredAuditEntry): AuditEntry {
  const { imported, ...rest } = entry;
  if (imported === undefined) return entry;
  const changes = [{ field: 'username', before: '', after: entry.username ?? '' }];
  for (const field in imported) changes.push({ field, before: '', after: imported[field] as string });
  return { ...rest, changes: [...changes, ...entry.changes] };
}

/** Reads the highest seq near the end of the file (and where a torn last line starts) without reading a large file whole. */
async function lastSeqOf(path: string): Promise<{ seq: number; size: number; tornAt?: number }> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    return { seq: 0, size: 0 };
  }
  if (size === 0) return { seq: 0, size };
  const handle = await open(path, 'r');
  try {
    // Widen the window until it holds a whole last line (entries are far smaller than 1 MiB).
    for (let window = 64 * 1024; ; window *= 4) {
      const start = Math.max(0, size - window);
      const buffer = Buffer.alloc(size - start);
      await handle.read(buffer, 0, buffer.length, start);
      const text = buffer.toString('utf8');
      const endsWhole = text.endsWith('\n');
      const lines = text.split('\n');
      // The first piece may be a partial line unless the window reached the file start.
      const candidates = lines.slice(start === 0 ? 0 : 1).filter((l, i, all) => l.trim() !== '' && (endsWhole || i < all.length - 1));
      // The highest, not the last: files written before entries were reserved (see `reserve`) can hold a settings
      // entry numbered after a user change's ahead of it. Numbering on from the last would repeat a number.
      let highest: number | undefined;
      for (const line of candidates) {
        try {
          const { seq } = JSON.parse(line) as AuditEntry;
          if (typeof seq === 'number' && (highest === undefined || seq > highest)) highest = seq;
        } catch {
          // a damaged line: the others decide
        }
      }
      if (highest !== undefined) {
        const tornAt = endsWhole ? undefined : size - Buffer.byteLength(lines[lines.length - 1] ?? '');
        return { seq: highest, size, ...(tornAt === undefined ? {} : { tornAt }) };
      }
      if (start === 0) return { seq: 0, size, ...(endsWhole ? {} : { tornAt: 0 }) };
    }
  } finally {
    await handle.close();
  }
}

const dayStart = (value: string): number => Date.parse(value.length === 10 ? `${value}T00:00:00` : value);
const dayEnd = (value: string): number => (value.length === 10 ? Date.parse(`${value}T23:59:59.999`) : Date.parse(value));

/** Whether an entry passes a filter; `user` matches the user id or the username ignoring case. */
export function auditMatches(entry: AuditEntry, filter: AuditFilter): boolean {
  if (filter.action && entry.action !== filter.action) return false;
  if (filter.user) {
    const wanted = filter.user.toLowerCase();
    if (entry.userId !== filter.user && entry.username?.toLowerCase() !== wanted) return false;
  }
  const at = Date.parse(entry.at);
  if (filter.from && at < dayStart(filter.from)) return false;
  if (filter.to && at > dayEnd(filter.to)) return false;
  return true;
}

/**
 * The audit journal: JSON lines in audit.jsonl beside the store, append-only. Appends are durable when
 * they resolve; a failed append is taken back off the file and rejects with an `io` error. Entries a user
 * change carries in its own journal line are never lost: if audit.jsonl cannot take them, they wait for
 * the next write (or, after a restart, are written from the users journal). Entries are read lazily on
 * the first query and kept in memory afterwards.
 */
export class AuditLog {
  private entries: AuditEntry[] | undefined;
  private damagedLines = 0;
  /** Carried entries audit.jsonl could not take yet, oldest first: written ahead of the next entries. */
  private waiting: AuditEntry[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  /** Entries reserved for a user change, by first seq, not yet handed to write(): later appends wait for them. */
  private readonly held = new Map<number, { settled: Promise<void>; settle: () => void }>();

  private constructor(
    readonly path: string,
    private readonly file: JournalFile | undefined,
    private seq: number,
  ) {}

  /** Opens the journal; a writer drops a torn last line left by a crash. */
  static async open(dataDir: string, readOnly = false, fs?: StoreFs): Promise<AuditLog> {
    const path = join(dataDir, AUDIT_FILE);
    const last = await lastSeqOf(path);
    if (readOnly) return new AuditLog(path, undefined, last.seq);
    const file = await JournalFile.open(path, { ...(fs ? { fs } : {}), what: 'the audit entry' });
    if (last.tornAt !== undefined) await file.truncate(last.tornAt);
    return new AuditLog(path, file, last.seq);
  }

  /** The seq of the newest entry written. */
  get lastSeq(): number {
    return this.seq;
  }

  /** How many carried entries are still waiting to be written to audit.jsonl. */
  get unwritten(): number {
    return this.waiting.length;
  }

  /** Numbers entries without writing them. */
  number(entries: readonly NewAuditEntry[]): AuditEntry[] {
    return entries.map((entry) => ({ seq: ++this.seq, ...entry }));
  }

  /**
   * Numbers the entries a user change carries in its own journal line, and holds back appends numbered after
   * them until they are handed to `write()` or given up with `release()`. So audit.jsonl stays in number
   * order, which is what lets a restart tell exactly which carried entries the file lacks.
   */
  reserve(entries: readonly NewAuditEntry[]): AuditEntry[] {
    const numbered = this.number(entries);
    // The change's journal line serialises them; audit.jsonl takes that same text (see serialiseOnce).
    serialiseOnce(numbered);
    const first = numbered[0];
    if (first) {
      let settle = (): void => undefined;
      const settled = new Promise<void>((resolve) => (settle = resolve));
      this.held.set(first.seq, { settled, settle });
    }
    return numbered;
  }

  /** Gives up reserved entries (their change failed): appends held back for them go ahead. Safe to call twice. */
  release(entries: readonly AuditEntry[]): void {
    const first = entries[0];
    const hold = first && this.held.get(first.seq);
    if (!hold) return;
    this.held.delete(first.seq);
    hold.settle();
  }

  /**
   * Writes numbered entries (and any still waiting) durably, unless `durableElsewhere`: a user change
   * carries its entries in its own fsync'd journal line, and a restart writes any the audit file lacks.
   * Entries carried that way are kept to be written later when this fails.
   */
  write(entries: readonly AuditEntry[], durableElsewhere = false): Promise<void> {
    const file = this.file;
    if (!file) return Promise.reject(new Error('The audit journal was opened read-only.'));
    const run = async (): Promise<void> => {
      const batch = [...this.waiting, ...entries];
      if (batch.length === 0) return;
      try {
        await file.append(batch, !durableElsewhere);
      } catch (error) {
        if (durableElsewhere) this.waiting = batch;
        throw error;
      }
      this.waiting = [];
      const last = batch.at(-1)!.seq;
      if (last > this.seq) this.seq = last;
      // A loop, not push(...batch): a 200,000-row sheet's entries as arguments overflow the stack.
      if (this.entries) for (const entry of batch) this.entries.push(expandAuditEntry(entry));
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    // Queued now, so appends numbered after these may follow.
    this.release(entries);
    return next;
  }

  /** Numbers and writes entries, after any reserved with lower numbers (see `reserve`). */
  async append(entries: readonly NewAuditEntry[]): Promise<AuditEntry[]> {
    const numbered = this.number(entries);
    const first = numbered[0]?.seq ?? Number.POSITIVE_INFINITY;
    const earlier = [...this.held].filter(([seq]) => seq < first).map(([, hold]) => hold.settled);
    if (earlier.length > 0) await Promise.all(earlier);
    await this.write(numbered);
    return numbered;
  }

  private async load(): Promise<AuditEntry[]> {
    if (this.entries) return this.entries;
    let text = '';
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const entries: AuditEntry[] = [];
    // A log must not hide everything after one bad line: skip it and say how many were skipped.
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        entries.push(expandAuditEntry(JSON.parse(line) as StoredAuditEntry));
      } catch {
        this.damagedLines += 1;
      }
    }
    this.entries = entries;
    return entries;
  }

  /** How many unreadable lines the last load skipped. */
  get skippedLines(): number {
    return this.damagedLines;
  }

  /** Entries passing the filter, newest first. */
  async query(filter: AuditFilter): Promise<AuditEntry[]> {
    const all = await this.load();
    const out: AuditEntry[] = [];
    for (let i = all.length - 1; i >= 0; i -= 1) {
      const entry = all[i] as AuditEntry;
      if (auditMatches(entry, filter)) out.push(entry);
    }
    return out;
  }

  /** Closes the file once pending writes are done. */
  async close(): Promise<void> {
    await this.queue;
    await this.file?.close();
  }
}
