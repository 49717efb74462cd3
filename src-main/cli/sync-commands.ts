import { Command } from 'commander';
import type { SyncSummary } from '../../src-shared/model/sync';
import { RosterError } from '../../src-shared/result';
import { readPassword } from '../core/secrets/password-source';
import { collect, passwordOptions, type PasswordFlags } from './options';
import { withCli, type GlobalOptions } from './context';
import { table, type Output } from './output';

/** The report as JSON: counts first, then per-user changes. */
const asJson = (summary: SyncSummary) => {
  const { changes, ...counts } = summary;
  return JSON.stringify({ ...counts, changes }, null, 2);
};

/** The report as a table of users plus a one-line count. */
export function formatSummary(summary: SyncSummary): string {
  const rows = summary.changes
    .filter((c) => c.action !== 'unchanged')
    .map((c) => [c.username, c.action, c.changes.map((x) => `${x.field}: "${x.before}" → "${x.after}"`).join('; ') || (c.note ?? ''), c.dn]);
  const counts =
    `${summary.dryRun ? 'Dry run (nothing saved): ' : ''}${summary.created} created, ${summary.updated} updated, ${summary.unchanged} unchanged, ` +
    `${summary.conflicts} conflicts, ${summary.notFound} not found, ${summary.disabledUpstream} disabled in the directory (${summary.matched} matched).`;
  return rows.length ? `${table(['USER', 'ACTION', 'CHANGES', 'DN'], rows)}\n${counts}` : counts;
}

/** `roster import` and `roster resync`. */
export function syncCommands(global: () => GlobalOptions, output: Output): Command[] {
  const importCommand = passwordOptions(
    new Command('import')
      .description('import (or resync) users of a realm matching a keyword, * for everyone, or an LDAP filter')
      .requiredOption('--realm <NAME>', 'realm name or id')
      .option('--query <Q>', 'keyword: a substring of username, full name or mail; * for everyone', '')
      .option('--filter <FILTER>', 'a raw LDAP filter instead of --query (validated before it is sent)')
      .option('--dry-run', 'report what would change without saving anything')
      .option('--json', 'machine-readable summary'),
  ).action(async (flags: PasswordFlags & { realm: string; query: string; filter?: string; dryRun?: boolean; json?: boolean }) => {
    if (!flags.filter && flags.query.trim() === '') throw new RosterError('invalid-input', 'Give --query KEYWORD (or "*" for everyone) or --filter FILTER.');
    const password = await readPassword(flags);
    await withCli(global(), Boolean(flags.dryRun), async (cli) => {
      const realm = cli.services.realms.resolve(flags.realm);
      const filter = cli.services.importer.filterFor(realm.id, flags.query, flags.filter);
      const summary = await cli.services.importer.streamImport(realm.id, filter, { password, dryRun: flags.dryRun });
      output.out(flags.json ? asJson(summary) : formatSummary(summary));
    });
  });

  const resyncCommand = passwordOptions(
    new Command('resync')
      .description('resync users with their directory: named users, or --all (reconcile the whole realm)')
      .requiredOption('--realm <NAME>', 'realm name or id')
      .option('--user <USERNAME>', 'a user to resync (repeatable)', collect)
      .option('--all', 'every user of the realm (reports users no longer found)')
      .option('--dry-run', 'report what would change without saving anything')
      .option('--json', 'machine-readable summary'),
  ).action(async (flags: PasswordFlags & { realm: string; user?: string[]; all?: boolean; dryRun?: boolean; json?: boolean }) => {
    if (Boolean(flags.all) === Boolean(flags.user?.length)) throw new RosterError('invalid-input', 'Give --user USERNAME (repeatable) or --all, not both.');
    const password = await readPassword(flags);
    await withCli(global(), Boolean(flags.dryRun), async (cli) => {
      const realm = cli.services.realms.resolve(flags.realm);
      const summary = flags.all
        ? await cli.services.resync.reconcileNow(realm.id, { password, dryRun: flags.dryRun })
        : await cli.services.resync.resyncNow(
            flags.user!.map((u) => cli.services.users.resolve(u)),
            realm.id,
            { password, dryRun: flags.dryRun },
          );
      output.out(flags.json ? asJson(summary) : formatSummary(summary));
    });
  });
  return [importCommand, resyncCommand];
}
