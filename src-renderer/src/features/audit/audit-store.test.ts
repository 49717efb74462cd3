import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RosterApi } from '#shared/ipc/api';
import type { AuditEntry } from '#shared/model/audit';
import { EMPTY_AUDIT_FORM } from './audit-filter';
import { AUDIT_PAGE_SIZE, AUDIT_TYPING_DELAY_MS, useAuditStore } from './audit-store';

const entry = (seq: number): AuditEntry => ({ seq, at: '2024-05-03T10:00:00.000Z', who: 'admin', action: 'user.update', changes: [] });
let calls: { channel: string; input: unknown }[] = [];
let answer: (input: { offset?: number }) => Promise<unknown>;

const roster: RosterApi = {
  invoke: async (channel, input) => {
    calls.push({ channel, input });
    return answer(input as { offset?: number }) as never;
  },
  on: () => () => undefined,
};
Object.assign(globalThis, { window: { roster } });

beforeEach(() => {
  calls = [];
  answer = async ({ offset = 0 }) => ({
    ok: true,
    value: { total: 150, offset, entries: Array.from({ length: offset === 0 ? 100 : 50 }, (_, i) => entry(offset + i)) },
  });
  useAuditStore.setState({ form: EMPTY_AUDIT_FORM, entries: [], total: 0, loaded: false, loading: false, error: null, formError: null });
});
afterEach(() => vi.useRealTimers());

describe('paging', () => {
  it('appends the next page and stops at the total', async () => {
    await useAuditStore.getState().reload();
    await useAuditStore.getState().loadMore();
    await useAuditStore.getState().loadMore();
    expect(useAuditStore.getState().entries).toHaveLength(150);
    expect(calls.map((c) => (c.input as { offset: number }).offset)).toEqual([0, 100]);
    expect(calls[0]?.input).toEqual({ filter: {}, offset: 0, limit: AUDIT_PAGE_SIZE });
  });

  it('lets only the newest filter’s answer land', async () => {
    let release: () => void = () => undefined;
    answer = () => new Promise((resolve) => (release = () => resolve({ ok: true, value: { total: 1, offset: 0, entries: [entry(1)] } })));
    const slow = useAuditStore.getState().reload();
    const first = release;
    answer = async () => ({ ok: true, value: { total: 1, offset: 0, entries: [entry(2)] } });
    await useAuditStore.getState().reload();
    first();
    await slow;
    expect(useAuditStore.getState().entries.map((e) => e.seq)).toEqual([2]);
  });
});

describe('setForm', () => {
  it('waits for a pause in typing before asking main, but applies an action at once', async () => {
    vi.useFakeTimers();
    useAuditStore.getState().setForm({ user: 'z' });
    useAuditStore.getState().setForm({ user: 'za' });
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(AUDIT_TYPING_DELAY_MS);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.input).toMatchObject({ filter: { user: 'za' } });
    useAuditStore.getState().setForm({ action: 'user.disable' });
    expect(calls).toHaveLength(2);
  });

  it('asks nothing while the dates are the wrong way round, and says so', async () => {
    useAuditStore.getState().setForm({ from: '2024-05-04', to: '2024-05-03' });
    expect(calls).toEqual([]);
    expect(useAuditStore.getState().formError).toBe('The “From” date is after the “To” date.');
  });

  it('drops the answer for a filter that was since made wrong, and shows no entries for it', async () => {
    let release: () => void = () => undefined;
    answer = () => new Promise((resolve) => (release = () => resolve({ ok: true, value: { total: 1, offset: 0, entries: [entry(1)] } })));
    const asked = useAuditStore.getState().reload();
    useAuditStore.getState().setForm({ from: '2024-05-04', to: '2024-05-03' });
    release();
    await asked;
    expect(useAuditStore.getState()).toMatchObject({ entries: [], loaded: false, loading: false, formError: 'The “From” date is after the “To” date.' });
  });
});
