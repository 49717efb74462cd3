import {
  EXPORT_EXTENSIONS,
  IDENTITY_COLUMNS,
  type CsvDelimiter,
  type ExportColumn,
  type ExportContent,
  type ExportFormat,
  type ExportPreset,
  type ExportPresetId,
} from '#shared/model/export';

/** What the admin chose on the Export screen, apart from the scope and the file. */
export interface ExportChoices {
  format: ExportFormat;
  content: ExportContent;
  /** Column keys in the order they are written. */
  columns: string[];
  delimiter: CsvDelimiter;
}

/** The preset the screen starts on when nothing is remembered: every column, as a workbook. */
export const DEFAULT_PRESET: ExportPresetId = 'everything';

const isIdentity = (key: string) => (IDENTITY_COLUMNS as readonly string[]).includes(key);

/** Whether a column can be left out (identity columns cannot: they are how owners find the entry). */
export const isRequiredColumn = (key: string): boolean => isIdentity(key);

/**
 * Columns as the catalogue knows them today: unknown keys (a custom field since removed) and repeats are
 * dropped, and identity columns missing from the list are put in front, where an export writes them anyway.
 */
export function normaliseColumns(columns: readonly string[], catalogue: readonly ExportColumn[]): string[] {
  const known = new Set(catalogue.map((c) => c.key));
  const kept = [...new Set(columns)].filter((key) => known.has(key));
  const missing = IDENTITY_COLUMNS.filter((key) => known.has(key) && !kept.includes(key));
  return [...missing, ...kept];
}

/** Adds a column at the end or takes it out; identity columns stay in. */
export function toggleColumn(columns: readonly string[], key: string, on: boolean): string[] {
  if (on) return columns.includes(key) ? [...columns] : [...columns, key];
  return isIdentity(key) ? [...columns] : columns.filter((k) => k !== key);
}

/** Moves a column one place up (-1) or down (+1); at either end nothing moves. */
export function moveColumn(columns: readonly string[], key: string, by: -1 | 1): string[] {
  const from = columns.indexOf(key);
  const to = from + by;
  if (from < 0 || to < 0 || to >= columns.length) return [...columns];
  const next = [...columns];
  next[from] = columns[to]!;
  next[to] = key;
  return next;
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/** The preset the choices are exactly (format, content and columns in order), if any. */
export function matchingPreset(
  presets: readonly ExportPreset[],
  choices: Pick<ExportChoices, 'format' | 'content' | 'columns'>,
  catalogue: readonly ExportColumn[],
): ExportPresetId | undefined {
  return presets.find((p) => p.format === choices.format && p.content === choices.content && sameList(normaliseColumns(p.columns, catalogue), choices.columns))
    ?.id;
}

/** The local calendar day as yyyy-mm-dd. */
export function isoDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** `roster-<content>-<yyyy-mm-dd>.<ext>`: what an export is called unless the admin names it. */
export const defaultFileName = (content: ExportContent, format: ExportFormat, date: Date): string =>
  `roster-${content}-${isoDay(date)}${EXPORT_EXTENSIONS[format]}`;

/** The separator a path uses: backslash for a Windows path (C:\…, \\server\…), slash otherwise. */
const separatorOf = (path: string) => (/^[a-zA-Z]:\\|^\\\\/.test(path) || (path.includes('\\') && !path.includes('/')) ? '\\' : '/');

/** A file in a folder, with the folder's own separator. */
export function joinPath(folder: string, name: string): string {
  if (folder === '') return name;
  const sep = separatorOf(folder);
  return folder.endsWith('/') || folder.endsWith('\\') ? `${folder}${name}` : `${folder}${sep}${name}`;
}

/** The folder part of a path ('' when it names no folder). */
export function folderOf(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  if (cut < 0) return '';
  // Keep the root's separator: "/" and "C:\" are folders, "" is not.
  return cut === 0 || /^[a-zA-Z]:$/.test(path.slice(0, cut)) ? path.slice(0, cut + 1) : path.slice(0, cut);
}

/** The file name part of a path. */
export const fileNameOf = (path: string): string => path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);

/** A path with the format's extension in place of another format's; a name of the admin's own is left alone. */
export function withExtension(path: string, format: ExportFormat): string {
  const trimmed = path.trim();
  if (trimmed === '') return trimmed;
  const wanted = EXPORT_EXTENSIONS[format];
  const lower = trimmed.toLowerCase();
  if (lower.endsWith(wanted)) return trimmed;
  const known = Object.values(EXPORT_EXTENSIONS).find((ext) => lower.endsWith(ext));
  return known ? `${trimmed.slice(0, -known.length)}${wanted}` : trimmed;
}
