import { z } from 'zod';

/**
 * Re-import of a returned sheet (XLSX or CSV): each column maps to a target, rows are matched to users and
 * previewed, and the valid rows are applied to local fields.
 */

/** Where a sheet column goes: an identity used for matching, a field key, or nowhere. */
export const SHEET_MATCH_TARGETS = ['id', 'directoryId', 'dn', 'username'] as const;
export type SheetMatchTarget = (typeof SHEET_MATCH_TARGETS)[number];
/** `ignore`, one of SHEET_MATCH_TARGETS, or `field:<key>`. */
export type SheetTarget = 'ignore' | SheetMatchTarget | `field:${string}`;

export const sheetTargetSchema = z.union([
  z.literal('ignore'),
  z.enum(SHEET_MATCH_TARGETS),
  z.string().regex(/^field:[a-zA-Z][a-zA-Z0-9]{0,39}$/) as z.ZodType<`field:${string}`>,
]);

/** One column of an opened sheet. */
export interface SheetColumn {
  index: number;
  header: string;
  target: SheetTarget;
  /** A few values from the first rows, to help the admin map it. */
  samples: string[];
}

/** An opened sheet, kept in main while the admin maps and previews it. */
export interface SheetOpened {
  sheetId: string;
  file: string;
  /** XLSX: the worksheet read (the first one); CSV: the delimiter found. */
  source: string;
  rows: number;
  columns: SheetColumn[];
}

export const SHEET_ROW_STATUSES = ['change', 'unchanged', 'refused'] as const;
export type SheetRowStatus = (typeof SHEET_ROW_STATUSES)[number];

/** What one row would do (preview) or did (apply). */
export interface SheetRowResult {
  /** The row number as the spreadsheet program shows it (the header is row 1). */
  row: number;
  status: SheetRowStatus;
  userId?: string;
  username?: string;
  /** How the row was matched. */
  matchedBy?: SheetMatchTarget;
  changes: { field: string; before: string; after: string }[];
  /** Why the row is refused: each problem, one sentence. */
  reasons: string[];
}

export interface SheetPreview {
  sheetId: string;
  counts: Record<SheetRowStatus, number>;
  total: number;
}

/** The report of applying a sheet. */
export interface SheetApplyReport {
  file: string;
  applied: number;
  unchanged: number;
  refused: number;
  /** Every refused row, with its reasons. */
  refusedRows: SheetRowResult[];
  /** The rows applied, with their changes (capped for huge sheets; `appliedTruncated` says so). */
  appliedRows: SheetRowResult[];
  appliedTruncated?: boolean;
}

export const sheetMappingSchema = z.record(z.string().regex(/^\d{1,4}$/), sheetTargetSchema);
/** Options of preview and apply: the mapping (column index -> target) and what an empty cell means. */
export const sheetOptionsSchema = z
  .object({
    sheetId: z.string().min(1).max(64),
    mapping: sheetMappingSchema.optional(),
    /** Empty cells clear the field; by default an empty cell leaves the value alone. */
    clearEmpty: z.boolean().default(false),
  })
  .strict();
export type SheetOptions = z.output<typeof sheetOptionsSchema>;
