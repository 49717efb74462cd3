import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RosterApi } from '#shared/ipc/api';
import type { Realm } from '#shared/model/realm';
import type { ImportRow, ImportStatus, Job } from '#shared/model/sync';
import { runButtonLabels } from './import-labels';
import { resetImport, useImportStore, viewTotal } from './import-store';
import { resetJobs, useJobsStore } from '../../stores/jobs-store';
import { useRealmsStore } from '../../stores/realms-store';

// A fake directory of 1,500 entries: the first 300 already imported, the rest new.
const ROWS: ImportRow[] = Array.from({ length: 1500 }, (_, n) => ({
  dn: `uid=u${n},ou=people,dc=example`,
  externalId: `id${n}`,
  username: `u${n}`,
  displayName: `User ${n}`,
  email: `u${n}@example.org`,
  department: 'Sales',
  title: 'Clerk',
  enabled: true,
  status: n < 300 ? 'unchanged' : 'new',
  changedFields: [],
}));
const SEARCH = {
  searchId: 's1',
  realmId: 'r1',
  filter: '(objectClass=*)',
  total: 1500,
  counts: { new: 1200, unchanged: 300, changed: 0, conflict: 0, clash: 0 },
  clashRealms: [],
};
/** The same directory once another realm holds two of its usernames. */
const CLASHING = {
  ...SEARCH,
  counts: { new: 1198, unchanged: 300, changed: 0, conflict: 0, clash: 2 },
  clashRealms: [{ realmId: 'r0', realmName: 'Old LDAP', count: 2 }],
};
const [DN_A, DN_B] = ['uid=u1498,ou=people,dc=example', 'uid=u1499,ou=people,dc=example'];
const job = (over: Partial<Job> = {}): Job => ({
  id: 'j1',
  kind: 'import',
  realmId: 'r1',
  state: 'running',
  done: 0,
  total: 1500,
  phase: 'Importing',
  startedAt: '2025-01-01T10:00:00.000Z',
  ...over,
});

type Call = { channel: string; input: Record<string, unknown> };
let calls: Call[] = [];
let searchAnswers: unknown[] = [];
let runAnswers: unknown[] = [];
/** Passwords main was given on the one channel that carries them, by realm. */
let mainKeeps = new Map<string, string>();
const roster: RosterApi = {
  invoke: async (channel, input) => {
    const c = { channel, input: input as Record<string, unknown> };
    calls.push(c);
    if (channel === 'import:search') return (searchAnswers.shift() ?? { ok: true, value: SEARCH }) as never;
    if (channel === 'import:page') {
      const { offset = 0, limit = 200, status } = c.input as { offset?: number; limit?: number; status?: ImportStatus };
      const rows = status ? ROWS.filter((r) => r.status === status) : ROWS;
      return { ok: true, value: { total: rows.length, offset, rows: rows.slice(offset, offset + limit) } } as never;
    }
    if (channel === 'import:run') return (runAnswers.shift() ?? { ok: true, value: job() }) as never;
    if (channel === 'realms:set-session-password') {
      mainKeeps.set(c.input.realmId as string, c.input.password as string);
      return { ok: true, value: { kept: 'session' } } as never;
    }
    // Main lists a realm it was given a password for as having one for the session.
    if (channel === 'realms:list')
      return { ok: true, value: useRealmsStore.getState().realms.map((r) => (mainKeeps.has(r.id) ? { ...r, password: 'session' } : r)) } as never;
    return { ok: false, error: { code: 'internal', message: `unexpected ${channel}` } } as never;
  },
  on: () => () => undefined,
};
Object.assign(globalThis, { window: { roster } });

const realm = (over: Partial<Realm> = {}): Realm =>
  ({
    id: 'r1',
    name: 'Example',
    kind: 'openldap',
    enabled: true,
    order: 0,
    password: 'saved',
    connection: { urls: ['ldap://x'], tls: 'none', verifyCertificate: true, bindDn: 'cn=admin', connectTimeoutMs: 5000, operationTimeoutMs: 30000 },
    search: { baseDn: 'dc=example', userFilter: '(objectClass=inetOrgPerson)', scope: 'sub', pageSize: 500 },
    idAttribute: 'entryUUID',
    mapping: {},
    ...over,
  }) as Realm;

const store = () => useImportStore.getState();
const of = (channel: string) => calls.filter((c) => c.channel === channel).map((c) => c.input);
const pagesLoaded = () => vi.waitFor(() => expect(store().pages[0]).toBeDefined());
let unwatch = () => undefined as void;

beforeEach(() => {
  resetImport();
  resetJobs();
  calls = [];
  mainKeeps = new Map();
  searchAnswers = [];
  runAnswers = [];
  useRealmsStore.setState({ realms: [realm()], loaded: true });
  unwatch = store().watch();
  store().chooseRealm('r1');
});
afterEach(() => unwatch());

async function searchFor(query: string) {
  store().setQuery(query);
  await store().search();
}

describe('import store: searching', () => {
  it('asks for something to search for', async () => {
    await searchFor('  ');
    expect(store().queryError).toMatch(/\* for everyone/);
    expect(of('import:search')).toHaveLength(0);
  });

  it('searches, counts honestly and pages through the result', async () => {
    await searchFor('*');
    expect(of('import:search')[0]).toEqual({ realmId: 'r1', query: '*' });
    expect(viewTotal(store())).toBe(1500);
    await pagesLoaded();
    store().showRange({ start: 1300, end: 1340 });
    await vi.waitFor(() => expect(store().pages[6]?.[100]?.username).toBe('u1300'));
  });

  it('sends the advanced filter instead of the query, and shows main’s refusal of it', async () => {
    searchAnswers.push({ ok: false, error: { code: 'invalid-filter', message: 'The directory refused the filter.' } });
    store().setAdvanced(true);
    store().setFilter('(uid=a)');
    expect(store().filterError).toBeNull();
    await searchFor('');
    expect(of('import:search')[0]).toEqual({ realmId: 'r1', query: '', filter: '(uid=a)' });
    expect(store().filterError).toBe('The directory refused the filter.');
    expect(store().searchError).toBeNull();
  });

  it('checks the advanced filter as it is typed (RFC 4515) and never sends a malformed one', async () => {
    store().setAdvanced(true);
    store().setFilter('(uid=a');
    const typed = 'The "(" at character 1 is never closed: a ")" is missing.';
    expect(store().filterError).toBe(typed);
    store().setFilter('(uid=a))');
    expect(store().filterError).toBe('The ")" at character 8 closes nothing: there is one ")" too many.');
    // Search refuses it: nothing goes to main, the message stays by the field, no other message says it again.
    store().setFilter('(uid=a');
    await searchFor('*');
    expect(of('import:search')).toHaveLength(0);
    expect(calls).toHaveLength(0);
    expect(store().filterError).toBe(typed);
    expect(store().searchError).toBeNull();
    expect(store().queryError).toBeNull();
    // Closed, the filter is not used: no message, and the query is searched.
    store().setAdvanced(false);
    expect(store().filterError).toBeNull();
    // Opened again, the filter it holds is checked at once.
    store().setAdvanced(true);
    expect(store().filterError).toBe(typed);
    // Emptied, it is not used and not wrong: the query is searched.
    store().setFilter('  ');
    expect(store().filterError).toBeNull();
    // Put right, the message goes as it is typed, and Search sends it.
    store().setFilter('(uid=a)');
    expect(store().filterError).toBeNull();
    await store().search();
    expect(of('import:search')).toEqual([{ realmId: 'r1', query: '*', filter: '(uid=a)' }]);
  });

  it('narrows to a status with a chip', async () => {
    await searchFor('*');
    store().setStatus('unchanged');
    expect(viewTotal(store())).toBe(300);
    await pagesLoaded();
    expect(of('import:page').at(-1)).toMatchObject({ status: 'unchanged', offset: 0 });
  });
});

/** An answer main gives when the test says. */
function later<T>() {
  let give: (value: T) => void = () => undefined;
  const answer = new Promise<T>((resolve) => (give = resolve));
  return { answer, give };
}

describe('import store: searches that answer late', () => {
  it('keep the newest search when an earlier one answers last', async () => {
    const first = later<unknown>();
    const second = later<unknown>();
    searchAnswers = [first.answer, second.answer];
    const firstSearch = searchFor('a*');
    const secondSearch = searchFor('b*');
    second.give({ ok: true, value: { ...SEARCH, searchId: 's2' } });
    await secondSearch;
    first.give({ ok: true, value: SEARCH });
    await firstSearch;
    expect(store().result?.searchId).toBe('s2');
    expect(of('import:search').map((input) => input.query)).toEqual(['a*', 'b*']);
  });

  it.each([
    ['another realm is chosen', () => store().chooseRealm('r2')],
    ['resetImport (tests start clean)', () => resetImport()],
  ])('are dropped once %s', async (_, then) => {
    const late = later<unknown>();
    searchAnswers = [late.answer];
    const search = searchFor('*');
    then();
    late.give({ ok: true, value: SEARCH });
    await search;
    expect(store().result).toBeNull();
    expect(store().searching).toBe(false);
  });
});

describe('import store: the bind password', () => {
  it('asks first when main holds no password, hands it to main on the one password channel, then searches; keeps none', async () => {
    const secret = 'typed-Secret-4410';
    useRealmsStore.setState({ realms: [realm({ password: 'missing' })] });
    await searchFor('smith');
    expect(store().prompt).toEqual({ realmId: 'r1', then: 'search', error: null });
    expect(of('import:search')).toHaveLength(0);
    await store().submitPassword(secret);
    expect(store().prompt).toBeNull();
    expect(calls.map((c) => c.channel)).toEqual(['realms:set-session-password', 'realms:list', 'import:search', 'import:page']);
    expect(of('realms:set-session-password')).toEqual([{ realmId: 'r1', password: secret }]);
    expect(of('import:search')[0]).toEqual({ realmId: 'r1', query: 'smith' });
    // Main keeps it for the session (its realm list says so): no second question, and nothing else carries it.
    await searchFor('jones');
    expect(of('import:search')[1]).toEqual({ realmId: 'r1', query: 'jones' });
    expect(calls.filter((c) => JSON.stringify(c.input).includes(secret))).toHaveLength(1);
    expect(JSON.stringify(useImportStore.getState())).not.toContain(secret);
  });

  it('says why a kept password is not used: main’s note that it was for another server', async () => {
    const passwordNote = 'The saved password was saved for ldap://old, bind DN cn=admin; the server or bind DN changed, so enter the password again.';
    useRealmsStore.setState({ realms: [realm({ password: 'missing', passwordNote })] });
    await searchFor('smith');
    expect(store().prompt).toEqual({ realmId: 'r1', then: 'search', error: passwordNote });
  });

  it('asks when main says it needs one, and again with the reason when it is refused', async () => {
    searchAnswers.push({ ok: false, error: { code: 'password-required', message: 'Enter the bind password' } });
    await searchFor('smith');
    expect(store().prompt?.error).toBeNull();
    searchAnswers.push({ ok: false, error: { code: 'invalid-credentials', message: 'The directory refused the password.' } });
    await store().submitPassword('wrong');
    expect(store().prompt?.error).toBe('The directory refused the password.');
    await store().submitPassword('right');
    expect(of('realms:set-session-password').map((i) => i.password)).toEqual(['wrong', 'right']);
    expect(of('import:search').at(-1)).toEqual({ realmId: 'r1', query: 'smith' });
    expect(store().result?.total).toBe(1500);
  });
});

describe('import store: selection and runs', () => {
  it('selects a shift-click range across rows not fetched yet', async () => {
    await searchFor('*');
    await pagesLoaded();
    await store().clickRow(2, false);
    await store().clickRow(1200, true);
    expect(store().selection.dns.size).toBe(1199);
    await store().clickRow(5, false);
    expect(store().selection.dns.has(ROWS[5]!.dn)).toBe(false);
  });

  it('runs the selection with its DNs, or all without', async () => {
    await searchFor('*');
    await pagesLoaded();
    await store().clickRow(0, false);
    await store().clickRow(1, false);
    await store().run('selected');
    expect(of('import:run')[0]).toEqual({ searchId: 's1', dns: [ROWS[0]!.dn, ROWS[1]!.dn] });
    expect(store().jobId).toBe('j1');
    expect(useJobsStore.getState().jobs.j1?.state).toBe('running');
    expect(store().selection.dns.size).toBe(0);

    await store().run('all');
    expect(of('import:run')[1]).toEqual({ searchId: 's1' });
  });

  it('"select all" under a chip sends that status’s DNs', async () => {
    await searchFor('*');
    store().setStatus('unchanged');
    store().selectAll();
    await store().run('selected');
    expect((of('import:run')[0]?.dns as string[]).length).toBe(300);
  });

  it('the run buttons follow the chip: their label names and counts its entries, and "all" acts on only them', async () => {
    await searchFor('*');
    const labels = () => runButtonLabels(store().result!.counts, store().status, 0);
    expect(labels()).toEqual({ selected: 'Import / Resync selected (0)', all: 'Import / Resync all (1,500)', allCount: 1500 });
    store().setStatus('unchanged');
    expect(labels()).toEqual({ selected: 'Resync selected (0)', all: 'Resync all already imported (300)', allCount: 300 });
    await store().run('all');
    const dns = of('import:run')[0]?.dns as string[];
    expect(dns).toHaveLength(300);
    expect(new Set(dns)).toEqual(new Set(ROWS.filter((r) => r.status === 'unchanged').map((r) => r.dn)));
    store().setStatus('new');
    expect(labels().all).toBe('Import all new (1,200)');
    store().setStatus(null);
    await store().run('all');
    expect(of('import:run')[1]).toEqual({ searchId: 's1' });
  });

  it('names conflicts on the button when the Conflict chip is on', () => {
    const counts = { new: 200, unchanged: 88, changed: 0, conflict: 12, clash: 0 };
    expect(runButtonLabels(counts, 'conflict', 2)).toEqual({ selected: 'Resync selected (2)', all: 'Resync all conflicts (12)', allCount: 12 });
    expect(runButtonLabels(counts, null, 2).all).toBe('Import / Resync all (300)');
  });

  it('searches again when the job finishes, keeping the chip', async () => {
    await searchFor('*');
    store().setStatus('new');
    await store().run('all');
    expect(of('import:search')).toHaveLength(1);
    useJobsStore.getState().track(job({ state: 'done', done: 1500 }));
    await vi.waitFor(() => expect(of('import:search')).toHaveLength(2));
    expect(of('import:search')[1]).toEqual({ realmId: 'r1', query: '*' });
    expect(store().status).toBe('new');
    expect(store().jobId).toBe('j1');
  });

  it('asks for the password when the run needs it, then runs', async () => {
    await searchFor('*');
    runAnswers.push({ ok: false, error: { code: 'password-required', message: 'Enter the bind password' } });
    await store().run('all');
    expect(store().prompt).toMatchObject({ then: 'run' });
    await store().submitPassword('secret');
    expect(of('realms:set-session-password')).toEqual([{ realmId: 'r1', password: 'secret' }]);
    expect(of('import:run')[1]).toEqual({ searchId: 's1' });
    expect(store().jobId).toBe('j1');
  });
});

describe('import store: the report', () => {
  it('stays after the re-search but goes with a new search', async () => {
    await searchFor('*');
    await store().run('all');
    useJobsStore.getState().track(job({ state: 'done', done: 1500 }));
    await vi.waitFor(() => expect(of('import:search')).toHaveLength(2));
    expect(store().jobId).toBe('j1');
    await searchFor('smith');
    expect(store().jobId).toBeNull();
  });
});

describe('import store: usernames held by users of another realm', () => {
  it('sends the choice for all, the rule and each entry’s own choice or typed name with the run', async () => {
    searchAnswers.push({ ok: true, value: CLASHING });
    await searchFor('*');
    store().setClashAll('link');
    store().setClashRule('{username}-{realm}');
    store().setRowClash(DN_A, 'skip');
    store().setRowName(DN_B, 'u1499.example');
    await store().run('all');
    expect(of('import:run')[0]).toEqual({
      searchId: 's1',
      clash: {
        onUsernameClash: 'link',
        renameRule: '{username}-{realm}',
        overrides: { [DN_A]: { choice: 'skip' }, [DN_B]: { choice: 'rename', username: 'u1499.example' } },
      },
    });
  });

  it('does not start on an invalid rule or typed name, says why, and starts once it is put right', async () => {
    searchAnswers.push({ ok: true, value: CLASHING });
    await searchFor('*');
    store().setClashAll('rename');
    store().setClashRule('{user}.{realm}');
    await store().run('all');
    expect(of('import:run')).toHaveLength(0);
    expect(store().clashError).toBe('The rename rule cannot be used: Unknown placeholder {user}: a rule may use {username} and {realm}.');
    store().setClashRule('{username}.{realm}');
    expect(store().clashError).toBeNull();
    store().setRowName(DN_A, 'two words');
    await store().run('all');
    expect(store().clashError).toBe(
      `Username "two words" may contain only letters, digits, and . _ - @ (at most 64 characters, no spaces). (typed for ${DN_A})`,
    );
    expect(of('import:run')).toHaveLength(0);
    store().setRowClash(DN_A, 'skip');
    await store().run('all');
    expect(of('import:run')).toEqual([
      { searchId: 's1', clash: { onUsernameClash: 'rename', renameRule: '{username}.{realm}', overrides: { [DN_A]: { choice: 'skip' } } } },
    ]);
    expect(store().clashError).toBeNull();
  });

  it('keeps every choice for the refresh after a run; a new search keeps only the rule', async () => {
    searchAnswers.push({ ok: true, value: CLASHING }, { ok: true, value: CLASHING });
    await searchFor('*');
    store().setClashRule('ex-{username}');
    store().setClashAll('rename');
    store().setRowClash(DN_A, 'link');
    await store().run('all');
    useJobsStore.getState().track(job({ state: 'done', done: 1500 }));
    await vi.waitFor(() => expect(of('import:search')).toHaveLength(2));
    expect(store().clash).toEqual({ all: 'rename', rule: 'ex-{username}', rows: { [DN_A]: 'link' }, names: {} });
    await searchFor('smith');
    expect(store().clash).toEqual({ all: 'skip', rule: 'ex-{username}', rows: {}, names: {} });
  });
});
