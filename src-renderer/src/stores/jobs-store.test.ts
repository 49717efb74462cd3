import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RosterApi } from '#shared/ipc/api';
import type { Job } from '#shared/model/sync';
import { jobPercent, mergeJob, resetJobs, useJobsStore } from './jobs-store';

const job = (over: Partial<Job> = {}): Job => ({
  id: 'j1',
  kind: 'import',
  realmId: 'r1',
  state: 'running',
  done: 0,
  total: 100,
  phase: 'Reading the directory',
  startedAt: '2025-01-01T10:00:00.000Z',
  ...over,
});

let listeners: Record<string, (payload: unknown) => void> = {};
let answers: Record<string, unknown> = {};
const roster: RosterApi = {
  invoke: async (channel) => answers[channel] as never,
  on: (event, listener) => {
    listeners[event] = listener as (payload: unknown) => void;
    return () => delete listeners[event];
  },
};
Object.assign(globalThis, { window: { roster } });

const store = () => useJobsStore.getState();
const emit = (event: string, payload: unknown) => listeners[event]?.(payload);
let unwatch = () => undefined as void;

beforeEach(() => {
  resetJobs();
  listeners = {};
  answers = {};
  unwatch = store().watch();
});
afterEach(() => unwatch());

describe('jobs store', () => {
  it('loads the jobs main knows', async () => {
    answers['jobs:list'] = { ok: true, value: [job(), job({ id: 'j2', state: 'done' })] };
    await store().load();
    expect(Object.keys(store().jobs).sort()).toEqual(['j1', 'j2']);
    expect(store().loaded).toBe(true);
  });

  it('keeps a load error', async () => {
    answers['jobs:list'] = { ok: false, error: { code: 'internal', message: 'boom' } };
    await store().load();
    expect(store().loadError?.message).toBe('boom');
  });

  it('follows progress and state changes', () => {
    store().track(job());
    emit('jobs:progress', { jobId: 'j1', done: 40, total: 100, phase: 'Saving' });
    expect(store().jobs.j1).toMatchObject({ done: 40, phase: 'Saving' });
    emit('jobs:changed', { job: job({ state: 'done', done: 100 }) });
    expect(store().jobs.j1?.state).toBe('done');
  });

  it('keeps progress that arrives before the job is tracked', () => {
    emit('jobs:progress', { jobId: 'j1', done: 30, total: 100, phase: 'Saving' });
    expect(store().jobs.j1).toBeUndefined();
    store().track(job());
    expect(store().jobs.j1).toMatchObject({ done: 30, phase: 'Saving' });
  });

  it('never takes a finished job back to running, nor progress backwards', () => {
    emit('jobs:changed', { job: job({ state: 'done', done: 100 }) });
    store().track(job({ done: 0 }));
    expect(store().jobs.j1?.state).toBe('done');
    emit('jobs:progress', { jobId: 'j1', done: 50, total: 100, phase: 'late' });
    expect(store().jobs.j1?.done).toBe(100);

    expect(mergeJob(job({ done: 60 }), job({ done: 10 })).done).toBe(60);
  });

  it('cancels through main and records a refusal', async () => {
    store().track(job());
    answers['jobs:cancel'] = { ok: true, value: job({ state: 'cancelled', consistency: 'Nothing was saved.' }) };
    expect(await store().cancel('j1')).toBeNull();
    expect(store().jobs.j1?.state).toBe('cancelled');

    answers['jobs:cancel'] = { ok: false, error: { code: 'not-found', message: 'No such job' } };
    expect((await store().cancel('j1'))?.code).toBe('not-found');
    expect(store().cancelErrors.j1?.message).toBe('No such job');
  });

  it('works out a percentage', () => {
    expect(jobPercent({ done: 0, total: 0 })).toBe(0);
    expect(jobPercent({ done: 40, total: 100 })).toBe(40);
    expect(jobPercent({ done: 2, total: 3 })).toBe(66);
    expect(jobPercent({ done: 5, total: 3 })).toBe(100);
  });
});

/** An answer main gives when the test says. */
function later<T>() {
  let give: (value: T) => void = () => undefined;
  const answer = new Promise<T>((resolve) => (give = resolve));
  return { answer, give };
}

describe('overlapping loads', () => {
  it('keeps the newest answer when an earlier, slower load fails last', async () => {
    const first = later<unknown>();
    const second = later<unknown>();
    answers['jobs:list'] = first.answer;
    const firstLoad = store().load();
    answers['jobs:list'] = second.answer;
    const secondLoad = store().load();
    second.give({ ok: true, value: [job()] });
    await secondLoad;
    first.give({ ok: false, error: { code: 'internal', message: 'boom' } });
    await firstLoad;
    expect(store().loadError).toBeNull();
    expect(Object.keys(store().jobs)).toEqual(['j1']);
  });

  it('drops an answer that was asked for before resetJobs (each test starts clean)', async () => {
    const before = later<unknown>();
    answers['jobs:list'] = before.answer;
    const load = store().load();
    resetJobs();
    before.give({ ok: true, value: [job()] });
    await load;
    expect(store().jobs).toEqual({});
    expect(store().loaded).toBe(false);
  });
});
