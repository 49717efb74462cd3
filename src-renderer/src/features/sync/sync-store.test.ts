import { beforeEach, describe, expect, it } from 'vitest';
import type { RosterApi } from '#shared/ipc/api';
import type { Job, UserDiff } from '#shared/model/sync';
import type { DirectoryCandidate } from '#shared/model/user';
import type { Result } from '#shared/result';
import { resetJobs, useJobsStore } from '../../stores/jobs-store';
import { passwordMissing } from '../../stores/session-password';
import { diffSummary, resultValue } from './resync-diff';
import { jobWantsPassword, realmOfRefusal, resetSync, useSyncStore } from './sync-store';

let calls: { channel: string; input: Record<string, unknown> }[] = [];
let answer: (channel: string, input: Record<string, unknown>) => Result<unknown> | Promise<Result<unknown>>;

// The store reaches main only through src/api.ts, which reads window.roster: stand in for it.
const roster: RosterApi = {
  invoke: async (channel, input) => {
    calls.push({ channel, input: input as Record<string, unknown> });
    return (await answer(channel, input as Record<string, unknown>)) as never;
  },
  on: () => () => undefined,
};
Object.assign(globalThis, { window: { roster } });

const store = () => useSyncStore.getState();
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const needPassword: Result<never> = { ok: false, error: { code: 'password-required', message: 'Enter the bind password.' } };
/** Passwords main was given (on the one channel that carries them), by realm: what the fake main binds with. */
let mainKeeps = new Map<string, string>();
/** Stands in for main's side of `realms:set-session-password` and the realm list it reloads; undefined otherwise. */
const passwordChannels = (channel: string, input: Record<string, unknown>): Result<unknown> | undefined => {
  if (channel === 'realms:set-session-password') {
    mainKeeps.set(input.realmId as string, input.password as string);
    return { ok: true, value: { kept: 'session' } };
  }
  if (channel === 'realms:list') return { ok: true, value: [] };
  return undefined;
};
/** Every call that carried `secret` anywhere in its input. */
const carrying = (secret: string) => calls.filter((c) => JSON.stringify(c.input).includes(secret));

const candidate = (dn: string, match: DirectoryCandidate['match']): DirectoryCandidate => ({
  dn,
  externalId: `id-${dn}`,
  username: 'alice',
  email: 'alice@example.org',
  displayName: 'Alice',
  enabled: true,
  match,
});
const diff: UserDiff = {
  userId: 'u1',
  username: 'alice',
  realmId: 'r1',
  dn: 'uid=alice,dc=x',
  externalId: 'id-1',
  fields: [
    { field: 'title', label: 'Title', owner: 'directory', base: 'A', local: 'A', directory: 'B', outcome: 'take-directory', choice: 'directory' },
    { field: 'department', label: 'Department', owner: 'local', base: 'S', local: 'R', directory: 'M', outcome: 'conflict', choice: 'local' },
  ],
  directoryEnabled: true,
  conflicts: 1,
  changes: 2,
};
const job: Job = { id: 'j1', kind: 'reconcile', realmId: 'r1', state: 'running', done: 0, total: 0, phase: 'Starting', startedAt: '2025-01-01T00:00:00.000Z' };

beforeEach(() => {
  resetSync();
  resetJobs();
  calls = [];
  mainKeeps = new Map();
  answer = (channel) => {
    if (channel === 'sync:candidates') return { ok: true, value: [candidate('uid=a,dc=x', 'username'), candidate('uid=alice,dc=x', 'id')] };
    if (channel === 'sync:preview') return { ok: true, value: diff };
    if (channel === 'sync:apply') return { ok: true, value: {} };
    return { ok: true, value: job };
  };
});

describe('the Resynchronize dialog', () => {
  it('loads the candidates of the realm and ticks the best match', async () => {
    store().openResync({ id: 'u1', username: 'alice' }, 'r1');
    expect(store().resync?.busy).toBe('candidates');
    await settle();
    expect(calls).toEqual([{ channel: 'sync:candidates', input: { userId: 'u1', realmId: 'r1' } }]);
    expect(store().resync?.chosen).toBe('uid=alice,dc=x');
    expect(store().resync?.busy).toBeNull();
  });

  it('previews the chosen entry with the default choices, and applies the admin’s choices', async () => {
    store().openResync({ id: 'u1', username: 'alice' }, 'r1');
    await settle();
    await store().start();
    expect(calls.at(-1)).toEqual({ channel: 'sync:preview', input: { userId: 'u1', realmId: 'r1', dn: 'uid=alice,dc=x' } });
    expect(store().resync?.choices).toEqual({ department: 'local' });
    store().choose('department', 'directory');
    expect(await store().apply()).toBe(true);
    expect(calls.at(-1)).toEqual({ channel: 'sync:apply', input: { userId: 'u1', realmId: 'r1', dn: 'uid=alice,dc=x', choices: { department: 'directory' } } });
    expect(store().resync).toBeNull();
    expect(store().resynced?.userId).toBe('u1');
  });

  it('asks for the bind password when main has none, hands it to main on the one password channel, retries the failed step; keeps none', async () => {
    const secret = 'typed-Secret-7731';
    answer = (channel, input) =>
      passwordChannels(channel, input) ??
      (mainKeeps.get('r1') === secret || channel !== 'sync:candidates' ? { ok: true, value: [candidate('uid=alice,dc=x', 'id')] } : needPassword);
    store().openResync({ id: 'u1', username: 'alice' }, 'r1');
    await settle();
    expect(store().resync).toMatchObject({ needsPassword: true, failed: 'candidates', error: { code: 'password-required' } });
    await store().givePassword('r1', secret);
    await settle();
    expect(calls.map((c) => c.channel)).toEqual(['sync:candidates', 'realms:set-session-password', 'realms:list', 'sync:candidates']);
    expect(calls[1]?.input).toEqual({ realmId: 'r1', password: secret });
    expect(calls.at(-1)?.input).toEqual({ userId: 'u1', realmId: 'r1' });
    expect(store().resync).toMatchObject({ needsPassword: false, error: null, chosen: 'uid=alice,dc=x' });
    // Main keeps it: the next dialog for the same realm just asks main, and nothing here holds the password.
    store().closeResync();
    store().openResync({ id: 'u2', username: 'bob' }, 'r1');
    await settle();
    expect(calls.at(-1)?.input).toEqual({ userId: 'u2', realmId: 'r1' });
    expect(carrying(secret)).toEqual([calls[1]]);
    expect(JSON.stringify(useSyncStore.getState())).not.toContain(secret);
  });

  it('asks again when the server refused the password main was given', async () => {
    answer = (channel, input) =>
      passwordChannels(channel, input) ??
      (mainKeeps.get('r1') === 'good'
        ? { ok: true, value: [] }
        : mainKeeps.has('r1')
          ? { ok: false, error: { code: 'invalid-credentials', message: 'Wrong password.' } }
          : needPassword);
    store().openResync({ id: 'u1', username: 'alice' }, 'r1');
    await settle();
    await store().givePassword('r1', 'bad');
    await settle();
    expect(store().resync).toMatchObject({ needsPassword: true, error: { message: 'Wrong password.' } });
    await store().givePassword('r1', 'good');
    await settle();
    expect(store().resync).toMatchObject({ needsPassword: false, candidates: [] });
  });

  it('shows main’s refusal of the password itself and asks no further', async () => {
    answer = (channel) =>
      channel === 'realms:set-session-password' ? { ok: false, error: { code: 'not-found', message: 'There is no realm with id r1.' } } : needPassword;
    store().openResync({ id: 'u1', username: 'alice' }, 'r1');
    await settle();
    await store().givePassword('r1', 'pw');
    expect(calls.map((c) => c.channel)).toEqual(['sync:candidates', 'realms:set-session-password']);
    expect(store().resync).toMatchObject({ needsPassword: true, error: { message: 'There is no realm with id r1.' } });
  });

  it('drops answers for a dialog that was closed or a realm that was changed', async () => {
    let release: (value: Result<unknown>) => void = () => undefined;
    answer = () => new Promise((resolve) => (release = resolve));
    store().openResync({ id: 'u1', username: 'alice' }, 'r1');
    const first = release;
    store().chooseRealm('r2');
    first({ ok: true, value: [candidate('uid=old,dc=x', 'id')] });
    await settle();
    expect(store().resync?.candidates).toBeNull();
    release({ ok: true, value: [candidate('uid=new,dc=x', 'id')] });
    await settle();
    expect(store().resync?.chosen).toBe('uid=new,dc=x');
  });

  it('keeps the dialog open with main’s message when the save fails', async () => {
    store().openResync({ id: 'u1', username: 'alice' }, 'r1');
    await settle();
    await store().start();
    answer = () => ({ ok: false, error: { code: 'not-found', message: 'The entry is gone.' } });
    expect(await store().apply()).toBe(false);
    expect(store().resync).toMatchObject({ error: { message: 'The entry is gone.' }, needsPassword: false, busy: null });
  });

  it.each([
    ['closed', () => store().closeResync()],
    ['forgotten by resetSync (tests start clean)', () => resetSync()],
  ])('does not put the candidates of a dialog %s into the next one, opened before any realm is chosen', async (_, close) => {
    let release: (value: Result<unknown>) => void = () => undefined;
    answer = () => new Promise((resolve) => (release = resolve));
    store().openResync({ id: 'u1', username: 'alice' }, 'r1');
    close();
    store().openResync({ id: 'u2', username: 'bob' }, '');
    release({ ok: true, value: [candidate('uid=alice,dc=x', 'id')] });
    await settle();
    expect(store().resync).toMatchObject({ userId: 'u2', candidates: null, chosen: null });
  });

  it('drops a preview that answers after Back', async () => {
    store().openResync({ id: 'u1', username: 'alice' }, 'r1');
    await settle();
    let release: (value: Result<unknown>) => void = () => undefined;
    answer = () => new Promise((resolve) => (release = resolve));
    const preview = store().start();
    store().back();
    release({ ok: true, value: diff });
    await preview;
    expect(store().resync).toMatchObject({ diff: null, choices: {}, busy: null });
  });

  it('does not count a save that answers after the dialog was closed', async () => {
    store().openResync({ id: 'u1', username: 'alice' }, 'r1');
    await settle();
    await store().start();
    let release: (value: Result<unknown>) => void = () => undefined;
    answer = () => new Promise((resolve) => (release = resolve));
    const saving = store().apply();
    store().closeResync();
    release({ ok: true, value: {} });
    expect(await saving).toBe(false);
    expect(store().resynced).toBeNull();
  });
});

describe('conflicts', () => {
  it('resolve with the choices and find the next user with conflicts, skipping the open one', async () => {
    expect(await store().resolve('u1', { department: 'directory' })).toBeNull();
    expect(calls[0]).toEqual({ channel: 'sync:resolve', input: { userId: 'u1', choices: { department: 'directory' } } });
    answer = () => ({ ok: true, value: { total: 2, offset: 0, rows: [{ id: 'u1' }, { id: 'u7' }], facets: {} } });
    expect(await store().nextConflict('u1')).toEqual({ ok: true, value: 'u7' });
    expect(calls.at(-1)).toEqual({ channel: 'users:query', input: { query: { conflicts: true }, limit: 2 } });
    answer = () => ({ ok: true, value: { total: 1, offset: 0, rows: [{ id: 'u1' }], facets: {} } });
    expect(await store().nextConflict('u1')).toEqual({ ok: true, value: null });
  });
});

describe('jobs', () => {
  it('reconcile a realm: the job is tracked, a missing password is asked for and handed to main first', async () => {
    answer = (channel, input) => passwordChannels(channel, input) ?? (mainKeeps.has('r1') ? { ok: true, value: job } : needPassword);
    await store().reconcile('r1');
    expect(store().reconciles.r1).toMatchObject({ jobId: null, needsPassword: true });
    await store().reconcile('r1', 'pw');
    expect(calls.slice(1)).toEqual([
      { channel: 'realms:set-session-password', input: { realmId: 'r1', password: 'pw' } },
      { channel: 'realms:list', input: {} },
      { channel: 'realms:reconcile', input: { realmId: 'r1' } },
    ]);
    expect(store().reconciles.r1).toMatchObject({ jobId: 'j1', needsPassword: false, error: null });
    expect(useJobsStore.getState().jobs.j1).toEqual(job);
    store().clearReconcile('r1');
    expect(store().reconciles.r1).toBeUndefined();
  });

  it('reconcile a realm in full: only when asked does the request say so', async () => {
    answer = (channel, input) => passwordChannels(channel, input) ?? { ok: true, value: { ...job, realmId: 'r2' } };
    await store().reconcile('r2', undefined, { full: true });
    store().clearReconcile('r2');
    await store().reconcile('r2');
    expect(calls.filter((c) => c.channel === 'realms:reconcile').map((c) => c.input)).toEqual([{ realmId: 'r2', full: true }, { realmId: 'r2' }]);
  });

  it('resync a selection as a job', async () => {
    await store().resyncUsers({ ids: ['u1', 'u2'] });
    expect(calls).toEqual([{ channel: 'sync:resync-users', input: { target: { ids: ['u1', 'u2'] } } }]);
    expect(store().bulk).toMatchObject({ jobId: 'j1', busy: false });
    store().dismissBulk();
    expect(store().bulk.jobId).toBeNull();
  });

  it('resync a selection whose realm needs a password: main names the realm, the password goes to it, then the job starts', async () => {
    const refusal = { code: 'password-required' as const, message: 'The bind password for realm "Lab" is not saved.', details: { realmId: 'r2' } };
    answer = (channel, input) => passwordChannels(channel, input) ?? (mainKeeps.has('r2') ? { ok: true, value: job } : { ok: false, error: refusal });
    await store().resyncUsers({ ids: ['u1'] });
    expect(store().bulk).toMatchObject({ jobId: null, needsPassword: true, error: refusal });
    expect(realmOfRefusal(store().bulk.error)).toBe('r2');
    await store().resyncUsers({ ids: ['u1'] }, { realmId: 'r2', password: 'pw' });
    expect(calls.slice(1).map((c) => [c.channel, c.input])).toEqual([
      ['realms:set-session-password', { realmId: 'r2', password: 'pw' }],
      ['realms:list', {}],
      ['sync:resync-users', { target: { ids: ['u1'] } }],
    ]);
    expect(store().bulk).toMatchObject({ jobId: 'j1', needsPassword: false, error: null });
  });
});

describe('passwords', () => {
  const realm = { id: 'r1', kind: 'openldap' as const, password: 'missing' as const, connection: { bindDn: 'cn=reader' } as never };

  it('are missing only for a bound LDAP realm main keeps none for (main says so in the realm list)', () => {
    expect(passwordMissing(realm)).toBe(true);
    expect(passwordMissing({ ...realm, password: 'session' })).toBe(false);
    expect(passwordMissing({ ...realm, kind: 'ldif-file' })).toBe(false);
    expect(passwordMissing({ ...realm, connection: { bindDn: '' } as never })).toBe(false);
    expect(passwordMissing(undefined)).toBe(false);
  });

  it('are what a job failed for when the directory refused or wanted one', () => {
    expect(jobWantsPassword({ ...job, state: 'failed', error: { code: 'password-required', message: '' } })).toBe(true);
    expect(jobWantsPassword({ ...job, state: 'failed', error: { code: 'invalid-credentials', message: '' } })).toBe(true);
    expect(jobWantsPassword({ ...job, state: 'failed', error: { code: 'timeout', message: '' } })).toBe(false);
    expect(jobWantsPassword(job)).toBe(false);
    expect(jobWantsPassword(undefined)).toBe(false);
  });
});

describe('what Save will do in the Resynchronize dialog', () => {
  // Keys are attribute-like, labels what people read: every message must use the labels.
  const twoConflicts: UserDiff = {
    ...diff,
    fields: [
      { field: 'title', label: 'Job title', owner: 'local', base: 'A', local: 'B', directory: 'C', outcome: 'conflict', choice: 'local' },
      { field: 'phone', label: 'Phone', owner: 'local', base: '1', local: '2', directory: '3', outcome: 'conflict', choice: 'local' },
      { field: 'mail', label: 'Email', owner: 'directory', base: 'a@x', local: 'a@x', directory: 'b@x', outcome: 'take-directory', choice: 'directory' },
      { field: 'office', label: 'Office', owner: 'local', base: 'O1', local: 'O2', directory: 'O1', outcome: 'keep-local', choice: 'local' },
      { field: 'sn', label: 'Last name', owner: 'directory', base: 'L', local: 'L', directory: 'L', outcome: 'unchanged', choice: 'directory' },
    ],
    conflicts: 2,
    changes: 3,
  };
  const open = async () => {
    answer = (channel) =>
      channel === 'sync:preview'
        ? { ok: true, value: twoConflicts }
        : channel === 'sync:candidates'
          ? { ok: true, value: [candidate('uid=alice,dc=x', 'id')] }
          : { ok: true, value: {} };
    store().openResync({ id: 'u1', username: 'alice' }, 'r1');
    await settle();
    await store().start();
  };
  const summary = () => diffSummary(store().resync!.diff!, store().resync!.choices);
  const applied = () => calls.at(-1)?.input.choices;

  it('says which value Save keeps for the conflicts, since a default is already chosen, naming fields by their labels', async () => {
    await open();
    expect(summary()).toBe('1 field changes in Roster · 2 conflicts — Roster’s value is kept unless you choose otherwise');
    store().choose('title', 'directory');
    expect(summary()).toBe(
      '2 fields change in Roster · 2 conflicts — Roster’s value is kept for Phone and the directory’s value is taken for Job title unless you choose otherwise',
    );
    store().choose('phone', 'directory');
    expect(summary()).toBe('3 fields change in Roster · 2 conflicts — the directory’s value is taken unless you choose otherwise');
    expect(summary()).not.toMatch(/\b(title|phone|mail|office)\b/);
  });

  it('takes every directory value, or keeps every one of Roster’s, in one go, and Save sends that', async () => {
    await open();
    store().chooseAll('directory');
    expect(store().resync?.choices).toEqual({ title: 'directory', phone: 'directory', office: 'directory' });
    expect(twoConflicts.fields.map((row) => resultValue(row, store().resync!.choices))).toEqual(['C', '3', 'b@x', 'O1', 'L']);
    store().chooseAll('local');
    // Email is owned by the directory and the merge gave it the directory's value: its lock would take it back at
    // the next reconcile, so "Keep all Roster's" leaves it.
    expect(twoConflicts.fields.map((row) => resultValue(row, store().resync!.choices))).toEqual(['B', '2', 'b@x', 'O2', 'L']);
    expect(summary()).toBe('1 field changes in Roster · 2 conflicts — Roster’s value is kept unless you choose otherwise');
    expect(await store().apply()).toBe(true);
    expect(applied()).toEqual({ title: 'local', phone: 'local', office: 'local' });
  });

  it('lets a row the merge settled on its own be overridden, and says so', async () => {
    await open();
    const office = twoConflicts.fields[3]!;
    expect(resultValue(office, store().resync!.choices)).toBe('O2');
    store().choose('office', 'directory');
    expect(resultValue(office, store().resync!.choices)).toBe('O1');
    expect(summary()).toBe(
      '2 fields change in Roster · 2 conflicts — Roster’s value is kept unless you choose otherwise · your choice replaces the automatic result for Office',
    );
    expect(await store().apply()).toBe(true);
    expect(applied()).toEqual({ title: 'local', phone: 'local', office: 'directory' });
  });
});
