/** Characters that make Excel, LibreOffice or Sheets read a cell as a formula (or DDE) when it starts with one. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Makes a text cell inert for spreadsheet programs (OWASP "CSV injection"): a value starting with
 * = + - @ TAB or CR gets a leading apostrophe, which spreadsheets show as text and never evaluate.
 */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}
