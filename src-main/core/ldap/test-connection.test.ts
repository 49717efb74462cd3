import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlapd, type SlapdServer } from '../../../e2e/fixtures/slapd';
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
    expect(statuses(report)).toEqual(['reach:ok', 'tls:skipped', 'bind:ok', 'rootdse:ok', 'base:ok', 'users:ok']);
    expect(report.server).toMatchObject({ vendor: 'OpenLDAP', namingContexts: [server.baseDn], pagedResults: true });
    expect(report.baseDnFound).toBe(true);
    expect(report.userCount).toBe(30);
    expect(report.userCountCapped).toBe(false);
    expect(report.steps.find((s) => s.step === 'users')?.detail).toBe('30 users match (objectClass=inetOrgPerson).');
  });

  it('says the credentials are wrong', async () => {
    const report = await run(target(), { password: 'not-the-password' });
    expect(report.ok).toBe(false);
    expect(report.error).toEqual({
      code: 'invalid-credentials',
      message: `Invalid credentials for ${server.readerDn}: the bind DN or password is wrong. Check both in the realm settings.`,
    });
    expect(statuses(report)).toEqual(['reach:ok', 'tls:skipped', 'bind:failed', 'rootdse:skipped', 'base:skipped', 'users:skipped']);
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
    expect(statuses(report)).toEqual(['reach:ok', 'tls:skipped', 'bind:ok', 'rootdse:ok', 'base:failed', 'users:skipped']);
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
      expect(report.steps.map((s) => `${s.step}:${s.status}`).slice(0, 3)).toEqual(['reach:ok', 'tls:skipped', 'bind:failed']);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((done) => silent.close(done));
    }
  });
});
