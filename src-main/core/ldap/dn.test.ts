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

  it('the fast path for plain DNs agrees with the general path', () => {
    // Hex-escaping an ordinary character sends a DN through the general path without changing its meaning.
    expect(normalizeDn('uid=user00001,ou=People,dc=example,dc=org')).toBe(normalizeDn('uid=user\\30\\30001,ou=People,dc=example,dc=org'));
    expect(normalizeDn('CN=Jane Doe, OU=Sales,DC=corp')).toBe(normalizeDn('CN=Jane\\20Doe,OU=Sale\\73,DC=corp'));
  });
});
