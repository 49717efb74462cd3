import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RosterApi } from '#shared/ipc/api';
import { realmMissingQuery, type FieldCompleteness, type ReportsOverview } from '#shared/model/report';
import type { Realm } from '#shared/model/realm';
import type { Job } from '#shared/model/sync';
import { exportScopeFor } from '../export/export-scope';
import { useAppStore } from '../../stores/app-store';
import { resetImport, useImportStore } from '../import/import-store';
import { resetJobs, useJobsStore } from '../../stores/jobs-store';
import { useRealmsStore } from '../../stores/realms-store';
import { resetSync, useSyncStore } from '../sync/sync-store';
import { resetExport, useExportStore } from '../export/export-store';
import {
  barLabel,
  chartOrder,
  realmCellLabel,
  realmCellTitle,
  reportLabel,
  resetReports,
  STALE_DEBOUNCE_MS,
  useReportsStore,
  validStaleDays,
} from './reports-store';
import { isReportShown, resetUsersList, useUsersListStore } from '../users/list/users-list-store';

const bar = (key: string, required: boolean, missing: number): FieldCompleteness => ({
  key,
  label: key,
  required,
  total: 301,
  missing,
  query: { missingField: key },
});
const overview = (staleDays: number): ReportsOverview => ({
  at: '2026-01-01T00:00:00Z',
  users: 301,
  staleDays,
  completeness: [bar('phone', false, 40), bar('department', true, 12)],
  completenessByRealm: [
    { realmId: 'r1', name: 'Lab directory', users: 200, missing: { phone: 10, department: 12 } },
    { realmId: null, name: 'Internal users', users: 101, missing: { phone: 30, department: 0 } },
  ],
  reports: [{ id: 'stale', title: 'Not synced recently', description: '', count: 3, query: { staleDays } }],
});

type Call = { channel: string; input: Record<string, unknown> };
let calls: Call[] = [];
// Answers to reports:overview that the test gives when it says (so they can come back late).
let overviewAnswers: Promise<unknown>[] = [];
const roster: RosterApi = {
  invoke: async (channel, input) => {
    calls.push({ channel, input: input as Record<string, unknown> });
    if (channel === 'prefs:get') return { ok: true, value: { staleDays: 45, export: {}, usersSort: { column: 'username', direction: 'asc' } } } as never;
    if (channel === 'prefs:set') return { ok: true, value: {} } as never;
    if (channel === 'reports:overview' && overviewAnswers.length > 0) return overviewAnswers.shift() as never;
    if (channel === 'reports:overview') return { ok: true, value: overview((input as { staleDays: number }).staleDays) } as never;
    if (channel === 'import:search')
      return {
        ok: true,
        value: {
          searchId: 's1',
          realmId: (input as { realmId: string }).realmId,
          filter: '(objectClass=*)',
          total: 9,
          counts: { new: 4, unchanged: 5, changed: 0, conflict: 0, clash: 0 },
          clashRealms: [],
        },
      } as never;
    if (channel === 'import:page') return { ok: true, value: { total: 0, offset: 0, rows: [] } } as never;
    if (channel === 'users:query')
      return { ok: true, value: { total: 0, offset: 0, rows: [], facets: null, sort: { column: 'username', direction: 'asc' } } } as never;
    return { ok: false, error: { code: 'internal', message: `unexpected ${channel}` } } as never;
  },
  on: () => () => undefined,
};
Object.assign(globalThis, { window: { roster } });

const store = () => useReportsStore.getState();
const of = (channel: string) => calls.filter((c) => c.channel === channel).map((c) => c.input);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  resetReports();
  resetUsersList();
  resetExport();
  calls = [];
  overviewAnswers = [];
});
afterEach(() => vi.useRealTimers());

describe('pure helpers', () => {
  it('accepts whole days from 1 to 36,500 only', () => {
    expect(validStaleDays('30')).toBe(30);
    expect(validStaleDays(' 7 ')).toBe(7);
    for (const bad of ['0', '-1', '2.5', '', 'abc', '36501', '1e3']) expect(validStaleDays(bad)).toBeNull();
  });

  it('puts required fields first and names each bar for a screen reader', () => {
    expect(chartOrder([bar('phone', false, 1), bar('department', true, 2), bar('title', true, 0)]).map((b) => b.key)).toEqual(['department', 'title', 'phone']);
    expect(barLabel({ label: 'Department', missing: 12, total: 301 })).toBe('Department: 12 of 301 users missing');
    expect(barLabel({ label: 'Department', missing: 1234, total: 1 })).toBe('Department: 1,234 of 1 user missing');
  });

  it('names the stale report after its N', () => {
    expect(reportLabel({ id: 'stale', title: 'Not synced recently', query: { staleDays: 30 } })).toBe('Not synced for 30 days');
    expect(reportLabel({ id: 'conflicts', title: 'Open conflicts', query: { conflicts: true } })).toBe('Open conflicts');
  });
});

describe('the reports store', () => {
  it('reads N from prefs once, then counts with it', async () => {
    await store().load();
    await store().load();
    expect(of('prefs:get')).toHaveLength(1);
    expect(of('reports:overview')).toEqual([{ staleDays: 45 }, { staleDays: 45 }]);
    expect(store().overview?.staleDays).toBe(45);
  });

  it('saves a new N and counts again once the typing pauses', async () => {
    await store().load();
    store().setStaleDays(6);
    store().setStaleDays(60);
    expect(store().staleDays).toBe(60);
    await vi.advanceTimersByTimeAsync(STALE_DEBOUNCE_MS);
    expect(of('prefs:set')).toEqual([{ prefs: { staleDays: 60 } }]);
    expect(of('reports:overview').at(-1)).toEqual({ staleDays: 60 });
  });

  it('opens the Users list on a report’s users, shown as a chip that comes off again', () => {
    useAppStore.setState({ screen: 'reports', userId: 'u1' });
    store().showUsers('Missing Department', { missingField: 'department' });
    expect(useAppStore.getState()).toMatchObject({ screen: 'users', userId: null });
    const list = useUsersListStore.getState();
    expect(list.query).toMatchObject({ search: '', missingField: 'department' });
    expect(isReportShown(list.report, list.query)).toBe(true);
    expect(of('users:query').at(-1)).toMatchObject({ query: { missingField: 'department' } });

    // Another filter combines with the report; changing the report's own filter hides the chip.
    list.setFilters({ missingField: 'department', kind: 'external' });
    expect(isReportShown(useUsersListStore.getState().report, useUsersListStore.getState().query)).toBe(true);
    useUsersListStore.getState().clearReport();
    expect(useUsersListStore.getState().query).toMatchObject({ kind: 'external' });
    expect(useUsersListStore.getState().query.missingField).toBeUndefined();
    expect(useUsersListStore.getState().report).toBeNull();

    store().showUsers('Not synced for 30 days', { staleDays: 30 });
    useUsersListStore.getState().setFilters({ staleDays: 31 });
    expect(isReportShown(useUsersListStore.getState().report, useUsersListStore.getState().query)).toBe(false);
  });

  it('completeness by realm: each count names its realm, says when it holds every missing value, and opens exactly those users', () => {
    const [lab, internal] = overview(30).completenessByRealm;
    const department = bar('department', true, 12);
    expect(realmCellLabel({ key: 'department', label: 'Department' }, lab!)).toBe('Department: 12 of 200 users of Lab directory missing');
    expect(realmCellTitle({ ...department, label: 'Department' }, lab!)).toBe('Every missing Department is in Lab directory. Show these users');
    expect(realmCellTitle({ ...bar('phone', false, 40), label: 'Phone' }, lab!)).toBe('Show these users');
    expect(realmCellLabel({ key: 'phone', label: 'Phone' }, internal!)).toBe('Phone: 30 of 101 users of Internal users missing');
    store().showUsers('Missing Department in Lab directory', realmMissingQuery('r1', 'department'));
    expect(useUsersListStore.getState().query).toMatchObject({ missingField: 'department', realmId: 'r1' });
    store().showUsers('Missing Phone in Internal users', realmMissingQuery(null, 'phone'));
    expect(useUsersListStore.getState().query).toMatchObject({ missingField: 'phone', kind: 'internal' });
    expect(useUsersListStore.getState().query.realmId).toBeUndefined();
  });

  it('opens Export with a report’s users as the scope', () => {
    store().exportUsers('Open conflicts', { conflicts: true });
    expect(useAppStore.getState().screen).toBe('export');
    expect(useExportStore.getState()).toMatchObject({ scopeKind: 'report', report: { label: 'Open conflicts', query: { conflicts: true } } });
  });
});

/** An answer main gives when the test says. */
function later<T>() {
  let give: (value: T) => void = () => undefined;
  const answer = new Promise<T>((resolve) => (give = resolve));
  return { answer, give };
}

describe('counts that come back late', () => {
  it('keep the count for the newest N when the answer for an older N comes back last', async () => {
    await store().load();
    const slow = later<unknown>();
    overviewAnswers = [slow.answer];
    const reload = store().load();
    store().setStaleDays(60);
    await vi.advanceTimersByTimeAsync(STALE_DEBOUNCE_MS);
    expect(store().overview?.staleDays).toBe(60);
    slow.give({ ok: true, value: overview(45) });
    await reload;
    expect(store().overview?.staleDays).toBe(60);
  });

  it('are dropped after resetReports (tests start clean)', async () => {
    await store().load();
    const slow = later<unknown>();
    overviewAnswers = [slow.answer];
    const reload = store().load();
    resetReports();
    slow.give({ ok: true, value: overview(45) });
    await reload;
    expect(store()).toMatchObject({ overview: null, loaded: false });
  });
});

describe('job reports (import, resync, reconcile)', () => {
  const reconcileJob = (state: Job['state'] = 'done'): Job => ({
    id: 'j9',
    kind: 'reconcile',
    realmId: 'r1',
    state,
    done: 4,
    total: 4,
    phase: '',
    startedAt: '2026-01-01T00:00:00Z',
    summary: {
      realmId: 'r1',
      matched: 3,
      created: 0,
      updated: 1,
      unchanged: 1,
      conflicts: 1,
      notFound: 1,
      disabledUpstream: 0,
      newInDirectory: 4,
      changes: [
        { userId: 'u1', username: 'alice', dn: 'uid=alice', action: 'updated', changes: [] },
        { userId: 'u2', username: 'bob', dn: 'uid=bob', action: 'unchanged', changes: [] },
        { userId: 'u3', username: 'carol', dn: 'uid=carol', action: 'conflict', changes: [] },
        { userId: 'u4', username: 'dave', dn: 'uid=dave', action: 'not-found', changes: [] },
      ],
    },
  });
  /** The Reconcile dialog of realm r1, open on a finished (or running) reconcile's report. */
  const dialogOpenOn = (job: Job) => {
    useJobsStore.setState({ jobs: { [job.id]: job } });
    useSyncStore.setState({ reconcileOpen: 'r1', reconciles: { r1: { jobId: job.id, busy: false, error: null, needsPassword: false } } });
  };
  beforeEach(() => {
    resetSync();
    resetJobs();
    resetImport();
    useRealmsStore.setState({
      realms: [{ id: 'r1', name: 'Lab directory', kind: 'openldap', password: 'saved', connection: { bindDn: 'cn=r' } } as Realm],
      loaded: true,
    });
    useAppStore.setState({ screen: 'realms', userId: null });
  });

  it('a username opens the user, closing the reconcile dialog the report sits in', () => {
    dialogOpenOn(reconcileJob());
    store().openReportedUser('u3');
    expect(useAppStore.getState()).toMatchObject({ screen: 'users', userId: 'u3' });
    expect(useSyncStore.getState().reconcileOpen).toBeNull();
    // A finished reconcile is done with, as the dialog's own Close leaves it.
    expect(useSyncStore.getState().reconciles.r1).toBeUndefined();
  });

  it('a running reconcile goes on when a username is opened from its dialog', () => {
    dialogOpenOn(reconcileJob('running'));
    store().openReportedUser('u1');
    expect(useSyncStore.getState().reconcileOpen).toBeNull();
    expect(useSyncStore.getState().reconciles.r1?.jobId).toBe('j9');
  });

  it('Export… opens Export on the users the report lists (not the unchanged ones), by id', () => {
    dialogOpenOn(reconcileJob());
    store().exportJobReport(reconcileJob());
    expect(useAppStore.getState().screen).toBe('export');
    const { scopeKind, report } = useExportStore.getState();
    expect(scopeKind).toBe('report');
    expect(report).toEqual({ label: 'Reconcile of Lab directory', ids: ['u1', 'u3', 'u4'] });
    expect(exportScopeFor('report', { listQuery: {}, selection: null, report, names: { realm: () => undefined, field: () => undefined } })).toEqual({
      kind: 'ids',
      ids: ['u1', 'u3', 'u4'],
    });
    expect(useSyncStore.getState().reconcileOpen).toBeNull();
  });

  it('Export… of another report (a re-imported sheet) takes its users by id, each once', () => {
    store().exportReportedUsers('Sheet returned.csv', ['u5', 'u7', 'u5']);
    expect(useAppStore.getState().screen).toBe('export');
    expect(useExportStore.getState().report).toEqual({ label: 'Sheet returned.csv', ids: ['u5', 'u7'] });
  });

  it('"N new in the directory — Import them" opens Import on the realm’s *, on the New chip', async () => {
    dialogOpenOn(reconcileJob());
    store().importNewEntries('r1');
    expect(useAppStore.getState().screen).toBe('import');
    expect(useSyncStore.getState().reconcileOpen).toBeNull();
    await vi.waitFor(() => expect(useImportStore.getState().result?.searchId).toBe('s1'));
    expect(of('import:search')).toEqual([{ realmId: 'r1', query: '*' }]);
    expect(useImportStore.getState()).toMatchObject({ realmId: 'r1', query: '*', status: 'new' });
  });
});
