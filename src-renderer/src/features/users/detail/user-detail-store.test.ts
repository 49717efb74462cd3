import { beforeEach, describe, expect, it } from 'vitest';
import type { RosterApi } from '#shared/ipc/api';
import type { EventMap } from '#shared/ipc/contract';
import type { AuditEntry } from '#shared/model/audit';
import type { UserDetail } from '#shared/model/user';
import { fieldState, userDetail } from './detail-fixture';
import { useUserDetailStore } from './user-detail-store';

const department = fieldState('department', { label: 'Department', value: 'Sales' });
const email = fieldState('email', { label: 'Email', type: 'email', value: 'a@example.org' });
let stored: UserDetail;
let calls: { channel: string; input: unknown }[] = [];
let answer: (channel: string, input: unknown) => unknown;
const listeners = new Map<string, (payload: unknown) => void>();

// The store reaches main only through src/api.ts, which reads window.roster: stand in for it.
const roster: RosterApi = {
  invoke: async (channel, input) => {
    calls.push({ channel, input });
    return answer(channel, input) as never;
  },
  on: (event, listener) => {
    listeners.set(event, listener as (payload: unknown) => void);
    return () => listeners.delete(event);
  },
};
Object.assign(globalThis, { window: { roster } });

const emit = <E extends keyof EventMap>(event: E, payload: EventMap[E]) => listeners.get(event)?.(payload);
const store = () => useUserDetailStore.getState();
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(async () => {
  calls = [];
  stored = userDetail([department, email]);
  answer = (channel) => {
    if (channel === 'users:get') return { ok: true, value: stored };
    if (channel === 'users:history') return { ok: true, value: [] };
    return { ok: true, value: { matched: 1, changed: 1 } };
  };
  useUserDetailStore.setState({ id: null });
  store().open('u1');
  await settle();
  calls = [];
});

describe('save', () => {
  it('sends only the changed fields, then shows the saved user and clears the edits', async () => {
    store().editField('department', 'Ops');
    store().editField('email', 'a@example.org');
    const saved = userDetail([{ ...department, value: 'Ops' }, email]);
    answer = () => ({ ok: true, value: saved });
    expect(await store().save()).toBe(true);
    expect(calls).toEqual([{ channel: 'users:update', input: { id: 'u1', fields: { department: 'Ops' } } }]);
    expect(store().detail).toBe(saved);
    expect(store().edits).toEqual({ fields: {} });
    expect(store().savedAt).not.toBeNull();
  });

  it('does not call main while a typed value is invalid', async () => {
    store().editField('email', 'nope');
    expect(await store().save()).toBe(false);
    expect(calls).toEqual([]);
    expect(store().saveError?.message).toBe('Fix the highlighted values before saving.');
  });

  it('keeps the edits and shows main’s message when the save is refused', async () => {
    store().editUsername('bob');
    answer = () => ({ ok: false, error: { code: 'conflict', message: 'The username bob is taken.', details: { field: 'username' } } });
    expect(await store().save()).toBe(false);
    expect(store().saveError?.message).toBe('The username bob is taken.');
    expect(store().edits.username).toBe('bob');
    // Typing in the field the error was about clears it.
    store().editUsername('bobby');
    expect(store().saveError).toBeNull();
  });
});

describe('reloads', () => {
  it('keep unsaved typing when main says the user changed, and discard resets it', async () => {
    const unsubscribe = store().watch();
    store().editField('department', 'Ops');
    stored = userDetail([department, { ...email, value: 'new@example.org' }]);
    emit('users:changed', { ids: ['u1'] });
    await settle();
    expect(store().detail?.fields[1]?.value).toBe('new@example.org');
    expect(store().edits.fields).toEqual({ department: 'Ops' });
    store().discard();
    expect(store().edits.fields).toEqual({});
    unsubscribe();
  });

  it('ignore changes to other users', async () => {
    const unsubscribe = store().watch();
    emit('users:changed', { ids: ['u2'] });
    await settle();
    expect(calls).toEqual([]);
    unsubscribe();
  });

  it('opening the same user again keeps the edits; another user starts clean', async () => {
    store().editField('department', 'Ops');
    store().open('u1');
    expect(store().edits.fields).toEqual({ department: 'Ops' });
    store().open('u2');
    expect(store().edits.fields).toEqual({});
    expect(store().detail).toBeNull();
  });
});

describe('actions', () => {
  it('toggle login for this user only, then reload the detail and the history once it was shown', async () => {
    store().setTab('history');
    await settle();
    calls = [];
    await store().setEnabled(false);
    expect(calls.map((c) => c.channel).sort()).toEqual(['users:get', 'users:history', 'users:set-enabled']);
    expect(calls.find((c) => c.channel === 'users:set-enabled')?.input).toEqual({ target: { ids: ['u1'] }, enabled: false });
  });

  it('show a failed role change as the action error', async () => {
    answer = () => ({ ok: false, error: { code: 'not-found', message: 'No role r9.' } });
    await store().assignRole('r9');
    expect(store().actionError?.message).toBe('No role r9.');
    expect(store().busy).toBe(false);
  });

  it('leave the open user out of the copy-roles picker', async () => {
    answer = () => ({ ok: true, value: { total: 2, offset: 0, rows: [{ id: 'u1' }, { id: 'u2' }], facets: {} } });
    const result = await store().searchUsers('a');
    expect(calls[0]).toEqual({ channel: 'users:query', input: { query: { search: 'a' }, limit: 20 } });
    expect(result.ok && result.value.map((r) => r.id)).toEqual(['u2']);
  });
});

/** An answer main gives when the test says. */
function later<T>() {
  let give: (value: T) => void = () => undefined;
  const answer = new Promise<T>((resolve) => (give = resolve));
  return { answer, give };
}

describe('answers that come back late', () => {
  const entry = (seq: number): AuditEntry => ({ seq, at: '2024-05-03T10:00:00.000Z', who: 'admin', action: 'user.update', changes: [] });

  it('keep the newest detail when an earlier load answers last', async () => {
    const first = later<unknown>();
    const second = later<unknown>();
    const gets = [first.answer, second.answer];
    answer = (channel) => (channel === 'users:get' ? gets.shift() : { ok: true, value: [] });
    const firstLoad = store().load();
    const secondLoad = store().load();
    const newer = userDetail([{ ...department, value: 'Ops' }, email]);
    second.give({ ok: true, value: newer });
    await secondLoad;
    first.give({ ok: true, value: stored });
    await firstLoad;
    expect(store().detail).toBe(newer);
  });

  it('a reload asked for before a save does not put the old values back after it', async () => {
    const reload = later<unknown>();
    const saved = userDetail([{ ...department, value: 'Ops' }, email]);
    answer = (channel) => (channel === 'users:get' ? reload.answer : { ok: true, value: saved });
    const load = store().load();
    store().editField('department', 'Ops');
    expect(await store().save()).toBe(true);
    reload.give({ ok: true, value: stored });
    await load;
    expect(store().detail).toBe(saved);
  });

  it('keep the newest history when an earlier load answers last', async () => {
    const first = later<unknown>();
    const second = later<unknown>();
    const histories = [first.answer, second.answer];
    answer = (channel) => (channel === 'users:history' ? histories.shift() : { ok: true, value: stored });
    const firstLoad = store().loadHistory();
    const secondLoad = store().loadHistory();
    second.give({ ok: true, value: [entry(2), entry(1)] });
    await secondLoad;
    first.give({ ok: true, value: [entry(1)] });
    await firstLoad;
    expect(store().history?.map((e) => e.seq)).toEqual([2, 1]);
  });

  it('drop a history asked for before switching to another user and back', async () => {
    const late = later<unknown>();
    answer = (channel) => (channel === 'users:history' ? late.answer : { ok: true, value: stored });
    const history = store().loadHistory();
    store().open('u2');
    store().open('u1');
    await settle();
    late.give({ ok: true, value: [entry(1)] });
    await history;
    expect(store().history).toBeNull();
  });
});
