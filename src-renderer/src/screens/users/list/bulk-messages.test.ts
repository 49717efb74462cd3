import { describe, expect, it } from 'vitest';
import { bulkMessage } from './bulk-messages';

describe('bulkMessage', () => {
  it('says how many changed and how many were already so', () => {
    expect(bulkMessage({ kind: 'set-enabled', enabled: false }, { matched: 3, changed: 3 })).toBe('Disabled 3 users');
    expect(bulkMessage({ kind: 'set-enabled', enabled: true }, { matched: 3, changed: 1 })).toBe('Enabled 1 user (2 already enabled)');
    expect(bulkMessage({ kind: 'assign-role', roleId: 'r', roleName: 'Help desk' }, { matched: 2, changed: 2 })).toBe('Gave role “Help desk” to 2 users');
    expect(bulkMessage({ kind: 'remove-role', roleId: 'r', roleName: 'Ops' }, { matched: 4, changed: 3 })).toBe('Removed role “Ops” from 3 users (1 did not have it)');
  });
});
