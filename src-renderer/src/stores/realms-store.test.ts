import { beforeEach, describe, expect, it } from 'vitest';
import type { RosterApi } from '#shared/ipc/api';
import type { Realm } from '#shared/model/realm';
import { realmFromPreset } from '#shared/model/realm-presets';
import { realmActivity, useRealmsStore } from './realms-store';

const NOW = Date.parse('2026-12-01T12:00:00.000Z');
const ago = (minutes: number) => new Date(NOW - minutes * 60_000).toISOString();
const realm = (extra: Partial<Realm> = {}): Realm => ({
  ...realmFromPreset('openldap', { name: 'Lab', urls: ['ldap://ldap.example'], bindDn: 'cn=r', baseDn: 'dc=example' }),
  id: 'r1',
  order: 0,
  password: 'saved',
  ...extra,
});

// What main answers to realms:list, and the listeners the store subscribed (window.roster stands in for the bridge).
let mainHolds: Realm[] = [];
let lastAnswer: Promise<unknown> = Promise.resolve();
// Answers to realms:reorder that the test gives when it says (so they can come back out of order).
let reorderAnswers: Promise<unknown>[] = [];
const listeners = new Map<string, (payload: unknown) => void>();
const roster: RosterApi = {
  invoke: (channel) =>
    (lastAnswer =
      channel === 'realms:reorder' && reorderAnswers.length > 0
        ? reorderAnswers.shift()!
        : Promise.resolve(channel === 'realms:list' ? { ok: true, value: mainHolds } : { ok: false, error: { code: 'internal', message: channel } })) as never,
  on: (event, listener) => {
    listeners.set(event, listener as (payload: unknown) => void);
    return () => listeners.delete(event);
  },
};
Object.assign(globalThis, { window: { roster } });

/** An answer main gives when the test says. */
function later<T>() {
  let give: (value: T) => void = () => undefined;
  const answer = new Promise<T>((resolve) => (give = resolve));
  return { answer, give };
}

beforeEach(() => {
  listeners.clear();
  reorderAnswers = [];
  mainHolds = [realm()];
  useRealmsStore.setState({ realms: [realm()], loaded: true });
});

describe('realmActivity (what a realm card says)', () => {
  it('says "Never tested" and "Not imported yet" only when main recorded neither', () => {
    expect(realmActivity(realm(), NOW)).toEqual({
      test: { state: 'untested', text: 'Never tested' },
      imported: { text: 'Not imported yet' },
      reconciled: { text: 'Never reconciled' },
    });
    expect(realmActivity(realm({ kind: 'ldif-file' }), NOW).test).toEqual({ state: 'file', text: 'Offline file' });
  });

  it('shows the last test (result and when, the message in the tooltip), the last import and the last reconcile', () => {
    const activity = realmActivity(
      realm({
        lastTest: { at: ago(5), ok: true, message: 'OpenLDAP at ldap://ldap.example, base DN found, 300 users' },
        lastImportAt: ago(3),
        lastReconcileAt: ago(120),
      }),
      NOW,
    );
    expect(activity.test).toMatchObject({ state: 'ok', text: 'Tested OK · 5 minutes ago' });
    expect(activity.test.title).toMatch(/^Last test .+\nOpenLDAP at ldap:\/\/ldap\.example, base DN found, 300 users$/);
    expect(activity.imported).toMatchObject({ text: 'Imported 3 minutes ago', title: expect.stringMatching(/^Last import finished /) });
    expect(activity.reconciled).toMatchObject({ text: 'Reconciled 2 hours ago', title: expect.stringMatching(/^Last reconciled /) });
    const failed = realmActivity(realm({ lastTest: { at: ago(0), ok: false, message: 'Connection refused' } }), NOW).test;
    expect(failed).toMatchObject({ state: 'failed', text: 'Test failed · just now' });
  });
});

describe('the realm list follows main', () => {
  it('reloads when main says a realm changed (after a test, an import, a reconcile), so its card shows them', async () => {
    const stop = useRealmsStore.getState().watch();
    mainHolds = [realm({ lastTest: { at: ago(1), ok: true, message: 'ok' }, lastImportAt: ago(0) })];
    listeners.get('realms:changed')?.({ ids: ['r1'] });
    // The store's own continuation was queued first on the answer: once it is in, the list is updated.
    await lastAnswer;
    expect(useRealmsStore.getState().realms[0]?.lastImportAt).toBe(ago(0));
    const card = realmActivity(useRealmsStore.getState().realms[0]!, NOW);
    expect([card.test.text, card.imported.text]).toEqual(['Tested OK · 1 minute ago', 'Imported just now']);
    stop();
    expect(listeners.has('realms:changed')).toBe(false);
  });
});

describe('moving realms', () => {
  it('keeps the newest order when the answer to an earlier move comes back last', async () => {
    const [a, b, c] = ['a', 'b', 'c'].map((id, order) => realm({ id, name: id, order }));
    useRealmsStore.setState({ realms: [a!, b!, c!] });
    const first = later<unknown>();
    const second = later<unknown>();
    reorderAnswers = [first.answer, second.answer];
    const firstMove = useRealmsStore.getState().move('c', -1);
    const secondMove = useRealmsStore.getState().move('c', -1);
    expect(useRealmsStore.getState().realms.map((r) => r.id)).toEqual(['c', 'a', 'b']);
    second.give({ ok: true, value: [c, a, b] });
    await secondMove;
    first.give({ ok: true, value: [a, c, b] });
    await firstMove;
    expect(useRealmsStore.getState().realms.map((r) => r.id)).toEqual(['c', 'a', 'b']);
  });
});
