import { open, type FileHandle } from 'node:fs/promises';

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
 */
export class JournalFile {
  private constructor(
    readonly path: string,
    private handle: FileHandle,
  ) {}

  /** Opens (creating) the file for appending. */
  static async open(path: string): Promise<JournalFile> {
    return new JournalFile(path, await open(path, 'a', 0o600));
  }

  /** Appends records, one JSON line each; durably unless `sync` is false (the caller has them durable elsewhere). */
  async append(records: readonly unknown[], sync = true): Promise<number> {
    if (records.length === 0) return 0;
    const text = records.map((r) => JSON.stringify(r)).join('\n') + '\n';
    await this.handle.write(text);
    if (sync) await this.handle.datasync();
    return Buffer.byteLength(text);
  }

  /** Cuts the file to `length` bytes (drops a torn tail, or empties it after a snapshot). */
  async truncate(length = 0): Promise<void> {
    await this.handle.truncate(length);
    await this.handle.datasync();
  }

  /** Closes the file. */
  async close(): Promise<void> {
    await this.handle.close();
  }
}
