import { beforeEach, describe, expect, it } from 'vitest';
import type { RosterApi } from '../../../src-shared/ipc/api';
import type { Job, UserDiff } from '../../../src-shared/model/sync';
import type { DirectoryCandidate } from '../../../src-shared/model/user';
import type { Result } from '../../../src-shared/result';
import { resetJobs, useJobsStore } from './jobs-store';
import { jobWantsPassword, passwordMissing, resetSync, useSyncStore } from './sync-store';

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

  it('asks for the bind password when main has none, retries the failed step with it and keeps it for the session', async () => {
    answer = (channel, input) => (input.password === 'pw' || channel !== 'sync:candidates' ? { ok: true, value: [candidate('uid=alice,dc=x', 'id')] } : needPassword);
    store().openResync({ id: 'u1', username: 'alice' }, 'r1');
    await settle();
    expect(store().resync).toMatchObject({ needsPassword: true, failed: 'candidates', error: { code: 'password-required' } });
    store().givePassword('r1', 'pw');
    await settle();
    expect(calls.at(-1)?.input).toEqual({ userId: 'u1', realmId: 'r1', password: 'pw' });
    expect(store().resync).toMatchObject({ needsPassword: false, error: null, chosen: 'uid=alice,dc=x' });
    // The next dialog for the same realm uses it straight away.
    store().closeResync();
    store().openResync({ id: 'u2', username: 'bob' }, 'r1');
    await settle();
    expect(calls.at(-1)?.input).toEqual({ userId: 'u2', realmId: 'r1', password: 'pw' });
  });

  it('forgets a typed password the server refused and asks again', async () => {
    answer = (channel, input) => (input.password === 'good' ? { ok: true, value: [] } : input.password ? { ok: false, error: { code: 'invalid-credentials', message: 'Wrong password.' } } : needPassword);
    store().openResync({ id: 'u1', username: 'alice' }, 'r1');
    await settle();
    store().givePassword('r1', 'bad');
    await settle();
    expect(store().resync).toMatchObject({ needsPassword: true, error: { message: 'Wrong password.' } });
    store().givePassword('r1', 'good');
    await settle();
    expect(store().resync).toMatchObject({ needsPassword: false, candidates: [] });
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
  it('reconcile a realm: the job is tracked, a missing password is asked for and kept', async () => {
    answer = (_channel, input) => (input.password ? { ok: true, value: job } : needPassword);
    await store().reconcile('r1');
    expect(store().reconciles.r1).toMatchObject({ jobId: null, needsPassword: true });
    await store().reconcile('r1', 'pw');
    expect(calls.at(-1)).toEqual({ channel: 'realms:reconcile', input: { realmId: 'r1', password: 'pw' } });
    expect(store().reconciles.r1).toMatchObject({ jobId: 'j1', needsPassword: false, error: null });
    expect(useJobsStore.getState().jobs.j1).toEqual(job);
    store().clearReconcile('r1');
    expect(store().reconciles.r1).toBeUndefined();
  });

  it('resync a selection as a job', async () => {
    await store().resyncUsers({ ids: ['u1', 'u2'] });
    expect(calls).toEqual([{ channel: 'sync:resync-users', input: { target: { ids: ['u1', 'u2'] } } }]);
    expect(store().bulk).toMatchObject({ jobId: 'j1', busy: false });
    store().dismissBulk();
    expect(store().bulk.jobId).toBeNull();
  });
});

describe('passwords', () => {
  const realm = { id: 'r1', kind: 'openldap' as const, password: 'missing' as const, connection: { bindDn: 'cn=reader' } as never };

  it('are missing only for a bound LDAP realm main keeps none for and none was typed for', async () => {
    expect(passwordMissing(realm)).toBe(true);
    expect(passwordMissing({ ...realm, password: 'session' })).toBe(false);
    expect(passwordMissing({ ...realm, kind: 'ldif-file' })).toBe(false);
    expect(passwordMissing({ ...realm, connection: { bindDn: '' } as never })).toBe(false);
    await store().reconcile('r1', 'pw');
    expect(passwordMissing(realm)).toBe(false);
  });

  it('are what a job failed for when the directory refused or wanted one', () => {
    expect(jobWantsPassword({ ...job, state: 'failed', error: { code: 'password-required', message: '' } })).toBe(true);
    expect(jobWantsPassword({ ...job, state: 'failed', error: { code: 'invalid-credentials', message: '' } })).toBe(true);
    expect(jobWantsPassword({ ...job, state: 'failed', error: { code: 'timeout', message: '' } })).toBe(false);
    expect(jobWantsPassword(job)).toBe(false);
    expect(jobWantsPassword(undefined)).toBe(false);
  });
});
