import { finished } from 'node:stream/promises';
import { Parser } from 'csv-parse';
import { RosterError } from '#shared/result';
import { CellCount, MAX_SHEET_COLUMNS, MAX_SHEET_ROWS, tooManyRows } from './sheet-limits';

/** Bytes handed to the parser at a time; between two, the row still being parsed is checked. */
const CHUNK_BYTES = 65_536;
/**
 * The parser keeps a row's cells until the row ends, so a row that never ends (a line of nothing but commas)
 * is refused from what has been read of it: more delimiters than this since the last row ended (counted from
 * a little before, see `csvRecords`). The count includes delimiters inside quotes, hence far above
 * MAX_SHEET_COLUMNS — yet such a row holds only a few megabytes.
 */
const UNFINISHED_ROW_DELIMITERS = 100 * MAX_SHEET_COLUMNS;

/** The refusal of a CSV whose row `row` has more than MAX_SHEET_COLUMNS fields. */
function tooManyFields(name: string, row: number): RosterError {
  const most = MAX_SHEET_COLUMNS.toLocaleString('en');
  return new RosterError(
    'invalid-input',
    `${name} has more than ${most} columns in row ${row.toLocaleString('en')}, the most Roster reads from one sheet, so it was not read. Delete the columns you do not need (or the stray delimiters) and import it again.`,
  );
}

/** How many times `byte` occurs in bytes[from, to). */
function countByte(bytes: Buffer, byte: number, from: number, to: number): number {
  let count = 0;
  for (let at = bytes.indexOf(byte, from); at !== -1 && at < to; at = bytes.indexOf(byte, at + 1)) count += 1;
  return count;
}

/**
 * Whether bytes[from…] hold no cell with anything in it: only delimiters, quotes, spaces, tabs and line ends.
 * (A quoted delimiter would pass for empty; no sheet Roster reads back holds a cell of just that.)
 */
function blankFrom(bytes: Buffer, from: number, delimiter: number): boolean {
  for (let at = from; at < bytes.length; at += 1) {
    const b = bytes[at];
    if (b !== delimiter && b !== 0x22 && b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
  }
  return true;
}

/**
 * The records of a CSV file (`name` is for messages), each checked as the parser gives it and before it is
 * kept: a record with more than MAX_SHEET_COLUMNS fields, more cells than MAX_SHEET_CELLS in all (rows ×
 * widest row), or anything in a cell past MAX_SHEET_ROWS + 1 records refuses the file. The bytes go to the
 * parser a chunk at a time so that a row which never ends is refused while it grows (see
 * UNFINISHED_ROW_DELIMITERS). A malformed file rejects with csv-parse's error.
 */
export async function csvRecords(bytes: Buffer, delimiter: string, name: string): Promise<string[][]> {
  const records: string[][] = [];
  const cells = new CellCount(name);
  let refusal: RosterError | undefined;
  const keep = (record: string[]) => {
    if (records.length === MAX_SHEET_ROWS + 1) {
      if (record.some((cell) => cell.trim() !== '')) throw tooManyRows(name);
      return;
    }
    if (record.length > MAX_SHEET_COLUMNS) throw tooManyFields(name, records.length + 1);
    cells.add(record.length);
    records.push(record);
  };
  // The parser stops one record past the limit; what follows that record is then only looked at (see blankFrom).
  const parser = new Parser({ bom: true, delimiter, relax_column_count: true, relax_quotes: true, to: MAX_SHEET_ROWS + 2 });
  // A listener must not throw into the parser: a refusal is kept and thrown between two chunks.
  parser.on('data', (record: string[]) => {
    if (refusal) return;
    try {
      keep(record);
    } catch (error) {
      refusal = error as RosterError;
    }
  });
  const done = finished(parser);
  // The write or the end that fails reports the error; this promise is awaited only on success.
  done.catch(() => undefined);
  const write = (chunk: Buffer) => new Promise<void>((resolve, reject) => parser.write(chunk, (error) => (error ? reject(error) : resolve())));
  const byte = delimiter.charCodeAt(0);
  // Where the unfinished row began, or a little before: the start of the chunk in which the last row ended.
  let rowFrom = 0;
  let rowsEnded = 0;
  let countedTo = 0;
  let delimiters = 0;
  try {
    for (let at = 0; at < bytes.length; at += CHUNK_BYTES) {
      const end = Math.min(at + CHUNK_BYTES, bytes.length);
      await write(bytes.subarray(at, end));
      if (refusal) throw refusal;
      if (parser.writableEnded) {
        // Stopped past the limit (it ends itself): any cell after the record it stopped at is one row too many.
        if (!blankFrom(bytes, parser.info.bytes, byte)) throw tooManyRows(name);
        break;
      }
      if (parser.info.records !== rowsEnded) {
        // The parser holds back a few bytes of lookahead from one chunk to the next; 1 KB covers them.
        rowsEnded = parser.info.records;
        rowFrom = Math.max(0, at - 1024);
        countedTo = rowFrom;
        delimiters = 0;
      }
      // Fewer bytes than the limit cannot hold more delimiters: the common case counts nothing.
      if (end - rowFrom <= UNFINISHED_ROW_DELIMITERS) continue;
      delimiters += countByte(bytes, byte, countedTo, end);
      countedTo = end;
      if (delimiters > UNFINISHED_ROW_DELIMITERS) throw tooManyFields(name, rowsEnded + 1);
    }
    if (!parser.writableEnded) await new Promise<void>((resolve, reject) => parser.end((error?: Error | null) => (error ? reject(error) : resolve())));
    await done;
  } finally {
    parser.destroy();
  }
  if (refusal) throw refusal;
  return records;
}
