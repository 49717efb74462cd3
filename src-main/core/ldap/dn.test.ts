import { describe, expect, it } from 'vitest';
import { normalizeDn } from './dn';

describe('normalizeDn', () => {
  it('makes spellings of the same DN agree', () => {
    const same = [
      'CN=Adams\\, Bob,OU=Staff,DC=corp,DC=example',
      'cn=adams\\2c bob, ou=staff, dc=corp, dc=example',
      'Cn = Adams\\2C Bob ,OU=STAFF,dc=Corp,dc=Example',
    ];
    expect(new Set(same.map(normalizeDn)).size).toBe(1);
    expect(normalizeDn(same[0]!)).toBe('cn=adams\\2c bob,ou=staff,dc=corp,dc=example');
  });

  it('keeps different DNs apart and decodes UTF-8 hex escapes', () => {
    expect(normalizeDn('CN=Adams\\, Bob,OU=Staff')).not.toBe(normalizeDn('CN=Adams,CN=Bob,OU=Staff'));
    expect(normalizeDn('cn=Zo\\C3\\AB,dc=x')).toBe(normalizeDn('CN=Zoë,DC=x'));
    expect(normalizeDn('cn=a+uid=b,dc=x')).toBe(normalizeDn('UID=b+CN=a,DC=x'));
  });

  it('keeps escaped NULs and edge spaces as part of the value (found by dn.property.test.ts)', () => {
    // A decoded NUL was taken for the internal "escaped" marker and swallowed the next character.
    expect(normalizeDn('cn=a\\00b,dc=x')).not.toBe(normalizeDn('cn=ab,dc=x'));
    expect(normalizeDn('cn=\\00\\,+cn=\\00')).toBe('cn=\\00+cn=\\00\\2c');
    // An escaped trailing space is significant however it is escaped; an unescaped one is not.
    expect(normalizeDn('cn=a\\20,dc=x')).toBe(normalizeDn('cn=a\\ ,dc=x'));
    expect(normalizeDn('cn=a\\20,dc=x')).toBe('cn=a\\20,dc=x');
    expect(normalizeDn('cn=a ,dc=x')).toBe('cn=a,dc=x');
    // Only U+0020 is insignificant around a value: a tab is part of it.
    expect(normalizeDn('cn=a\t,dc=x')).not.toBe(normalizeDn('cn=a,dc=x'));
  });

  it('the fast path for plain DNs agrees with the general path', () => {
    // Hex-escaping an ordinary character sends a DN through the general path without changing its meaning.
    expect(normalizeDn('uid=user00001,ou=People,dc=example,dc=org')).toBe(normalizeDn('uid=user\\30\\30001,ou=People,dc=example,dc=org'));
    expect(normalizeDn('CN=Jane Doe, OU=Sales,DC=corp')).toBe(normalizeDn('CN=Jane\\20Doe,OU=Sale\\73,DC=corp'));
  });
});
