import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UserRecord } from '#shared/model/user';
import { RosterError } from '#shared/result';
import { SessionSecretStore } from '../secrets/secret-store';
import { openServices, type Services } from '../services';
import { writeUsersSnapshot } from './user-store';

let dir: string;
let services: Services;
let clock = Date.parse('2026-11-21T10:00:00Z');
const now = () => new Date((clock += 1000));

const open = () =>
  openServices({ dataDir: dir, owner: 'test', transport: 'cli', secrets: new SessionSecretStore('test'), version: 'test', actor: 'alice', now });

const failure = async (work: Promise<unknown>): Promise<RosterError> => {
  try {
    await work;
  } catch (error) {
    if (error instanceof RosterError) return error;
    throw error;
  }
  throw new Error('expected a failure');
};

/** An external user as an import would leave it: directory values in base and fields. */
const external = (id: string, username: string, fields: Record<string, string>, base = fields): UserRecord => ({
  id,
  username,
  kind: 'external',
  enabled: true,
  roles: [],
  fields: { ...fields },
  origin: {
    realmId: 'r1',
    externalId: `guid-${id}`,
    dn: `uid=${username},ou=people,dc=example,dc=org`,
    syncedAt: '2026-11-20T08:00:00.000Z',
    base: { ...base },
    baseUsername: username,
    directoryEnabled: true,
  },
  createdAt: '2026-11-20T08:00:00.000Z',
  updatedAt: '2026-11-20T08:00:00.000Z',
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-users-'));
  services = await open();
});
afterEach(async () => {
  await services.close();
  await rm(dir, { recursive: true, force: true });
});

const lastAudit = async () => (await services.audit.query({}))[0];

describe('creating and editing users', () => {
  it('creates an internal user and journals every value', async () => {
    const detail = await services.users.create({
      username: 'jdoe',
      fields: { displayName: 'Jane Doe', email: 'jane@example.org', department: ' Sales ' },
      enabled: true,
      roles: [],
    });
    expect(detail.user).toMatchObject({
      username: 'jdoe',
      kind: 'internal',
      enabled: true,
      fields: { displayName: 'Jane Doe', email: 'jane@example.org', department: 'Sales' },
    });
    expect(detail.fields.find((f) => f.key === 'department')).toMatchObject({ value: 'Sales', source: 'internal', readOnly: false, completion: false });
    expect(detail.fields.find((f) => f.key === 'title')).toMatchObject({ value: '', missing: true });
    expect(await lastAudit()).toMatchObject({
      who: 'alice',
      action: 'user.create',
      userId: detail.user.id,
      username: 'jdoe',
      changes: [
        { field: 'username', before: '', after: 'jdoe' },
        { field: 'displayName', before: '', after: 'Jane Doe' },
        { field: 'email', before: '', after: 'jane@example.org' },
        { field: 'department', before: '', after: 'Sales' },
      ],
    });
  });

  it('refuses a duplicate username ignoring case, bad characters and a malformed email', async () => {
    await services.users.create({ username: 'jdoe', fields: {}, enabled: true, roles: [] });
    expect((await failure(services.users.create({ username: 'JDoe', fields: {}, enabled: true, roles: [] }))).message).toBe(
      'The username "JDoe" is already taken by jdoe (usernames are unique ignoring case).',
    );
    expect((await failure(services.users.create({ username: 'j doe', fields: {}, enabled: true, roles: [] }))).message).toBe(
      'Username "j doe" may contain only letters, digits, and . _ - @ (at most 64 characters, no spaces).',
    );
    const bad = await failure(services.users.create({ username: 'x', fields: { email: 'not-an-address' }, enabled: true, roles: [] }));
    expect(bad.message).toBe('Email "not-an-address" is not an email address (name@example.org).');
    expect(bad.details).toEqual({ field: 'email' });
    expect((await failure(services.users.create({ username: 'y', fields: { shoeSize: '42' }, enabled: true, roles: [] }))).message).toMatch(
      /^Unknown field "shoeSize"\. Fields: displayName, /,
    );
    expect(services.userStore.size).toBe(1);
  });

  it('edits fields and the username, audits before/after, and writes nothing when nothing changed', async () => {
    const { user } = await services.users.create({ username: 'jdoe', fields: { department: 'Sales' }, enabled: true, roles: [] });
    const edited = await services.users.update(user.id, { username: 'jane.doe', fields: { department: 'Legal', title: 'Counsel' } });
    expect(edited.user).toMatchObject({ username: 'jane.doe', fields: { department: 'Legal', title: 'Counsel' } });
    expect(await lastAudit()).toMatchObject({
      action: 'user.update',
      username: 'jane.doe',
      changes: [
        { field: 'username', before: 'jdoe', after: 'jane.doe' },
        { field: 'department', before: 'Sales', after: 'Legal' },
        { field: 'title', before: '', after: 'Counsel' },
      ],
    });
    const count = (await services.audit.query({})).length;
    await services.users.update(user.id, { fields: { department: 'Legal' } });
    expect((await services.audit.query({})).length).toBe(count);
    // Clearing a value removes it.
    await services.users.update(user.id, { fields: { title: '' } });
    expect(services.users.detail(user.id).user.fields).toEqual({ department: 'Legal' });
  });

  it('deletes a user and keeps its last values in the journal', async () => {
    const { user } = await services.users.create({ username: 'gone', fields: { email: 'g@example.org' }, enabled: true, roles: [] });
    await services.users.remove(user.id);
    expect(services.userStore.get(user.id)).toBeUndefined();
    expect(await lastAudit()).toMatchObject({
      action: 'user.delete',
      username: 'gone',
      changes: [
        { field: 'username', before: 'gone', after: '' },
        { field: 'email', before: 'g@example.org', after: '' },
      ],
    });
    expect((await failure(services.users.remove(user.id))).code).toBe('not-found');
  });
});

describe('external users and attribute locks', () => {
  beforeEach(async () => {
    await services.close();
    await writeUsersSnapshot(dir, [external('e1', 'zangstrom', { displayName: 'Zoë Ångström', email: 'z@example.org', title: 'Engineer' })]);
    services = await open();
  });

  it('keeps directory-owned fields read-only and marks local values as completions', async () => {
    const error = await failure(services.users.update('e1', { fields: { displayName: 'Zoe Angstrom' } }));
    expect(error.code).toBe('forbidden');
    expect(error.message).toBe(
      'Full name of zangstrom is owned by the directory and read-only; change it in the directory, or make the field local in Settings → Fields.',
    );
    expect((await failure(services.users.update('e1', { username: 'zoe' }))).code).toBe('forbidden');

    const detail = await services.users.update('e1', { fields: { department: 'Research', title: 'Engineer' } });
    const department = detail.fields.find((f) => f.key === 'department');
    expect(department).toMatchObject({ value: 'Research', directoryValue: '', source: 'local', completion: true, readOnly: false });
    expect(detail.fields.find((f) => f.key === 'title')).toMatchObject({ value: 'Engineer', source: 'directory', completion: false });
    expect(detail.fields.find((f) => f.key === 'displayName')).toMatchObject({ readOnly: true, source: 'directory', directoryValue: 'Zoë Ångström' });
    expect(services.users.query({ search: '', completions: true, sort: { column: 'username', direction: 'asc' } }, 0, 10).total).toBe(1);
  });

  it('locking a field makes it read-only on external users and ends its completion', async () => {
    await services.users.update('e1', { fields: { department: 'Research' } });
    const fields = await services.settings.setPolicy('department', { owner: 'directory' });
    expect(fields.find((f) => f.key === 'department')?.owner).toBe('directory');
    const department = services.users.detail('e1').fields.find((f) => f.key === 'department');
    expect(department).toMatchObject({ readOnly: true, completion: false });
    expect((await failure(services.users.update('e1', { fields: { department: 'Other' } }))).code).toBe('forbidden');
    expect(await lastAudit()).toMatchObject({ action: 'field.policy', changes: [{ field: 'department.owner', before: 'local', after: 'directory' }] });
    // The policy is kept in the document and survives a restart.
    await services.close();
    services = await open();
    expect(services.users.fields().find((f) => f.key === 'department')?.owner).toBe('directory');
  });

  it('required fields drive "incomplete"', async () => {
    const q = { search: '', incomplete: true, sort: { column: 'username', direction: 'asc' } } as const;
    expect(services.users.query(q, 0, 10).total).toBe(1); // department and surname are missing
    await services.settings.setPolicy('department', { required: false });
    await services.settings.setPolicy('givenName', { required: false });
    await services.settings.setPolicy('surname', { required: false });
    expect(services.users.query(q, 0, 10).total).toBe(0);
  });

  it('adds a custom field mapped to an LDAP attribute and removes it without losing values', async () => {
    const fields = await services.settings.addField({ key: 'costCenter', label: 'Cost center', ldapAttribute: 'extensionAttribute1', required: false });
    expect(fields.at(-1)).toEqual({
      key: 'costCenter',
      label: 'Cost center',
      type: 'text',
      ldapAttribute: 'extensionAttribute1',
      owner: 'local',
      required: false,
      custom: true,
    });
    await services.users.update('e1', { fields: { costCenter: 'CC-42' } });
    expect((await failure(services.settings.addField({ key: 'costcenter', label: 'X', ldapAttribute: 'x' }))).code).toBe('conflict');
    expect((await failure(services.settings.removeField('email'))).code).toBe('forbidden');
    await services.settings.removeField('costCenter');
    expect(services.userStore.get('e1')?.fields.costCenter).toBe('CC-42');
    expect((await services.audit.query({ action: 'field.delete' }))[0]?.note).toBe(
      'Removed the field Cost center; values users held are kept and return if the field is added again.',
    );
    // The journal names the field by its label, never "(costCenter)".
    expect((await services.audit.query({ action: 'field.create' }))[0]?.note).toBe('Added the field Cost center, mapped to extensionAttribute1.');
  });

  it('converts an external user to internal, keeping the values', async () => {
    const detail = await services.conversion.toInternal('e1');
    expect(detail.user.kind).toBe('internal');
    expect(detail.user.origin).toBeUndefined();
    expect(detail.user.fields.displayName).toBe('Zoë Ångström');
    expect(await lastAudit()).toMatchObject({
      action: 'user.to-internal',
      changes: [
        { field: 'kind', before: 'external', after: 'internal' },
        { field: 'realm', before: '(deleted realm)', after: '' },
        { field: 'dn', before: 'uid=zangstrom,ou=people,dc=example,dc=org', after: '' },
      ],
    });
    expect(services.userStore.findByExternalId('r1', 'guid-e1')).toBeUndefined();
  });
});

describe('login status and roles', () => {
  let ids: string[];
  beforeEach(async () => {
    ids = [];
    for (const name of ['ann', 'bob', 'cid', 'dee']) ids.push((await services.users.create({ username: name, fields: {}, enabled: true, roles: [] })).user.id);
  });

  it('disables and enables, single and bulk, auditing only real changes', async () => {
    expect(await services.users.setEnabled({ ids: ids.slice(0, 3) }, false)).toEqual({ matched: 3, changed: 3, changedIds: ids.slice(0, 3) });
    expect(await services.users.setEnabled({ ids: ids.slice(0, 3) }, false)).toEqual({ matched: 3, changed: 0, changedIds: [] });
    expect((await services.audit.query({ action: 'user.disable' })).map((e) => e.username).sort()).toEqual(['ann', 'bob', 'cid']);
    expect((await services.audit.query({ action: 'user.disable' }))[0]?.changes).toEqual([{ field: 'enabled', before: 'true', after: 'false' }]);
    // "Select all in filter": everything the query matches.
    expect(await services.users.setEnabled({ query: { search: '', enabled: false } }, true)).toMatchObject({ matched: 3, changed: 3 });
    expect([...services.userStore.all()].every((u) => u.enabled)).toBe(true);
    expect((await failure(services.users.setEnabled({ ids: ['nope'] }, true))).message).toBe(
      '1 of the selected users no longer exist; reload the list and select again.',
    );
  });

  it('a bulk login change is previewed (directory-disabled users named) and undone by setting its changed users back', async () => {
    await services.close();
    const off = external('e2', 'gone', {});
    off.origin = { ...off.origin!, directoryEnabled: false };
    off.enabled = false;
    await writeUsersSnapshot(dir, [external('e1', 'kept', {}), off]);
    services = await open();
    const everyone = { query: { search: '', kind: 'external' as const } };
    expect(services.users.previewBulk(everyone)).toEqual({ count: 2, directoryDisabled: 1, directoryDisabledNames: ['gone'] });
    expect(services.users.previewBulk({ ids: ['e1'] })).toEqual({ count: 1, directoryDisabled: 0, directoryDisabledNames: [] });
    const done = await services.users.setEnabled(everyone, true);
    expect(done).toEqual({ matched: 2, changed: 1, changedIds: ['e2'] });
    // Undo: the changed users back to their previous state, journaled like any change.
    await services.users.setEnabled({ ids: done.changedIds! }, false);
    expect(services.userStore.get('e2')?.enabled).toBe(false);
    expect(services.userStore.get('e1')?.enabled).toBe(true);
    expect((await services.audit.query({})).slice(0, 2).map((e) => [e.action, e.username])).toEqual([
      ['user.disable', 'gone'],
      ['user.enable', 'gone'],
    ]);
  });

  it('creates, renames, assigns, copies and deletes roles with a holder check', async () => {
    const vpn = await services.settings.createRole('VPN');
    const payroll = await services.settings.createRole('Payroll');
    expect((await failure(services.settings.createRole('vpn'))).message).toBe('A role called "VPN" already exists.');
    expect(await services.users.assignRole({ ids: [ids[0]!, ids[1]!] }, vpn.id)).toEqual({ matched: 2, changed: 2 });
    await services.users.assignRole({ ids: [ids[0]!] }, payroll.id);
    expect(services.settings.roles()).toEqual([
      { id: payroll.id, name: 'Payroll', holders: 1 },
      { id: vpn.id, name: 'VPN', holders: 2 },
    ]);

    const copied = await services.users.copyRoles(ids[2]!, ids[0]!);
    expect(copied.roleNames.sort()).toEqual(['Payroll', 'VPN']);
    expect(await lastAudit()).toMatchObject({
      action: 'user.role-assign',
      username: 'cid',
      note: 'Copied roles from ann.',
      changes: [{ field: 'roles', before: '', after: 'Payroll, VPN' }],
    });

    await services.settings.renameRole(vpn.id, 'Remote access');
    expect(services.users.detail(ids[1]!).roleNames).toEqual(['Remote access']);

    expect(await services.users.removeRole({ ids: [ids[1]!] }, vpn.id)).toEqual({ matched: 1, changed: 1 });
    const refused = await failure(services.settings.deleteRole(vpn.id, false));
    expect(refused.message).toBe('The role Remote access is held by 2 users; deleting it removes it from them. Confirm to go on.');
    expect(await services.settings.deleteRole(vpn.id, true)).toEqual({ id: vpn.id, removedFrom: 2 });
    expect(services.users.detail(ids[0]!).user.roles).toEqual([payroll.id]);
    const actions = (await services.audit.query({})).map((e) => e.action);
    expect(actions.slice(0, 3)).toEqual(['role.delete', 'user.role-remove', 'user.role-remove']);
    expect(actions).toContain('role.rename');
    expect(actions).toContain('role.create');
  });
});

describe('history and the audit journal', () => {
  it("lists a user's history newest first and filters the journal by user, action and date", async () => {
    const { user } = await services.users.create({ username: 'hist', fields: {}, enabled: true, roles: [] });
    await services.users.update(user.id, { fields: { department: 'Sales' } });
    await services.users.setEnabled({ ids: [user.id] }, false);
    await services.users.create({ username: 'other', fields: {}, enabled: true, roles: [] });
    expect((await services.users.history(user.id)).map((e) => e.action)).toEqual(['user.disable', 'user.update', 'user.create']);
    expect((await services.audit.query({ user: 'HIST' })).length).toBe(3);
    expect((await services.audit.query({ action: 'user.create' })).map((e) => e.username)).toEqual(['other', 'hist']);
    const entries = await services.audit.query({});
    const second = entries.at(-2)!.at;
    expect((await services.audit.query({ from: second })).length).toBe(entries.length - 1);
    expect((await services.audit.query({ to: '2000-01-01' })).length).toBe(0);
    expect((await services.audit.query({ from: second.slice(0, 10), to: second.slice(0, 10) })).length).toBe(entries.length);
  });

  it('exports the journal as CSV and journals the export', async () => {
    await services.users.create({ username: 'csv', fields: { title: '=HYPERLINK("http://x")', department: 'R&D, "Labs"\nNorth' }, enabled: true, roles: [] });
    const { csv, count, filename } = await services.auditor.csv({});
    expect(count).toBe(1);
    expect(filename).toMatch(/^roster-audit-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(csv.startsWith('\uFEFFSeq,When (UTC),Who,Action,Username,User id,Realm,Field,Before,After,Note\r\n')).toBe(true);
    const { parse } = await import('csv-parse/sync');
    const rows = parse(csv.slice(1), { relax_column_count: false }) as string[][];
    expect(rows.slice(1).map((r) => [r[3], r[7], r[9]])).toEqual([
      ['Created user', 'username', 'csv'],
      ['Created user', 'title', '\'=HYPERLINK("http://x")'],
      ['Created user', 'department', 'R&D, "Labs"\nNorth'],
    ]);
    expect((await services.audit.query({}))[0]).toMatchObject({ action: 'audit.export', note: 'Exported 1 entries as CSV.' });
  });
});
