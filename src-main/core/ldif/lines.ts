import { RosterError } from '../../../src-shared/result';

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

const isWhitespaceOnly = (bytes: Uint8Array, start: number, end: number): boolean => {
  for (let i = start; i < end; i += 1) if (bytes[i] !== SPACE && bytes[i] !== TAB) return false;
  return true;
};

/**
 * Splits LDIF bytes into logical lines: LF or CRLF endings, a leading UTF-8 BOM dropped, a line starting with
 * one space continuing the line above (RFC 2849 folding), `#` comments (and their continuations) dropped.
 * Folding is undone on bytes before decoding, so a multi-byte character split across two lines survives.
 * `line` is the 1-based physical line where the logical line starts. (Callbacks, not a generator: a 100 MB file
 * has millions of lines, and an object per line showed up as garbage-collection time.)
 */
export function unfoldLines(bytes: Uint8Array, source: string, sink: LineSink): void {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = buffer.length;
  let pos = length >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
  let physical = 0;
  // The logical line being gathered: its first segment (start -1: none), further segments only when folded.
  let firstStart = -1;
  let firstEnd = 0;
  let more: Buffer[] | undefined;
  let startLine = 0;
  let inComment = false;
  let atRecordStart = true;

  const flush = () => {
    if (firstStart < 0) return;
    const text = more ? Buffer.concat([buffer.subarray(firstStart, firstEnd), ...more]).toString('utf8') : buffer.toString('utf8', firstStart, firstEnd);
    firstStart = -1;
    more = undefined;
    sink.line(text, startLine);
  };

  while (pos < length) {
    const newline = buffer.indexOf(LF, pos);
    const next = newline < 0 ? length : newline + 1;
    let end = newline < 0 ? length : newline;
    if (end > pos && buffer[end - 1] === CR) end -= 1;
    physical += 1;
    const head = buffer[pos];

    // Whitespace-only lines count as blank: hand-edited files often carry stray spaces between records,
    // and a real continuation made only of spaces would need a value ending in spaces, which writers base64.
    if (end === pos || ((head === SPACE || head === TAB) && isWhitespaceOnly(buffer, pos, end))) {
      flush();
      sink.blank();
      inComment = false;
      atRecordStart = true;
    } else if (head === SPACE) {
      if (firstStart >= 0) (more ??= []).push(buffer.subarray(pos + 1, end));
      else if (!inComment) {
        throw new RosterError(
          'invalid-input',
          `${source} line ${physical}: this line starts with a space, which continues the line above, but there is no line above it in this record. Remove the leading space, or the blank line above it.`,
        );
      }
    } else {
      flush();
      inComment = head === HASH;
      if (!inComment) {
        firstStart = pos;
        firstEnd = end;
        startLine = physical;
        atRecordStart = false;
      }
    }
    pos = next;
  }
  flush();
  if (!atRecordStart) sink.blank();
}
