import { stringify } from 'csv-stringify';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CsvDelimiter } from '#shared/model/export';
import { cellText, checkpoint, FILE_BUFFER, type ExportDocument, type WriteContext } from './document';
import { neutraliseCsvCell } from './neutralise';

/** The character a delimiter choice stands for. */
export const delimiterChar = (delimiter: CsvDelimiter): string => (delimiter === 'tab' ? '\t' : delimiter);

/**
 * Streams records into a CSV file: UTF-8 with a BOM (so Excel reads accents right), RFC 4180 quoting (a field
 * with the delimiter, a quote, CR or LF is quoted, quotes doubled), CRLF between records, and a cell that
 * could run a formula neutralised (see neutralise.ts). `records` is pulled as the file drains, so rows are
 * built lazily and a large export never sits in memory; an error thrown by it (a cancel) stops the write.
 */
export async function writeCsvRecords(file: string, records: Iterable<string[]>, delimiter: string): Promise<void> {
  // Without quoted_match a lone LF or CR (not the CRLF record delimiter) would be left unquoted.
  const stringifier = stringify({ bom: true, delimiter, record_delimiter: '\r\n', quoted_match: /[\r\n]/ });
  const neutralised = function* () {
    for (const record of records) yield record.map(neutraliseCsvCell);
  };
  await pipeline(Readable.from(neutralised()), stringifier, createWriteStream(file, { highWaterMark: FILE_BUFFER }));
}

/** Writes the document as CSV: a header of column keys (what re-import maps back), then one record per row. */
export async function writeCsv(doc: ExportDocument, file: string, ctx: WriteContext): Promise<{ records: number }> {
  const records = function* () {
    yield doc.columns.map((c) => c.key);
    for (const [i, row] of doc.rows.entries()) {
      checkpoint(ctx, i);
      yield doc.columns.map((c) => cellText(c.value(row, doc.roleName), doc.separator));
    }
  };
  await writeCsvRecords(file, records(), delimiterChar(doc.delimiter));
  ctx.progress(doc.rows.length);
  return { records: doc.rows.length };
}
