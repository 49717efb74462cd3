import { Command } from 'commander';
import type { FieldDefinition } from '#shared/model/fields';
import type { SheetApplyReport, SheetOpened, SheetRowResult, SheetTarget } from '#shared/model/sheet';
import { RosterError } from '#shared/result';
import { normaliseHeader, parseTarget } from '../core/sheets/sheet-mapping';
import { changeLabelOf } from '../core/users/field-labels';
import { withCli, type CliSession, type GlobalOptions } from './context';
import { collect } from './options';
import { table, type Output } from './output';

/** Rows of each kind a report lists (the most `sheets:page` hands out at once). */
const PAGE = 1000;

interface SheetFlags {
  map?: string[];
  clearEmpty?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

/** `--map "Header=target"` pairs, split before anything is opened so a typo fails fast. */
function parseMaps(maps: readonly string[]): { header: string; target: SheetTarget }[] {
  return maps.map((map) => {
    const at = map.lastIndexOf('=');
    if (at <= 0) throw new RosterError('invalid-input', `--map "${map}" should be HEADER=TARGET, e.g. --map "Dept=department".`);
    return { header: map.slice(0, at).trim(), target: parseTarget(map.slice(at + 1)) };
  });
}

/** The column each `--map` header names: exact first, then ignoring case, spaces, `_` and `-`. */
function mappingFor(opened: SheetOpened, maps: readonly { header: string; target: SheetTarget }[]): Record<string, SheetTarget> {
  const mapping: Record<string, SheetTarget> = {};
  for (const { header, target } of maps) {
    const column = opened.columns.find((c) => c.header === header) ?? opened.columns.find((c) => normaliseHeader(c.header) === normaliseHeader(header));
    if (!column) throw new RosterError('invalid-input', `The sheet has no column "${header}". Its columns: ${opened.columns.map((c) => c.header).join(', ')}.`);
    mapping[String(column.index)] = target;
  }
  return mapping;
}

/** Every row of one status from the last preview, `limit` at most. */
async function rowsOf(cli: CliSession, sheetId: string, status: 'change' | 'refused', limit = Number.POSITIVE_INFINITY): Promise<SheetRowResult[]> {
  const rows: SheetRowResult[] = [];
  for (let offset = 0; rows.length < limit; offset += PAGE) {
    const page = await cli.call('sheets:page', { sheetId, offset, limit: PAGE, status });
    rows.push(...page.rows);
    if (offset + PAGE >= page.total) break;
  }
  return rows.slice(0, limit);
}

/** What apply would report, worked out by a preview (nothing is written). */
async function dryRunReport(cli: CliSession, opened: SheetOpened, mapping: Record<string, SheetTarget>, clearEmpty: boolean): Promise<SheetApplyReport> {
  const preview = await cli.call('sheets:preview', { sheetId: opened.sheetId, mapping, clearEmpty });
  const appliedRows = await rowsOf(cli, opened.sheetId, 'change', PAGE);
  return {
    file: opened.file,
    applied: preview.counts.change,
    unchanged: preview.counts.unchanged,
    refused: preview.counts.refused,
    refusedRows: await rowsOf(cli, opened.sheetId, 'refused'),
    appliedRows,
    ...(preview.counts.change > appliedRows.length ? { appliedTruncated: true } : {}),
  };
}

/**
 * The report as tables (refused rows with their reasons, changed rows with their changes) and a count line.
 * Changes name fields by their labels (`fields`: the catalogue), as the reasons and the app's report do.
 */
export function formatSheetReport(report: SheetApplyReport, dryRun: boolean, fields: readonly FieldDefinition[]): string {
  const parts: string[] = [];
  if (report.refusedRows.length > 0) {
    const rows = report.refusedRows.map((r) => [String(r.row), r.username ?? '', r.reasons.join(' ')]);
    parts.push(`Refused rows:\n${table(['ROW', 'USER', 'REASONS'], rows)}`);
  }
  if (report.appliedRows.length > 0) {
    const rows = report.appliedRows.map((r) => [
      String(r.row),
      r.username ?? '',
      r.changes.map((c) => `${changeLabelOf(fields, c.field)}: "${c.before}" → "${c.after}"`).join('; '),
    ]);
    const more = report.appliedTruncated ? ` (the first ${report.appliedRows.length} of ${report.applied})` : '';
    parts.push(`${dryRun ? 'Rows that would change' : 'Changed rows'}${more}:\n${table(['ROW', 'USER', 'CHANGES'], rows)}`);
  }
  const refused = report.refused > 0 ? `${report.refused} refused (not applied: fix them in the sheet and import it again)` : '0 refused';
  parts.push(
    `${dryRun ? 'Dry run (nothing saved): ' : ''}${report.applied} ${dryRun ? 'would change' : 'changed'}, ${report.unchanged} unchanged, ${refused}.`,
  );
  return parts.join('\n\n');
}

/** `roster import-sheet FILE`: applies a returned or edited sheet to users' fields, or previews it with --dry-run. */
export function sheetCommands(global: () => GlobalOptions, output: Output): Command {
  return new Command('import-sheet')
    .summary("update users' fields from a returned sheet")
    .description("update users' fields from a returned or edited sheet (.xlsx, .csv, .txt, .tsv); rows are matched by id, directoryId, dn or username")
    .argument('<FILE>', 'the sheet to read (the first worksheet of a workbook)')
    .option('--map <HEADER=TARGET>', 'map a column: TARGET is ignore, id, directoryId, dn, username or a field key (repeatable)', collect)
    .option('--clear-empty', 'an empty cell clears the field (by default it leaves the value alone)')
    .option('--dry-run', 'report what would change without saving anything')
    .option('--json', 'machine-readable report')
    .action(async (file: string, flags: SheetFlags) => {
      const maps = parseMaps(flags.map ?? []);
      const dryRun = Boolean(flags.dryRun);
      await withCli(global(), dryRun, async (cli) => {
        const opened = await cli.call('sheets:open', { path: file });
        const mapping = mappingFor(opened, maps);
        const clearEmpty = Boolean(flags.clearEmpty);
        const report = dryRun
          ? await dryRunReport(cli, opened, mapping, clearEmpty)
          : await cli.call('sheets:apply', { sheetId: opened.sheetId, mapping, clearEmpty });
        output.out(
          flags.json ? JSON.stringify(dryRun ? { dryRun: true, ...report } : report, null, 2) : formatSheetReport(report, dryRun, cli.services.users.fields()),
        );
      });
    });
}
