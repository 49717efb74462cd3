import { describe, expect, it } from 'vitest';
import { bulkConfirmText, bulkMessage } from './bulk-messages';

describe('bulkMessage', () => {
  it('says how many changed and how many were already so', () => {
    expect(bulkMessage({ kind: 'set-enabled', enabled: false }, { matched: 3, changed: 3 })).toBe('Disabled 3 users');
    expect(bulkMessage({ kind: 'set-enabled', enabled: true }, { matched: 3, changed: 1 })).toBe('Enabled 1 user (2 already enabled)');
    expect(bulkMessage({ kind: 'assign-role', roleId: 'r', roleName: 'Help desk' }, { matched: 2, changed: 2 })).toBe('Gave role “Help desk” to 2 users');
    expect(bulkMessage({ kind: 'remove-role', roleId: 'r', roleName: 'Ops' }, { matched: 4, changed: 3 })).toBe('Removed role “Ops” from 3 users (1 did not have it)');
  });
});

describe('bulkConfirmText', () => {
  it('names the count, and the directory-disabled users (the first few, then how many more)', () => {
    expect(bulkConfirmText({ enabled: false, count: 1, directoryDisabled: 0, directoryDisabledNames: [] })).toEqual({
      title: 'Disable login for 1 user?',
      body: 'Disable login in Roster for 1 user. You can undo it for a few seconds after.',
      confirm: 'Disable 1 user',
      warning: null,
    });
    const names = ['ann', 'bob', 'cid', 'dee', 'eve'];
    expect(bulkConfirmText({ enabled: true, count: 1200, directoryDisabled: 7, directoryDisabledNames: names }).warning).toBe(
      '7 of them are disabled in the directory: ann, bob, cid, dee, eve and 2 more. Roster would allow a login the directory refuses.',
    );
    expect(bulkConfirmText({ enabled: true, count: 1200, directoryDisabled: 1, directoryDisabledNames: ['ann'] }).title).toBe('Enable login for 1,200 users?');
  });
});
