import { describe, expect, it } from 'vitest';
import { effectiveFields } from '#shared/model/fields';
import { realmFromPreset } from '#shared/model/realm-presets';
import { objectGuidFor, toFiletime } from '../../../e2e/fixtures/slapd';
import { guidToString } from '../ldap/guid';
import { accountExpiresToIso, attributeMap, attributesToRequest, pickValue, rdnValue, sourceMap, toDirectoryUser } from './mapping';

const ad = realmFromPreset('active-directory', { name: 'AD', urls: ['ldap://dc'], bindDn: 'CN=svc', baseDn: 'DC=corp,DC=example' });
const ol = realmFromPreset('openldap', { name: 'OL', urls: ['ldap://ol'], bindDn: 'cn=r', baseDn: 'dc=example,dc=org' });
const fields = effectiveFields({}, [
  { key: 'costCenter', label: 'Cost center', type: 'text', ldapAttribute: 'extensionAttribute1', owner: 'local', required: false },
]);

describe('directory entry mapping', () => {
  it('maps an Active Directory entry: GUID, disabled bit, expiry, UPN, custom multi-values', () => {
    const user = toDirectoryUser(ad, fields, {
      dn: 'CN=Smith\\, John,OU=Sales,DC=corp,DC=example',
      text: {
        samaccountname: ['jsmith'],
        displayname: ['John Smith'],
        mail: ['john.smith@corp.example', 'js@corp.example'],
        useraccountcontrol: ['514'],
        accountexpires: [toFiletime(new Date('2035-01-01T00:00:00Z'))],
        userprincipalname: ['jsmith@corp.example'],
        extensionattribute1: ['CC-1', 'CC-2'],
      },
      binary: { objectguid: [objectGuidFor(7)] },
    });
    expect(user).toEqual({
      dn: 'CN=Smith\\, John,OU=Sales,DC=corp,DC=example',
      externalId: guidToString(objectGuidFor(7)),
      username: 'jsmith',
      fields: { displayName: 'John Smith', email: 'john.smith@corp.example', costCenter: 'CC-1\nCC-2' },
      enabled: false,
      expiresAt: '2035-01-01T00:00:00.000Z',
      userPrincipalName: 'jsmith@corp.example',
    });
    expect(attributesToRequest(ad, fields)).toEqual(
      expect.arrayContaining(['objectGUID', 'sAMAccountName', 'extensionAttribute1', 'userAccountControl', 'accountExpires']),
    );
  });

  it('reads accountExpires as BigInt: 0 and 2^63-1 mean never', () => {
    expect(accountExpiresToIso('0')).toBeUndefined();
    expect(accountExpiresToIso('9223372036854775807')).toBeUndefined();
    expect(accountExpiresToIso('133801632000000000')).toBe('2025-01-01T00:00:00.000Z');
    expect(accountExpiresToIso('junk')).toBeUndefined();
  });

  it('picks the RDN value of a multi-valued naming attribute, else the first value', () => {
    const entry = { dn: 'uid=jdoe,ou=people,dc=example,dc=org', text: { uid: ['john', 'jdoe'], cn: ['John Doe', 'Johnny'] }, binary: {} };
    expect(pickValue(entry, 'uid')).toBe('jdoe');
    expect(pickValue(entry, 'cn')).toBe('John Doe');
    const mapped = toDirectoryUser(ol, fields, { ...entry, text: { ...entry.text, entryuuid: ['6b1c0c1e-0000-4000-8000-000000000001'] } });
    expect(mapped).toMatchObject({ username: 'jdoe', externalId: '6b1c0c1e-0000-4000-8000-000000000001', enabled: true });
  });

  it('takes Full name from displayName, then cn (the RDN one when several), then givenName + sn', () => {
    const entry = (dn: string, text: Record<string, string[]>) => ({ dn, text: { uid: ['x'], ...text }, binary: {} });
    const full = (dn: string, text: Record<string, string[]>) => toDirectoryUser(ol, fields, entry(dn, text)).fields.displayName;
    expect(full('uid=x,dc=o', { displayname: ['Babs J.'], cn: ['Barbara Jensen'] })).toBe('Babs J.');
    expect(full('uid=x,dc=o', { cn: ['Barbara Jensen'], givenname: ['Barbara'], sn: ['Jensen'] })).toBe('Barbara Jensen');
    // Named by cn with several values: the value in the DN, whatever order the server sends them in.
    expect(full('cn=Babs Jensen, ou=People, dc=o', { cn: ['Barbara Jensen', 'Babs Jensen'] })).toBe('Babs Jensen');
    expect(full('cn=Babs Jensen ,ou=People,dc=o', { cn: ['Barbara Jensen', 'Babs Jensen'] })).toBe('Babs Jensen');
    // DN values escaped as hex UTF-8 (as some servers write accented RDNs) still name the right value.
    expect(full('cn=Zo\\C3\\AB \\C3\\85ngstr\\C3\\B6m,dc=o', { cn: ['Zoe Angstrom', 'Zoë Ångström'] })).toBe('Zoë Ångström');
    expect(full('uid=x,dc=o', { givenname: ['Barbara'], sn: ['Jensen'] })).toBe('Barbara Jensen');
    expect(full('uid=x,dc=o', { sn: ['Jensen'] })).toBe('Jensen');
    expect(full('uid=x,dc=o', { displayname: [''], cn: ['  '], givenname: ['Ann'] })).toBe('Ann');
    expect(full('uid=x,dc=o', {})).toBeUndefined();
  });

  it('never takes a language-tagged value for the plain attribute', () => {
    const user = (text: Record<string, string[]>) => toDirectoryUser(ol, fields, { dn: 'uid=babs,dc=o', text: { uid: ['babs'], ...text }, binary: {} });
    expect(user({ 'cn;lang-es': ['Babet'], cn: ['Barbara Jensen'] }).fields.displayName).toBe('Barbara Jensen');
    expect(user({ 'cn;lang-es': ['Babet'], 'sn;lang-es': ['Jensenita'], sn: ['Jensen'] }).fields.displayName).toBe('Jensen');
    expect(user({ 'cn;lang-es': ['Babet'] }).fields.displayName).toBeUndefined();
    expect(pickValue({ dn: 'cn=Babet,dc=o', text: { 'cn;lang-es': ['Babet'] }, binary: {} }, 'cn')).toBe('');
  });

  it('requests every attribute of every list once, composites split', () => {
    const wanted = attributesToRequest(ol, fields);
    expect(wanted.filter((a) => ['displayName', 'cn', 'givenName', 'sn'].includes(a))).toEqual(['displayName', 'cn', 'givenName', 'sn']);
    expect(wanted.map((a) => a.toLowerCase()).filter((a) => a === 'givenname')).toHaveLength(1);
    expect(wanted).not.toContain('givenName+sn');
  });

  it('reads the RDN of multi-valued and escaped DNs', () => {
    expect(rdnValue('cn=A+uid=b,dc=o', 'uid')).toBe('b');
    expect(rdnValue('cn=Smith\\, John,ou=x', 'cn')).toBe('smith, john');
    expect(rdnValue(' uid = jdoe , ou=x', 'uid')).toBe('jdoe');
    expect(rdnValue('uid=jdoe,ou=x', 'cn')).toBeUndefined();
  });

  it('writes a field back to the first single attribute of its list', () => {
    expect(attributeMap(ol, fields).get('displayName')).toBe('displayName');
    const composite = { ...ol, mapping: { ...ol.mapping, displayName: ['givenName+sn'] } };
    expect(attributeMap(composite, fields).has('displayName')).toBe(false);
    expect(sourceMap(composite, fields).get('displayName')).toEqual(['givenName+sn']);
  });
});
