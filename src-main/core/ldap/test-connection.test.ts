import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlapd, type SlapdServer } from '../../../e2e/fixtures/slapd';
import { coverageLine } from '#shared/model/connection-test';
import { effectiveFields } from '#shared/model/fields';
import { realmFromPreset } from '#shared/model/realm-presets';
import { coverageProbe } from '../realms/mapping-coverage';
import type { LdapTarget } from './session';
import { testConnection } from './test-connection';

let server: SlapdServer;

beforeAll(async () => {
  server = await startSlapd({ flavor: 'openldap', users: 30, tls: true });
});
afterAll(async () => {
  await server?.stop();
});

const target = (overrides: Partial<LdapTarget> = {}): LdapTarget => ({
  urls: [server.url],
  tls: 'none',
  verifyCertificate: true,
  bindDn: server.readerDn,
  connectTimeoutMs: 3_000,
  operationTimeoutMs: 10_000,
  ...overrides,
});

const run = (t: LdapTarget, options: { password?: string; baseDn?: string } = {}) =>
  testConnection({
    target: t,
    password: options.password ?? server.readerPassword,
    baseDn: options.baseDn ?? server.baseDn,
    userFilter: '(objectClass=inetOrgPerson)',
    coverage: coverageProbe(realmFromPreset('openldap', { name: 'Lab', urls: [server.url], bindDn: '', baseDn: '' }), effectiveFields({}, [])),
  });

const closedPort = async (): Promise<number> => {
  const probe = createServer();
  await new Promise<void>((ready) => probe.listen(0, '127.0.0.1', ready));
  const { port } = probe.address() as { port: number };
  await new Promise((done) => probe.close(done));
  return port;
};

const statuses = (report: Awaited<ReturnType<typeof run>>) => report.steps.map((s) => `${s.step}:${s.status}`);

describe('testConnection against a real slapd', () => {
  it('succeeds and reports vendor, naming context, paged results and the user count', async () => {
    const report = await run(target());
    expect(report.error).toBeUndefined();
    expect(report.ok).toBe(true);
    expect(statuses(report)).toEqual(['reach:ok', 'tls:warning', 'bind:ok', 'rootdse:ok', 'base:ok', 'users:ok', 'coverage:ok']);
    expect(report.server).toMatchObject({ vendor: 'OpenLDAP', namingContexts: [server.baseDn], pagedResults: true });
    expect(report.baseDnFound).toBe(true);
    expect(report.userCount).toBe(30);
    expect(report.userCountCapped).toBe(false);
    expect(report.steps.find((s) => s.step === 'users')?.detail).toBe('30 users match (objectClass=inetOrgPerson).');
    expect(report.steps.find((s) => s.step === 'coverage')).toMatchObject({
      label: 'Check the attribute mapping on a sample of users',
      detail: 'Sampled 30 users: every one has a username, and each required field has a value for most of them.',
    });
    expect(report.coverage).toMatchObject({ sampled: 30, cap: 200, more: false });
  });

  it('says the credentials are wrong', async () => {
    const report = await run(target(), { password: 'not-the-password' });
    expect(report.ok).toBe(false);
    expect(report.error).toEqual({
      code: 'invalid-credentials',
      message: `Invalid credentials for ${server.readerDn}: the bind DN or password is wrong. Check both in the realm settings.`,
    });
    expect(statuses(report)).toEqual(['reach:ok', 'tls:warning', 'bind:failed', 'rootdse:skipped', 'base:skipped', 'users:skipped', 'coverage:skipped']);
    expect(report.coverage).toBeUndefined();
  });

  it('says nothing listens on a wrong port', async () => {
    const port = await closedPort();
    const report = await run(target({ urls: [`ldap://127.0.0.1:${port}`] }));
    expect(report.error).toEqual({
      code: 'connection-refused',
      message: `Connection refused by 127.0.0.1:${port}: nothing listens on that port. Check the port (389 for ldap://, 636 for ldaps://) and that the directory service runs.`,
    });
    expect(statuses(report)[0]).toBe('reach:failed');
  });

  it('says an unknown host name does not resolve', async () => {
    const report = await run(target({ urls: ['ldap://roster-no-such-host.invalid:389'] }));
    expect(report.error).toEqual({
      code: 'host-unreachable',
      message: "The host name in ldap://roster-no-such-host.invalid:389 could not be resolved. Check its spelling, or use the server's IP address.",
    });
  });

  it('says an ldaps certificate is not trusted without the CA', async () => {
    const report = await run(target({ urls: [server.ldapsUrl!], tls: 'ldaps' }));
    expect(report.error).toEqual({
      code: 'tls-untrusted',
      message: `The certificate of ${server.ldapsUrl!.replace('ldaps://', '')} is not trusted (SELF_SIGNED_CERT_IN_CHAIN). Add the issuing CA certificate (PEM) to the realm.`,
      details: { tlsCode: 'SELF_SIGNED_CERT_IN_CHAIN' },
    });
    expect(statuses(report).slice(0, 2)).toEqual(['reach:ok', 'tls:failed']);
  });

  it('works over ldaps with the CA', async () => {
    const report = await run(target({ urls: [server.ldapsUrl!], tls: 'ldaps', caCertPem: server.caPem }));
    expect(report.ok).toBe(true);
    expect(report.steps.find((s) => s.step === 'tls')?.detail).toMatch(/^ldaps: certificate for localhost issued by .+, valid until .+, verified\.$/);
  });

  it('upgrades with StartTLS when given the CA, and refuses without it', async () => {
    const good = await run(target({ tls: 'starttls', caCertPem: server.caPem }));
    expect(good.ok).toBe(true);
    expect(good.steps.find((s) => s.step === 'tls')).toMatchObject({ status: 'ok', detail: 'StartTLS upgrade succeeded; certificate verified.' });
    const bad = await run(target({ tls: 'starttls' }));
    expect(bad.error?.code).toBe('tls-untrusted');
  });

  it('says the base DN does not exist and lists what the server holds', async () => {
    const missing = `ou=nowhere,${server.baseDn}`;
    const report = await run(target(), { baseDn: missing });
    expect(report.error).toEqual({
      code: 'no-such-base',
      message: `The base DN ${missing} does not exist on 127.0.0.1:${server.port}. Check its spelling. This server holds: ${server.baseDn}.`,
    });
    expect(report.baseDnFound).toBe(false);
    expect(statuses(report)).toEqual(['reach:ok', 'tls:warning', 'bind:ok', 'rootdse:ok', 'base:failed', 'users:skipped', 'coverage:skipped']);
  });
});

describe('testConnection against a server that accepts but never answers', () => {
  it('says the server did not answer in time', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((ready) => silent.listen(0, '127.0.0.1', ready));
    const { port } = silent.address() as { port: number };
    try {
      const report = await testConnection({
        target: {
          urls: [`ldap://127.0.0.1:${port}`],
          tls: 'none',
          verifyCertificate: true,
          bindDn: 'cn=x',
          connectTimeoutMs: 1_000,
          operationTimeoutMs: 1_000,
        },
        password: 'x',
        baseDn: 'dc=x',
        userFilter: '(objectClass=*)',
      });
      expect(report.error).toEqual({
        code: 'timeout',
        message: `127.0.0.1:${port} did not answer in time. Check that the host and port are right and that a firewall does not drop the connection, or raise the timeout.`,
      });
      expect(report.steps.map((s) => `${s.step}:${s.status}`).slice(0, 3)).toEqual(['reach:ok', 'tls:warning', 'bind:failed']);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((done) => silent.close(done));
    }
  });
});

describe('mapping coverage on a sample of users (real slapd)', () => {
  // Real OpenLDAP directories are full of inetOrgPerson entries with cn and no displayName: `plain` holds
  // 250 of them (more than the sample), `mixed` 20 whose attributes vary so that every count is distinct.
  const base = 'dc=coverage,dc=example';
  const person = ['top', 'person', 'organizationalPerson', 'inetOrgPerson'];
  const plain = Array.from({ length: 250 }, (_, k) => ({
    dn: `uid=plain${k + 1},ou=plain,${base}`,
    attributes: {
      objectClass: person,
      uid: `plain${k + 1}`,
      cn: `Plain Person ${k + 1}`,
      sn: `Person ${k + 1}`,
      givenName: 'Plain',
      mail: `plain${k + 1}@coverage.example`,
      departmentNumber: 'Sales',
      title: 'Clerk',
    },
  }));
  const mixed = Array.from({ length: 20 }, (_, k) => {
    const i = k + 1;
    return {
      // Two entries are named by cn and carry no uid: they have no username under the preset.
      dn: i <= 18 ? `uid=mixed${i},ou=mixed,${base}` : `cn=Mixed Person ${i},ou=mixed,${base}`,
      attributes: {
        objectClass: person,
        ...(i <= 18 ? { uid: `mixed${i}` } : {}),
        cn: `Mixed Person ${i}`,
        sn: `Person ${i}`,
        ...(i <= 4 ? { displayName: `Mixed Display ${i}` } : {}),
        ...(i <= 10 ? { givenName: 'Mixed' } : {}),
        ...(i <= 9 ? { mail: `mixed${i}@coverage.example` } : {}),
        ...(i <= 2 ? { telephoneNumber: '+1 555 0100' } : {}),
        departmentNumber: 'Sales',
        title: 'Engineer',
      },
    };
  });
  const ou = (name: string) => ({ dn: `ou=${name},${base}`, attributes: { objectClass: ['top', 'organizationalUnit'], ou: name } });
  let directory: SlapdServer;

  beforeAll(async () => {
    directory = await startSlapd({ flavor: 'openldap', users: 0, baseDn: base, extraEntries: [ou('plain'), ou('mixed'), ...plain, ...mixed] });
  });
  afterAll(async () => {
    await directory?.stop();
  });

  const catalogue = effectiveFields({}, []);
  const sample = (ouName: string, mapping: Record<string, string[] | undefined> = {}) => {
    const realm = realmFromPreset('openldap', { name: 'Coverage', urls: [directory.url], bindDn: directory.readerDn, baseDn: `ou=${ouName},${base}` });
    for (const [field, sources] of Object.entries(mapping)) {
      if (sources) realm.mapping[field as keyof typeof realm.mapping] = sources;
      else delete realm.mapping[field as keyof typeof realm.mapping];
    }
    return testConnection({
      target: { urls: [directory.url], tls: 'none', verifyCertificate: true, bindDn: directory.readerDn, connectTimeoutMs: 3_000, operationTimeoutMs: 10_000 },
      password: directory.readerPassword,
      baseDn: realm.search.baseDn,
      userFilter: realm.search.userFilter,
      scope: realm.search.scope,
      coverage: coverageProbe(realm, catalogue),
    });
  };
  const coverageStep = (report: Awaited<ReturnType<typeof sample>>) => report.steps.find((s) => s.step === 'coverage');
  const lines = (report: Awaited<ReturnType<typeof sample>>) => report.coverage?.fields.map((f) => coverageLine(f, report.coverage?.sampled ?? 0));

  it('counts per field which attribute gave the value and how many stay empty, and warns about usernames and a mostly empty required field', async () => {
    const report = await sample('mixed');
    expect(report.ok).toBe(true);
    expect(report.error).toBeUndefined();
    expect(report.userCount).toBe(20);
    expect(report.coverage).toMatchObject({ sampled: 20, cap: 200, more: false });
    expect(lines(report)).toEqual([
      'Username: 18 of 20 have uid; 2 stay empty',
      // cn fills every entry displayName leaves empty, so givenName+sn is never reached and not listed.
      'Full name: 4 of 20 have displayName; cn gives 16',
      // Exactly half is not "most": no warning.
      'First name: 10 of 20 have givenName; 10 stay empty',
      'Last name: 20 of 20 have sn',
      'Email: 9 of 20 have mail; 11 stay empty',
      'Department: 20 of 20 have departmentNumber',
      'Job title: 20 of 20 have title',
      // Not required: empty for most is no warning.
      'Phone: 2 of 20 have telephoneNumber; 18 stay empty',
      'Mobile: 0 of 20 have mobile; 20 stay empty',
      'Office: 0 of 20 have roomNumber; 20 stay empty',
      'Company: 0 of 20 have o; 20 stay empty',
      'Manager (DN): 0 of 20 have manager; 20 stay empty',
      'Employee ID: 0 of 20 have employeeNumber; 20 stay empty',
    ]);
    expect(report.coverage?.fields.slice(0, 2)).toEqual([
      {
        field: 'username',
        label: 'Username',
        required: true,
        sources: ['uid'],
        counts: [{ source: 'uid', count: 18 }],
        empty: 2,
        warning: 'Username would be empty for 2 of 20 users: none has uid; they cannot be imported; map another attribute under Attribute mapping.',
      },
      {
        field: 'displayName',
        label: 'Full name',
        required: true,
        sources: ['displayName', 'cn', 'givenName+sn'],
        counts: [
          { source: 'displayName', count: 4 },
          { source: 'cn', count: 16 },
        ],
        empty: 0,
      },
    ]);
    expect(report.coverage?.fields.filter((f) => f.warning).map((f) => f.field)).toEqual(['username', 'email']);
    expect(coverageStep(report)).toMatchObject({
      status: 'warning',
      detail:
        'Username would be empty for 2 of 20 users: none has uid; they cannot be imported; map another attribute under Attribute mapping. ' +
        'Email would be empty for 11 of 20 users: none has mail; map another attribute under Attribute mapping.',
    });
  });

  it('samples 200 users when the directory holds more: cn gives the Full name displayName lacks', async () => {
    const report = await sample('plain');
    expect(report.ok).toBe(true);
    expect(report.userCount).toBe(250);
    expect(report.coverage).toMatchObject({ sampled: 200, cap: 200, more: true });
    expect(lines(report)).toEqual([
      'Username: 200 of 200 have uid',
      'Full name: 0 of 200 have displayName; cn gives 200',
      'First name: 200 of 200 have givenName',
      'Last name: 200 of 200 have sn',
      'Email: 200 of 200 have mail',
      'Department: 200 of 200 have departmentNumber',
      'Job title: 200 of 200 have title',
      'Phone: 0 of 200 have telephoneNumber; 200 stay empty',
      'Mobile: 0 of 200 have mobile; 200 stay empty',
      'Office: 0 of 200 have roomNumber; 200 stay empty',
      'Company: 0 of 200 have o; 200 stay empty',
      'Manager (DN): 0 of 200 have manager; 200 stay empty',
      'Employee ID: 0 of 200 have employeeNumber; 200 stay empty',
    ]);
    expect(coverageStep(report)).toMatchObject({
      status: 'ok',
      detail: 'Sampled the first 200 users: every one has a username, and each required field has a value for most of them.',
    });
  });

  it('warns when Full name is mapped to displayName only, and not once cn follows it', async () => {
    const only = await sample('plain', { displayName: ['displayName'] });
    expect(only.ok).toBe(true);
    expect(lines(only)?.[1]).toBe('Full name: 0 of 200 have displayName; 200 stay empty');
    expect(coverageStep(only)).toMatchObject({
      status: 'warning',
      detail: 'Full name would be empty for 200 of 200 users: none has displayName; map another attribute under Attribute mapping.',
    });

    const withCn = await sample('plain', { displayName: ['displayName', 'cn'] });
    expect(lines(withCn)?.[1]).toBe('Full name: 0 of 200 have displayName; cn gives 200');
    expect(coverageStep(withCn)?.status).toBe('ok');
    expect(withCn.coverage?.fields.some((f) => f.warning)).toBe(false);

    // Against the mixed entries, displayName alone leaves 16 of 20 empty; the list names every source tried.
    const mixedOnly = await sample('mixed', { displayName: ['displayName', 'givenName'] });
    expect(lines(mixedOnly)?.[1]).toBe('Full name: 4 of 20 have displayName; givenName gives 6; 10 stay empty');
    expect(mixedOnly.coverage?.fields[1]?.warning).toBeUndefined();
    const mixedLess = await sample('mixed', { displayName: ['displayName', 'mail'] });
    expect(mixedLess.coverage?.fields[1]?.warning).toBe(
      'Full name would be empty for 11 of 20 users: none has displayName or mail; map another attribute under Attribute mapping.',
    );
  });

  it('warns about a required field that is not mapped at all', async () => {
    const report = await sample('mixed', { department: undefined });
    expect(lines(report)?.[5]).toBe('Department: not mapped');
    expect(report.coverage?.fields[5]).toEqual({
      field: 'department',
      label: 'Department',
      required: true,
      sources: [],
      counts: [],
      empty: 20,
      warning: 'Department would be empty for 20 of 20 users: it is not mapped; map an attribute under Attribute mapping.',
    });
  });

  it('skips the sample when no user matches the filter', async () => {
    const report = await testConnection({
      target: { urls: [directory.url], tls: 'none', verifyCertificate: true, bindDn: directory.readerDn, connectTimeoutMs: 3_000, operationTimeoutMs: 10_000 },
      password: directory.readerPassword,
      baseDn: base,
      userFilter: '(uid=nobody-here)',
      coverage: coverageProbe(realmFromPreset('openldap', { name: 'X', urls: [directory.url], bindDn: '', baseDn: base }), catalogue),
    });
    expect(report.ok).toBe(true);
    expect(coverageStep(report)).toMatchObject({ status: 'skipped', detail: 'No users match the filter: there is nothing to sample.' });
    expect(report.coverage).toBeUndefined();
  });
});
