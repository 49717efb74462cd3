import { describe, expect, it } from 'vitest';
import { effectiveFields } from '../../../src-shared/model/fields';
import { realmFromPreset } from '../../../src-shared/model/realm-presets';
import { objectGuidFor, toFiletime } from '../../../e2e/fixtures/slapd';
import { guidToString } from '../ldap/guid';
import { accountExpiresToIso, attributesToRequest, pickValue, toDirectoryUser } from './mapping';

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
});
