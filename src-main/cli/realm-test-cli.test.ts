import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSlapd, toLdif, type SlapdServer } from '../../e2e/fixtures/slapd';
import { runCli } from './run-cli';
import { cnOnlyPeople } from '../../e2e/fixtures/ldif';

// Plain inetOrgPerson entries as OpenLDAP directories hold them: cn, no displayName.
const cnOnly = (peopleDn: string, n: number) => cnOnlyPeople(peopleDn, n);

let server: SlapdServer;
let dataDir: string;
const roster = (...args: string[]) => runCli(dataDir, args);

beforeAll(async () => {
  server = await startSlapd({ flavor: 'openldap', users: 0, extraEntries: cnOnly('ou=people,dc=example,dc=org', 3) });
  process.env.ROSTER_COVERAGE_PW = server.readerPassword;
});
afterAll(async () => server?.stop());
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'roster-cli-coverage-'));
  return () => rm(dataDir, { recursive: true, force: true });
});

const addLab = (name: string, ...map: string[]) =>
  roster('realm', 'add', '--name', name, '--kind', 'openldap', '--tls', 'none', '--url', server.url, '--bind-dn', server.readerDn, '--base-dn', server.baseDn, ...map);

/** The per-field lines every test here prints after the mapping step, Full name aside. */
const otherFields = [
  '    First name: 3 of 3 have givenName',
  '    Last name: 3 of 3 have sn',
  '    Email: 3 of 3 have mail',
  '    Department: 3 of 3 have departmentNumber',
  '    Job title: 3 of 3 have title',
  '    Phone: 0 of 3 have telephoneNumber; 3 stay empty',
  '    Mobile: 0 of 3 have mobile; 3 stay empty',
  '    Office: 0 of 3 have roomNumber; 3 stay empty',
  '    Company: 0 of 3 have o; 3 stay empty',
  '    Manager (DN): 0 of 3 have manager; 3 stay empty',
  '    Employee ID: 0 of 3 have employeeNumber; 3 stay empty',
];

describe('roster realm test: mapping coverage', () => {
  it('prints a warning and the per-field lines when Full name reads displayName only; exits 0, the connection works', async () => {
    expect((await addLab('Lab', '--map', 'displayName=displayName')).code).toBe(0);
    const tested = await roster('realm', 'test', 'Lab', '--password-env', 'ROSTER_COVERAGE_PW');
    expect(tested).toMatchObject({ code: 0, err: '' });
    expect(tested.out.split('\n')).toEqual([
      `✓ Reach the host: 127.0.0.1:${server.port} accepts connections.`,
      `⚠ Secure the connection (TLS): No TLS: the bind password of ${server.readerDn} crosses the network unencrypted, readable by anyone on the way. Choose StartTLS or LDAPS unless this network is trusted.`,
      `✓ Bind (log in): Bound as ${server.readerDn}.`,
      `✓ Read the server description (RootDSE): OpenLDAP; naming contexts: ${server.baseDn}; paged results supported.`,
      `✓ Find the base DN: ${server.baseDn} exists.`,
      '✓ Count users matching the filter: 3 users match (objectClass=inetOrgPerson).',
      '⚠ Check the attribute mapping on a sample of users: Full name would be empty for 3 of 3 users: none has displayName; map another attribute under Attribute mapping.',
      '    Username: 3 of 3 have uid',
      '  ⚠ Full name: 0 of 3 have displayName; 3 stay empty',
      ...otherFields,
      `OK: OpenLDAP at ${server.url}, base DN found, 3 users; mapping: 1 warning.`,
    ]);
  });

  it('does not warn once cn follows displayName (the preset), and --json carries the counts per source', async () => {
    expect((await addLab('Preset')).code).toBe(0);
    const tested = await roster('realm', 'test', 'Preset', '--password-env', 'ROSTER_COVERAGE_PW');
    expect(tested.code).toBe(0);
    expect(tested.out.split('\n').slice(6)).toEqual([
      '✓ Check the attribute mapping on a sample of users: Sampled 3 users: every one has a username, and each required field has a value for most of them.',
      '    Username: 3 of 3 have uid',
      '    Full name: 0 of 3 have displayName; cn gives 3',
      ...otherFields,
      `OK: OpenLDAP at ${server.url}, base DN found, 3 users.`,
    ]);

    const json = await roster('realm', 'test', 'Preset', '--password-env', 'ROSTER_COVERAGE_PW', '--json');
    expect(json.code).toBe(0);
    const report = JSON.parse(json.out);
    expect(report.steps.at(-1)).toMatchObject({ step: 'coverage', status: 'ok' });
    expect(report.coverage).toMatchObject({ sampled: 3, cap: 200, more: false });
    expect(report.coverage.fields[1]).toEqual({
      field: 'displayName',
      label: 'Full name',
      required: true,
      sources: ['displayName', 'cn', 'givenName+sn'],
      counts: [
        { source: 'displayName', count: 0 },
        { source: 'cn', count: 3 },
      ],
      empty: 0,
    });
  });

  it('tests an offline realm from its LDIF file', async () => {
    const file = join(dataDir, 'export.ldif');
    const base = 'dc=offline,dc=example';
    await writeFile(
      file,
      toLdif([{ dn: base, attributes: { objectClass: ['top', 'dcObject', 'organization'], dc: 'offline', o: 'Offline' } }, ...cnOnly(`ou=people,${base}`, 3)]),
    );
    expect((await roster('realm', 'add', '--name', 'Offline', '--kind', 'ldif-file', '--ldif', file, '--map', 'displayName=displayName')).code).toBe(0);
    const tested = await roster('realm', 'test', 'Offline');
    expect(tested).toMatchObject({ code: 0, err: '' });
    expect(tested.out.split('\n')).toEqual([
      `✓ Read the LDIF file: ${file}: 4 entries.`,
      '✓ Count users matching the filter: 3 users match (objectClass=inetOrgPerson).',
      '⚠ Check the attribute mapping on a sample of users: Full name would be empty for 3 of 3 users: none has displayName; map another attribute under Attribute mapping.',
      '    Username: 3 of 3 have uid',
      '  ⚠ Full name: 0 of 3 have displayName; 3 stay empty',
      ...otherFields,
      `OK: LDIF file ${file}, 3 users; mapping: 1 warning.`,
    ]);
  });
});
