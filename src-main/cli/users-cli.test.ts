import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { seedUsers } from '../../e2e/fixtures/users';
import { runCli } from './run-cli';

let dataDir: string;

/** Runs the CLI in-process on this test's data folder. */
const roster = (...args: string[]) => runCli(dataDir, args);
const json = async (...args: string[]) => {
  const result = await roster(...args, '--json');
  expect(result.err).toBe('');
  return JSON.parse(result.out);
};

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'roster-cli-users-'));
  return () => rm(dataDir, { recursive: true, force: true });
});

describe('roster users', () => {
  it('creates, shows, edits, lists and deletes users with one-line errors', async () => {
    expect(
      await roster('users', 'create', 'jdoe', '--set', 'displayName=Jane Doe', '--set', 'email=jane@example.org', '--set', 'department=Sales'),
    ).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^Created internal user jdoe \(id [0-9a-f-]{36}\)\.$/),
    });
    expect(await roster('users', 'create', 'JDoe')).toEqual({
      code: 1,
      out: '',
      err: 'roster: The username "JDoe" is already taken by jdoe (usernames are unique ignoring case).',
    });
    expect(await roster('users', 'set', 'ghost', 'title=x')).toEqual({ code: 1, out: '', err: 'roster: No user is called "ghost".' });
    expect(await roster('users', 'set', 'jdoe', 'email=not-mail')).toMatchObject({
      code: 1,
      err: 'roster: Email "not-mail" is not an email address (name@example.org).',
    });
    expect(await roster('users', 'set', 'jdoe', 'title')).toMatchObject({
      code: 1,
      err: 'roster: Give fields as FIELD=VALUE (e.g. department=Sales); got "title".',
    });
    expect(await roster('users', 'set', 'JDOE', 'title=Lead = Sales', 'department=')).toEqual({
      code: 0,
      out: 'jdoe: department "Sales" → ""\njdoe: title "" → "Lead = Sales"',
      err: '',
    });

    const shown = await json('users', 'show', 'jdoe');
    expect(shown.user).toMatchObject({ username: 'jdoe', kind: 'internal', fields: { displayName: 'Jane Doe', title: 'Lead = Sales' } });
    expect(shown.fields.find((f: { key: string }) => f.key === 'department')).toMatchObject({ value: '', missing: true });
    const text = await roster('users', 'show', 'jdoe');
    expect(text.out).toMatch(/^jdoe \(internal\)\n/);
    expect(text.out).toMatch(/\ndepartment +Department +missing \(required\)\n/);

    await roster('users', 'create', 'amy', '--set', 'department=Finance', '--disabled');
    const listed = await roster('users', 'list');
    expect(
      listed.out
        .split('\n')
        .slice(2, 4)
        .map((l) => l.split(/\s{2,}/)[0]),
    ).toEqual(['amy', 'jdoe']);
    expect(listed.out.split('\n').at(-1)).toBe('2 users.');
    expect((await json('users', 'list', '--disabled')).users.map((u: { username: string }) => u.username)).toEqual(['amy']);
    expect((await json('users', 'list', '--search', 'FIN')).users.map((u: { username: string }) => u.username)).toEqual(['amy']);
    expect((await json('users', 'list', '--sort', 'username', '--desc')).users.map((u: { username: string }) => u.username)).toEqual(['jdoe', 'amy']);
    expect(await roster('users', 'list', '--kind', 'robot')).toMatchObject({ code: 2 });

    expect(await roster('users', 'delete', 'amy')).toMatchObject({ code: 0, out: 'Deleted amy.' });
    expect((await json('users', 'list')).total).toBe(1);
  });

  it('filters a seeded store by kind, realm-less external users, incompleteness and paging', async () => {
    await seedUsers(dataDir, 300);
    const all = await json('users', 'list');
    expect(all.total).toBe(300);
    expect(all.users).toHaveLength(300);
    expect((await json('users', 'list', '--kind', 'external')).total).toBe(100);
    // Every 11th user lacks a department (required): 27 of 300.
    expect((await json('users', 'list', '--incomplete')).total).toBe(27);
    expect((await json('users', 'list', '--completions')).users.map((u: { username: string }) => u.username)).toEqual(
      [39, 78, 117, 156, 195, 234, 273].map((i) => `user${String(i).padStart(5, '0')}`),
    );
    const limited = await roster('users', 'list', '--limit', '5');
    expect(limited.out.split('\n').at(-1)).toBe('5 of 300 users shown.');
    expect(await roster('users', 'list', '--realm', 'Nowhere')).toMatchObject({
      code: 1,
      err: 'roster: No realm is called "Nowhere". No realms exist yet: add one with `roster realm add`.',
    });
  });

  it('refuses to change a directory-owned field of an external user', async () => {
    await seedUsers(dataDir, 3);
    expect(await roster('users', 'set', 'user00003', 'displayName=Someone Else')).toEqual({
      code: 1,
      out: '',
      err: 'roster: Full name of user00003 is owned by the directory and read-only; change it in the directory, or make the field local in Settings → Fields.',
    });
    expect(await roster('users', 'set', 'user00003', 'department=Research')).toMatchObject({ code: 0 });
    const shown = await roster('users', 'show', 'user00003');
    expect(shown.out).toMatch(/\ndepartment +Department +Research +completion \(directory has "Finance"\)\n/);
    expect(shown.out).toMatch(/\ndisplayName +Full name +[^\n]+locked \(directory\)\n/);
  });

  it('enables and disables login in bulk', async () => {
    await seedUsers(dataDir, 8);
    expect(await roster('users', 'disable', 'zangstrom', 'user00002', 'user00007')).toMatchObject({
      code: 0,
      out: 'Disabled login for 2 of 3 users (1 already were).',
    });
    expect((await json('users', 'list', '--disabled')).users.map((u: { username: string }) => u.username)).toEqual(['user00002', 'user00007', 'zangstrom']);
    expect(await roster('users', 'enable', 'user00007', 'nobody')).toMatchObject({ code: 1, err: 'roster: No user is called "nobody".' });
    expect((await json('users', 'list', '--disabled')).total).toBe(3);
  });
});

describe('roster roles, fields and audit', () => {
  it('assigns and removes roles and journals it all', async () => {
    await seedUsers(dataDir, 4);
    expect(await roster('roles', 'create', 'VPN')).toMatchObject({ code: 0, out: 'Created role VPN.' });
    expect(await roster('roles', 'assign', 'vpn', 'zangstrom', 'user00002')).toMatchObject({ code: 0, out: 'Assigned VPN to 2 of 2 users (0 unchanged).' });
    expect(await roster('roles', 'assign', 'Payroll', 'zangstrom')).toMatchObject({ code: 1, err: 'roster: No role is called "Payroll". Roles: VPN.' });
    expect(await json('roles', 'list')).toEqual([{ id: expect.any(String), name: 'VPN', holders: 2 }]);
    expect(await roster('roles', 'remove', 'VPN', 'user00002')).toMatchObject({ code: 0, out: 'Removed VPN from 1 of 1 users (0 unchanged).' });
    expect(await roster('roles', 'delete', 'VPN')).toMatchObject({
      code: 1,
      err: 'roster: The role VPN is held by 1 user; deleting it removes it from them. Confirm to go on.',
    });
    expect(await roster('roles', 'delete', 'VPN', '--force')).toMatchObject({ code: 0, out: 'Deleted role VPN (removed from 1 users).' });

    const history = await json('audit', 'list', '--user', 'zangstrom');
    expect(history.entries.map((e: { action: string }) => e.action)).toEqual(['user.role-remove', 'user.role-assign']);
    expect(history.entries[1].changes).toEqual([{ field: 'roles', before: '', after: 'VPN' }]);
    const text = await roster('audit', 'list', '--action', 'role.create');
    expect(text.out.split('\n')[2]).toMatch(/^\S+Z\s+\S+\s+Created role\s+Role: "" → "VPN"$/);
  });

  it('sets field owners and required, adds custom fields, and refuses nonsense', async () => {
    await seedUsers(dataDir, 3);
    expect(await roster('fields', 'set', 'department', '--owner', 'directory', '--optional')).toMatchObject({
      code: 0,
      out: 'Department (department): owner directory, optional.',
    });
    // The journal names a policy change as Settings → Fields names its controls, never "department.owner".
    const policy = await roster('audit', 'list', '--action', 'field.policy');
    expect(policy.out.split('\n')[2]).toMatch(/ Owner of Department: "local" → "directory"; Required: Department: "true" → "false"$/);
    const fields = await json('fields', 'list');
    expect(fields.find((f: { key: string }) => f.key === 'department')).toMatchObject({ owner: 'directory', required: false, custom: false });
    expect(await roster('users', 'set', 'user00003', 'department=Research')).toMatchObject({
      code: 1,
      err: 'roster: Department of user00003 is owned by the directory and read-only; change it in the directory, or make the field local in Settings → Fields.',
    });
    expect(await roster('fields', 'set', 'shoe', '--owner', 'local')).toMatchObject({
      code: 1,
      err: expect.stringMatching(/^roster: Unknown field "shoe"\. Fields: displayName, /),
    });
    expect(await roster('fields', 'set', 'title')).toMatchObject({ code: 1, err: 'roster: Nothing to change: give --owner, --required or --optional.' });
    expect(await roster('fields', 'set', 'title', '--owner', 'nobody')).toMatchObject({ code: 2 });
    expect(await roster('fields', 'add', 'costCenter', '--label', 'Cost center', '--attribute', 'extensionAttribute1', '--required')).toMatchObject({
      code: 0,
      out: 'Added field Cost center (costCenter) mapped to extensionAttribute1.',
    });
    expect((await json('users', 'list', '--incomplete')).total).toBe(3);
    expect(await roster('users', 'set', 'zangstrom', 'costCenter=CC-1')).toMatchObject({ code: 0, out: 'zangstrom: costCenter "" → "CC-1"' });
    const listed = await roster('fields', 'list');
    expect(listed.out).toMatch(/\ncostCenter +Cost center +text +local +yes +extensionAttribute1$/);
  });

  it('exports the journal as CSV and never overwrites a file', async () => {
    await roster('users', 'create', 'csvuser', '--set', 'title=@SUM(A1)');
    const out = join(dataDir, 'audit.csv');
    expect(await roster('audit', 'export', '--out', out)).toMatchObject({ code: 0, out: `Wrote 1 entries to ${out}.` });
    const csv = await readFile(out, 'utf8');
    expect(csv.startsWith('\uFEFFSeq,')).toBe(true);
    expect(csv).toContain(",title,,'@SUM(A1),");
    expect(await roster('audit', 'export', '--out', out)).toMatchObject({ code: 1, err: `roster: ${out} already exists; choose another file name.` });
  });
});
