import { writeFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { AUDIT_ACTION_LABELS, AUDIT_ACTIONS, type AuditAction } from '#shared/model/audit';
import { FIELD_OWNERS, FIELD_TYPES, type FieldOwner, type FieldType } from '#shared/model/fields';
import { RosterError } from '#shared/result';
import { changeLabelOf } from '../core/users/field-labels';
import { withCli, type GlobalOptions } from './context';
import { table, type Output } from './output';

/** `roster roles …`: list, create, rename, delete, assign, remove. */
export function roleCommands(global: () => GlobalOptions, output: Output): Command {
  const roles = new Command('roles').summary('manage roles and who holds them').description('manage roles and who holds them');

  roles
    .command('list')
    .description('list roles with how many users hold each')
    .option('--json', 'machine-readable output')
    .action(async (flags: { json?: boolean }) => {
      await withCli(global(), true, async (cli) => {
        const list = await cli.call('roles:list', {});
        if (flags.json) return output.out(JSON.stringify(list, null, 2));
        output.out(
          list.length
            ? table(
                ['ROLE', 'HOLDERS'],
                list.map((r) => [r.name, String(r.holders)]),
              )
            : 'No roles yet. Create one with: roster roles create NAME',
        );
      });
    });

  roles
    .command('create')
    .argument('<NAME>', 'role name')
    .description('create a role')
    .action(async (name: string) => {
      await withCli(global(), false, async (cli) => {
        const role = await cli.call('roles:create', { name });
        output.out(`Created role ${role.name}.`);
      });
    });

  roles
    .command('rename')
    .argument('<ROLE>', 'role name or id')
    .argument('<NEW-NAME>', 'new name')
    .description('rename a role (holders keep it)')
    .action(async (role: string, name: string) => {
      await withCli(global(), false, async (cli) => {
        const renamed = await cli.call('roles:rename', { id: cli.services.settings.resolveRole(role).id, name });
        output.out(`Renamed role ${role} to ${renamed.name}.`);
      });
    });

  roles
    .command('delete')
    .argument('<ROLE>', 'role name or id')
    .option('--force', 'delete even if users hold it (it is removed from them)')
    .description('delete a role')
    .action(async (role: string, flags: { force?: boolean }) => {
      await withCli(global(), false, async (cli) => {
        const result = await cli.call('roles:delete', { id: cli.services.settings.resolveRole(role).id, force: Boolean(flags.force) });
        output.out(`Deleted role ${role}${result.removedFrom ? ` (removed from ${result.removedFrom} users)` : ''}.`);
      });
    });

  for (const [verb, channel] of [
    ['assign', 'users:assign-role'],
    ['remove', 'users:remove-role'],
  ] as const) {
    roles
      .command(verb)
      .argument('<ROLE>', 'role name or id')
      .argument('<USERNAME...>', 'usernames or ids')
      .description(verb === 'assign' ? 'give users a role' : 'take a role from users')
      .action(async (role: string, usernames: string[]) => {
        await withCli(global(), false, async (cli) => {
          const found = cli.services.settings.resolveRole(role);
          const ids = usernames.map((u) => cli.services.users.resolve(u).id);
          const result = await cli.call(channel, { target: { ids }, roleId: found.id });
          const done = verb === 'assign' ? 'Assigned' : 'Removed';
          output.out(
            `${done} ${found.name} ${verb === 'assign' ? 'to' : 'from'} ${result.changed} of ${result.matched} users (${result.matched - result.changed} unchanged).`,
          );
        });
      });
  }
  return roles;
}

/** `roster audit …`: list and export the journal. */
export function auditCommands(global: () => GlobalOptions, output: Output): Command {
  const audit = new Command('audit').summary('read and export the audit journal').description('read the audit journal: list entries or export them as CSV');
  const filterOptions = (command: Command) =>
    command
      .option('--user <USER>', 'only entries about this username or user id')
      .addOption(new Option('--action <ACTION>', 'only this action').choices([...AUDIT_ACTIONS]))
      .option('--from <DATE>', 'from this date (YYYY-MM-DD, inclusive)')
      .option('--to <DATE>', 'up to this date (YYYY-MM-DD, inclusive)');
  type Filter = { user?: string; action?: AuditAction; from?: string; to?: string };
  const filterOf = (f: Filter) => ({
    ...(f.user ? { user: f.user } : {}),
    ...(f.action ? { action: f.action } : {}),
    ...(f.from ? { from: f.from } : {}),
    ...(f.to ? { to: f.to } : {}),
  });

  filterOptions(audit.command('list').description('list entries, newest first'))
    .option('--limit <N>', 'at most N entries (default 100)', (v) => Number.parseInt(v, 10), 100)
    .option('--json', 'machine-readable output')
    .action(async (flags: Filter & { limit: number; json?: boolean }) => {
      await withCli(global(), true, async (cli) => {
        const page = await cli.call('audit:list', { filter: filterOf(flags), offset: 0, limit: Math.min(1000, Math.max(1, flags.limit)) });
        if (flags.json) return output.out(JSON.stringify(page, null, 2));
        if (page.total === 0) return output.out('No audit entries match.');
        const fields = cli.services.users.fields();
        output.out(
          table(
            ['WHEN', 'WHO', 'ACTION', 'USER', 'CHANGES'],
            page.entries.map((e) => [
              e.at,
              e.who,
              AUDIT_ACTION_LABELS[e.action] ?? e.action,
              e.username ?? '',
              e.changes.length ? e.changes.map((c) => `${changeLabelOf(fields, c.field)}: "${c.before}" → "${c.after}"`).join('; ') : (e.note ?? ''),
            ]),
          ),
        );
        if (page.entries.length < page.total) output.out(`${page.entries.length} of ${page.total} entries shown.`);
      });
    });

  filterOptions(
    audit
      .command('export')
      .summary('write matching entries as CSV')
      .description('write matching entries as CSV (UTF-8 with BOM, formula-looking cells neutralised)'),
  )
    .requiredOption('--out <FILE>', 'CSV file to write (refused if it exists)')
    .action(async (flags: Filter & { out: string }) => {
      await withCli(global(), false, async (cli) => {
        const { csv, count } = await cli.call('audit:csv', { filter: filterOf(flags) });
        try {
          await writeFile(flags.out, csv, { flag: 'wx' });
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          throw new RosterError(
            'invalid-input',
            code === 'EEXIST' ? `${flags.out} already exists; choose another file name.` : `Cannot write ${flags.out}: ${code ?? (error as Error).message}.`,
          );
        }
        output.out(`Wrote ${count} entries to ${flags.out}.`);
      });
    });
  return audit;
}

/** `roster fields …`: list the catalogue, set locks and required, add/remove custom fields. */
export function fieldCommands(global: () => GlobalOptions, output: Output): Command {
  const fields = new Command('fields')
    .summary('field policy: owners (locks), required and custom fields')
    .description('field policy: who owns each field (attribute locks), required fields, custom fields');

  fields
    .command('list')
    .description('list fields with owner and required')
    .option('--json', 'machine-readable output')
    .action(async (flags: { json?: boolean }) => {
      await withCli(global(), true, async (cli) => {
        const list = await cli.call('fields:list', {});
        if (flags.json) return output.out(JSON.stringify(list, null, 2));
        output.out(
          table(
            ['FIELD', 'LABEL', 'TYPE', 'OWNER', 'REQUIRED', 'LDAP ATTRIBUTE'],
            list.map((f) => [f.key, f.label, f.type, f.owner, f.required ? 'yes' : 'no', f.custom ? (f.ldapAttribute ?? '') : '(per realm mapping)']),
          ),
        );
      });
    });

  fields
    .command('set')
    .argument('<FIELD>', 'field key, e.g. department')
    .addOption(
      new Option('--owner <OWNER>', 'directory: read-only on external users, overwritten on resync; local: editable, kept on resync').choices([
        ...FIELD_OWNERS,
      ]),
    )
    .option('--required', 'users missing it are "incomplete"')
    .option('--optional', 'not required')
    .description("set a field's owner (lock) and whether it is required")
    .action(async (key: string, flags: { owner?: FieldOwner; required?: boolean; optional?: boolean }) => {
      if (flags.required && flags.optional) throw new RosterError('invalid-input', 'Give --required or --optional, not both.');
      if (!flags.owner && !flags.required && !flags.optional)
        throw new RosterError('invalid-input', 'Nothing to change: give --owner, --required or --optional.');
      await withCli(global(), false, async (cli) => {
        const list = await cli.call('fields:set-policy', {
          key,
          ...(flags.owner ? { owner: flags.owner } : {}),
          ...(flags.required ? { required: true } : flags.optional ? { required: false } : {}),
        });
        const field = list.find((f) => f.key === key)!;
        output.out(`${field.label} (${field.key}): owner ${field.owner}, ${field.required ? 'required' : 'optional'}.`);
      });
    });

  fields
    .command('add')
    .argument('<KEY>', 'field key (letters and digits, e.g. costCenter)')
    .requiredOption('--label <LABEL>', 'label shown in the app')
    .requiredOption('--attribute <ATTR>', 'the LDAP attribute it maps to')
    .addOption(new Option('--type <TYPE>', 'value type').choices([...FIELD_TYPES]).default('text'))
    .addOption(new Option('--owner <OWNER>', 'who owns it').choices([...FIELD_OWNERS]).default('local'))
    .option('--required', 'users missing it are "incomplete"')
    .description('add a custom field mapped to any LDAP attribute')
    .action(async (key: string, flags: { label: string; attribute: string; type: FieldType; owner: FieldOwner; required?: boolean }) => {
      await withCli(global(), false, async (cli) => {
        await cli.call('fields:add', {
          field: { key, label: flags.label, ldapAttribute: flags.attribute, type: flags.type, owner: flags.owner, required: Boolean(flags.required) },
        });
        output.out(`Added field ${flags.label} (${key}) mapped to ${flags.attribute}.`);
      });
    });

  fields
    .command('remove')
    .argument('<KEY>', 'custom field key')
    .description('remove a custom field (values users hold are kept)')
    .action(async (key: string) => {
      await withCli(global(), false, async (cli) => {
        await cli.call('fields:remove', { key });
        output.out(`Removed field ${key}.`);
      });
    });
  return fields;
}
