/**
 * The formula guard for CSV (OWASP "CSV injection"). A spreadsheet program opening a CSV reads a cell as a
 * formula, or a DDE call, when it starts with = + - @ TAB or CR. Only what can RUN something is neutralised:
 * a cell starting with = @ TAB or CR always; one starting with + or - only when it holds more than a number
 * or a phone number can (digits, spaces and `( ) . / - +`), so `+49 30 1234567`, `+1 (415) 788-4115` and
 * `-5` stay exact while `+cmd|' /C calc'!A0` and `-1+cmd|…` do not. A sign followed by digits and operators
 * only (`-2+3`) is left as it is: the most a spreadsheet makes of it is arithmetic, it cannot call anything.
 *
 * XLSX needs no guard: its text cells are never evaluated when a workbook opens.
 */

/** Starts a formula (or DDE) whatever follows. */
const ALWAYS_RUNS = /^[=@\t\r]/;
/** A sign and nothing but what numbers and phone numbers are written with. */
const SIGNED_NUMBER = /^[+-][0-9 ()./+-]*$/;

/** Whether a spreadsheet program opening a CSV could run this cell. */
export const couldRunFormula = (value: string): boolean =>
  ALWAYS_RUNS.test(value) || ((value.startsWith('+') || value.startsWith('-')) && !SIGNED_NUMBER.test(value));

/**
 * A CSV cell as Roster writes it: an apostrophe before a cell that could run something, so spreadsheet
 * programs show it as text, and also before a value that already starts with an apostrophe. That second
 * case is what lets re-import take one leading apostrophe off without guessing (see `restoreCsvCell`), so
 * every value, `'quoted` and `'=x` included, comes back exactly.
 */
export function neutraliseCsvCell(value: string): string {
  return value.startsWith("'") || couldRunFormula(value) ? `'${value}` : value;
}

/**
 * What re-import and the PowerShell script take off: one apostrophe in front of = + - @ TAB CR or another
 * apostrophe. It undoes `neutraliseCsvCell` exactly (an apostrophe-led value was always given a second one),
 * and also the apostrophe earlier Roster versions put before every + and - (`'+49 30 1234567`). Kept as
 * pattern text because the PowerShell script is generated with the very same pattern.
 */
export const ADDED_APOSTROPHE_PATTERN = "^'[=+\\-@\\t\\r']";
const ADDED_APOSTROPHE = new RegExp(ADDED_APOSTROPHE_PATTERN);

/** A CSV cell as re-import reads it: the apostrophe the export added, and only that one, taken off again. */
export const restoreCsvCell = (text: string): string => (ADDED_APOSTROPHE.test(text) ? text.slice(1) : text);
