import { isUtf8 } from 'node:buffer';
import { RosterError } from '#shared/result';
import { visibleText } from '../visible-text';

/** Receives logical lines (folded continuations joined) and the blank lines that end records. */
export interface LineSink {
  line(text: string, line: number): void;
  blank(): void;
}

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const HASH = 0x23;
const COLON = 0x3a;

const isWhitespaceOnly = (bytes: Uint8Array, start: number, end: number): boolean => {
  for (let i = start; i < end; i += 1) if (bytes[i] !== SPACE && bytes[i] !== TAB) return false;
  return true;
};

/** Where the first byte sequence that is not UTF-8 starts, as the platform's own decoder sees it. */
function firstInvalidByte(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  // The first byte of a character still incomplete (the decoder holds it back until the character ends).
  let lead = -1;
  for (let i = 0; i < bytes.length; i += 1) {
    let out: string;
    try {
      out = decoder.decode(bytes.subarray(i, i + 1), { stream: true });
    } catch {
      return lead >= 0 ? lead : i;
    }
    if (out !== '') lead = -1;
    else if (lead < 0) lead = i;
  }
  return lead >= 0 ? lead : bytes.length;
}

/**
 * Splits LDIF bytes into logical lines: LF or CRLF endings, a leading UTF-8 BOM dropped, a line starting with
 * one space continuing the line above (RFC 2849 folding), `#` comments (and their continuations) dropped.
 * Folding is undone on bytes before decoding, so a multi-byte character split across two lines survives.
 * `line` is the 1-based physical line where the logical line starts. The bytes come in chunks of any size
 * (`push`, then `end`): a file is read piece by piece, never whole. A line that is not UTF-8 is refused with
 * its line number rather than decoded with replacement characters: Roster will not guess an encoding.
 * (Callbacks, not a generator: a 100 MB file has millions of lines, and an object per line showed up as
 * garbage-collection time.)
 */
export class LineSplitter {
  private physical = 0;
  // The logical line being gathered: its first segment (none: undefined), further segments only when folded.
  // Segments may point into the chunk being read; they are copied out when the chunk ends (see `push`).
  private first: Buffer | undefined;
  private more: Buffer[] | undefined;
  private startLine = 0;
  private inComment = false;
  private atRecordStart = true;
  // The start of a physical line that the chunk ended in the middle of, in pieces (joined once, at its end).
  private carry: Buffer[] = [];

  constructor(
    private readonly source: string,
    private readonly sink: LineSink,
  ) {}

  /** Splits the next bytes of the file; a line they end in the middle of waits for the next chunk. */
  push(chunk: Uint8Array): void {
    const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const length = buffer.length;
    let pos = 0;
    if (this.carry.length > 0) {
      const newline = buffer.indexOf(LF);
      if (newline < 0) {
        this.carry.push(Buffer.from(buffer));
        return;
      }
      const line = Buffer.concat([...this.carry, buffer.subarray(0, newline)]);
      this.carry = [];
      this.physicalLine(line, 0, line.length);
      pos = newline + 1;
    }
    while (pos < length) {
      const newline = buffer.indexOf(LF, pos);
      if (newline < 0) {
        this.carry.push(Buffer.from(buffer.subarray(pos)));
        break;
      }
      this.physicalLine(buffer, pos, newline);
      pos = newline + 1;
    }
    // The caller may reuse its chunk: a logical line still open keeps copies of its segments, not views.
    if (this.first?.buffer === buffer.buffer) this.first = Buffer.from(this.first);
    if (this.more) this.more = this.more.map((segment) => (segment.buffer === buffer.buffer ? Buffer.from(segment) : segment));
  }

  /** Ends the input: the last line (with or without a line break) and the record it closes. */
  end(): void {
    if (this.carry.length > 0) {
      const line = Buffer.concat(this.carry);
      this.carry = [];
      this.physicalLine(line, 0, line.length);
    }
    this.flush();
    if (!this.atRecordStart) this.sink.blank();
  }

  /** One physical line, `buffer[pos, newline)` (its LF left out). */
  private physicalLine(buffer: Buffer, pos: number, newline: number): void {
    let end = newline;
    if (end > pos && buffer[end - 1] === CR) end -= 1;
    this.physical += 1;
    if (this.physical === 1 && end - pos >= 3 && buffer[pos] === 0xef && buffer[pos + 1] === 0xbb && buffer[pos + 2] === 0xbf) pos += 3;
    const head = buffer[pos];

    // Whitespace-only lines count as blank: hand-edited files often carry stray spaces between records,
    // and a real continuation made only of spaces would need a value ending in spaces, which writers base64.
    if (end === pos || ((head === SPACE || head === TAB) && isWhitespaceOnly(buffer, pos, end))) {
      this.flush();
      this.sink.blank();
      this.inComment = false;
      this.atRecordStart = true;
    } else if (head === SPACE) {
      if (this.first) (this.more ??= []).push(buffer.subarray(pos + 1, end));
      else if (!this.inComment) {
        throw new RosterError(
          'invalid-input',
          `${this.source} line ${this.physical}: this line starts with a space, which continues the line above, but there is no line above it in this record. Remove the leading space, or the blank line above it.`,
        );
      }
    } else {
      this.flush();
      this.inComment = head === HASH;
      if (!this.inComment) {
        this.first = buffer.subarray(pos, end);
        this.startLine = this.physical;
        this.atRecordStart = false;
      }
    }
  }

  private flush(): void {
    const { first, more } = this;
    if (!first) return;
    this.first = undefined;
    this.more = undefined;
    const bytes = more ? Buffer.concat([first, ...more]) : first;
    const text = bytes.toString('utf8');
    // Decoding replaced what is not UTF-8 with U+FFFD; a file may also hold U+FFFD itself, so check the bytes.
    if (text.includes('\uFFFD') && !isUtf8(bytes)) this.notUtf8(bytes, [first, ...(more ?? [])]);
    this.sink.line(text, this.startLine);
  }

  /** Refuses a logical line that is not UTF-8, naming the physical line and the byte, and the attribute it is in. */
  private notUtf8(bytes: Buffer, segments: readonly Buffer[]): never {
    const at = firstInvalidByte(bytes);
    // The physical line the byte is on: folded segments are consecutive lines.
    let line = this.startLine;
    for (let offset = 0, i = 0; i < segments.length; i += 1) {
      offset += segments[i]?.length ?? 0;
      if (at < offset) break;
      line += 1;
    }
    const colon = bytes.indexOf(COLON);
    const where = colon < 0 || at < colon ? 'the attribute name' : `the value of ${visibleText(bytes.toString('latin1', 0, Math.min(colon, 40)).trimEnd())}`;
    const before = bytes.toString('utf8', colon >= 0 && at > colon ? colon + 1 : 0, at).trimStart();
    const after = before ? ` after "${visibleText(before.length > 20 ? `…${before.slice(-20)}` : before)}"` : '';
    throw new RosterError(
      'invalid-input',
      `${this.source} line ${line}: ${where} is not valid UTF-8 (byte 0x${(bytes[at] ?? 0).toString(16).toUpperCase().padStart(2, '0')}${after}). Roster reads LDIF as UTF-8 and does not guess another encoding: save the file as UTF-8 (it may be in Latin-1 or Windows-1252), or write the value in base64 after "::".`,
    );
  }
}

/** Splits a whole LDIF file already in memory (see LineSplitter). */
export function unfoldLines(bytes: Uint8Array, source: string, sink: LineSink): void {
  const splitter = new LineSplitter(source, sink);
  splitter.push(bytes);
  splitter.end();
}
