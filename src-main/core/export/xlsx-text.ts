import type ExcelJS from 'exceljs';

/*
 * exceljs writes a text cell as <c t="str"><v>…</v></c>, which loses or changes three kinds of value:
 * - characters XML 1.0 cannot hold (C0 controls but TAB and LF, U+FFFE, U+FFFF, unpaired surrogates) are
 *   dropped or make the workbook unreadable, DEL is dropped, and a CR becomes a LF when the file is read;
 * - its reader decodes entities a second time, so the text `&lt;` comes back as `<`;
 * - text such as `_x0041_` is how OOXML escapes a character, and Excel shows it as `A`.
 * Such a value is written instead as an inline string (<is><r><t>), with those characters in OOXML's own
 * `_xHHHH_` escape and the `_` of a literal `_xHHHH_` escaped as `_x005F_` (as Excel itself writes them):
 * Excel and exceljs's reader undo that, so the cell shows, and Roster's re-import reads, the value exactly.
 * Every other value stays a plain text cell.
 */

/* eslint-disable no-control-regex -- control characters are exactly what these patterns are about */
/** Every value that could need the inline string has one of these (one quick test for the common case). */
const CANDIDATE = /[\x00-\x08\x0B-\x1F\x7F\uFFFE\uFFFF\uD800-\uDFFF&_]/;
/** A character the plain text cell cannot carry. */
const UNSAFE_CHAR = /[\x00-\x08\x0B-\x1F\x7F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Text exceljs's reader would decode a second time. */
const ENTITY = /&[a-z]*;/;
/** Text a spreadsheet would read as an escaped character. */
const ESCAPE_LIKE = /_x[0-9A-Fa-f]{4}_/;
/** What the inline string escapes: each unsafe character, and each `_` that starts an escape-like text. */
const TO_ESCAPE = new RegExp(`_(?=x[0-9A-Fa-f]{4}_)|${UNSAFE_CHAR.source}`, 'g');
/* eslint-enable no-control-regex */

/** OOXML's escape of one UTF-16 code unit. */
const escapeUnit = (unit: string): string => `_x${unit.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`;

/** A non-empty text value as an exceljs cell value that reads back exactly (see above). */
export function xlsxTextCell(text: string): ExcelJS.CellValue {
  if (!CANDIDATE.test(text) || (!UNSAFE_CHAR.test(text) && !ENTITY.test(text) && !ESCAPE_LIKE.test(text))) return text;
  return { richText: [{ text: text.replace(TO_ESCAPE, escapeUnit) }] };
}
