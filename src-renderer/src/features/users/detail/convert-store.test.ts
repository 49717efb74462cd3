import { beforeEach, describe, expect, it } from 'vitest';
import type { RosterApi } from '#shared/ipc/api';
import type { DirectoryCandidate } from '#shared/model/user';
import type { Result } from '#shared/result';
import { userDetail } from './detail-fixture';
import { useConvertStore } from './convert-store';
import { useUserDetailStore } from './user-detail-store';

let calls: { channel: string; input: Record<string, unknown> }[] = [];
let answer: (channel: string, input: Record<string, unknown>) => Result<unknown> | Promise<Result<unknown>>;

// The stores reach main only through src/api.ts, which reads window.roster: stand in for it.
const roster: RosterApi = {
  invoke: async (channel, input) => {
    calls.push({ channel, input: input as Record<string, unknown> });
    return (await answer(channel, input as Record<string, unknown>)) as never;
  },
  on: () => () => undefined,
};
Object.assign(globalThis, { window: { roster } });

const store = () => useConvertStore.getState();
const sent = (channel: string) => calls.filter((c) => c.channel === channel).map((c) => c.input);

const entry = (dn: string): DirectoryCandidate => ({
  dn,
  externalId: `id-${dn}`,
  username: 'alice',
  email: 'alice@example.org',
  displayName: 'Alice',
  enabled: true,
  match: 'username',
});
const IN_R1 = entry('uid=alice,ou=r1,dc=x');
const IN_R2 = entry('uid=alice,ou=r2,dc=x');
/** What each realm holds for the username. */
const found = (realmId: unknown): Result<DirectoryCandidate[]> => ({ ok: true, value: realmId === 'r1' ? [IN_R1] : [IN_R2] });

/** An answer main gives when the test says. */
function later<T>() {
  let give: (value: T) => void = () => undefined;
  const answer = new Promise<T>((resolve) => (give = resolve));
  return { answer, give };
}

beforeEach(() => {
  calls = [];
  answer = (channel, input) => {
    if (channel === 'users:find-in-realm') return found(input.realmId);
    if (channel === 'users:get') return { ok: true, value: userDetail([]) };
    return { ok: true, value: userDetail([]) };
  };
  useUserDetailStore.setState({ id: 'u1', history: null, tab: 'fields' });
  store().closeConvert();
  store().openConvert('r1');
});

describe('Convert to external', () => {
  it('finds the entry in the realm, ticks the one match and converts with that realm and DN', async () => {
    await store().find();
    expect(sent('users:find-in-realm')).toEqual([{ id: 'u1', realmId: 'r1' }]);
    expect(store()).toMatchObject({ busy: null, found: { realmId: 'r1', candidates: [IN_R1] }, chosen: IN_R1.dn });
    expect(await store().convert()).toBe(true);
    expect(sent('users:to-external')).toEqual([{ id: 'u1', realmId: 'r1', dn: IN_R1.dn }]);
  });

  it('shows main’s refusal of a Find, with nothing to convert', async () => {
    answer = () => ({ ok: false, error: { code: 'password-required', message: 'Enter the bind password.' } });
    await store().find();
    expect(store()).toMatchObject({ busy: null, found: null, chosen: null, error: { message: 'Enter the bind password.' } });
    expect(await store().convert()).toBe(false);
    expect(sent('users:to-external')).toEqual([]);
  });

  it('drops a Find still waiting when another realm is picked: the old realm’s entries never show under the new one', async () => {
    const slow = later<Result<DirectoryCandidate[]>>();
    answer = (channel) => (channel === 'users:find-in-realm' ? slow.answer : { ok: true, value: userDetail([]) });
    const finding = store().find();
    expect(store().busy).toBe('find');
    store().chooseRealm('r2');
    expect(store()).toMatchObject({ realmId: 'r2', busy: null, found: null, chosen: null });
    slow.give(found('r1'));
    await finding;
    expect(store()).toMatchObject({ realmId: 'r2', busy: null, found: null, chosen: null });
    expect(await store().convert()).toBe(false);
    expect(sent('users:to-external')).toEqual([]);
  });

  it('keeps the new realm’s entries when the old realm’s Find answers after them, and converts with the new realm', async () => {
    const slow = later<Result<DirectoryCandidate[]>>();
    answer = (channel, input) =>
      channel === 'users:find-in-realm' && input.realmId === 'r1'
        ? slow.answer
        : channel === 'users:find-in-realm'
          ? found(input.realmId)
          : { ok: true, value: userDetail([]) };
    const first = store().find();
    store().chooseRealm('r2');
    await store().find();
    slow.give(found('r1'));
    await first;
    expect(store()).toMatchObject({ realmId: 'r2', found: { realmId: 'r2', candidates: [IN_R2] }, chosen: IN_R2.dn });
    expect(await store().convert()).toBe(true);
    expect(sent('users:to-external')).toEqual([{ id: 'u1', realmId: 'r2', dn: IN_R2.dn }]);
  });

  it('clears what was found when another realm is picked', async () => {
    await store().find();
    store().chooseRealm('r2');
    expect(store()).toMatchObject({ realmId: 'r2', found: null, chosen: null });
    expect(await store().convert()).toBe(false);
    expect(sent('users:to-external')).toEqual([]);
  });

  it.each([
    ['closing', () => store().closeConvert()],
    ['opening again', () => store().openConvert('r1')],
  ])('drops a Find still waiting after %s', async (_, then) => {
    const slow = later<Result<DirectoryCandidate[]>>();
    answer = () => slow.answer;
    const finding = store().find();
    then();
    slow.give(found('r1'));
    await finding;
    expect(store()).toMatchObject({ busy: null, found: null, chosen: null });
  });

  it('drops a conversion’s refusal that answers after the dialog closed', async () => {
    await store().find();
    const slow = later<Result<unknown>>();
    answer = (channel) => (channel === 'users:to-external' ? slow.answer : { ok: true, value: userDetail([]) });
    const converting = store().convert();
    store().closeConvert();
    slow.give({ ok: false, error: { code: 'conflict', message: 'Already linked.' } });
    expect(await converting).toBe(false);
    expect(store()).toMatchObject({ busy: null, error: null });
  });

  it('keeps the realm while a conversion is on its way, and closes when it is done', async () => {
    await store().find();
    const slow = later<Result<unknown>>();
    answer = (channel) => (channel === 'users:to-external' ? slow.answer : { ok: true, value: userDetail([]) });
    const converting = store().convert();
    expect(store().busy).toBe('convert');
    store().chooseRealm('r2');
    expect(store()).toMatchObject({ realmId: 'r1', found: { realmId: 'r1' }, chosen: IN_R1.dn });
    slow.give({ ok: true, value: userDetail([]) });
    expect(await converting).toBe(true);
  });

  it('shows main’s refusal of a conversion and stays open', async () => {
    await store().find();
    answer = () => ({ ok: false, error: { code: 'conflict', message: 'Already linked.' } });
    expect(await store().convert()).toBe(false);
    expect(store()).toMatchObject({ busy: null, error: { message: 'Already linked.' }, chosen: IN_R1.dn });
  });

  // States no action leaves behind; Convert still refuses them rather than send a DN with a realm it was not found in.
  it('sends only a DN found in the realm it sends', async () => {
    await store().find();
    useConvertStore.setState({ realmId: 'r2' });
    expect(await store().convert()).toBe(false);
    useConvertStore.setState({ realmId: 'r1', chosen: IN_R2.dn });
    expect(await store().convert()).toBe(false);
    expect(sent('users:to-external')).toEqual([]);
  });
});
