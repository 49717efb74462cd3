import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RosterApi } from '../../../src-shared/ipc/api';
import type { FieldCompleteness, ReportsOverview } from '../../../src-shared/model/report';
import { useAppStore } from './app-store';
import { resetExport, useExportStore } from './export-store';
import { barLabel, chartOrder, reportLabel, resetReports, STALE_DEBOUNCE_MS, useReportsStore, validStaleDays } from './reports-store';
import { isReportShown, resetUsersList, useUsersListStore } from './users-list-store';

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
  reports: [{ id: 'stale', title: 'Not synced recently', description: '', count: 3, query: { staleDays } }],
});

type Call = { channel: string; input: Record<string, unknown> };
let calls: Call[] = [];
const roster: RosterApi = {
  invoke: async (channel, input) => {
    calls.push({ channel, input: input as Record<string, unknown> });
    if (channel === 'prefs:get') return { ok: true, value: { staleDays: 45, export: {}, usersSort: { column: 'username', direction: 'asc' } } } as never;
    if (channel === 'prefs:set') return { ok: true, value: {} } as never;
    if (channel === 'reports:overview') return { ok: true, value: overview((input as { staleDays: number }).staleDays) } as never;
    if (channel === 'users:query') return { ok: true, value: { total: 0, offset: 0, rows: [], facets: null, sort: { column: 'username', direction: 'asc' } } } as never;
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

  it('opens Export with a report’s users as the scope', () => {
    store().exportUsers('Open conflicts', { conflicts: true });
    expect(useAppStore.getState().screen).toBe('export');
    expect(useExportStore.getState()).toMatchObject({ scopeKind: 'report', report: { label: 'Open conflicts', query: { conflicts: true } } });
  });
});
