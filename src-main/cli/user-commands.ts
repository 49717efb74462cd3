import { Command, Option } from 'commander';
import { USER_SORT_COLUMNS, type UserDetail, type UserQueryInput, type UserSortColumn } from '#shared/model/user';
import { RosterError } from '#shared/result';
import { diffFields } from '../core/users/user-service';
import { collect } from './options';
import { withCli, type CliSession, type GlobalOptions } from './context';
import { table, type Output } from './output';

/** Parses `field=value` pairs (the value may contain `=`; an empty value clears the field). */
export function parseAssignments(pairs: string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new RosterError('invalid-input', `Give fields as FIELD=VALUE (e.g. department=Sales); got "${pair}".`);
    values[pair.slice(0, eq).trim()] = pair.slice(eq + 1);
  }
  return values;
}

/** Resolves usernames (or ids) to user ids, failing on the first unknown one. */
const idsOf = (cli: CliSession, usernames: string[]): string[] => usernames.map((name) => cli.services.users.resolve(name).id);

/** A user's fields as `label (key): value [markers]` lines. */
export function formatDetail(detail: UserDetail): string {
  const { user } = detail;
  const head = [
    `${user.username} (${user.kind}${detail.realmName ? `, realm ${detail.realmName}` : ''})`,
    `  id:       ${user.id}`,
    `  login:    ${user.enabled ? 'enabled' : 'disabled'}`,
    `  roles:    ${detail.roleNames.length ? detail.roleNames.join(', ') : '(none)'}`,
    ...(user.origin
      ? [
          `  dn:       ${user.origin.dn}`,
          `  synced:   ${user.origin.syncedAt}`,
          `  directory account: ${user.origin.directoryEnabled ? 'enabled' : 'disabled'}`,
        ]
      : []),
  ];
  const rows = detail.fields.map((f) => {
    const marks = [
      f.readOnly ? 'locked (directory)' : '',
      f.completion ? `completion (directory has "${f.directoryValue ?? ''}")` : '',
      f.missing ? 'missing (required)' : '',
    ]
      .filter(Boolean)
      .join(', ');
    return [f.key, f.label, f.value, marks];
  });
  return `${head.join('\n')}\n\n${table(['FIELD', 'LABEL', 'VALUE', 'NOTES'], rows)}`;
}

/** `roster users …`: list, show, create, set, enable, disable, delete. */
export function userCommands(global: () => GlobalOptions, output: Output): Command {
  const users = new Command('users').summary('list, show and edit users in the local store').description('list, show and edit users in the local store');

  users
    .command('list')
    .summary('list users, with search and filters')
    .description('list users (search and filters as in the Users screen)')
    .option('--search <Q>', 'substring of username, full name, email or department (case-insensitive)')
    .addOption(new Option('--kind <KIND>', 'only internal or external users').choices(['internal', 'external']))
    .option('--realm <NAME>', 'only users of this realm')
    .option('--enabled', 'only users whose login is enabled')
    .option('--disabled', 'only users whose login is disabled')
    .option('--incomplete', 'only users missing a required field')
    .option('--completions', 'only users with completions')
    .option('--conflicts', 'only users with open conflicts')
    .addOption(new Option('--sort <COLUMN>', 'sort column').choices([...USER_SORT_COLUMNS]).default('username'))
    .option('--desc', 'sort descending')
    .option('--limit <N>', 'show at most N users (default: all)', (v) => Number.parseInt(v, 10))
    .option('--json', 'machine-readable output')
    .action(
      async (flags: {
        search?: string;
        kind?: 'internal' | 'external';
        realm?: string;
        enabled?: boolean;
        disabled?: boolean;
        incomplete?: boolean;
        completions?: boolean;
        conflicts?: boolean;
        sort: UserSortColumn;
        desc?: boolean;
        limit?: number;
        json?: boolean;
      }) => {
        if (flags.enabled && flags.disabled) throw new RosterError('invalid-input', 'Give --enabled or --disabled, not both.');
        await withCli(global(), true, async (cli) => {
          const query: UserQueryInput = {
            search: flags.search ?? '',
            ...(flags.kind ? { kind: flags.kind } : {}),
            ...(flags.realm ? { realmId: cli.services.realms.resolve(flags.realm).id } : {}),
            ...(flags.enabled ? { enabled: true } : flags.disabled ? { enabled: false } : {}),
            ...(flags.incomplete ? { incomplete: true } : {}),
            ...(flags.completions ? { completions: true } : {}),
            ...(flags.conflicts ? { conflicts: true } : {}),
            sort: { column: flags.sort, direction: flags.desc ? 'desc' : 'asc' },
          };
          const limit = flags.limit ?? Number.MAX_SAFE_INTEGER;
          const rows = [];
          let total = 0;
          // Page through the same channel the UI uses, 1000 rows at a time.
          for (let offset = 0; offset < limit; offset += 1000) {
            const page = await cli.call('users:query', { query, offset, limit: Math.min(1000, limit - offset) });
            total = page.total;
            rows.push(...page.rows);
            if (offset + 1000 >= page.total) break;
          }
          if (flags.json) return output.out(JSON.stringify({ total, users: rows }, null, 2));
          if (total === 0) return output.out('No users match.');
          output.out(
            table(
              ['USERNAME', 'FULL NAME', 'EMAIL', 'DEPARTMENT', 'KIND', 'LOGIN', 'MARKERS'],
              rows.map((r) => [
                r.username,
                r.displayName,
                r.email,
                r.department,
                r.kind === 'external' ? `external (${r.realmName ?? '?'})` : 'internal',
                r.enabled ? 'enabled' : 'disabled',
                [r.incomplete ? 'incomplete' : '', r.completions ? 'completions' : '', r.conflicts ? 'conflicts' : ''].filter(Boolean).join(' '),
              ]),
            ),
          );
          output.out(rows.length < total ? `${rows.length} of ${total} users shown.` : `${total} user${total === 1 ? '' : 's'}.`);
        });
      },
    );

  users
    .command('show')
    .argument('<USERNAME>', 'username (case-insensitive) or id')
    .summary('show every field of a user')
    .description('show every field of a user, with locks, completions and missing values')
    .option('--json', 'machine-readable output')
    .action(async (username: string, flags: { json?: boolean }) => {
      await withCli(global(), true, async (cli) => {
        const detail = await cli.call('users:get', { id: cli.services.users.resolve(username).id });
        output.out(flags.json ? JSON.stringify(detail, null, 2) : formatDetail(detail));
      });
    });

  users
    .command('create')
    .argument('<USERNAME>', "the new internal user's username")
    .description('create an internal user')
    .option('--set <FIELD=VALUE>', 'a field value (repeatable)', collect, [])
    .option('--disabled', 'create with login disabled')
    .option('--json', 'machine-readable output')
    .action(async (username: string, flags: { set: string[]; disabled?: boolean; json?: boolean }) => {
      const fields = parseAssignments(flags.set);
      await withCli(global(), false, async (cli) => {
        const detail = await cli.call('users:create', { username, fields, enabled: !flags.disabled });
        output.out(flags.json ? JSON.stringify(detail, null, 2) : `Created internal user ${detail.user.username} (id ${detail.user.id}).`);
      });
    });

  users
    .command('set')
    .argument('<USERNAME>', 'username or id')
    .argument('<FIELD=VALUE...>', 'values to set; FIELD= clears; username=NEW renames an internal user')
    .description("edit a user's fields")
    .option('--json', 'machine-readable output')
    .action(async (username: string, pairs: string[], flags: { json?: boolean }) => {
      const { username: rename, ...fields } = parseAssignments(pairs);
      await withCli(global(), false, async (cli) => {
        const user = cli.services.users.resolve(username);
        const detail = await cli.call('users:update', { id: user.id, fields, ...(rename === undefined ? {} : { username: rename }) });
        if (flags.json) return output.out(JSON.stringify(detail, null, 2));
        const changes = [
          ...(detail.user.username !== user.username ? [{ field: 'username', before: user.username, after: detail.user.username }] : []),
          ...diffFields(user.fields, detail.user.fields),
        ];
        if (changes.length === 0) return output.out(`${detail.user.username}: nothing changed.`);
        output.out(changes.map((c) => `${detail.user.username}: ${c.field} "${c.before}" → "${c.after}"`).join('\n'));
      });
    });

  for (const [verb, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    users
      .command(verb)
      .argument('<USERNAME...>', 'usernames or ids')
      .description(`${verb} login for users`)
      .action(async (usernames: string[]) => {
        await withCli(global(), false, async (cli) => {
          const result = await cli.call('users:set-enabled', { target: { ids: idsOf(cli, usernames) }, enabled });
          output.out(
            `${verb === 'enable' ? 'Enabled' : 'Disabled'} login for ${result.changed} of ${result.matched} users (${result.matched - result.changed} already were).`,
          );
        });
      });
  }

  users
    .command('delete')
    .argument('<USERNAME...>', 'usernames or ids')
    .summary('delete users (never from a directory)')
    .description('delete users from the local store (never from a directory)')
    .action(async (usernames: string[]) => {
      await withCli(global(), false, async (cli) => {
        for (const id of idsOf(cli, usernames)) {
          const name = cli.services.users.require(id).username;
          await cli.call('users:delete', { id });
          output.out(`Deleted ${name}.`);
        }
      });
    });

  return users;
}
