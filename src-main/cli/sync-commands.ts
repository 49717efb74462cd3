import { Command, Option } from 'commander';
import { describeReconcile } from '#shared/model/change-marker';
import type { FieldDefinition } from '#shared/model/fields';
import type { SyncSummary } from '#shared/model/sync';
import { DEFAULT_RENAME_RULE, USERNAME_CLASH_CHOICES, type UsernameClashChoice, type UsernameClashInput } from '#shared/model/username-clash';
import { RosterError } from '#shared/result';
import { readPassword } from '../core/secrets/password-source';
import { changeLabelOf } from '../core/users/field-labels';
import { collect, giveSessionPassword, passwordOptions, type PasswordFlags } from './options';
import { withCli, type GlobalOptions } from './context';
import { table, type Output } from './output';

/** The report as JSON: counts first, then per-user changes. */
const asJson = (summary: SyncSummary) => {
  const { changes, ...counts } = summary;
  return JSON.stringify({ ...counts, changes }, null, 2);
};

/** A reconcile's "new in the directory" line, with the command that imports them, or '' when there are none. */
function newInDirectoryLine(summary: SyncSummary, realmName?: string): string {
  const n = summary.newInDirectory;
  if (!n) return '';
  const how = realmName ? `; to import them: roster import --realm ${JSON.stringify(realmName)} --query '*'` : '';
  return `\n${n} new in the directory (no Roster user is linked to ${n === 1 ? 'it' : 'them'})${how}`;
}

/**
 * The report as a table of users plus a one-line count (a reconcile also says what is new in the directory, then
 * how it read). Changes name fields by their labels (`fields`: the catalogue), as the app's report does.
 */
export function formatSummary(summary: SyncSummary, fields: readonly FieldDefinition[], realmName?: string): string {
  const rows = summary.changes
    .filter((c) => c.action !== 'unchanged')
    .map((c) => [
      c.username,
      c.action,
      c.changes.map((x) => `${changeLabelOf(fields, x.field)}: "${x.before}" → "${x.after}"`).join('; ') || (c.note ?? ''),
      c.dn,
    ]);
  const counts =
    `${summary.dryRun ? 'Dry run (nothing saved): ' : ''}${summary.created} created, ${summary.updated} updated, ${summary.unchanged} unchanged, ` +
    `${summary.conflicts} conflicts, ${summary.notFound} not found, ${summary.disabledUpstream} disabled in the directory (${summary.matched} matched).`;
  const clashes = summary.usernameClashes;
  const clashLine = clashes
    ? `\nUsernames held in another realm: ${clashes.link} linked, ${clashes.rename} imported under another username, ${clashes.skip} skipped.`
    : '';
  const mode = summary.reconcile ? `\n${describeReconcile(summary.reconcile)}` : '';
  const tail = `${clashLine}${newInDirectoryLine(summary, realmName)}${mode}`;
  return rows.length ? `${table(['USER', 'ACTION', 'CHANGES', 'DN'], rows)}\n${counts}${tail}` : `${counts}${tail}`;
}

/** The flags settling usernames that belong to users of another realm (a domain migration, a merger). */
interface ClashFlags {
  onUsernameClash: UsernameClashChoice;
  renameRule: string;
}

const clashOptions = (command: Command): Command =>
  command
    .addOption(
      new Option(
        '--on-username-clash <CHOICE>',
        'an entry whose username belongs to a user of another realm: skip it, link that user to it (id, local fields, roles, history kept), or rename (import it under --rename-rule)',
      )
        .choices([...USERNAME_CLASH_CHOICES])
        .default('skip'),
    )
    .option(
      '--rename-rule <RULE>',
      'the username given with --on-username-clash rename: {username} and {realm} (the realm name, lower-case)',
      DEFAULT_RENAME_RULE,
    );

const clashInput = (flags: ClashFlags): UsernameClashInput => ({ onUsernameClash: flags.onUsernameClash, renameRule: flags.renameRule });

/** `roster import` and `roster resync`. */
export function syncCommands(global: () => GlobalOptions, output: Output): Command[] {
  const importCommand = passwordOptions(
    clashOptions(new Command('import'))
      .summary('import users of a realm by keyword, * or LDAP filter')
      .description('import (or resync) users of a realm matching a keyword, * for everyone, or an LDAP filter')
      .requiredOption('--realm <NAME>', 'realm name or id')
      .option('--query <Q>', 'keyword: a substring of username, full name or mail; * for everyone', '')
      .option('--filter <FILTER>', 'a raw LDAP filter instead of --query (validated before it is sent)')
      .option('--dry-run', 'report what would change without saving anything')
      .option('--json', 'machine-readable summary'),
  ).action(async (flags: PasswordFlags & ClashFlags & { realm: string; query: string; filter?: string; dryRun?: boolean; json?: boolean }) => {
    if (!flags.filter && flags.query.trim() === '') throw new RosterError('invalid-input', 'Give --query KEYWORD (or "*" for everyone) or --filter FILTER.');
    const password = await readPassword(flags);
    await withCli(global(), Boolean(flags.dryRun), async (cli) => {
      const realm = cli.services.realms.resolve(flags.realm);
      const filter = cli.services.importer.filterFor(realm.id, flags.query, flags.filter);
      await giveSessionPassword(cli, realm.id, password);
      const summary = await cli.services.importer.streamImport(realm.id, filter, { dryRun: flags.dryRun, clash: clashInput(flags) });
      output.out(flags.json ? asJson(summary) : formatSummary(summary, cli.services.users.fields()));
    });
  });

  const resyncCommand = passwordOptions(
    clashOptions(new Command('resync'))
      .summary('resync users with their directory, or a whole realm')
      .description(
        'resync users with their directory: named users, or --all (reconcile the whole realm); a named user of another realm is linked to (or imported beside) the entry with its username by --on-username-clash link|rename',
      )
      .requiredOption('--realm <NAME>', 'realm name or id')
      .option('--user <USERNAME>', 'a user to resync (repeatable)', collect)
      .option('--all', 'every user of the realm (reports users no longer found)')
      .option('--full', 'with --all: read the whole realm, not only what changed since the last reconcile')
      .option('--dry-run', 'report what would change without saving anything')
      .option('--json', 'machine-readable summary'),
  ).action(async (flags: PasswordFlags & ClashFlags & { realm: string; user?: string[]; all?: boolean; full?: boolean; dryRun?: boolean; json?: boolean }) => {
    if (Boolean(flags.all) === Boolean(flags.user?.length)) throw new RosterError('invalid-input', 'Give --user USERNAME (repeatable) or --all, not both.');
    if (flags.full && !flags.all) throw new RosterError('invalid-input', '--full goes with --all: a named user is always read in full.');
    if (flags.all && flags.onUsernameClash !== 'skip')
      throw new RosterError(
        'invalid-input',
        `--all compares only users already linked to the realm; to settle usernames held in another realm, run: roster import --realm ${JSON.stringify(flags.realm)} --query '*' --on-username-clash ${flags.onUsernameClash}`,
      );
    const password = await readPassword(flags);
    await withCli(global(), Boolean(flags.dryRun), async (cli) => {
      const realm = cli.services.realms.resolve(flags.realm);
      await giveSessionPassword(cli, realm.id, password);
      const summary = flags.all
        ? await cli.services.resync.reconcileNow(realm.id, { dryRun: flags.dryRun, full: flags.full })
        : await cli.services.resync.resyncNow(
            flags.user!.map((u) => cli.services.users.resolve(u)),
            realm.id,
            { dryRun: flags.dryRun, clash: clashInput(flags) },
          );
      output.out(flags.json ? asJson(summary) : formatSummary(summary, cli.services.users.fields(), realm.name));
    });
  });
  return [importCommand, resyncCommand];
}
