import { beforeEach, describe, expect, it } from 'vitest';
import type { RosterApi } from '#shared/ipc/api';
import type { Role } from '#shared/model/user';
import { useRolesStore } from './roles-store';

const admins: Role = { id: 'r1', name: 'Admins', holders: 2 };
const staff: Role = { id: 'r2', name: 'Staff', holders: 40 };
let answers: unknown[] = [];
let calls: string[] = [];
const roster: RosterApi = {
  invoke: async (channel) => {
    calls.push(channel);
    return answers.shift() as never;
  },
  on: () => () => undefined,
};
Object.assign(globalThis, { window: { roster } });

/** An answer main gives when the test says. */
function later<T>() {
  let give: (value: T) => void = () => undefined;
  const answer = new Promise<T>((resolve) => (give = resolve));
  return { answer, give };
}

beforeEach(() => {
  answers = [];
  calls = [];
  useRolesStore.setState({ roles: [], loaded: false, loadError: null });
});

describe('roles store', () => {
  it('loads the roles main lists, and keeps a load error', async () => {
    answers = [{ ok: true, value: [admins, staff] }, { ok: false, error: { code: 'internal', message: 'boom' } }];
    await useRolesStore.getState().load();
    expect(calls).toEqual(['roles:list']);
    expect(useRolesStore.getState()).toMatchObject({ roles: [admins, staff], loaded: true, loadError: null });
    await useRolesStore.getState().load();
    expect(useRolesStore.getState().loadError?.message).toBe('boom');
  });

  it('keeps the newest list when the answer to an earlier load comes back last', async () => {
    const first = later<unknown>();
    const second = later<unknown>();
    answers = [first.answer, second.answer];
    const firstLoad = useRolesStore.getState().load();
    const secondLoad = useRolesStore.getState().load();
    second.give({ ok: true, value: [admins, { ...staff, name: 'Staff (renamed)' }] });
    await secondLoad;
    first.give({ ok: true, value: [admins, staff] });
    await firstLoad;
    expect(useRolesStore.getState().roles.map((r) => r.name)).toEqual(['Admins', 'Staff (renamed)']);
  });
});
