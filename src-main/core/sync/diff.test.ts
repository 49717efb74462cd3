import { describe, expect, it } from 'vitest';
import { effectiveFields } from '#shared/model/fields';
import type { RealmRecord } from '#shared/model/realm';
import { realmFromPreset } from '#shared/model/realm-presets';
import type { UserRecord } from '#shared/model/user';
import { relinkUser } from './clash';
import { applyDiff, mergeField, newUserFrom, threeWayDiff } from './diff';
import type { DirectoryUser } from './mapping';

const fields = effectiveFields({}, []);
const local = fields.find((f) => f.key === 'department')!; // owner: local
const owned = fields.find((f) => f.key === 'displayName')!; // owner: directory
const realm: RealmRecord = { ...realmFromPreset('openldap', { name: 'Lab', urls: ['ldap://lab'], bindDn: '', baseDn: 'dc=lab' }), id: 'r1', order: 0 };
const at = '2026-11-21T12:00:00.000Z';

describe('mergeField: every case of the three-way merge', () => {
  const cases: Array<[string, typeof local, string | undefined, string, string, string, string]> = [
    // name, field, base, local, directory -> outcome, choice
    ['nothing moved', local, 'Sales', 'Sales', 'Sales', 'unchanged', 'directory'],
    ['only the directory moved: take it', local, 'Sales', 'Sales', 'Legal', 'take-directory', 'directory'],
    ['only Roster moved (a completion): keep it', local, 'Sales', 'Research', 'Sales', 'keep-local', 'local'],
    ['a completion of an empty directory value: keep it', local, '', 'Research', '', 'keep-local', 'local'],
    ['both moved to the same value: converged', local, 'Sales', 'Legal', 'Legal', 'converged', 'directory'],
    ['both moved apart on a local field: conflict, default Roster', local, 'Sales', 'Research', 'Legal', 'conflict', 'local'],
    ['both moved apart on a directory field: conflict, default directory', owned, 'Ann', 'Anne', 'Annie', 'conflict', 'directory'],
    ['Roster moved a directory-owned field: the directory wins', owned, 'Ann', 'Anne', 'Ann', 'take-directory', 'directory'],
    ['the directory cleared a value Roster kept: take the clearing', local, 'Sales', 'Sales', '', 'take-directory', 'directory'],
    ['never synced, local field with a value: keep Roster', local, undefined, 'Research', 'Sales', 'keep-local', 'local'],
    ['never synced, local field empty: take the directory', local, undefined, '', 'Sales', 'take-directory', 'directory'],
    ['never synced, directory field: take the directory', owned, undefined, 'Typed by hand', 'Ann Lee', 'take-directory', 'directory'],
  ];
  for (const [name, field, base, l, d, outcome, choice] of cases) {
    it(name, () => expect(mergeField(field, base, l, d)).toEqual({ outcome, choice }));
  }
});

const entry = (over: Partial<DirectoryUser> = {}): DirectoryUser => ({
  dn: 'uid=ann,ou=people,dc=lab',
  externalId: 'id-ann',
  username: 'ann',
  fields: { displayName: 'Ann Lee', email: 'ann@lab', department: 'Sales', title: 'Engineer' },
  enabled: true,
  ...over,
});

describe('threeWayDiff and applyDiff', () => {
  const synced: UserRecord = newUserFrom(entry(), 'r1', 'u1', '2026-11-01T00:00:00.000Z');

  it('a fresh import is unchanged against the same entry', () => {
    const diff = threeWayDiff(synced, realm, fields, entry());
    expect(diff.changes).toBe(0);
    expect(diff.fields.map((f) => f.outcome).every((o) => o === 'unchanged')).toBe(true);
  });

  it('takes directory changes, keeps completions, and queues conflicts in batch mode', () => {
    const user: UserRecord = { ...synced, fields: { ...synced.fields, department: 'Research', title: 'Lead', mobile: '+1 555 0100' } };
    const now = entry({ fields: { displayName: 'Ann Lee-Smith', email: 'ann@lab', department: 'Sales', title: 'Manager' } });
    const diff = threeWayDiff(user, realm, fields, now);
    const outcome = Object.fromEntries(diff.fields.map((f) => [f.field, f.outcome]));
    expect(outcome).toMatchObject({ displayName: 'take-directory', email: 'unchanged', department: 'keep-local', title: 'conflict', mobile: 'keep-local' });
    expect(diff.conflicts).toBe(1);

    const batch = applyDiff(user, diff, now, at, { usernameFree: true });
    expect(batch.user.fields).toEqual({ displayName: 'Ann Lee-Smith', email: 'ann@lab', department: 'Research', title: 'Lead', mobile: '+1 555 0100' });
    expect(batch.user.conflicts).toEqual([{ field: 'title', base: 'Engineer', local: 'Lead', directory: 'Manager', detectedAt: at }]);
    // The conflict keeps its old base, so a later resync still sees it as a conflict.
    expect(batch.user.origin?.base.title).toBe('Engineer');
    expect(batch.user.origin?.base.displayName).toBe('Ann Lee-Smith');
    expect(threeWayDiff(batch.user, realm, fields, now).fields.find((f) => f.field === 'title')?.outcome).toBe('conflict');

    const chosen = applyDiff(user, diff, now, at, { usernameFree: true, choices: { title: 'directory' } });
    expect(chosen.user.fields.title).toBe('Manager');
    expect(chosen.user.conflicts).toBeUndefined();
    expect(chosen.changes).toEqual([
      { field: 'displayName', before: 'Ann Lee', after: 'Ann Lee-Smith' },
      { field: 'title', before: 'Lead', after: 'Manager' },
    ]);
  });

  it('follows a rename and a move upstream, unless the new username is taken', () => {
    const moved = entry({ dn: 'uid=alee,ou=staff,dc=lab', username: 'alee' });
    const diff = threeWayDiff(synced, realm, fields, moved);
    expect(diff.username_change).toEqual({ from: 'ann', to: 'alee' });
    expect(diff.dn_change).toEqual({ from: 'uid=ann,ou=people,dc=lab', to: 'uid=alee,ou=staff,dc=lab' });
    const applied = applyDiff(synced, diff, moved, at, { usernameFree: true });
    expect(applied.user).toMatchObject({ id: 'u1', username: 'alee', origin: { dn: 'uid=alee,ou=staff,dc=lab', baseUsername: 'alee' } });
    expect(applied.changes.slice(0, 2)).toEqual([
      { field: 'username', before: 'ann', after: 'alee' },
      { field: 'dn', before: 'uid=ann,ou=people,dc=lab', after: 'uid=alee,ou=staff,dc=lab' },
    ]);
    expect(applyDiff(synced, diff, moved, at, { usernameFree: false }).user.username).toBe('ann');
  });

  it('links an internal user: directory fields from the directory, Roster values kept for local fields', () => {
    const internal: UserRecord = {
      id: 'i1',
      username: 'ann',
      kind: 'internal',
      enabled: true,
      roles: ['r'],
      fields: { displayName: 'typed', department: 'Research' },
      createdAt: at,
      updatedAt: at,
    };
    const diff = threeWayDiff(internal, realm, fields, entry());
    const applied = applyDiff(internal, diff, entry(), at, { usernameFree: true });
    expect(applied.user).toMatchObject({ kind: 'external', roles: ['r'], fields: { displayName: 'Ann Lee', department: 'Research', title: 'Engineer' } });
    expect(applied.user.origin?.base.department).toBe('Sales');
    expect(applied.changes[0]).toEqual({ field: 'kind', before: 'internal', after: 'external' });
  });

  it('records an account disabled upstream', () => {
    const diff = threeWayDiff(synced, realm, fields, entry({ enabled: false }));
    const applied = applyDiff(synced, diff, entry({ enabled: false }), at, { usernameFree: true });
    expect(applied.user.origin?.directoryEnabled).toBe(false);
    expect(applied.user.enabled).toBe(true);
    expect(applied.changes).toEqual([{ field: 'directory account', before: 'enabled', after: 'disabled' }]);
  });
});

describe('relinkUser: conflicts that no longer apply', () => {
  it('names them by their labels in the note', () => {
    const synced: UserRecord = newUserFrom(entry(), 'r1', 'u1', '2026-11-01T00:00:00.000Z');
    const waiting: UserRecord = {
      ...synced,
      conflicts: [
        { field: 'title', base: 'Engineer', local: 'Lead', directory: 'Manager', detectedAt: at },
        { field: 'department', base: 'Sales', local: 'Research', directory: 'Legal', detectedAt: at },
      ],
    };
    const other: RealmRecord = { ...realm, id: 'r2', name: 'Acme' };
    const names: Record<string, string> = { r1: 'Lab', r2: 'Acme' };
    const { note } = relinkUser(waiting, other, fields, entry({ dn: 'uid=ann,ou=staff,dc=acme' }), at, (id) => names[id] ?? id);
    expect(note).toContain('2 conflicts waiting against realm "Lab" (Job title, Department) no longer apply.');
  });
});
