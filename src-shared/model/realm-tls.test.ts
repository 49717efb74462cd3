import { describe, expect, it } from 'vitest';
import { realmInputSchema } from './realm';
import { realmFromPreset } from './realm-presets';
import { clearTextBindWarning, defaultTlsFor, tlsMismatch } from './realm-tls';

const base = realmFromPreset('openldap', { name: 'Lab', urls: ['ldap://a'], bindDn: 'cn=r', baseDn: 'dc=x' });

describe('TLS mode and URLs', () => {
  it('defaults to LDAPS only when every URL is ldaps://, else StartTLS: never none', () => {
    expect(defaultTlsFor(['ldaps://a', 'LDAPS://b'])).toBe('ldaps');
    expect(defaultTlsFor(['ldaps://a', 'ldap://b'])).toBe('starttls');
    expect(defaultTlsFor(['ldap://a'])).toBe('starttls');
    expect(defaultTlsFor([])).toBe('starttls');
    expect(realmInputSchema.parse({ ...base, connection: { urls: ['ldap://a'] } }).connection.tls).toBe('starttls');
  });

  it('warns about clear text only for a password bind without TLS', () => {
    expect(clearTextBindWarning({ tls: 'none', urls: ['ldap://a'], bindDn: 'cn=r' })).toMatch(
      /^No TLS: the bind password of cn=r crosses the network unencrypted/,
    );
    expect(clearTextBindWarning({ tls: 'none', urls: ['ldap://a'], bindDn: '' })).toBeUndefined();
    expect(clearTextBindWarning({ tls: 'starttls', urls: ['ldap://a'], bindDn: 'cn=r' })).toBeUndefined();
    expect(clearTextBindWarning({ tls: 'none', urls: ['ldaps://a'], bindDn: 'cn=r' })).toBeUndefined();
    // One ldap:// URL among ldaps:// ones is enough: a failover to it would send the password in clear.
    expect(clearTextBindWarning({ tls: 'none', urls: ['ldaps://a', 'ldap://b'], bindDn: 'cn=r' })).toMatch(/^No TLS: /);
  });

  it('refuses no TLS over a mix of ldaps:// and ldap:// URLs, which would fail over to clear text', () => {
    expect(tlsMismatch('none', ['ldaps://a', 'ldap://b'])).toBe(
      'ldaps://a is ldaps:// but ldap://b is ldap://: with no TLS, a failover to ldap://b would send the bind password in clear text. Choose StartTLS for ldap:// URLs or LDAPS for ldaps:// ones, and do not mix them.',
    );
    expect(realmInputSchema.safeParse({ ...base, connection: { ...base.connection, tls: 'none', urls: ['ldaps://a', 'ldap://b'] } }).success).toBe(false);
  });

  it('refuses server URLs no connection can use: a port past 65535 or 0, an impossible host', () => {
    const urls = (list: string[]) => realmInputSchema.safeParse({ ...base, connection: { ...base.connection, tls: 'none', urls: list } });
    for (const bad of ['ldap://127.0.0.1:70000', 'ldap://host:0', 'ldap://[zz]']) {
      const parsed = urls([bad]);
      expect(parsed.success ? 'accepted' : parsed.error.issues.map((i) => i.message)).toEqual([
        'This is not a usable server address: check the host name, and that the port is between 1 and 65535.',
      ]);
    }
    expect(urls(['ldap://dc1.corp.example:389', 'ldap://[::1]:3890', 'ldap://10.0.0.5']).success).toBe(true);
  });

  it('checks malformed input without throwing: the schema reports it as invalid, never crashes on a missing connection', () => {
    expect(tlsMismatch(undefined, undefined)).toBeUndefined();
    expect(tlsMismatch('ldaps', [42, null, 'ldap://a'])).toMatch(/^TLS mode LDAPS needs ldaps:\/\/ URLs, but ldap:\/\/a is ldap:\/\//);
    for (const connection of [undefined, null, 'ldap://a', [], { tls: 'ldaps' }, { tls: 'ldaps', urls: 'ldap://a' }, { tls: 7, urls: [null] }]) {
      const parsed = realmInputSchema.safeParse({ ...base, connection });
      expect(parsed.success, JSON.stringify(connection)).toBe(false);
    }
    for (const realm of [undefined, null, 'x', [], { kind: 'ldap' }, { kind: 'ldap', connection: null }]) {
      expect(realmInputSchema.safeParse(realm).success).toBe(false);
    }
  });

  it('refuses a contradicting mode on connection.tls, file realms aside', () => {
    const parsed = realmInputSchema.safeParse({ ...base, connection: { ...base.connection, tls: 'ldaps' } });
    expect(parsed.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      [
        'connection.tls',
        'TLS mode LDAPS needs ldaps:// URLs, but ldap://a is ldap://, which would connect in clear text: change the URL to ldaps:// (port 636), or choose StartTLS.',
      ],
    ]);
    const file = realmFromPreset('ldif-file', { name: 'F', urls: [], bindDn: '', baseDn: '', ldifPath: '/x.ldf', tls: 'ldaps' });
    expect(realmInputSchema.safeParse(file).success).toBe(true);
  });
});
