import { describe, expect, it } from 'vitest';
import { realmFromPreset } from '#shared/model/realm-presets';
import { draftFromRealm, newDraft, isDirty, sameSettings, withPreset, type RealmDraft } from './realm-draft';
import { checkDraft } from './realm-validation';
import { tlsWarnings } from './tls-warnings';

const filled = (change: Partial<RealmDraft> = {}): RealmDraft => ({
  ...newDraft('openldap'),
  name: 'Example',
  urls: ['ldap://ldap1.example.org:389'],
  baseDn: 'dc=example,dc=org',
  ...change,
});

describe('checkDraft', () => {
  it('accepts a filled preset and converts seconds to milliseconds', () => {
    const check = checkDraft(filled({ connectTimeoutS: '2.5' }), true);
    expect(check.ok).toBe(true);
    if (check.ok) {
      expect(check.input.connection.connectTimeoutMs).toBe(2500);
      expect(check.input.idAttribute).toBe('entryUUID');
      expect(check.input.connection).not.toHaveProperty('caCertPem');
    }
  });

  it('keys messages by field and speaks seconds for timeouts', () => {
    const check = checkDraft(filled({ name: ' ', urls: [''], connectTimeoutS: '', operationTimeoutS: '0.5', pageSize: '5000' }), true);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.errors.name).toBe('Give the realm a name');
    expect(check.errors['connection.urls.0']).toBe('At least one server URL is needed');
    expect(check.errors['connection.connectTimeoutMs']).toBe('Enter 0.5 to 120 seconds.');
    expect(check.errors['connection.operationTimeoutMs']).toBe('Enter 1 to 600 seconds.');
    expect(check.errors['search.pageSize']).toMatch(/at most 1000/);
  });

  it('points a bad URL at the input row it was typed in, skipping blank rows', () => {
    const check = checkDraft(filled({ urls: ['ldap://ok.example', '', 'http://wrong.example'] }), true);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(Object.keys(check.errors)).toEqual(['connection.urls.2']);
  });

  it('leaves empty mapping rows out', () => {
    const draft = filled();
    const check = checkDraft({ ...draft, mapping: { ...draft.mapping, manager: ' ' } }, true);
    expect(check.ok && 'manager' in check.input.mapping).toBe(false);
  });
});

describe('checkDraft for an LDIF file realm', () => {
  const file = (change: Partial<RealmDraft> = {}): RealmDraft => ({ ...withPreset(newDraft(), 'ldif-file'), name: 'Export', ...change });

  it('needs the file but no server and no base DN', () => {
    const check = checkDraft(file({ ldifPath: ' ' }), true);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.errors).toEqual({ 'ldif.path': 'Choose the LDIF file to read' });
  });

  it('sends the path and leaves out what the hidden server sections still hold', () => {
    const check = checkDraft(file({ ldifPath: '/exports/corp.ldf', urls: ['not a url'], bindDn: 'cn=admin' }), true);
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.input.ldif).toEqual({ path: '/exports/corp.ldf' });
    expect(check.input.connection.urls).toEqual([]);
    expect(check.input.connection.bindDn).toBe('');
    expect(check.input.search.baseDn).toBe('');
  });

  it('sends no file for a server realm', () => {
    const check = checkDraft(filled({ ldifPath: '/left/over.ldf' }), true);
    expect(check.ok && check.input.ldif).toBe(undefined);
  });

  it('reads the path back from a saved realm', () => {
    const check = checkDraft(file({ ldifPath: '/exports/corp.ldf' }), true);
    if (check.ok) expect(draftFromRealm(check.input).ldifPath).toBe('/exports/corp.ldf');
  });
});

describe('drafts', () => {
  it('applies the preset of a kind', () => {
    const ad = withPreset(filled(), 'active-directory');
    expect([ad.userFilter, ad.idAttribute, ad.mapping.username, ad.mapping.displayName]).toEqual([
      '(&(objectClass=user)(sAMAccountType=805306368)(!(isCriticalSystemObject=TRUE)))',
      'objectGUID',
      'sAMAccountName',
      'displayName, cn, givenName+sn',
    ]);
    const file = withPreset(filled(), 'ldif-file', 'openldap');
    expect([file.ldifFlavour, file.userFilter, file.idAttribute, file.mapping.username]).toEqual([
      'openldap',
      '(objectClass=inetOrgPerson)',
      'entryUUID',
      'uid',
    ]);
  });

  it('sends each field as its ordered list of attributes, and points a bad one at its row', () => {
    const draft = filled();
    const check = checkDraft({ ...draft, mapping: { ...draft.mapping, displayName: ' displayName ,cn, givenName + sn ,' } }, true);
    expect(check.ok && check.input.mapping.displayName).toEqual(['displayName', 'cn', 'givenName+sn']);
    const bad = checkDraft({ ...draft, mapping: { ...draft.mapping, email: 'mail, e mail' } }, true);
    expect(bad.ok ? {} : bad.errors).toEqual({ 'mapping.email': 'List attribute names separated by commas, e.g. displayName, cn, givenName+sn' });
  });

  it('counts a typed password as a change but not as a settings change', () => {
    const base = filled();
    const typed = { ...base, password: 'secret' };
    expect(isDirty(typed, base)).toBe(true);
    expect(sameSettings(typed, base)).toBe(true);
    expect(sameSettings({ ...base, baseDn: 'dc=other' }, base)).toBe(false);
  });
});

describe('TLS', () => {
  const ldapsOverPlain =
    'TLS mode LDAPS needs ldaps:// URLs, but ldap://a is ldap://, which would connect in clear text: change the URL to ldaps:// (port 636), or choose StartTLS.';
  const startTlsOverLdaps =
    'StartTLS upgrades a plain ldap:// connection, but ldaps://a is ldaps://: choose LDAPS for ldaps:// URLs, or change the URL to ldap:// (port 389).';
  const noneOverLdaps =
    'ldaps://a is ldaps://, which always uses TLS: choose LDAPS (so the certificate settings apply), or change the URL to ldap:// (port 389).';
  const clearText =
    'No TLS: the bind password of cn=x crosses the network unencrypted, readable by anyone on the way. Choose StartTLS or LDAPS unless this network is trusted.';

  it('a new realm starts on StartTLS, and an ldaps:// one from a preset on LDAPS', () => {
    expect(newDraft('openldap').tls).toBe('starttls');
    expect(newDraft('active-directory').tls).toBe('starttls');
    expect(draftFromRealm(realmFromPreset('openldap', { name: 'S', urls: ['ldaps://a'], bindDn: '', baseDn: 'dc=x' })).tls).toBe('ldaps');
  });

  it('refuses a mode the URLs contradict, on the TLS field, saying which to change', () => {
    const errors = (change: Partial<RealmDraft>) => {
      const check = checkDraft(filled(change), true);
      return check.ok ? {} : check.errors;
    };
    expect(errors({ tls: 'ldaps', urls: ['ldap://a'] })).toEqual({ 'connection.tls': ldapsOverPlain });
    expect(errors({ tls: 'starttls', urls: ['ldaps://a'] })).toEqual({ 'connection.tls': startTlsOverLdaps });
    expect(errors({ tls: 'none', urls: ['ldaps://a'] })).toEqual({ 'connection.tls': noneOverLdaps });
    // One plain URL among ldaps:// ones is just as wrong.
    expect(errors({ tls: 'ldaps', urls: ['ldaps://b', 'ldap://a'] })).toEqual({ 'connection.tls': ldapsOverPlain });
    expect(errors({ tls: 'ldaps', urls: ['ldaps://a'] })).toEqual({});
    expect(errors({ tls: 'none', urls: ['ldap://a'] })).toEqual({});
  });

  it('warns while typing: the same mismatch, and a bind password that would cross the network in clear', () => {
    expect(tlsWarnings({ tls: 'ldaps', urls: ['ldap://a'], bindDn: '' })).toEqual([ldapsOverPlain]);
    expect(tlsWarnings({ tls: 'starttls', urls: [' ldaps://a ', ''], bindDn: 'cn=x' })).toEqual([startTlsOverLdaps]);
    expect(tlsWarnings({ tls: 'none', urls: ['ldap://a'], bindDn: 'cn=x' })).toEqual([clearText]);
    expect(tlsWarnings({ tls: 'none', urls: [''], bindDn: 'cn=x' })).toEqual([clearText]);
    // An anonymous bind sends no password.
    expect(tlsWarnings({ tls: 'none', urls: ['ldap://a'], bindDn: ' ' })).toEqual([]);
    expect(tlsWarnings({ tls: 'starttls', urls: ['ldap://a'], bindDn: 'cn=x' })).toEqual([]);
    expect(tlsWarnings({ tls: 'ldaps', urls: ['ldaps://a'], bindDn: 'cn=x' })).toEqual([]);
  });
});
