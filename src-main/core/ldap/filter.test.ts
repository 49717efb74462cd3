import { describe, expect, it } from 'vitest';
import { escapeFilterValue, keywordFilter, validateFilter } from './filter';

describe('escapeFilterValue (RFC 4515)', () => {
  it('escapes *, (, ), \\ and NUL and nothing else', () => {
    expect(escapeFilterValue('a*b(c)d\\e\0f')).toBe('a\\2ab\\28c\\29d\\5ce\\00f');
    expect(escapeFilterValue('Zoë Ångström')).toBe('Zoë Ångström');
  });
});

describe('keywordFilter', () => {
  it('narrows the user filter to a substring match on each attribute', () => {
    expect(keywordFilter('(objectClass=inetOrgPerson)', 'smi(th', ['uid', 'cn', 'mail'])).toBe(
      '(&(objectClass=inetOrgPerson)(|(uid=*smi\\28th*)(cn=*smi\\28th*)(mail=*smi\\28th*)))',
    );
  });

  it('treats * alone as everyone', () => {
    expect(keywordFilter('(objectClass=user)', ' * ', ['cn'])).toBe('(objectClass=user)');
  });
});

describe('validateFilter', () => {
  it('accepts a good filter and adds missing outer parentheses', () => {
    expect(validateFilter('objectClass=user')).toBe('(objectClass=user)');
  });

  it('refuses a malformed filter with the reason', () => {
    expect(() => validateFilter('(&(objectClass=user)(cn=a')).toThrow(/^The LDAP filter \(&\(objectClass=user\)\(cn=a is not valid: /);
  });
});
