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
