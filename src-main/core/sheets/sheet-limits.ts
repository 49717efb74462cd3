import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { RosterError } from '#shared/result';
import { visibleText } from '../visible-text';
import { MergedRanges } from './xlsx-merges';

/**
 * The most a sheet may hold: a CSV file's size, and what an XLSX unpacks to (all its parts together). exceljs
 * builds the whole workbook in memory, about nine times the unpacked XML (measured: 200,000 rows of ten
 * columns, 117 MB of sheet XML, took 1 GB), so this also bounds memory; zip bombs unpack to far more.
 */
export const MAX_SHEET_BYTES = 250_000_000;
/** The most rows a sheet may have under its header: twice the 100,000-user directories Roster is built for, and some. */
export const MAX_SHEET_ROWS = 250_000;

/**
 * The most columns Roster reads from a sheet: a cell past the 1,000th column (ALL) that holds a value refuses
 * the sheet. Roster's own exports have a few dozen; a sheet this wide is a mistake or made to exhaust memory
 * (a cell in column XFD costs nothing in the file, but 16,384 cells in every row once read).
 */
export const MAX_SHEET_COLUMNS = 1000;
/**
 * The most cells a sheet may have, counted as its rows times its widest row's columns, blank cells included (a
 * row is as wide as the last cell or field the file gives it): what reading it may hold in memory and walk
 * through. 250,000 rows of 40 columns. A CSV of nothing but delimiters has one cell per byte, and took some 25
 * bytes of memory for each; an XLSX row with one cell in column XFD is 16,384 columns wide.
 */
export const MAX_SHEET_CELLS = 10_000_000;

/**
 * The most merged ranges a workbook may have: exceljs checks each new one against all before it, so 2,000
 * take a fraction of a second and 20,000 half a minute. (The cells they cover count against MAX_SHEET_CELLS.)
 */
export const MAX_MERGED_RANGES = 2000;

/** A byte count as messages show it ("300.2 MB", "250 MB"; below a megabyte, in bytes). */
export function sizeText(bytes: number): string {
  return bytes < 1_000_000 ? `${bytes.toLocaleString('en')} bytes` : `${Math.round(bytes / 100_000) / 10} MB`;
}

/** The refusal of a sheet with more than MAX_SHEET_ROWS rows under its header. */
export function tooManyRows(name: string): RosterError {
  return new RosterError(
    'invalid-input',
    `${name} has more than ${MAX_SHEET_ROWS.toLocaleString('en')} rows under its header, the most Roster reads from one sheet. Split it into several sheets (each with the header row) and import them one after the other.`,
  );
}

/** The refusal of a sheet with more than MAX_SHEET_CELLS cells (rows × widest row, blanks included). */
export function tooManyCells(name: string): RosterError {
  return new RosterError(
    'invalid-input',
    `${name} has more than ${MAX_SHEET_CELLS.toLocaleString('en')} cells (its rows times the columns of its widest row, blank cells included), the most Roster reads from one sheet, so it was not read. Delete the columns you do not need, or split the rows into several files (each with the header row) and import them one after the other.`,
  );
}

/**
 * Counts a sheet's cells while it is read, row by row, and refuses it as soon as its rows times its widest row
 * pass MAX_SHEET_CELLS — before the rows that would pass it are kept.
 */
export class CellCount {
  private rows = 0;
  private widest = 0;

  constructor(private readonly name: string) {}

  /** Counts one more row of `width` cells; throws `tooManyCells` when the sheet would then be too large. */
  add(width: number): void {
    this.rows += 1;
    this.widest = Math.max(this.widest, width);
    if (this.rows * this.widest > MAX_SHEET_CELLS) throw tooManyCells(this.name);
  }
}

/** The refusal of a sheet whose content is larger than MAX_SHEET_BYTES; `size` says how large ("is 300.0 MB"). */
export function tooLarge(name: string, size: string): RosterError {
  return new RosterError(
    'invalid-input',
    `${name} ${size}, more than the ${sizeText(MAX_SHEET_BYTES)} Roster reads from one sheet, so it was not read. Split the rows into several files (each with the header row) and import them one after the other.`,
  );
}

// yauzl's own size check (validateEntrySizes) reports its error through a destroy() that yauzl 2 replaces
// with one that emits nothing, so on current Node a lying entry would never settle: Roster counts itself.
const openZip = (path: string): Promise<yauzl.ZipFile> =>
  new Promise((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: false }, (error, zip) => (error ? reject(error) : resolve(zip))),
  );

/** Every entry of the zip's central directory, read without inflating anything. */
const listEntries = (zip: yauzl.ZipFile): Promise<yauzl.Entry[]> =>
  new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.once('end', () => resolve(entries));
    zip.once('error', reject);
    zip.readEntry();
  });

/** A part that unpacks to more or fewer bytes than its directory entry declares. */
class SizeMismatch extends Error {
  constructor(readonly more: boolean) {
    super(more ? 'more bytes than declared' : 'fewer bytes than declared');
  }
}

/**
 * Inflates one entry into nothing, counting; it stops as soon as the count passes the declared size. Its bytes
 * go through `merges` on the way.
 */
const countEntry = (zip: yauzl.ZipFile, entry: yauzl.Entry, merges: MergedRanges): Promise<void> =>
  new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream: Readable) => {
      if (error) return reject(error);
      let count = 0;
      merges.endPart();
      stream.on('data', (chunk: Buffer) => {
        count += chunk.length;
        if (count > entry.uncompressedSize) {
          stream.destroy();
          reject(new SizeMismatch(true));
          return;
        }
        try {
          merges.scan(chunk);
        } catch (scanError) {
          stream.destroy();
          reject(scanError as Error);
        }
      });
      stream.once('error', reject);
      stream.once('end', () => (count < entry.uncompressedSize ? reject(new SizeMismatch(false)) : resolve()));
      return undefined;
    });
  });

/**
 * Refuses a workbook that would unpack to more than MAX_SHEET_BYTES — a zip bomb — before anything inflates
 * it: the sizes come from the zip's central directory. A directory can lie, so every part is then inflated
 * once into nothing, counting, and a part that unpacks to more than it declared is refused as soon as it
 * does (memory stays at one inflate buffer). Only then may exceljs, which trusts the directory, read it.
 * The same pass counts the merged ranges (see MergedRanges) and refuses more than MAX_MERGED_RANGES of them,
 * or ranges covering more than MAX_SHEET_CELLS cells, which exceljs would build one by one.
 */
export async function checkXlsxSize(path: string): Promise<void> {
  const name = basename(path);
  const damaged = (why: string) =>
    new RosterError('invalid-input', `${name} is not a valid Excel workbook (.xlsx) (${why}). Save it again from the spreadsheet program as .xlsx or .csv.`);
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(path);
  } catch (error) {
    throw damaged((error as Error).message);
  }
  try {
    let entries: yauzl.Entry[];
    try {
      entries = await listEntries(zip);
    } catch (error) {
      throw damaged((error as Error).message);
    }
    let total = 0;
    let largest: yauzl.Entry | undefined;
    for (const entry of entries) {
      total += entry.uncompressedSize;
      if (!largest || entry.uncompressedSize > largest.uncompressedSize) largest = entry;
    }
    if (total > MAX_SHEET_BYTES) {
      const part = largest && entries.length > 1 ? ` (${visibleText(largest.fileName)} alone to ${sizeText(largest.uncompressedSize)})` : '';
      throw tooLarge(name, `would unpack to ${sizeText(total)}${part}`);
    }
    const merges = new MergedRanges();
    for (const entry of entries) {
      try {
        await countEntry(zip, entry, merges);
      } catch (error) {
        if (error instanceof SizeMismatch) {
          throw new RosterError(
            'invalid-input',
            `${name} is damaged or was made to mislead: its part ${visibleText(entry.fileName)} unpacks to ${error.more ? 'more' : 'less'} than the ${sizeText(entry.uncompressedSize)} its zip directory declares, so it was not read. Save it again from the spreadsheet program as .xlsx or .csv.`,
          );
        }
        throw damaged(`${visibleText(entry.fileName)}: ${(error as Error).message}`);
      }
      if (merges.ranges > MAX_MERGED_RANGES || merges.cells > MAX_SHEET_CELLS) {
        const what =
          merges.ranges > MAX_MERGED_RANGES
            ? `more than ${MAX_MERGED_RANGES.toLocaleString('en')} merged ranges`
            : `merged ranges covering more than ${MAX_SHEET_CELLS.toLocaleString('en')} cells`;
        throw new RosterError(
          'invalid-input',
          `${name} has ${what}, the most Roster reads from one workbook, so it was not read. Unmerge the cells (in Excel: Merge & Center, then Unmerge Cells) and import it again.`,
        );
      }
    }
  } finally {
    zip.close();
  }
}
