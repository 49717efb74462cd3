import { beforeEach, describe, expect, it } from 'vitest';
import type { RosterApi } from '../../../src-shared/ipc/api';
import type { Realm } from '../../../src-shared/model/realm';
import { realmFromPreset } from '../../../src-shared/model/realm-presets';
import { coverageIsStale, useRealmFormStore } from './realm-form-store';
import { useRealmsStore } from './realms-store';

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
    useRealmFormStore.getState().edit((d) => ({ ...d, password: 'typed' }));
    await useRealmFormStore.getState().runTest();
    expect(calls.map((c) => c.channel)).toEqual(['realms:test', 'realms:list']);
    expect(calls[0]?.input).toEqual({ id: 'r1', password: 'typed' });
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
    expect(useRealmFormStore.getState().test.error?.message).toMatch(/highlighted/);
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

  it('keeps the new realm selected after create and sends the typed password once', async () => {
    answer = () => ({ ok: true, value: { ...saved, id: 'r2', name: 'Second', order: 1 } });
    useRealmFormStore.getState().open({ kind: 'new' });
    useRealmFormStore.getState().edit((d) => ({ ...d, name: 'Second', urls: ['ldap://x'], baseDn: 'dc=x', password: 'pw' }));
    expect(await useRealmFormStore.getState().save()).toBe(true);
    const state = useRealmFormStore.getState();
    expect(calls[0]).toMatchObject({ channel: 'realms:create', input: { password: 'pw' } });
    expect(state.target).toEqual({ kind: 'realm', id: 'r2' });
    expect(state.draft.password).toBe('');
    expect(state.savedAt).not.toBeNull();
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
});
