import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSlapd, type SlapdServer } from '../../e2e/fixtures/slapd';
import { runCli } from './run-cli';

let server: SlapdServer;
let dataDir: string;

/** Runs the CLI in-process on this test's data folder. */
const roster = (...args: string[]) => runCli(dataDir, args);

beforeAll(async () => {
  server = await startSlapd({ flavor: 'openldap', users: 12, tls: true });
  process.env.ROSTER_TEST_BIND_PW = server.readerPassword;
  process.env.ROSTER_TEST_WRONG_PW = 'wrong';
});
afterAll(async () => server?.stop());
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'roster-cli-'));
  return () => rm(dataDir, { recursive: true, force: true });
});

const addLab = () =>
  roster('realm', 'add', '--name', 'Lab', '--kind', 'openldap', '--tls', 'none', '--url', server.url, '--bind-dn', server.readerDn, '--base-dn', server.baseDn);

describe('roster realm', () => {
  it('adds, lists (text and JSON) and removes a realm', async () => {
    const added = await addLab();
    expect(added.code).toBe(0);
    expect(added.out).toMatch(/^Added realm "Lab" \(openldap, id [0-9a-f-]{36}\)\.$/);

    const listed = await roster('realm', 'list');
    expect(listed.out.split('\n')[0]).toMatch(/^NAME\s+KIND\s+ENABLED\s+URL\s+BASE DN\s+LAST TEST$/);
    expect(listed.out.split('\n')[2]).toMatch(new RegExp(`^Lab\\s+openldap\\s+yes\\s+${server.url}\\s+${server.baseDn}\\s+never$`));

    const json = JSON.parse((await roster('realm', 'list', '--json')).out);
    expect(json).toHaveLength(1);
    expect(json[0]).toMatchObject({
      name: 'Lab',
      kind: 'openldap',
      idAttribute: 'entryUUID',
      password: 'missing',
      search: { userFilter: '(objectClass=inetOrgPerson)', baseDn: server.baseDn },
    });

    expect(await roster('realm', 'remove', 'lab')).toMatchObject({ code: 0, out: 'Removed realm "Lab".' });
    expect((await roster('realm', 'list')).out).toMatch(/^No realms yet\./);
  });

  it('refuses a duplicate name and a page size over 1000 with clear messages', async () => {
    await addLab();
    expect(await addLab()).toMatchObject({ code: 1, err: 'roster: A realm called "Lab" already exists; choose another name.' });
    const big = await roster(
      'realm',
      'add',
      '--name',
      'Big',
      '--kind',
      'openldap',
      '--url',
      server.url,
      '--bind-dn',
      'cn=x',
      '--base-dn',
      'dc=x',
      '--page-size',
      '5000',
    );
    expect(big).toMatchObject({ code: 1, err: "roster: realm.search.pageSize: Page size is at most 1000 (Active Directory's MaxPageSize)" });
  });

  it('tests a realm: success prints the summary, a wrong password exits 1 with the reason', async () => {
    await addLab();
    const good = await roster('realm', 'test', 'Lab', '--password-env', 'ROSTER_TEST_BIND_PW');
    expect(good.code).toBe(0);
    expect(good.out.split('\n').at(-1)).toBe(`OK: OpenLDAP at ${server.url}, base DN found, 12 users.`);
    expect(good.out).toContain(`✓ Bind (log in): Bound as ${server.readerDn}.`);

    const bad = await roster('realm', 'test', 'Lab', '--password-env', 'ROSTER_TEST_WRONG_PW');
    expect(bad.code).toBe(1);
    expect(bad.err).toBe(`roster: Invalid credentials for ${server.readerDn}: the bind DN or password is wrong. Check both in the realm settings.`);
    expect(bad.out).toContain('✗ Bind (log in)');

    const json = JSON.parse((await roster('realm', 'list', '--json')).out);
    expect(json[0].lastTest).toMatchObject({
      ok: false,
      message: `Invalid credentials for ${server.readerDn}: the bind DN or password is wrong. Check both in the realm settings.`,
    });
  });

  it('realm add: an ldap:// URL gets StartTLS unless --tls none is spelled out, which warns; a TLS mode the URL contradicts is refused', async () => {
    const caFile = join(dataDir, 'ca.pem');
    await writeFile(caFile, server.caPem!);
    const common = ['--kind', 'openldap', '--bind-dn', server.readerDn, '--base-dn', server.baseDn];
    expect(await roster('realm', 'add', '--name', 'Default', '--url', server.url, ...common, '--ca-file', caFile)).toMatchObject({ code: 0, err: '' });
    expect(await roster('realm', 'add', '--name', 'Secure', '--url', server.ldapsUrl!, ...common, '--ca-file', caFile)).toMatchObject({ code: 0, err: '' });
    const clearText = `No TLS: the bind password of ${server.readerDn} crosses the network unencrypted, readable by anyone on the way. Choose StartTLS or LDAPS unless this network is trusted.`;
    expect(await roster('realm', 'add', '--name', 'Clear', '--url', server.url, ...common, '--tls', 'none')).toMatchObject({ code: 0, err: `Warning: ${clearText}` });
    expect(await roster('realm', 'add', '--name', 'Mixed', '--url', server.url, ...common, '--tls', 'ldaps')).toMatchObject({
      code: 1,
      err: `roster: realm.connection.tls: TLS mode LDAPS needs ldaps:// URLs, but ${server.url} is ldap://, which would connect in clear text: change the URL to ldaps:// (port 636), or choose StartTLS.`,
    });
    const listed = JSON.parse((await roster('realm', 'list', '--json')).out) as Array<{ name: string; connection: { tls: string } }>;
    expect(listed.map((r) => [r.name, r.connection.tls])).toEqual([
      ['Default', 'starttls'],
      ['Secure', 'ldaps'],
      ['Clear', 'none'],
    ]);
    const secured = await roster('realm', 'test', 'Default', '--password-env', 'ROSTER_TEST_BIND_PW');
    expect(secured.code).toBe(0);
    expect(secured.out).toContain('✓ Secure the connection (TLS): StartTLS upgrade succeeded; certificate verified.');
    const warned = await roster('realm', 'test', 'Clear', '--password-env', 'ROSTER_TEST_BIND_PW');
    expect(warned.code).toBe(0);
    expect(warned.out).toContain(`⚠ Secure the connection (TLS): ${clearText}`);
  });

  it('reads the password from a file and tests StartTLS with a CA file', async () => {
    const caFile = join(dataDir, 'ca.pem');
    const pwFile = join(dataDir, 'pw');
    await writeFile(caFile, server.caPem!);
    await writeFile(pwFile, `${server.readerPassword}\n`);
    const added = await roster(
      'realm',
      'add',
      '--name',
      'Secure',
      '--kind',
      'openldap',
      '--url',
      server.url,
      '--tls',
      'starttls',
      '--ca-file',
      caFile,
      '--bind-dn',
      server.readerDn,
      '--base-dn',
      server.baseDn,
    );
    expect(added.code).toBe(0);
    const tested = await roster('realm', 'test', 'Secure', '--password-file', pwFile, '--json');
    expect(tested.code).toBe(0);
    const report = JSON.parse(tested.out);
    expect(report.steps.map((s: { step: string; status: string }) => `${s.step}:${s.status}`)).toEqual([
      'reach:ok',
      'tls:ok',
      'bind:ok',
      'rootdse:ok',
      'base:ok',
      'users:ok',
      'coverage:ok',
    ]);
  });

  it('explains a missing password and an unknown realm', async () => {
    await addLab();
    expect(await roster('realm', 'test', 'Lab')).toMatchObject({
      code: 1,
      err: `roster: No bind password is known for ${server.readerDn}. Enter it in the realm settings (CLI: --password-env VAR or --password-file FILE).`,
    });
    expect(await roster('realm', 'test', 'Nope')).toMatchObject({ code: 1, err: 'roster: No realm is called "Nope". Known realms: Lab.' });
  });

  it('refuses to write while another writer holds the data folder', async () => {
    const { Store } = await import('../core/store/store');
    const app = await Store.open({ dataDir, owner: 'the Roster app' });
    try {
      const refused = await addLab();
      expect(refused.code).toBe(1);
      expect(refused.err).toMatch(
        /^roster: The Roster app \(pid \d+, since .+\) has the data folder .+ open\. Close it and try again, or use another --data-dir\.$/,
      );
      expect((await roster('realm', 'list')).code).toBe(0);
    } finally {
      await app.close();
    }
  });

  it('exits 2 on a usage error', async () => {
    const result = await roster('realm', 'add', '--name', 'X');
    expect(result.code).toBe(2);
    expect(result.err).toContain("error: required option '--kind <KIND>' not specified");
  });
});
