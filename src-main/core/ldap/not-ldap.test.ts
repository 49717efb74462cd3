import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlapd, type SlapdServer } from '../../../e2e/fixtures/slapd';
import { createTestCa } from '../../../e2e/fixtures/test-ca';
import { runCli } from '../../cli/run-cli';
import { openSession, type LdapTarget } from './session';
import { testConnection } from './test-connection';

/*
 * A port where something answers that is not LDAP: a web server, a service that closes after reading, and a
 * real slapd reached with the wrong scheme (ldap:// on its ldaps port, ldaps:// on its plain port). The Test
 * connection steps, the session every import and reconcile opens, and the CLI all say so in the same words.
 */

let slapd: SlapdServer;
const servers: Server[] = [];
let http: string;
let closer: string;

/** A TCP service on loopback that reads what comes and answers `reply` (or nothing), then closes. */
async function tcpService(reply: string | undefined): Promise<string> {
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.once('data', () => (reply === undefined ? socket.end() : socket.end(reply)));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  servers.push(server);
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  slapd = await startSlapd({ flavor: 'openldap', users: 1, tls: true });
  http = await tcpService('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  closer = await tcpService(undefined);
}, 60_000);
afterAll(async () => {
  for (const server of servers) server.close();
  await slapd?.stop();
});

const target = (url: string, tls: LdapTarget['tls']): LdapTarget => ({
  urls: [url],
  tls,
  caCertPem: slapd.caPem,
  verifyCertificate: true,
  bindDn: slapd.readerDn,
  connectTimeoutMs: 5_000,
  operationTimeoutMs: 5_000,
});

const plainAdvice =
  'Check the port (389 for ldap://, 636 for ldaps://) and the scheme: a server that expects TLS from the first byte needs an ldaps:// URL. If it is the directory server, check that its LDAP service runs.';
const notLdap = (host: string, operation: string) =>
  `Something answers at ${host}, but it does not speak LDAP: it closed the connection at ${operation} without an LDAP answer. ${plainAdvice}`;

/** The failed step of a Test connection: which one and what it says. */
async function failedStep(t: LdapTarget): Promise<{ step: string; detail: string }> {
  const report = await testConnection({ target: t, password: slapd.readerPassword, baseDn: slapd.baseDn, userFilter: '(objectClass=*)' });
  expect(report.ok).toBe(false);
  const failed = report.steps.find((s) => s.status === 'failed')!;
  expect(report.error?.message).toBe(failed.detail);
  return { step: failed.step, detail: failed.detail };
}

describe('something that is not LDAP answers', () => {
  it.each([
    ['a web server', () => http],
    ['a service that closes after reading', () => closer],
  ])('%s on an ldap:// URL: the bind (no TLS) and StartTLS say it does not speak LDAP', async (_, where) => {
    const host = where();
    expect(await failedStep(target(`ldap://${host}`, 'none'))).toEqual({ step: 'bind', detail: notLdap(host, 'the bind') });
    expect(await failedStep(target(`ldap://${host}`, 'starttls'))).toEqual({ step: 'tls', detail: notLdap(host, 'the StartTLS request') });
    // Imports and reconciles open their session the same way.
    await expect(openSession(target(`ldap://${host}`, 'none'), 'pw')).rejects.toMatchObject({ code: 'host-unreachable', message: notLdap(host, 'the bind') });
  });

  it('a web server on an ldaps:// URL: it answered, but not with TLS', async () => {
    expect(await failedStep(target(`ldaps://${http}`, 'ldaps'))).toEqual({
      step: 'tls',
      detail: `Something answers at ${http}, but it does not speak ldaps:// (LDAP over TLS): the TLS handshake got an answer that is not TLS (ERR_SSL_WRONG_VERSION_NUMBER). Check the port: ldaps:// is usually 636; a plain LDAP port (usually 389) needs an ldap:// URL, with StartTLS.`,
    });
  });

  it("ldap:// on a real slapd's ldaps port: it does not speak LDAP in clear, so the URL should be ldaps://", async () => {
    const host = `127.0.0.1:${slapd.ldapsPort}`;
    expect(await failedStep(target(`ldap://${host}`, 'none'))).toEqual({ step: 'bind', detail: notLdap(host, 'the bind') });
    expect(await failedStep(target(`ldap://${host}`, 'starttls'))).toEqual({ step: 'tls', detail: notLdap(host, 'the StartTLS request') });
  });

  it("ldaps:// on a real slapd's plain port: no TLS there, so the URL should be ldap://", async () => {
    const host = `127.0.0.1:${slapd.port}`;
    const said = `Something answers at ${host}, but it does not speak ldaps:// (LDAP over TLS): the TLS handshake got the connection closed (ECONNRESET). Check the port: ldaps:// is usually 636; a plain LDAP port (usually 389) needs an ldap:// URL, with StartTLS.`;
    expect(await failedStep(target(`ldaps://${host}`, 'ldaps'))).toEqual({ step: 'tls', detail: said });
    await expect(openSession(target(`ldaps://${host}`, 'ldaps'), slapd.readerPassword)).rejects.toMatchObject({ message: said });
    // The right scheme on each port works: the ports are what the messages say they are.
    expect((await testConnection({ target: target(slapd.ldapsUrl!, 'ldaps'), password: slapd.readerPassword, baseDn: slapd.baseDn, userFilter: '(objectClass=*)' })).ok).toBe(true);
  });

  it('a TLS server that ends the session with an alert (it wants a client certificate) is a TLS refusal, not a port that does not speak LDAP', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'roster-mtls-'));
    try {
      const ca = await createTestCa(dir);
      const server = createTlsServer({ key: await readFile(ca.keyFile), cert: await readFile(ca.certFile), requestCert: true, rejectUnauthorized: true }, (socket) =>
        socket.on('error', () => undefined),
      );
      server.on('tlsClientError', () => undefined);
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      servers.push(server);
      const url = `ldaps://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const refused = await openSession({ ...target(url, 'ldaps'), caCertPem: ca.caPem }, 'secret').catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: 'tls-failed' });
      expect((refused as Error).message).toMatch(/ended the TLS session during the bind: "certificate required"/);
      expect((refused as Error).message).toMatch(/client certificate/);
      expect((refused as Error).message).not.toMatch(/does not speak LDAP/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('`roster realm test` says it too', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'roster-not-ldap-'));
    try {
      const add = ['realm', 'add', '--name', 'Web', '--kind', 'openldap', '--tls', 'none', '--url', `ldap://${http}`, '--bind-dn', '', '--base-dn', slapd.baseDn];
      expect((await runCli(dataDir, add)).code).toBe(0);
      const tested = await runCli(dataDir, ['realm', 'test', 'Web']);
      expect(tested.code).toBe(1);
      expect(tested.out + tested.err).toContain(notLdap(http, 'the bind'));
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
