import { afterEach, describe, expect, it } from 'vitest';
import { startFakeLdap, type FakeLdapServer } from '../../../e2e/fixtures/fake-ldap';
import { openSession, type LdapTarget } from './session';

let servers: FakeLdapServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  servers = [];
});
const fake = async () => {
  const server = await startFakeLdap('close-on-bind');
  servers.push(server);
  return server;
};
const target = (urls: string[], tls: LdapTarget['tls']): LdapTarget => ({
  urls,
  tls,
  verifyCertificate: true,
  bindDn: 'cn=reader,dc=example,dc=org',
  connectTimeoutMs: 5_000,
  operationTimeoutMs: 5_000,
});

describe('openSession failover', () => {
  it('refuses no TLS over ldaps:// and ldap:// URLs before connecting anywhere: a failover would bind in clear', async () => {
    const plain = await fake();
    const ldapsFirst = target([`ldaps://127.0.0.1:1`, plain.url], 'none');
    await expect(openSession(ldapsFirst, 'S3cret-pw')).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining(`a failover to ${plain.url} would send the bind password in clear text`),
    });
    expect(plain.received).toEqual([]);
  });

  it('takes a URL no client can use as that URL failing, and still tries the next one', async () => {
    const next = await fake();
    // Saved by an older version, whose schema let an impossible port through.
    await expect(openSession(target(['ldap://127.0.0.1:70000', next.url], 'none'), 'pw')).rejects.toMatchObject({ code: 'host-unreachable' });
    expect(next.received).toEqual(['bind']);
  });
});
