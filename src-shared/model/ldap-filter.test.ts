import { describe, expect, it } from 'vitest';
import { checkLdapFilter } from './ldap-filter';

describe('checkLdapFilter', () => {
  it.each([
    '(objectClass=person)',
    'objectClass=user',
    '  (uid=*)  ',
    '(&(objectCategory=person)(objectClass=user)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))',
    '(|(cn=Sm*th)(sn=*a*b*)(mail=*@example.org))',
    '(cn=)',
    '(cn=\\28x\\29\\2a\\5c\\00)',
    '(createTimestamp>=20260101000000Z)',
    '(cn~=smith)',
    '(cn:dn:caseExactMatch:=Smith)',
    '(:dn:2.4.6.8.10:=x)',
    '(msDS-UserPasswordExpiryTimeComputed<=1)',
    '(cn=Zoë Ünal)',
    // Underscores: some servers allow them in names (389-ds), and ldapts sends them.
    '(&(x_employee_id=42)(_legacy=1))',
  ])('accepts %s', (filter) => {
    expect(checkLdapFilter(filter)).toBeUndefined();
  });

  // Each problem says what is wrong and where, counted in the text as typed (from 1).
  it.each([
    ['', 'empty', 0, 'Enter an LDAP filter, e.g. (objectClass=person).'],
    ['(&(objectClass=user)(cn=a', 'unbalanced', 20, 'The "(" at character 21 is never closed: a ")" is missing.'],
    ['(&(objectClass=user)(cn=a)', 'unbalanced', 0, 'The "(" at character 1 is never closed: a ")" is missing.'],
    ['(cn=a))', 'unbalanced', 6, 'The ")" at character 7 closes nothing: there is one ")" too many.'],
    ['(&(cn=a)())', 'empty-component', 8, 'The "()" at character 9 is empty: write a condition inside, e.g. (cn=Smith).'],
    ['(|(&)(cn=a))', 'empty-component', 2, 'The "(&)" at character 3 holds no conditions: put at least one inside, e.g. (&(cn=a)(cn=b)).'],
    ['(cn=a\\zz)', 'bad-escape', 5, 'The "\\" at character 6 must be followed by two hex digits: write \\2a for *, \\28 for (, \\29 for ), \\5c for \\.'],
    ['(cn=a\\2)', 'bad-escape', 5, 'The "\\" at character 6 must be followed by two hex digits: write \\2a for *, \\28 for (, \\29 for ), \\5c for \\.'],
    ['(&(=x))', 'missing-attribute', 3, 'An attribute name is missing before "=" at character 4, e.g. (cn=Smith).'],
    ['(:=x)', 'missing-attribute', 1, 'A condition starting with ":" at character 2 needs an attribute or a matching rule, e.g. (cn:=Smith) or (:caseExactMatch:=Smith).'],
    ['(cn)', 'bad-operator', 3, '"cn" at character 4 has no comparison: add =value, >=value, <=value or ~=value.'],
    ['(cn!=x)', 'bad-operator', 3, 'LDAP filters have no "!=" (at character 4): write (!(cn=value)) instead.'],
    ['(cn>x)', 'bad-operator', 3, '">" at character 4 must be followed by "=" (>=): LDAP has no ">" alone.'],
    ['(c n=x)', 'bad-attribute', 2, '" " at character 3 cannot be part of an attribute name: names hold only letters, digits, hyphens and underscores.'],
    ['(2.5.4.3=x)', 'bad-attribute', 1, 'The attribute at character 2 starts with a digit: give the attribute by its name (cn, mail…), not a numeric OID.'],
    ['(cn;lang-en=x)', 'bad-attribute', 3, 'Attribute options ("cn;lang-en") are not supported in a filter here; use "cn" alone.'],
    ['(cn=a(b)', 'bad-value', 5, 'A "(" at character 6 inside a value must be written \\28; if it opens another condition, close this one first and combine them with & or |.'],
    ['(uSNChanged>=*)', 'bad-value', 13, 'A "*" at character 14 must be written \\2a here: wildcards work only with "=".'],
    ['(!(cn=a)(sn=b))', 'not-takes-one', 8, 'A "!" (not) takes exactly one condition; a second one starts at character 9. Combine them with & or | inside the "!".'],
    ['(cn=a)(sn=b)', 'trailing-text', 6, 'The filter ends before character 7: combine several conditions with & or |, e.g. (&(cn=a)(sn=b)).'],
    ['(&(cn=a) (sn=b))', 'expected-parenthesis', 8, 'A "(" should open a condition at character 9, not " ".'],
  ])('refuses %s: %s at %i', (filter, kind, position, message) => {
    expect(checkLdapFilter(filter)).toEqual({ kind, position, message });
  });

  it('counts positions in the text as typed: leading spaces and a filter without its outer parentheses', () => {
    expect(checkLdapFilter('   (cn=a\\q1)')).toMatchObject({ kind: 'bad-escape', position: 8 });
    expect(checkLdapFilter('cn=a\\q1')).toMatchObject({ kind: 'bad-escape', position: 4 });
    expect(checkLdapFilter('cn')).toMatchObject({ kind: 'bad-operator', position: 1 });
    expect(checkLdapFilter('   ')).toMatchObject({ kind: 'empty' });
  });
});
