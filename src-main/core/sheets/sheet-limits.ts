import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { RosterError } from '../../../src-shared/result';
import { visibleText } from '../visible-text';

/**
 * The most a sheet may hold: a CSV file's size, and what an XLSX unpacks to (all its parts together). exceljs
 * builds the whole workbook in memory, about nine times the unpacked XML (measured: 200,000 rows of ten
 * columns, 117 MB of sheet XML, took 1 GB), so this also bounds memory; zip bombs unpack to far more.
 */
export const MAX_SHEET_BYTES = 250_000_000;
/** The most rows a sheet may have under its header: twice the 100,000-user directories Roster is built for, and some. */
export const MAX_SHEET_ROWS = 250_000;

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

/** Inflates one entry into nothing, counting; it stops as soon as the count passes the declared size. */
const countEntry = (zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<void> =>
  new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream: Readable) => {
      if (error) return reject(error);
      let count = 0;
      stream.on('data', (chunk: Buffer) => {
        count += chunk.length;
        if (count > entry.uncompressedSize) {
          stream.destroy();
          reject(new SizeMismatch(true));
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
    for (const entry of entries) {
      try {
        await countEntry(zip, entry);
      } catch (error) {
        if (error instanceof SizeMismatch) {
          throw new RosterError(
            'invalid-input',
            `${name} is damaged or was made to mislead: its part ${visibleText(entry.fileName)} unpacks to ${error.more ? 'more' : 'less'} than the ${sizeText(entry.uncompressedSize)} its zip directory declares, so it was not read. Save it again from the spreadsheet program as .xlsx or .csv.`,
          );
        }
        throw damaged(`${visibleText(entry.fileName)}: ${(error as Error).message}`);
      }
    }
  } finally {
    zip.close();
  }
}
