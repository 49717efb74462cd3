import { EqualityFilter } from 'ldapts';
import { describe, expect, it } from 'vitest';
import { RosterError } from '#shared/result';
import { guidToBytes } from '../ldap/guid';
import type { LdapEntry } from '../ldap/search';
import { compileFilter, matchesFilter } from './filter-match';

const GUID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const GUID_BYTES = guidToBytes(GUID);
const escapedBytes = (bytes: Buffer) => [...bytes].map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('');

const jose: LdapEntry = {
  dn: 'CN=José Núñez,OU=Sales,OU=Staff,DC=demo,DC=example',
  text: {
    objectclass: ['top', 'person', 'organizationalPerson', 'user'],
    objectcategory: ['CN=Person,CN=Schema,CN=Configuration,DC=demo,DC=example'],
    cn: ['José Núñez'],
    samaccountname: ['jnunez'],
    mail: ['Jose.Nunez@demo.example'],
    department: ['Sales'],
    othertelephone: ['+1 555 0100', '+1 555 0101'],
    useraccountcontrol: ['66050'],
    usnchanged: ['98765'],
    whenchanged: ['20240102030405.0Z'],
    employeeid: ['012345'],
    description: ['Key   account  manager'],
    manager: ['CN=Smith\\, John,OU=Finance,OU=Staff,DC=demo,DC=example'],
    memberof: ['CN=Sales Team,OU=Groups,DC=demo,DC=example', 'CN=All Staff,OU=Groups,DC=demo,DC=example'],
  },
  binary: { objectguid: [GUID_BYTES] },
};
const computer: LdapEntry = {
  dn: 'CN=WS-001,OU=Computers,DC=demo,DC=example',
  text: { objectclass: ['top', 'person', 'organizationalPerson', 'user', 'computer'], cn: ['WS-001'], useraccountcontrol: ['4096'] },
  binary: {},
};

// As an LDIF file keeps them: language-tagged values under their own attribute description, the only cn a tagged one.
const tanaka: LdapEntry = {
  dn: 'uid=htanaka,ou=People,dc=lab,dc=example',
  text: { objectclass: ['inetOrgPerson'], uid: ['htanaka'], 'cn;lang-ja': ['田中 浩'], 'sn;lang-ja': ['田中'], sn: ['Tanaka'] },
  binary: {},
};

const cases: Array<[string, LdapEntry, boolean]> = [
  // equality: case-insensitive values and names, insignificant spaces, any of several values
  ['(samaccountname=JNUNEZ)', jose, true],
  ['(SAMACCOUNTNAME=jnunez)', jose, true],
  ['(mail=jose.nunez@demo.example)', jose, true],
  ['(cn=José Núñez)', jose, true],
  ['(cn=jos\\c3\\a9 n\\c3\\ba\\c3\\b1ez)', jose, true],
  ['(description=key account manager)', jose, true],
  ['(otherTelephone=+1 555 0101)', jose, true],
  ['(otherTelephone=+1 555 0102)', jose, false],
  ['(department=Marketing)', jose, false],
  ['(missing=x)', jose, false],
  ['(employeeID=012345)', jose, true],
  ['(employeeID=12345)', jose, false],
  // AD's objectCategory shorthand
  ['(objectCategory=person)', jose, true],
  ['(objectCategory=computer)', jose, false],
  ['(objectCategory=CN=Person,CN=Schema,CN=Configuration,DC=demo,DC=example)', jose, true],
  // DN-valued attributes compare as names
  ['(memberOf=cn=all staff, ou=groups, dc=demo, dc=example)', jose, true],
  ['(memberOf=CN=Sales Team,OU=Groups,DC=demo,DC=example)', jose, true],
  ['(memberOf=CN=Sales,OU=Groups,DC=demo,DC=example)', jose, false],
  ['(manager=cn=smith\\5c, john, ou=finance,ou=staff,dc=demo,dc=example)', jose, true],
  ['(manager=cn=smith\\5c2c john,ou=finance,ou=staff,dc=demo,dc=example)', jose, true],
  ['(manager=CN=John Smith,OU=Finance,OU=Staff,DC=demo,DC=example)', jose, false],
  // binary by escaped bytes
  [`(objectGUID=${escapedBytes(GUID_BYTES)})`, jose, true],
  [`(objectGUID=${escapedBytes(guidToBytes('00000000-0000-0000-0000-000000000001'))})`, jose, false],
  // substrings
  ['(cn=jos*)', jose, true],
  ['(cn=*ÑEZ)', jose, true],
  ['(cn=*é*ñ*)', jose, true],
  ['(cn=*ñ*é*)', jose, false],
  ['(cn=j*z)', jose, true],
  ['(cn=josé *)', jose, true],
  ['(cn=josén*)', jose, false],
  ['(mail=*@demo.example)', jose, true],
  ['(otherTelephone=*0101)', jose, true],
  ['(cn=ab*ba)', { dn: 'cn=aba', text: { cn: ['aba'] }, binary: {} }, false],
  // presence
  ['(mail=*)', jose, true],
  ['(mobile=*)', jose, false],
  ['(objectGUID=*)', jose, true],
  ['(objectClass=*)', { dn: 'cn=bare', text: {}, binary: {} }, true],
  // ordering: strings case-insensitively, integers as numbers
  ['(sAMAccountName>=J)', jose, true],
  ['(sAMAccountName<=J)', jose, false],
  ['(sAMAccountName<=JNUNEZ)', jose, true],
  ['(usnChanged>=100000)', jose, false],
  ['(usnChanged>=9999)', jose, true],
  ['(usnChanged<=98765)', jose, true],
  ['(whenChanged>=20240101000000.0Z)', jose, true],
  ['(whenChanged<=20231231000000.0Z)', jose, false],
  // not, and, or, nested
  ['(!(department=Sales))', jose, false],
  ['(!(mobile=*))', jose, true],
  ['(&(objectClass=user)(!(objectClass=computer)))', jose, true],
  ['(&(objectClass=user)(!(objectClass=computer)))', computer, false],
  ['(|(department=Marketing)(mail=*@demo.example))', jose, true],
  ['(|(department=Marketing)(department=Legal))', jose, false],
  ['(&(|(cn=*smith*)(cn=*nunez*)(cn=*núñez*))(objectClass=person)(!(|(mobile=*)(department=Legal))))', jose, true],
  ['(&(objectClass=person)(|(cn=*smith*)(mail=*smith*)))', jose, false],
  // Active Directory's bitwise rules: 66050 = 0x10202 (normal account, password never expires, disabled)
  ['(userAccountControl:1.2.840.113556.1.4.803:=2)', jose, true],
  ['(userAccountControl:1.2.840.113556.1.4.803:=66048)', jose, true],
  ['(userAccountControl:1.2.840.113556.1.4.803:=66049)', jose, false],
  ['(!(userAccountControl:1.2.840.113556.1.4.803:=2))', computer, true],
  ['(userAccountControl:1.2.840.113556.1.4.804:=4097)', computer, true],
  ['(userAccountControl:1.2.840.113556.1.4.804:=3)', computer, false],
  // A filter on an attribute matches its values with options too, as slapd does. (ldapts parses no options in filters.)
  ['(cn=*田中*)', tanaka, true],
  ['(cn=*)', tanaka, true],
  ['(sn=田中)', tanaka, true],
  ['(sn=Tanaka)', tanaka, true],
  ['(sn=Jensen)', tanaka, false],
  ['(c=*)', tanaka, false],
];

describe('compileFilter', () => {
  it.each(cases)('%s → %s', (filter, entry, expected) => {
    expect(matchesFilter(filter, entry)).toBe(expected);
  });

  it('accepts a filter without its outer parentheses', () => {
    expect(matchesFilter('department=sales', jose)).toBe(true);
  });

  it('matches objectGUID by an EqualityFilter holding the bytes, as Roster searches a live directory', () => {
    expect(compileFilter(new EqualityFilter({ attribute: 'objectGUID', value: GUID_BYTES }))(jose)).toBe(true);
    expect(compileFilter(new EqualityFilter({ attribute: 'objectGUID', value: guidToBytes('3f2504e0-4f89-11d3-9a0c-0305e82c3302') }))(jose)).toBe(false);
  });

  it('does not take Object.prototype members for attributes', () => {
    expect(matchesFilter('(constructor=*)', jose)).toBe(false);
    expect(matchesFilter('(toString=*)', jose)).toBe(false);
  });

  const refused: Array<[string, RegExp]> = [
    [
      '(cn~=jose)',
      /^The filter \(cn~=jose\) uses approximate matching \(cn~=…\), which Roster cannot evaluate against an LDIF file\. Use = with \* wildcards instead, e\.g\. \(cn=\*jose\*\)\.$/,
    ],
    ['(cn:caseExactMatch:=José)', /^The filter \(cn:caseExactMatch:=José\) uses an extensible match/],
    ['(memberOf:1.2.840.113556.1.4.1941:=CN=Staff,DC=demo,DC=example)', /uses an extensible match .*\(only Active Directory's bitwise rules/],
    ['(&(cn=a)', /^The LDAP filter \(&\(cn=a\) is not valid/],
    ['(cn=a\\zz)', /^The LDAP filter .* is not valid/],
  ];
  it.each(refused)('refuses %s with invalid-filter', (filter, message) => {
    let error: unknown;
    try {
      compileFilter(filter);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RosterError);
    expect((error as RosterError).code).toBe('invalid-filter');
    expect((error as RosterError).message).toMatch(message);
  });
});
