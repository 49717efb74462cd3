import { beforeEach, describe, expect, it } from 'vitest';
import type { RosterApi } from '#shared/ipc/api';
import type { Realm } from '#shared/model/realm';
import { realmFromPreset } from '#shared/model/realm-presets';
import { isDirty } from './realm-draft';
import { coverageIsStale, testFieldFlags, useRealmFormStore, visibleFieldErrors } from './realm-form-store';
import { useRealmsStore } from '../../stores/realms-store';

const saved: Realm = {
  ...realmFromPreset('openldap', { name: 'Example', urls: ['ldap://ldap.example'], bindDn: 'cn=r', baseDn: 'dc=example' }),
  id: 'r1',
  order: 0,
  password: 'saved',
};
const report = { ok: true, url: 'ldap://ldap.example', steps: [] };
let calls: { channel: string; input: unknown }[] = [];
let answer: (channel: string) => unknown = () => ({ ok: true, value: report });

// The store reaches main only through src/api.ts, which reads window.roster: stand in for it.
const roster: RosterApi = {
  invoke: async (channel, input) => {
    calls.push({ channel, input });
    return answer(channel) as never;
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
  calls = [];
  answer = (channel) => ({ ok: true, value: channel === 'realms:list' ? [saved] : report });
  useRealmsStore.setState({ realms: [saved], loaded: true });
  useRealmFormStore.getState().open({ kind: 'realm', id: 'r1' });
});

describe('runTest', () => {
  it("tests the draft's mapping once the list is edited, and says the shown coverage is stale when the list changes again", async () => {
    const covered = { ...report, coverage: { sampled: 3, cap: 200, more: false, fields: [] } };
    answer = () => ({ ok: true, value: covered });
    const setFullName = (typed: string) => useRealmFormStore.getState().edit((d) => ({ ...d, mapping: { ...d.mapping, displayName: typed } }));
    const stale = () => coverageIsStale(useRealmFormStore.getState().test, useRealmFormStore.getState().draft);
    setFullName('displayName, cn');
    await useRealmFormStore.getState().runTest();
    expect(calls).toHaveLength(1);
    expect(calls[0]?.input).toMatchObject({ id: 'r1', draft: { mapping: { displayName: ['displayName', 'cn'], username: ['uid'] } } });
    expect(useRealmFormStore.getState().test.report).toEqual(covered);
    expect(stale()).toBe(false);
    // The same list typed another way is the same mapping.
    setFullName('displayName,cn ');
    expect(stale()).toBe(false);
    setFullName('displayName');
    expect(stale()).toBe(true);
    await useRealmFormStore.getState().runTest();
    expect(calls[1]?.input).toMatchObject({ draft: { mapping: { displayName: ['displayName'] } } });
    expect(stale()).toBe(false);
  });

  it('tests a saved realm by id alone when nothing changed, so main records it, then reloads the list', async () => {
    await useRealmFormStore.getState().runTest();
    expect(calls.map((c) => c.channel)).toEqual(['realms:test', 'realms:list']);
    expect(calls[0]?.input).toEqual({ id: 'r1' });
  });

  it('hands a typed password to main (for the saved target) before the test, and empties the field', async () => {
    useRealmFormStore.getState().edit((d) => ({ ...d, password: 'typed-Secret-1' }));
    await useRealmFormStore.getState().runTest();
    expect(calls.map((c) => c.channel)).toEqual(['realms:set-session-password', 'realms:test', 'realms:list']);
    expect(calls[0]?.input).toEqual({ realmId: 'r1', connection: saved.connection, password: 'typed-Secret-1' });
    expect(calls[1]?.input).toEqual({ id: 'r1' });
    const { draft, baseline } = useRealmFormStore.getState();
    expect(draft.password).toBe('');
    expect(JSON.stringify(useRealmFormStore.getState())).not.toContain('typed-Secret-1');
    // Still unsaved: Save would ask main to save it.
    expect(isDirty(draft, baseline)).toBe(true);
  });

  it('tests the draft (with the id, for the saved password) when settings changed', async () => {
    useRealmFormStore.getState().edit((d) => ({ ...d, baseDn: 'dc=other' }));
    await useRealmFormStore.getState().runTest();
    expect(calls).toHaveLength(1);
    expect(calls[0]?.input).toMatchObject({ id: 'r1', draft: { search: { baseDn: 'dc=other' } } });
  });

  it('does not call main with an invalid draft', async () => {
    useRealmFormStore.getState().edit((d) => ({ ...d, urls: ['nope'] }));
    expect(await useRealmFormStore.getState().runTest()).toBe(false);
    expect(calls).toEqual([]);
    // The URL field says why; the test panel does not say it again.
    expect(useRealmFormStore.getState().test.error).toBeNull();
    expect(visibleFieldErrors(useRealmFormStore.getState(), true)['connection.urls.0']).toMatch(/^Use a URL such as/);
  });

  it('drops a test answer that comes back after the form was opened again', async () => {
    const late = later<unknown>();
    answer = (channel) => (channel === 'realms:test' ? late.answer : { ok: true, value: [saved] });
    const testing = useRealmFormStore.getState().runTest();
    useRealmFormStore.getState().open({ kind: 'realm', id: 'r1' });
    late.give({ ok: true, value: report });
    expect(await testing).toBe(false);
    expect(useRealmFormStore.getState().test).toEqual({ running: false, report: null, error: null, mapping: null });
    expect(calls.map((c) => c.channel)).toEqual(['realms:test']);
  });

  it('stops a test whose password hand-over answers after the form was opened again', async () => {
    const late = later<unknown>();
    answer = (channel) => (channel === 'realms:set-session-password' ? late.answer : { ok: true, value: report });
    useRealmFormStore.getState().edit((d) => ({ ...d, password: 'typed-Secret-2' }));
    const testing = useRealmFormStore.getState().runTest();
    useRealmFormStore.getState().open({ kind: 'realm', id: 'r1' });
    late.give({ ok: false, error: { code: 'invalid-credentials', message: 'Wrong password.' } });
    expect(await testing).toBe(false);
    expect(useRealmFormStore.getState().test).toEqual({ running: false, report: null, error: null, mapping: null });
    expect(calls.map((c) => c.channel)).toEqual(['realms:set-session-password']);
  });
});

describe('save', () => {
  it('shows a conflict next to the field main names', async () => {
    answer = () => ({ ok: false, error: { code: 'conflict', message: 'Taken', details: { field: 'name' } } });
    useRealmFormStore.getState().open({ kind: 'new' });
    useRealmFormStore.getState().edit((d) => ({ ...d, name: 'Example', urls: ['ldap://x'], baseDn: 'dc=x' }));
    expect(await useRealmFormStore.getState().save()).toBe(false);
    expect(useRealmFormStore.getState().serverErrors).toEqual({ name: 'Taken' });
    expect(calls[0]?.input).not.toHaveProperty('password');
  });

  it('keeps the new realm selected after create; the typed password goes once, on the password channel, under the form’s draft id', async () => {
    answer = (channel) => ({ ok: true, value: channel === 'realms:create' ? { ...saved, id: 'r2', name: 'Second', order: 1 } : { kept: 'session' } });
    useRealmFormStore.getState().open({ kind: 'new' });
    const { draftId } = useRealmFormStore.getState();
    useRealmFormStore.getState().edit((d) => ({ ...d, name: 'Second', urls: ['ldap://x'], baseDn: 'dc=x', bindDn: 'cn=r', password: 'pw-Secret' }));
    expect(await useRealmFormStore.getState().save()).toBe(true);
    const state = useRealmFormStore.getState();
    expect(calls.map((c) => c.channel)).toEqual(['realms:set-session-password', 'realms:create']);
    expect(calls[0]?.input).toMatchObject({ draftId, password: 'pw-Secret', connection: { urls: ['ldap://x'], bindDn: 'cn=r' } });
    expect(calls[1]?.input).toMatchObject({ draftId, rememberPassword: true });
    expect(calls[1]?.input).not.toHaveProperty('password');
    expect(state.target).toEqual({ kind: 'realm', id: 'r2' });
    expect(state.draft.password).toBe('');
    expect(state.savedAt).not.toBeNull();
  });

  it('saves a password given at Test only for the target it was given for', async () => {
    answer = (channel) => ({ ok: true, value: channel === 'realms:update' ? saved : channel === 'realms:list' ? [saved] : report });
    useRealmFormStore.getState().edit((d) => ({ ...d, password: 'pw' }));
    await useRealmFormStore.getState().runTest();
    expect(await useRealmFormStore.getState().save()).toBe(true);
    expect(calls.at(-1)).toEqual({ channel: 'realms:update', input: expect.objectContaining({ id: 'r1', rememberPassword: true }) });

    // Given for one server, then the server changed: Save does not ask main to save it (main forgets it).
    calls = [];
    useRealmFormStore.getState().edit((d) => ({ ...d, password: 'pw' }));
    await useRealmFormStore.getState().runTest();
    useRealmFormStore.getState().edit((d) => ({ ...d, urls: ['ldap://elsewhere.example'] }));
    expect(await useRealmFormStore.getState().save()).toBe(true);
    const update = calls.find((c) => c.channel === 'realms:update')?.input;
    expect(update).toMatchObject({ realm: { connection: { urls: ['ldap://elsewhere.example'] } } });
    expect(update).not.toHaveProperty('rememberPassword');
  });

  it('a draft that moves the server is tested with the realm id (main then refuses the saved password for it)', async () => {
    useRealmFormStore.getState().edit((d) => ({ ...d, urls: ['ldap://look-alike.example'] }));
    await useRealmFormStore.getState().runTest();
    expect(calls).toEqual([{ channel: 'realms:test', input: expect.objectContaining({ id: 'r1', draft: expect.objectContaining({ connection: expect.objectContaining({ urls: ['ldap://look-alike.example'] }) }) }) }]);
  });
});

describe('inspectLdif', () => {
  const inspection = (over: Record<string, unknown> = {}) => ({
    path: '/exports/people.ldif',
    flavour: 'openldap',
    detected: 'openldap',
    reason: 'no entry has objectGUID or sAMAccountName, so it is read as an OpenLDAP export',
    entries: 3,
    users: 2,
    idAttribute: 'dn',
    ...over,
  });

  it('gives a new file realm the detected flavour: its filter, mapping and the id its users carry', async () => {
    answer = () => ({ ok: true, value: inspection() });
    useRealmFormStore.getState().open({ kind: 'new' });
    useRealmFormStore.getState().chooseKind('ldif-file');
    useRealmFormStore.getState().edit((d) => ({ ...d, ldifPath: ' /exports/people.ldif ' }));
    await useRealmFormStore.getState().inspectLdif();
    expect(calls).toEqual([{ channel: 'realms:inspect-ldif', input: { path: '/exports/people.ldif' } }]);
    const { draft, ldifFile } = useRealmFormStore.getState();
    expect([draft.ldifFlavour, draft.userFilter, draft.idAttribute, draft.mapping.username, draft.mapping.displayName]).toEqual([
      'openldap',
      '(objectClass=inetOrgPerson)',
      'dn',
      'uid',
      'displayName, cn, givenName+sn',
    ]);
    expect(ldifFile).toEqual({ checking: false, inspection: inspection(), error: null });

    // Edited after that first reading, then the field left again with the same path: the edit stays.
    useRealmFormStore.getState().edit((d) => ({ ...d, mapping: { ...d.mapping, displayName: 'cn' }, userFilter: '(objectClass=person)' }));
    await useRealmFormStore.getState().inspectLdif();
    expect([useRealmFormStore.getState().draft.mapping.displayName, useRealmFormStore.getState().draft.userFilter]).toEqual(['cn', '(objectClass=person)']);
  });

  it("re-reading a saved realm's file only reports; choosing a flavour applies it", async () => {
    const fileRealm: Realm = {
      ...realmFromPreset('ldif-file', { name: 'Export', urls: [], bindDn: '', baseDn: '', ldifPath: '/exports/corp.ldf', flavour: 'active-directory' }),
      id: 'f1',
      order: 1,
      password: 'missing',
    };
    useRealmsStore.setState({ realms: [saved, fileRealm], loaded: true });
    useRealmFormStore.getState().open({ kind: 'realm', id: 'f1' });
    useRealmFormStore.getState().edit((d) => ({ ...d, mapping: { ...d.mapping, displayName: 'name' } }));
    answer = () => ({ ok: true, value: inspection({ flavour: 'active-directory', detected: 'active-directory', idAttribute: 'objectGUID' }) });
    await useRealmFormStore.getState().inspectLdif();
    expect(useRealmFormStore.getState().draft.mapping.displayName).toBe('name');

    answer = () => ({ ok: true, value: inspection({ flavour: 'openldap', detected: 'active-directory', idAttribute: 'entryUUID' }) });
    await useRealmFormStore.getState().inspectLdif('openldap');
    expect(calls.at(-1)).toEqual({ channel: 'realms:inspect-ldif', input: { path: '/exports/corp.ldf', flavour: 'openldap' } });
    const { draft } = useRealmFormStore.getState();
    expect([draft.ldifFlavour, draft.idAttribute, draft.mapping.displayName]).toEqual(['openldap', 'entryUUID', 'displayName, cn, givenName+sn']);
  });

  it('shows why a file cannot be read and changes nothing', async () => {
    answer = () => ({ ok: false, error: { code: 'not-found', message: 'The LDIF file /x cannot be read: it does not exist.' } });
    useRealmFormStore.getState().open({ kind: 'new' });
    useRealmFormStore.getState().chooseKind('ldif-file');
    useRealmFormStore.getState().edit((d) => ({ ...d, ldifPath: '/x' }));
    const before = useRealmFormStore.getState().draft;
    await useRealmFormStore.getState().inspectLdif();
    expect(useRealmFormStore.getState().draft).toBe(before);
    expect(useRealmFormStore.getState().ldifFile.error?.message).toBe('The LDIF file /x cannot be read: it does not exist.');
  });

  it('keeps the newest reading when an earlier one of the same file answers last', async () => {
    const first = later<unknown>();
    const second = later<unknown>();
    const reads = [first.answer, second.answer];
    answer = () => reads.shift();
    useRealmFormStore.getState().open({ kind: 'new' });
    useRealmFormStore.getState().chooseKind('ldif-file');
    useRealmFormStore.getState().edit((d) => ({ ...d, ldifPath: '/exports/people.ldif' }));
    const detected = useRealmFormStore.getState().inspectLdif();
    const chosen = useRealmFormStore.getState().inspectLdif('active-directory');
    second.give({ ok: true, value: inspection({ flavour: 'active-directory', idAttribute: 'objectGUID' }) });
    await chosen;
    first.give({ ok: true, value: inspection() });
    await detected;
    expect(useRealmFormStore.getState().ldifFile.inspection?.flavour).toBe('active-directory');
    expect(useRealmFormStore.getState().draft.ldifFlavour).toBe('active-directory');
  });
});

describe('field errors: each once, by its field', () => {
  const visible = () => visibleFieldErrors(useRealmFormStore.getState(), true);
  const setFilter = (userFilter: string) => useRealmFormStore.getState().edit((d) => ({ ...d, userFilter }), 'search.userFilter');

  it('says what is wrong with the user filter as it is typed, before any save, test or connection', () => {
    useRealmFormStore.getState().edit((d) => ({ ...d, name: '' }));
    setFilter('(&(objectClass=person)(uid=a');
    // The filter at once; an empty name only once a save or test was tried.
    expect(visible()).toEqual({ 'search.userFilter': 'The "(" at character 23 is never closed: a ")" is missing.' });
    setFilter('(&(objectClass=person)(uid=a\\zz))');
    expect(visible()).toEqual({ 'search.userFilter': expect.stringMatching(/^The "\\" at character 29 must be followed by two hex digits/) });
    setFilter('(&(objectClass=person)(uid=a))');
    expect(visible()).toEqual({});
    expect(calls).toEqual([]);
  });

  it('a test of a draft with errors sends nothing and adds no message of its own: the fields say it', async () => {
    setFilter('(uid=a))');
    useRealmFormStore.getState().edit((d) => ({ ...d, name: '' }));
    expect(await useRealmFormStore.getState().runTest()).toBe(false);
    expect(calls).toEqual([]);
    expect(useRealmFormStore.getState().test).toEqual({ running: false, report: null, error: null, mapping: null });
    expect(visible()).toEqual({ name: 'Give the realm a name', 'search.userFilter': 'The ")" at character 8 closes nothing: there is one ")" too many.' });
  });

  it('a failed test points the field it is about at the step that says why', () => {
    const failedAt = (step: string, code: string, url = 'ldap://ldap.example') => ({
      running: false,
      error: null,
      mapping: null,
      report: { ok: false, url, steps: [{ step, label: step, status: 'failed', detail: 'why', ms: 1 }], error: { code, message: 'why' } },
    }) as never;
    const draft = useRealmFormStore.getState().draft;
    expect(testFieldFlags(failedAt('bind', 'invalid-credentials'), draft)).toEqual({ password: 'test-step-bind-detail' });
    expect(testFieldFlags(failedAt('bind', 'host-unreachable'), draft)).toEqual({ 'connection.urls.0': 'test-step-bind-detail' });
    expect(testFieldFlags(failedAt('base', 'no-such-base'), draft)).toEqual({ 'search.baseDn': 'test-step-base-detail' });
    expect(testFieldFlags(failedAt('users', 'ldap-error'), draft)).toEqual({ 'search.userFilter': 'test-step-users-detail' });
    expect(testFieldFlags(failedAt('rootdse', 'ldap-error'), draft)).toEqual({});
  });
});
