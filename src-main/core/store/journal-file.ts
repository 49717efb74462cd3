import { basename, dirname } from 'node:path';
import { RosterError } from '#shared/result';
import { describeCause, errnoCode, ioError } from './io-error';
import { nodeStoreFs, writeAll, type StoreFile, type StoreFs } from './store-fs';

/** What reading a JSON-lines journal found. */
export interface JournalRead<T> {
  records: T[];
  /** Bytes of the file made of whole, parseable lines. */
  goodBytes: number;
  /** Bytes after the good prefix: a torn last line (crash while appending) or damage. */
  badBytes: number;
  /** Whether the bad part is only an unterminated last line (a torn append) rather than damage in the middle. */
  torn: boolean;
}

/**
 * Reads a JSON-lines file; stops at the first line that is not whole JSON. Every record before it is
 * returned, so a crash mid-append loses at most the unfinished record.
 */
export function parseJournal<T>(text: string): JournalRead<T> {
  const records: T[] = [];
  let offset = 0;
  const total = Buffer.byteLength(text);
  while (offset < text.length) {
    const end = text.indexOf('\n', offset);
    if (end < 0) break;
    const line = text.slice(offset, end);
    if (line.trim() !== '') {
      try {
        records.push(JSON.parse(line) as T);
      } catch {
        const good = Buffer.byteLength(text.slice(0, offset));
        return { records, goodBytes: good, badBytes: total - good, torn: false };
      }
    }
    offset = end + 1;
  }
  const good = Buffer.byteLength(text.slice(0, offset));
  return { records, goodBytes: good, badBytes: total - good, torn: total > good };
}

/**
 * An append-only JSON-lines file: each append is one write of whole lines followed by fdatasync, so it is
 * durable when the promise resolves and a crash can only leave a torn LAST line, which readers drop.
 * An append that fails (disk full, read-only, a failed sync) is cut off again, so the file always ends
 * after the last acknowledged line and later appends never land behind half a record. If even that cut
 * fails, the file refuses every later append until it is reopened.
 */
export class JournalFile {
  private queue: Promise<unknown> = Promise.resolve();
  private broken: RosterError | undefined;

  private constructor(
    readonly path: string,
    private readonly handle: StoreFile,
    /** Bytes of whole, acknowledged lines: where a failed append is cut back to. */
    private size: number,
    private readonly what: string,
  ) {}

  /** Opens (creating) the file for appending; `what` names a record in messages ("the change"). */
  static async open(path: string, options: { fs?: StoreFs; what?: string } = {}): Promise<JournalFile> {
    let handle: StoreFile;
    try {
      handle = await (options.fs ?? nodeStoreFs).open(path, 'a', 0o600);
    } catch (error) {
      throw ioError(error, dirname(path), `open ${basename(path)} for writing`, 'Nothing was changed.');
    }
    try {
      return new JournalFile(path, handle, (await handle.stat()).size, options.what ?? 'the change');
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Appends records, one JSON line each; durably unless `sync` is false (the caller has them durable elsewhere). */
  append(records: readonly unknown[], sync = true): Promise<number> {
    return this.serially(async () => {
      if (records.length === 0) return 0;
      if (this.broken) throw this.broken;
      const bytes = jsonLines(records);
      try {
        await writeAll(this.handle, bytes);
        if (sync) await this.handle.datasync();
      } catch (error) {
        await this.cutBack(error);
        throw ioError(
          error,
          dirname(this.path),
          `save ${this.what} to ${basename(this.path)}`,
          `${capitalised(this.what)} was not saved; everything saved before it is kept.`,
        );
      }
      this.size += bytes.length;
      return bytes.length;
    });
  }

  /** Takes a failed append back off the end of the file; if that fails too, refuses all further appends. */
  private async cutBack(cause: unknown): Promise<void> {
    try {
      // A write refused outright (a read-only disk) left nothing to take back.
      if ((await this.handle.stat()).size === this.size) return;
      await this.handle.truncate(this.size);
      await this.handle.datasync();
    } catch (error) {
      this.broken = new RosterError(
        'io',
        `Roster could not save ${this.what} to ${basename(this.path)} in its data folder ${dirname(this.path)}: ${describeCause(cause)}, ` +
          `and could not take the partial write back (${describeCause(error)}). Nothing more will be saved until Roster is restarted; ` +
          'everything saved before it is kept. Fix the disk, then restart Roster.',
        { folder: dirname(this.path), cause: errnoCode(cause) ?? 'unknown' },
      );
      throw this.broken;
    }
  }

  /** Cuts the file to `length` bytes (drops a torn tail, or empties it after a snapshot). */
  truncate(length = 0): Promise<void> {
    return this.serially(async () => {
      if (this.broken) throw this.broken;
      await this.handle.truncate(length);
      this.size = length;
      await this.handle.datasync();
    });
  }

  /** Closes the file once pending appends are done. */
  async close(): Promise<void> {
    await this.queue;
    await this.handle.close();
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/**
 * Records as JSON lines, encoded straight into one buffer: joining the lines and appending the newline first
 * copied a batch's megabytes of JSON twice more before encoding it.
 */
export function jsonLines(records: readonly unknown[]): Buffer {
  // A line made of parts (a JsonText) is encoded part by part: joined first, it would be copied once more.
  const lines = records.map((record) => (record instanceof JsonText ? record.parts : [jsonLine(record)]));
  let size = lines.length;
  for (const parts of lines) for (const part of parts) size += Buffer.byteLength(part);
  const bytes = Buffer.allocUnsafe(size);
  let at = 0;
  for (const parts of lines) {
    for (const part of parts) at += bytes.write(part, at);
    bytes[at++] = 0x0a;
  }
  return bytes;
}

/**
 * Objects that are about to be written twice: a user change's audit entries go into its users.journal line and
 * then, unchanged, into audit.jsonl (about a third of an import's JSON). Marked ones are serialised once, inside
 * the first record that holds them, and that text is taken (once) for the second write.
 */
const reusable = new WeakSet<object>();
const serialised = new WeakMap<object, string>();

/** Marks objects whose JSON text, made for the first line that holds them, is to be reused when they are written on their own. */
export function serialiseOnce(values: readonly object[]): void {
  for (const value of values) reusable.add(value);
}

/** A record whose JSON text the caller made itself, in parts that join to it (the user store builds its lines from texts it keeps). */
export class JsonText {
  constructor(readonly parts: readonly string[]) {}
}

/** One record's JSON text: exactly JSON.stringify(record), reusing or remembering the text of marked objects. */
function jsonLine(record: unknown): string {
  if (record === null || typeof record !== 'object') return JSON.stringify(record);
  const known = serialised.get(record);
  if (known !== undefined) {
    serialised.delete(record);
    return known;
  }
  if (Array.isArray(record) || typeof (record as { toJSON?: unknown }).toJSON === 'function') return JSON.stringify(record);
  const holds = Object.values(record).some((v) => Array.isArray(v) && typeof v[0] === 'object' && v[0] !== null && reusable.has(v[0] as object));
  if (!holds) return JSON.stringify(record);
  // By hand, as JSON.stringify writes a plain object: own keys in order, values it cannot represent left out.
  const parts: string[] = [];
  for (const [key, value] of Object.entries(record)) {
    const text = Array.isArray(value) && value.length > 0 && reusable.has(value[0] as object) ? jsonArray(value) : JSON.stringify(value);
    if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}

/** An array as JSON, remembering the text of each marked object in it for its own line later. */
export function jsonArray(values: readonly unknown[]): string {
  const texts = values.map((value) => {
    const text = JSON.stringify(value) ?? 'null';
    if (typeof value === 'object' && value !== null && reusable.has(value)) {
      reusable.delete(value);
      serialised.set(value, text);
    }
    return text;
  });
  return `[${texts.join(',')}]`;
}

const capitalised = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
