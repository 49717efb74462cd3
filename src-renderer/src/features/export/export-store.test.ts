import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RosterApi } from '#shared/ipc/api';
import type { ExportCatalogue } from '#shared/ipc/contract';
import type { ExportColumn, ExportPlan } from '#shared/model/export';
import type { Job } from '#shared/model/sync';
import { selectOne } from '../users/list/selection';
import { useAppStore } from '../../stores/app-store';
import { exportRequest, PLAN_DEBOUNCE_MS, prefsOf, PREFS_DEBOUNCE_MS, resetExport, useExportStore } from './export-store';
import { resetJobs, useJobsStore } from '../../stores/jobs-store';
import { resetUsersList, useUsersListStore } from '../users/list/users-list-store';

const column = (key: string, group: ExportColumn['group']): ExportColumn => ({ key, label: key, group, type: 'text', description: '' });
const COLUMNS = [
  column('directoryId', 'identity'),
  column('dn', 'identity'),
  column('username', 'identity'),
  column('kind', 'account'),
  column('department', 'field'),
];
const CATALOGUE: ExportCatalogue = {
  columns: COLUMNS,
  presets: [
    {
      id: 'ad-owners',
      label: 'AD owners: Set-ADUser',
      description: '',
      columns: ['directoryId', 'dn', 'username', 'department'],
      format: 'ps1',
      content: 'changes',
    },
    {
      id: 'openldap-owners',
      label: 'OpenLDAP owners: ldapmodify',
      description: '',
      columns: ['directoryId', 'dn', 'username', 'department'],
      format: 'ldif',
      content: 'changes',
    },
    { id: 'everything', label: 'Everything', description: '', columns: COLUMNS.map((c) => c.key), format: 'xlsx', content: 'snapshot' },
  ],
  defaultFolder: '/home/ann/Downloads',
};
const TODAY = new Date();
const day = `${TODAY.getFullYear()}-${String(TODAY.getMonth() + 1).padStart(2, '0')}-${String(TODAY.getDate()).padStart(2, '0')}`;
const job = (over: Partial<Job> = {}): Job => ({
  id: 'j1',
  kind: 'export',
  realmId: '',
  state: 'running',
  done: 0,
  total: 2,
  phase: 'Writing',
  startedAt: '2026-01-01T00:00:00Z',
  ...over,
});

type Call = { channel: string; input: Record<string, unknown> };
let calls: Call[] = [];
let prefs: unknown;
let plan: ExportPlan;
let startAnswers: unknown[];
// Answers to export:plan that the test gives when it says (so they can come back late or out of order).
let planAnswers: Promise<unknown>[] = [];
const roster: RosterApi = {
  invoke: async (channel, input) => {
    calls.push({ channel, input: input as Record<string, unknown> });
    if (channel === 'export:columns') return { ok: true, value: CATALOGUE } as never;
    if (channel === 'prefs:get') return prefs as never;
    if (channel === 'prefs:set') return { ok: true, value: {} } as never;
    if (channel === 'export:plan') return (planAnswers.shift() ?? { ok: true, value: plan }) as never;
    if (channel === 'export:start') return (startAnswers.shift() ?? { ok: true, value: job() }) as never;
    if (channel === 'app:show-in-folder') return { ok: true, value: { shown: false, folder: '/tmp/out' } } as never;
    if (channel === 'app:choose-path') return { ok: true, value: { unavailable: 'No file dialog here.' } } as never;
    return { ok: false, error: { code: 'internal', message: `unexpected ${channel}` } } as never;
  },
  on: () => () => undefined,
};
Object.assign(globalThis, { window: { roster } });

const store = () => useExportStore.getState();
const of = (channel: string) => calls.filter((c) => c.channel === channel).map((c) => c.input);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  resetExport();
  resetJobs();
  resetUsersList();
  calls = [];
  prefs = { ok: true, value: { usersSort: { column: 'username', direction: 'asc' }, export: {}, staleDays: 30 } };
  plan = { users: 2, skipped: [], files: ['/tmp/out/x.xlsx'], parts: [{ files: ['/tmp/out/x.xlsx'], users: 2 }], existing: [] };
  startAnswers = [];
  planAnswers = [];
});
afterEach(() => vi.useRealTimers());

describe('choices', () => {
  it('starts on the Everything preset, in the default folder, with the plan asked once', async () => {
    await store().init();
    expect(store()).toMatchObject({
      format: 'xlsx',
      content: 'snapshot',
      columns: COLUMNS.map((c) => c.key),
      path: `/home/ann/Downloads/roster-snapshot-${day}.xlsx`,
    });
    await vi.advanceTimersByTimeAsync(PLAN_DEBOUNCE_MS);
    expect(of('export:plan')).toHaveLength(1);
    expect(of('prefs:set')).toHaveLength(0);
  });

  it('starts from the remembered choices, dropping columns that are gone', async () => {
    prefs = {
      ok: true,
      value: { export: { format: 'csv', content: 'changes', delimiter: ';', columns: ['department', 'gone'], folder: '/srv/out' }, staleDays: 30 },
    };
    await store().init();
    expect(store()).toMatchObject({ format: 'csv', content: 'changes', delimiter: ';', columns: ['directoryId', 'dn', 'username', 'department'] });
    expect(store().path).toBe(`/srv/out/roster-changes-${day}.csv`);
  });

  it('sets format, content and columns from a preset, and knows when they no longer match it', async () => {
    await store().init();
    store().choosePreset('openldap-owners');
    expect(store()).toMatchObject({ format: 'ldif', content: 'changes', columns: ['directoryId', 'dn', 'username', 'department'] });
    expect(store().path).toBe(`/home/ann/Downloads/roster-changes-${day}.ldif`);
    expect(prefsOf(store()).preset).toBe('openldap-owners');
    store().moveColumn('department', -1);
    expect(store().columns).toEqual(['directoryId', 'dn', 'department', 'username']);
    expect(prefsOf(store()).preset).toBeUndefined();
  });

  it('remembers a burst of changes with one prefs:set carrying every choice', async () => {
    await store().init();
    store().setFormat('csv');
    store().setDelimiter('tab');
    store().toggleColumn('kind', false);
    await vi.advanceTimersByTimeAsync(PREFS_DEBOUNCE_MS);
    expect(of('prefs:set')).toEqual([
      { prefs: { export: { columns: ['directoryId', 'dn', 'username', 'department'], format: 'csv', content: 'snapshot', delimiter: 'tab' } } },
    ]);
    // One plan for the burst too.
    expect(of('export:plan')).toHaveLength(1);
  });

  it('takes a group of columns out or puts it back at the end, identity columns staying in', async () => {
    await store().init();
    store().toggleColumns(['directoryId', 'kind', 'department'], false);
    expect(store().columns).toEqual(['directoryId', 'dn', 'username']);
    store().toggleColumns(['department', 'kind'], true);
    expect(store().columns).toEqual(['directoryId', 'dn', 'username', 'department', 'kind']);
  });

  it('keeps a typed path, swapping only the extension when the format changes', async () => {
    await store().init();
    store().setPath('/tmp/out/people.xlsx');
    store().setFormat('csv');
    expect(store().path).toBe('/tmp/out/people.csv');
    store().setContent('changes');
    expect(store().path).toBe('/tmp/out/people.csv');
  });

  it('hides Browse when there is no file dialog', async () => {
    await store().init();
    await store().browse();
    expect(of('app:choose-path')).toEqual([{ mode: 'save', defaultPath: `/home/ann/Downloads/roster-snapshot-${day}.xlsx`, extensions: ['xlsx'] }]);
    expect(store().browseUnavailable).toBe('No file dialog here.');
  });
});

describe('scope', () => {
  it('exports the list’s selection or filter as main takes it', async () => {
    await store().init();
    useUsersListStore.setState({ selection: selectOne('u7', 0), query: { search: '', kind: 'external', sort: { column: 'username', direction: 'asc' } } });
    store().openWith({ kind: 'selection' });
    expect(useAppStore.getState().screen).toBe('export');
    expect(exportRequest(store())?.scope).toEqual({ kind: 'ids', ids: ['u7'] });
    store().setScopeKind('filter');
    expect(exportRequest(store())?.scope).toMatchObject({ kind: 'query', query: { kind: 'external' }, label: 'Users list: External users' });
  });

  it('exports a report’s users when opened from Reports', async () => {
    await store().init();
    store().openWith({ kind: 'report', label: 'Not synced for 30 days', query: { staleDays: 30 } });
    expect(store().scopeKind).toBe('report');
    expect(exportRequest(store())?.scope).toEqual({ kind: 'query', query: { staleDays: 30 }, label: 'Report: Not synced for 30 days' });
  });
});

describe('exporting', () => {
  it('asks before replacing files that exist, then starts with overwrite', async () => {
    await store().init();
    store().setPath('/tmp/out/x.xlsx');
    plan = { users: 2, skipped: [], files: ['/tmp/out/x.xlsx'], parts: [{ files: ['/tmp/out/x.xlsx'], users: 2 }], existing: ['/tmp/out/x.xlsx'] };
    await store().exportNow();
    expect(store().replace).toEqual({ files: ['/tmp/out/x.xlsx'] });
    expect(of('export:start')).toHaveLength(0);
    await store().confirmReplace();
    expect(of('export:start')).toEqual([expect.objectContaining({ path: '/tmp/out/x.xlsx', overwrite: true, format: 'xlsx' })]);
    expect(store().jobId).toBe('j1');
    expect(useJobsStore.getState().jobs.j1?.kind).toBe('export');
  });

  it('asks once about every file of a per-realm set that exists, then starts the whole set with overwrite', async () => {
    await store().init();
    store().choosePreset('openldap-owners');
    store().setPath('/tmp/out/changes.ldif');
    const files = ['/tmp/out/changes-branch.ldif', '/tmp/out/changes-head-office.ldif'];
    plan = {
      users: 4,
      skipped: [],
      files,
      parts: [
        { realm: { id: 'b', name: 'Branch' }, files: [files[0]!], users: 1 },
        { realm: { id: 'h', name: 'Head office' }, files: [files[1]!], users: 3 },
      ],
      existing: files,
    };
    await store().exportNow();
    expect(store().plan?.parts.map((p) => p.realm?.name)).toEqual(['Branch', 'Head office']);
    expect(store().replace).toEqual({ files });
    expect(of('export:start')).toHaveLength(0);
    await store().confirmReplace();
    // One request for the set: main splits it per realm and replaces every file.
    expect(of('export:start')).toEqual([expect.objectContaining({ path: '/tmp/out/changes.ldif', format: 'ldif', overwrite: true })]);
  });

  it('asks about every file of a set that appeared after the plan, naming what main found', async () => {
    await store().init();
    const found = ['/tmp/a-branch.ps1', '/tmp/a-branch.csv', '/tmp/a-head-office.ps1', '/tmp/a-head-office.csv'];
    startAnswers = [{ ok: false, error: { code: 'conflict', message: 'exist', details: { existing: found.join('\n') } } }];
    await store().exportNow();
    expect(store().replace).toEqual({ files: found });
  });

  it('shows in the folder a set written per realm, its result listing each file', async () => {
    await store().init();
    await store().exportNow();
    const files = ['/tmp/out/c-branch.ldif', '/tmp/out/c-head-office.ldif'];
    useJobsStore.getState().track(
      job({
        state: 'done',
        export: {
          format: 'ldif',
          content: 'changes',
          files,
          parts: [
            { realm: { id: 'b', name: 'Branch' }, files: [files[0]!], users: 1, records: 1 },
            { realm: { id: 'h', name: 'Head office' }, files: [files[1]!], users: 3, records: 3 },
          ],
          users: 4,
          records: 4,
          skipped: [],
          columns: [],
          bytes: 1,
          scope: 'All users',
        },
      }),
    );
    expect(useJobsStore.getState().jobs.j1?.export?.files).toEqual(files);
    await store().showInFolder();
    expect(of('app:show-in-folder')).toEqual([{ path: files[0] }]);
    expect(store().shownFolder).toEqual({ shown: false, folder: '/tmp/out' });
  });

  it('starts without asking when nothing would be replaced, and remembers the folder', async () => {
    await store().init();
    store().setPath('/tmp/out/x.xlsx');
    await store().exportNow();
    expect(of('export:start')).toEqual([expect.objectContaining({ overwrite: false })]);
    expect(store().folder).toBe('/tmp/out');
    await vi.advanceTimersByTimeAsync(PREFS_DEBOUNCE_MS);
    expect(of('prefs:set').at(-1)).toMatchObject({ prefs: { export: { folder: '/tmp/out' } } });
  });

  it('asks about a file that appeared after the plan, naming what main found', async () => {
    await store().init();
    startAnswers = [{ ok: false, error: { code: 'conflict', message: 'exists', details: { existing: '/tmp/a.ps1\n/tmp/a.csv' } } }];
    await store().exportNow();
    expect(store().replace).toEqual({ files: ['/tmp/a.ps1', '/tmp/a.csv'] });
    expect(store().startError).toBeNull();
  });

  it('shows other refusals and an empty path at the field', async () => {
    await store().init();
    startAnswers = [{ ok: false, error: { code: 'not-found', message: 'The folder /nope does not exist.' } }];
    await store().exportNow();
    expect(store().startError?.message).toBe('The folder /nope does not exist.');
    store().setPath('  ');
    await store().exportNow();
    expect(store().pathError).toBe('Choose where to save the export.');
  });

  it('says where the files are when there is no file manager to open', async () => {
    await store().init();
    await store().exportNow();
    useJobsStore.getState().track(
      job({
        state: 'done',
        export: {
          format: 'xlsx',
          content: 'snapshot',
          files: ['/tmp/out/x.xlsx'],
          parts: [{ files: ['/tmp/out/x.xlsx'], users: 2, records: 2 }],
          users: 2,
          records: 2,
          skipped: [],
          columns: [],
          bytes: 1,
          scope: 'All users',
        },
      }),
    );
    await store().showInFolder();
    expect(of('app:show-in-folder')).toEqual([{ path: '/tmp/out/x.xlsx' }]);
    expect(store().shownFolder).toEqual({ shown: false, folder: '/tmp/out' });
  });

  it('asks for the plan again when its job ends (its file now exists)', async () => {
    await store().init();
    const unwatch = store().watch();
    await store().exportNow();
    const before = of('export:plan').length;
    useJobsStore.getState().track(job({ state: 'done' }));
    await vi.waitFor(() => expect(of('export:plan').length).toBe(before + 1));
    unwatch();
  });
});

/** An answer main gives when the test says. */
function later<T>() {
  let give: (value: T) => void = () => undefined;
  const answer = new Promise<T>((resolve) => (give = resolve));
  return { answer, give };
}

describe('plans that come back late', () => {
  it('keep the newest plan when an earlier one answers last', async () => {
    await store().init();
    const first = later<unknown>();
    const second = later<unknown>();
    planAnswers = [first.answer, second.answer];
    const firstPlan = store().refreshPlan(true);
    const secondPlan = store().refreshPlan(true);
    second.give({ ok: true, value: { ...plan, users: 3 } });
    await secondPlan;
    first.give({ ok: true, value: { ...plan, users: 7 } });
    await firstPlan;
    expect(store().plan?.users).toBe(3);
  });

  it('are dropped after resetExport (tests start clean)', async () => {
    await store().init();
    const late = later<unknown>();
    planAnswers = [late.answer];
    const asked = store().refreshPlan(true);
    resetExport();
    late.give({ ok: true, value: plan });
    await asked;
    expect(store()).toMatchObject({ plan: null, planning: false });
  });
});
