import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { coverageLine, type ConnectionTestReport } from '#shared/model/connection-test';
import {
  LDIF_FLAVOURS,
  MAPPABLE_FIELDS,
  REALM_KINDS,
  TLS_MODES,
  type LdifFlavour,
  type MappableField,
  type RealmInput,
  type RealmKind,
  type TlsMode,
} from '#shared/model/realm';
import { flavourName, realmNotes } from '#shared/model/realm-status';
import { realmFromPreset } from '#shared/model/realm-presets';
import { clearTextBindWarning } from '#shared/model/realm-tls';
import { parseSources, sourcesProblem } from '#shared/model/realm-mapping';
import { RosterError } from '#shared/result';
import { summarise } from '../core/realms/realm-service';
import { readPassword } from '../core/secrets/password-source';
import { collect, giveSessionPassword, passwordOptions, type PasswordFlags } from './options';
import { withCli, type GlobalOptions } from './context';
import { table, type Output } from './output';

/** `--map displayName=displayName,cn,givenName+sn` (repeatable): each field's ordered list of attributes. */
export const parseMapping = (pairs: string[]): Partial<Record<MappableField, string[]>> => {
  const mapping: Partial<Record<MappableField, string[]>> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const field = eq < 0 ? pair : pair.slice(0, eq).trim();
    const sources = eq < 0 ? [] : parseSources(pair.slice(eq + 1));
    if (!(MAPPABLE_FIELDS as readonly string[]).includes(field) || sources.length === 0) {
      throw new RosterError(
        'invalid-input',
        `--map takes FIELD=ATTR[,ATTR…] (the first attribute with a value wins, e.g. displayName=displayName,cn,givenName+sn) with FIELD one of ${MAPPABLE_FIELDS.join(', ')}; got "${pair}".`,
      );
    }
    const problem = sourcesProblem(sources);
    if (problem) throw new RosterError('invalid-input', `--map ${field}: ${problem}`);
    mapping[field as MappableField] = sources;
  }
  return mapping;
};

const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/**
 * Prints each test step as a check list, the way the realm settings screen shows it; under the mapping step,
 * one line per field (those that need attention marked ⚠).
 */
export function formatReport(report: ConnectionTestReport): string {
  const mark = { ok: '✓', warning: '⚠', failed: '✗', skipped: '-' } as const;
  const coverage = report.coverage;
  return report.steps
    .flatMap((s) => [
      `${mark[s.status]} ${s.label}: ${s.detail}`,
      ...(s.step === 'coverage' && coverage ? coverage.fields.map((f) => `  ${f.warning ? '⚠' : ' '} ${coverageLine(f, coverage.sampled)}`) : []),
    ])
    .join('\n');
}

/** `roster realm …`: add, list, remove, enable, disable, test. */
export function realmCommands(global: () => GlobalOptions, output: Output): Command {
  const realm = new Command('realm')
    .summary('manage LDAP realms (the directories Roster reads)')
    .description('manage LDAP realms (directories Roster reads from)');

  passwordOptions(
    realm
      .command('add')
      .description('add a realm')
      .requiredOption('--name <NAME>', 'a name for the realm')
      .addOption(new Option('--kind <KIND>', 'directory kind').choices([...REALM_KINDS]).makeOptionMandatory())
      .option('--url <URL>', 'server URL, e.g. ldap://dc1.corp.example:389 (repeat for failover)', collect)
      .option('--bind-dn <DN>', 'DN to bind as (read-only service account)')
      .option('--base-dn <DN>', 'where users are searched (for an LDIF file: default the whole file)')
      .option('--ldif <FILE>', 'for --kind ldif-file: the LDIF export to read (ldifde, slapcat, ldapsearch)')
      .addOption(
        new Option('--flavour <FLAVOUR>', 'for --kind ldif-file: the directory the export came from (default: detected from the file)').choices([
          ...LDIF_FLAVOURS,
        ]),
      )
      .option('--filter <FILTER>', "user filter (default: the kind's preset)")
      .addOption(
        new Option('--tls <MODE>', 'transport security (default: ldaps for ldaps:// URLs, else starttls; none only when given)').choices([...TLS_MODES]),
      )
      .option('--ca-file <FILE>', 'PEM file of the CA that issued the server certificate')
      .option('--page-size <N>', 'entries per page (at most 1000)', (v) => Number.parseInt(v, 10))
      .option('--id-attribute <ATTR>', "immutable id attribute (default: the kind's preset)")
      .option('--map <FIELD=ATTR>', 'map a Roster field to an LDAP attribute (repeatable)', collect),
  ).action(
    async (
      flags: PasswordFlags & {
        name: string;
        kind: RealmKind;
        url?: string[];
        bindDn?: string;
        baseDn?: string;
        ldif?: string;
        flavour?: LdifFlavour;
        filter?: string;
        tls?: TlsMode;
        caFile?: string;
        pageSize?: number;
        idAttribute?: string;
        map?: string[];
      },
    ) => {
      if (flags.kind === 'ldif-file') return addLdifRealm(flags);
      const missing = [
        ['--url', flags.url],
        ['--bind-dn', flags.bindDn],
        ['--base-dn', flags.baseDn],
      ].flatMap(([name, value]) => (value === undefined ? [name] : []));
      if (missing.length)
        throw new RosterError('invalid-input', `A ${flags.kind} realm needs ${missing.join(', ')} (an offline realm: --kind ldif-file --ldif FILE).`);
      if (flags.ldif || flags.flavour) throw new RosterError('invalid-input', '--ldif and --flavour are for --kind ldif-file only.');
      const urls = flags.url ?? [];
      const password = await readPassword(flags);
      // No TLS only when --tls none says so: realmFromPreset picks StartTLS or LDAPS otherwise.
      const input: RealmInput = realmFromPreset(flags.kind, {
        name: flags.name,
        urls,
        bindDn: flags.bindDn ?? '',
        baseDn: flags.baseDn ?? '',
        ...(flags.tls ? { tls: flags.tls } : {}),
      });
      if (flags.filter) input.search.userFilter = flags.filter;
      if (flags.pageSize !== undefined) input.search.pageSize = flags.pageSize;
      if (flags.idAttribute) input.idAttribute = flags.idAttribute;
      if (flags.map) input.mapping = { ...input.mapping, ...parseMapping(flags.map) };
      if (flags.caFile) {
        try {
          input.connection.caCertPem = await readFile(flags.caFile, 'utf8');
        } catch (error) {
          throw new RosterError(
            'invalid-input',
            `Cannot read the CA file ${flags.caFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
          );
        }
        if (!input.connection.caCertPem.includes('-----BEGIN CERTIFICATE-----'))
          throw new RosterError('invalid-input', `${flags.caFile} is not a PEM certificate (no BEGIN CERTIFICATE line).`);
      }
      await withCli(global(), false, async (cli) => {
        const created = await cli.call('realms:create', { realm: input });
        await giveSessionPassword(cli, created.id, password, true);
        output.out(`Added realm "${created.name}" (${created.kind}, id ${created.id}).`);
        const clear = clearTextBindWarning(created.connection);
        if (clear) output.err(`Warning: ${clear}`);
        if (password)
          output.err('Note: the command line does not store passwords; pass --password-env or --password-file again to commands that contact the server.');
      });
    },
  );

  /** An offline realm: the file says which directory it came from (unless --flavour does) and which id its users carry. */
  async function addLdifRealm(flags: {
    name: string;
    ldif?: string;
    flavour?: LdifFlavour;
    baseDn?: string;
    filter?: string;
    idAttribute?: string;
    map?: string[];
    url?: string[];
    bindDn?: string;
    tls?: TlsMode;
    caFile?: string;
    pageSize?: number;
  }): Promise<void> {
    if (!flags.ldif) throw new RosterError('invalid-input', 'An ldif-file realm needs --ldif FILE: the LDIF export (ldifde, slapcat, ldapsearch) to read.');
    const serverOnly = [
      ['--url', flags.url],
      ['--bind-dn', flags.bindDn],
      ['--tls', flags.tls],
      ['--ca-file', flags.caFile],
    ].flatMap(([name, value]) => (value === undefined ? [] : [name]));
    if (serverOnly.length) throw new RosterError('invalid-input', `An ldif-file realm reads a file, not a server: leave out ${serverOnly.join(', ')}.`);
    const path = resolve(flags.ldif);
    await withCli(global(), false, async (cli) => {
      const seen = await cli.call('realms:inspect-ldif', { path, ...(flags.flavour ? { flavour: flags.flavour } : {}), ...(flags.filter ? { userFilter: flags.filter } : {}) });
      const input = realmFromPreset('ldif-file', { name: flags.name, urls: [], bindDn: '', baseDn: flags.baseDn ?? '', ldifPath: path, flavour: seen.flavour });
      input.idAttribute = flags.idAttribute ?? seen.idAttribute;
      if (flags.pageSize !== undefined) input.search.pageSize = flags.pageSize;
      if (flags.filter) input.search.userFilter = flags.filter;
      if (flags.map) input.mapping = { ...input.mapping, ...parseMapping(flags.map) };
      const created = await cli.call('realms:create', { realm: input });
      const how = flags.flavour ? `read as ${flavourName(seen.flavour)} (--flavour)` : `${flavourName(seen.flavour)} export detected: ${seen.reason}`;
      output.out(
        `Added realm "${created.name}" (ldif-file, id ${created.id}): ${path}, ${how}; ${plural(seen.users, 'user')} of ${plural(seen.entries, 'entry', 'entries')}.`,
      );
      if (seen.users === 0)
        output.out(`Note: the user filter ${created.search.userFilter} selects none of the file's entries; give the one that selects its people with --filter.`);
      for (const note of realmNotes(created).slice(1)) output.out(`Note: ${note}`);
    });
  }

  realm
    .command('list')
    .description('list realms')
    .option('--json', 'machine-readable output')
    .action(async (flags: { json?: boolean }) => {
      await withCli(global(), true, async (cli) => {
        const realms = await cli.call('realms:list', {});
        if (flags.json) return output.out(JSON.stringify(realms, null, 2));
        if (realms.length === 0)
          return output.out('No realms yet. Add one with: roster realm add --name … --kind openldap --url ldap://host --bind-dn … --base-dn …');
        output.out(
          table(
            ['NAME', 'KIND', 'ENABLED', 'URL', 'BASE DN', 'LAST TEST'],
            realms.map((r) => [
              r.name,
              r.kind,
              r.enabled ? 'yes' : 'no',
              r.connection.urls.join(' '),
              r.search.baseDn,
              r.lastTest ? `${r.lastTest.ok ? 'ok' : 'failed'} ${r.lastTest.at}` : 'never',
            ]),
          ),
        );
      });
    });

  realm
    .command('remove')
    .argument('<NAME>', 'realm name or id')
    .description('delete a realm (its imported users stay in the store)')
    .action(async (name: string) => {
      await withCli(global(), false, async (cli) => {
        const target = cli.services.realms.resolve(name);
        await cli.call('realms:delete', { id: target.id });
        output.out(`Removed realm "${target.name}".`);
      });
    });

  for (const [verb, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    realm
      .command(verb)
      .argument('<NAME>', 'realm name or id')
      .description(`${verb} a realm`)
      .action(async (name: string) => {
        await withCli(global(), false, async (cli) => {
          const target = cli.services.realms.resolve(name);
          await cli.call('realms:set-enabled', { id: target.id, enabled });
          output.out(`Realm "${target.name}" ${enabled ? 'enabled' : 'disabled'}.`);
        });
      });
  }

  passwordOptions(
    realm
      .command('test')
      .argument('<NAME>', 'realm name or id')
      .summary('test the connection and the mapping of a realm')
      .description('test the connection (reach, TLS, bind, RootDSE, base DN, users) and the mapping on a sample of users; for an LDIF realm, the file')
      .option('--json', 'machine-readable report'),
  ).action(async (name: string, flags: PasswordFlags & { json?: boolean }) => {
    const password = await readPassword(flags);
    await withCli(global(), false, async (cli) => {
      const target = cli.services.realms.resolve(name);
      await giveSessionPassword(cli, target.id, password);
      const report = await cli.call('realms:test', { id: target.id });
      if (flags.json) output.out(JSON.stringify(report, null, 2));
      else output.out(formatReport(report));
      if (!report.ok) throw new RosterError(report.error?.code ?? 'ldap-error', report.error?.message ?? 'The connection test failed.');
      if (!flags.json) output.out(`OK: ${summarise(report)}.`);
    });
  });

  return realm;
}
