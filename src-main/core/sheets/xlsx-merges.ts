/**
 * Merged ranges cost exceljs one cell object for every cell they cover (a six-kilobyte workbook merging
 * B1:XFD20000 takes gigabytes), and each new range is checked against every earlier one (10,000 ranges take
 * seconds). So before exceljs reads a workbook, its parts are scanned for `<mergeCell ref="…">` as they are
 * inflated, and the ranges and the cells they cover are counted.
 */

const OPEN = '<mergeCell';
/** A `<mergeCell …>` tag longer than this is not one Excel or LibreOffice writes (theirs are some 30 bytes). */
const MAX_TAG = 4096;

/** A column letter and row number as exceljs's colCache.decodeAddress reads them (it skips `$` and anything else). */
function decodeAddress(text: string): { row: number; col: number } | undefined {
  let col = 0;
  let row = 0;
  let hasCol = false;
  let hasRow = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (!hasRow && c >= 65 && c <= 90) {
      hasCol = true;
      col = col * 26 + c - 64;
    } else if (c >= 48 && c <= 57) {
      hasRow = true;
      row = row * 10 + c - 48;
    } else if (hasRow && hasCol && c !== 36) break;
  }
  return hasCol && hasRow ? { row, col } : undefined;
}

/**
 * How many cells exceljs's `mergeCells(ref)` creates for a ref, read as its colCache.decodeEx reads it (an
 * optional sheet name and `!`, then the first two of the `:`-separated parts): a range's area; 1 for a single
 * cell or a ref it cannot place.
 */
export function mergedArea(ref: string): number {
  const reference = /(?:(?:(?:'((?:[^']|'')*)')|([^'^ !]*))!)?(.*)/.exec(ref)?.[3] ?? '';
  const parts = reference.split(':');
  if (parts.length < 2) return 1;
  const [from, to] = [decodeAddress(parts[0] ?? ''), decodeAddress(parts[1] ?? '')];
  if (!from || !to) return 1;
  return (Math.abs(to.row - from.row) + 1) * (Math.abs(to.col - from.col) + 1);
}

/** An attribute value as an XML parser gives it: character and the five predefined entity references replaced. */
function decodeEntities(value: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return value.replace(/&(?:#(\d+)|#x([0-9a-fA-F]+)|(amp|lt|gt|quot|apos));/g, (whole, dec?: string, hex?: string, name?: string) => {
    if (name) return named[name] ?? whole;
    const code = dec !== undefined ? Number(dec) : parseInt(hex ?? '', 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** Where the tag starting at `start` ends (its `>` outside quoted attribute values), or -1 if `text` ends first. */
function tagEnd(text: string, start: number): number {
  let quote = '';
  for (let i = start; i < text.length; i += 1) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i;
  }
  return -1;
}

/** The merged ranges found in a workbook's parts so far: how many, and how many cells they cover. */
export class MergedRanges {
  ranges = 0;
  cells = 0;
  private carry = '';

  /**
   * Scans one more chunk of a part's bytes (as Latin-1: the markup is ASCII, and no byte of a multi-byte UTF-8
   * character looks like it). Throws if a `<mergeCell` tag runs on past MAX_TAG.
   */
  scan(chunk: Buffer): void {
    const text = this.carry + chunk.toString('latin1');
    this.carry = '';
    let at = 0;
    for (;;) {
      const start = text.indexOf(OPEN, at);
      if (start === -1) {
        // The end may hold the first letters of a tag the next chunk completes.
        this.carry = text.slice(Math.max(at, text.length - OPEN.length + 1));
        return;
      }
      const end = tagEnd(text, start + OPEN.length);
      if (end === -1) {
        if (text.length - start > MAX_TAG) throw new Error(`a ${OPEN}> tag runs on for more than ${MAX_TAG} bytes`);
        this.carry = text.slice(start);
        return;
      }
      at = end + 1;
      const tag = text.slice(start, at);
      // <mergeCells> (the list) and other names that merely start alike are not ranges.
      if (!/[\s/>]/.test(tag.charAt(OPEN.length))) continue;
      const ref = /\sref\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(tag);
      if (!ref) continue;
      this.ranges += 1;
      this.cells += mergedArea(decodeEntities(ref[1] ?? ref[2] ?? ''));
    }
  }

  /** Ends a part: what was carried over belongs to no other part. */
  endPart(): void {
    this.carry = '';
  }
}
