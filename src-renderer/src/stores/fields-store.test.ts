import { beforeEach, describe, expect, it } from 'vitest';
import type { RosterApi } from '#shared/ipc/api';
import type { FieldDefinition } from '#shared/model/fields';
import { useFieldsStore } from './fields-store';

const department: FieldDefinition = { key: 'department', label: 'Department', type: 'text', owner: 'local', required: true, custom: false };
let answers: unknown[] = [];
let calls: { channel: string; input: unknown }[] = [];

const roster: RosterApi = {
  invoke: async (channel, input) => {
    calls.push({ channel, input });
    return answers.shift() as never;
  },
  on: () => () => undefined,
};
Object.assign(globalThis, { window: { roster } });

beforeEach(() => {
  calls = [];
  answers = [];
  useFieldsStore.setState({ fields: [department], loaded: true, policyError: null, saved: null });
});

describe('setPolicy', () => {
  it('shows the new owner at once and keeps main’s answer', async () => {
    const locked = { ...department, owner: 'directory' as const };
    answers = [{ ok: true, value: [locked] }];
    const pending = useFieldsStore.getState().setPolicy('department', { owner: 'directory' });
    expect(useFieldsStore.getState().fields[0]?.owner).toBe('directory');
    await pending;
    expect(calls[0]).toEqual({ channel: 'fields:set-policy', input: { key: 'department', owner: 'directory' } });
    expect(useFieldsStore.getState().saved?.key).toBe('department');
  });

  it('puts the stored policy back and says why when main refuses', async () => {
    answers = [
      { ok: false, error: { code: 'internal', message: 'Disk full.' } },
      { ok: true, value: [department] },
    ];
    await useFieldsStore.getState().setPolicy('department', { required: false });
    expect(useFieldsStore.getState().fields[0]?.required).toBe(true);
    expect(useFieldsStore.getState().policyError).toEqual({ key: 'department', error: { code: 'internal', message: 'Disk full.' } });
  });
});

/** An answer main gives when the test says. */
function later<T>() {
  let give: (value: T) => void = () => undefined;
  const answer = new Promise<T>((resolve) => (give = resolve));
  return { answer, give };
}

describe('answers that come back late', () => {
  const custom: FieldDefinition = { key: 'badge', label: 'Badge', type: 'text', owner: 'local', required: false, custom: true };

  it('keeps the newest load when an earlier, slower one fails last', async () => {
    const first = later<unknown>();
    const second = later<unknown>();
    answers = [first.answer, second.answer];
    const firstLoad = useFieldsStore.getState().load();
    const secondLoad = useFieldsStore.getState().load();
    second.give({ ok: true, value: [department, custom] });
    await secondLoad;
    first.give({ ok: false, error: { code: 'internal', message: 'boom' } });
    await firstLoad;
    expect(useFieldsStore.getState().loadError).toBeNull();
    expect(useFieldsStore.getState().fields.map((f) => f.key)).toEqual(['department', 'badge']);
  });

  it('does not let a reload asked for before a field was added take the field away', async () => {
    const reload = later<unknown>();
    answers = [reload.answer, { ok: true, value: [department, custom] }];
    const load = useFieldsStore.getState().load();
    expect(await useFieldsStore.getState().add({ key: 'badge', label: 'Badge', ldapAttribute: 'employeeNumber' })).toBeNull();
    reload.give({ ok: true, value: [department] });
    await load;
    expect(useFieldsStore.getState().fields.map((f) => f.key)).toEqual(['department', 'badge']);
  });

  it('does not let a reload that lands while a policy change is on its way undo what the admin chose', async () => {
    const reload = later<unknown>();
    const policy = later<unknown>();
    answers = [reload.answer, policy.answer];
    const load = useFieldsStore.getState().load();
    const change = useFieldsStore.getState().setPolicy('department', { owner: 'directory' });
    reload.give({ ok: true, value: [department] });
    await load;
    expect(useFieldsStore.getState().fields[0]?.owner).toBe('directory');
    policy.give({ ok: true, value: [{ ...department, owner: 'directory' }] });
    await change;
    expect(useFieldsStore.getState().fields[0]?.owner).toBe('directory');
  });
});
