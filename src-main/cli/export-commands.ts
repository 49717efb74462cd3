import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import {
  CSV_DELIMITERS,
  DEFAULT_MULTI_VALUE_SEPARATOR,
  EXPORT_FORMATS,
  EXPORT_PRESETS,
  exportRequestSchema,
  type ExportContent,
  type ExportFormat,
  type ExportPresetId,
  type ExportRequestInput,
  type ExportResult,
  type ExportScope,
  type CsvDelimiter,
} from '#shared/model/export';
import { CLI_REPORTS, DEFAULT_STALE_DAYS, REPORT_IDS, type CliReport, type ReportId } from '#shared/model/report';
import type { UserQueryInput } from '#shared/model/user';
import { RosterError } from '#shared/result';
import { reportQuery, reportTitle } from '../core/reports/report-service';
import type { Services } from '../core/services';
import { withCli, type GlobalOptions } from './context';
import { table, type Output } from './output';

/** `--scope` values: every user, the incomplete ones, the change set, or any report's users. */
export const EXPORT_SCOPES = ['all', 'incomplete', 'changed', ...REPORT_IDS] as const;
type ExportScopeName = (typeof EXPORT_SCOPES)[number];

/** What a `--scope` name means: which users, and whether only their changes go out. */
export function scopeRequest(name: ExportScopeName, staleDays: number, realmId?: string): { scope: ExportScope; content: ExportContent } {
  const realm: UserQueryInput = realmId ? { realmId } : {};
  const query = (extra: UserQueryInput, label: string): ExportScope => ({ kind: 'query', query: { ...extra, ...realm }, label });
  switch (name) {
    case 'all':
      return { scope: realmId ? query({}, 'All users of the realm') : { kind: 'all' }, content: 'snapshot' };
    case 'incomplete':
      return { scope: query({ incomplete: true }, 'Users missing required fields'), content: 'snapshot' };
    case 'changed':
      return { scope: realmId ? query({}, 'All users of the realm') : { kind: 'all' }, content: 'changes' };
    case 'unexported':
      return { scope: query(reportQuery('unexported', staleDays), 'Users with completions not exported'), content: 'changes' };
    default:
      return { scope: query(reportQuery(name, staleDays), `Report: ${name}`), content: 'snapshot' };
  }
}

const kilobytes = (bytes: number): string => (bytes < 1024 ? `${bytes} bytes` : `${(bytes / 1024).toFixed(1)} kB`);

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One line per file (under its realm when LDIF or PS1 went one file per realm) and what was left out. */
export function formatExport(result: ExportResult): string {
  const what = result.content === 'changes' ? 'change set' : 'snapshot';
  const perRealm = result.parts.length > 1;
  const files = perRealm
    ? result.parts.flatMap((part) => [
        `  ${part.realm?.name ?? 'No realm'} (${plural(part.users, 'user')}, ${plural(part.records, 'record')}):`,
        ...part.files.map((f) => `    ${f}`),
      ])
    : result.files.map((f) => `  ${f}`);
  const lines = [
    `Exported ${plural(result.users, 'user')} (${what}, ${result.scope}) as ${result.format.toUpperCase()}: ${plural(result.records, 'record')}, ${kilobytes(result.bytes)}` +
      (perRealm ? ', one file per realm (each is applied to its own directory):' : '.'),
    ...files,
    ...result.skipped.map((s) => `Left out ${s.count}: ${s.reason}.`),
  ];
  return lines.join('\n');
}

interface ExportFlags {
  format: ExportFormat;
  out: string;
  scope: ExportScopeName;
  content?: ExportContent;
  columns?: string;
  preset?: ExportPresetId;
  delimiter: CsvDelimiter;
  separator: string;
  realm?: string;
  days: string;
  force?: boolean;
  json?: boolean;
}

const days = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new RosterError('invalid-input', `--days takes a whole number of days (1 or more), not "${value}".`);
  return n;
};

/** `roster export` and `roster report`. */
export function exportCommands(global: () => GlobalOptions, output: Output): Command[] {
  const exportCommand = new Command('export')
    .summary('export users as XLSX, CSV, LDIF or a PowerShell script')
    .description('export users for directory owners: XLSX, CSV, an LDIF change set for ldapmodify, or a Set-ADUser PowerShell script')
    .addOption(new Option('--format <FORMAT>', 'file format').choices(EXPORT_FORMATS).makeOptionMandatory())
    .requiredOption(
      '--out <FILE>',
      'where to write (ps1 also writes the CSV it reads beside the script; LDIF and ps1 spanning several realms write FILE-<realm> per realm)',
    )
    .addOption(new Option('--scope <SCOPE>', 'which users: changed = only completions and changes since the last sync').choices(EXPORT_SCOPES).default('all'))
    .addOption(new Option('--content <CONTENT>', 'override: snapshot (current values) or changes (the change set)').choices(['snapshot', 'changes']))
    .option('--columns <KEYS>', 'columns in order, comma-separated (identity columns are always added); see `roster export --list-columns`')
    .addOption(new Option('--preset <PRESET>', 'a ready-made column set').choices(EXPORT_PRESETS))
    .addOption(new Option('--delimiter <D>', 'CSV delimiter').choices(CSV_DELIMITERS).default(','))
    .option('--separator <S>', 'joins the values of multi-valued attributes in one cell', DEFAULT_MULTI_VALUE_SEPARATOR)
    .option('--realm <NAME>', 'only users of this realm')
    .option('--days <N>', 'for --scope stale: not synced for N days', String(DEFAULT_STALE_DAYS))
    .option('--force', 'replace the file if it exists')
    .option('--json', 'machine-readable result')
    .action(async (flags: ExportFlags) => {
      await withCli(global(), false, async (cli) => {
        const realmId = flags.realm ? cli.services.realms.resolve(flags.realm).id : undefined;
        const { scope, content } = scopeRequest(flags.scope, days(flags.days), realmId);
        const columns = flags.columns
          ? flags.columns
              .split(',')
              .map((c) => c.trim())
              .filter(Boolean)
          : presetColumns(cli.services, flags.preset);
        const input: ExportRequestInput = {
          format: flags.format,
          path: resolve(flags.out),
          scope,
          content: flags.content ?? content,
          ...(columns ? { columns } : {}),
          delimiter: flags.delimiter,
          separator: flags.separator,
          overwrite: Boolean(flags.force),
        };
        const parsed = exportRequestSchema.safeParse(input);
        if (!parsed.success) throw new RosterError('invalid-input', parsed.error.issues.map((i) => i.message).join('; '));
        // Ctrl+C stops the export cleanly: nothing half-written is left behind.
        const controller = new AbortController();
        const stop = () => controller.abort();
        process.once('SIGINT', stop);
        try {
          const result = await cli.services.exporter.run(parsed.data, { signal: controller.signal, progress: () => {} });
          output.out(flags.json ? JSON.stringify(result, null, 2) : formatExport(result));
        } finally {
          process.off('SIGINT', stop);
        }
      });
    });

  const reportCommand = new Command('report')
    .summary('data-quality reports over the local store')
    .description(`data-quality reports over the local store: ${CLI_REPORTS.join(', ')}`)
    .argument('<REPORT>', `one of ${CLI_REPORTS.join(', ')}`)
    .option('--days <N>', 'for stale: not synced for N days (default: the app setting, else 30)')
    .option('--json', 'machine-readable report')
    .action(async (name: string, flags: { days?: string; json?: boolean }) => {
      if (!(CLI_REPORTS as readonly string[]).includes(name)) {
        throw new RosterError('invalid-input', `Unknown report "${name}". Reports: ${CLI_REPORTS.join(', ')}.`);
      }
      await withCli(global(), true, async (cli) => {
        const staleDays = flags.days ? days(flags.days) : (cli.services.store.data.prefs.staleDays ?? DEFAULT_STALE_DAYS);
        output.out(formatReport(cli.services, name as CliReport, staleDays, Boolean(flags.json)));
      });
    });
  return [exportCommand, reportCommand];
}

/** A preset's columns, if one was named. */
function presetColumns(services: Services, preset: ExportPresetId | undefined): string[] | undefined {
  if (!preset) return undefined;
  return services.exporter.catalogue().presets.find((p) => p.id === preset)?.columns;
}

/** A report as a table (or JSON). */
export function formatReport(services: Services, name: CliReport, staleDays: number, json: boolean): string {
  if (name === 'completeness') {
    const { completeness, completenessByRealm, users } = services.reports.overview(staleDays);
    if (json) return JSON.stringify({ users, fields: completeness.map(({ query: _query, ...f }) => f), byRealm: completenessByRealm }, null, 2);
    const rows = completeness.map((f) => [
      f.key,
      f.label,
      f.required ? 'yes' : '',
      String(f.missing),
      `${users === 0 ? 0 : Math.round((100 * (users - f.missing)) / users)}%`,
    ]);
    const total = `${table(['FIELD', 'LABEL', 'REQUIRED', 'MISSING', 'COMPLETE'], rows)}\n${users} user${users === 1 ? '' : 's'}.`;
    if (completenessByRealm.length < 2) return total;
    // Missing values per realm: one realm may account for all of a field's.
    const byRealm = completeness.map((f) => [f.key, ...completenessByRealm.map((r) => String(r.missing[f.key] ?? 0))]);
    const heads = completenessByRealm.map((r) => `${r.name} (${r.users})`.toUpperCase());
    return `${total}\n\nMissing by realm:\n${table(['FIELD', ...heads], byRealm)}`;
  }
  const id: ReportId = name;
  const users = services.reports.list(id, staleDays);
  const title = reportTitle(id);
  if (json) return JSON.stringify({ report: id, title, count: users.length, users }, null, 2);
  const rows = users.map((u) => [u.username, u.displayName, u.realm ?? '(internal)', u.detail]);
  const count = `${title}: ${users.length} user${users.length === 1 ? '' : 's'}.`;
  return rows.length ? `${table(['USER', 'NAME', 'REALM', 'DETAIL'], rows)}\n${count}` : count;
}
