import { beforeEach, describe, expect, it } from 'vitest';
import type { RosterApi } from '#shared/ipc/api';
import type { SheetOpened, SheetRowResult } from '#shared/model/sheet';
import { resetSheetImport, SHEET_PAGE_SIZE, useSheetImportStore } from './sheet-import-store';

const SHEET: SheetOpened = {
  sheetId: 's1',
  file: '/tmp/back.csv',
  source: 'CSV, delimiter ,',
  rows: 2,
  columns: [
    { index: 0, header: 'username', target: 'username', samples: ['user00001', 'nobody'] },
    { index: 1, header: 'department', target: 'field:department', samples: ['Sales', 'Ops'] },
  ],
};
const ROWS: SheetRowResult[] = [
  {
    row: 2,
    status: 'change',
    userId: 'u1',
    username: 'user00001',
    matchedBy: 'username',
    changes: [{ field: 'department', before: '', after: 'Sales' }],
    reasons: [],
  },
  { row: 3, status: 'refused', changes: [], reasons: ['No user has the username nobody.'] },
];

type Call = { channel: string; input: Record<string, unknown> };
let calls: Call[] = [];
let openAnswer: unknown;
// Answers to sheets:page that the test gives when it says (so they can come back late or out of order).
let pageAnswers: Promise<unknown>[] = [];
let previewAnswers: Promise<unknown>[] = [];
const roster: RosterApi = {
  invoke: async (channel, input) => {
    const c = { channel, input: input as Record<string, unknown> };
    calls.push(c);
    if (channel === 'sheets:open') return openAnswer as never;
    if (channel === 'sheets:preview' && previewAnswers.length > 0) return previewAnswers.shift() as never;
    if (channel === 'sheets:preview') return { ok: true, value: { sheetId: 's1', total: 2, counts: { change: 1, unchanged: 0, refused: 1 } } } as never;
    if (channel === 'sheets:page' && pageAnswers.length > 0) return pageAnswers.shift() as never;
    if (channel === 'sheets:page') {
      const { status, offset = 0 } = c.input as { status?: string; offset?: number };
      const rows = ROWS.filter((r) => !status || r.status === status);
      return { ok: true, value: { total: rows.length, offset, rows } } as never;
    }
    if (channel === 'sheets:apply')
      return { ok: true, value: { file: '/tmp/back.csv', applied: 1, unchanged: 0, refused: 1, refusedRows: [ROWS[1]], appliedRows: [ROWS[0]] } } as never;
    return { ok: false, error: { code: 'internal', message: `unexpected ${channel}` } } as never;
  },
  on: () => () => undefined,
};
Object.assign(globalThis, { window: { roster } });

const store = () => useSheetImportStore.getState();
const of = (channel: string) => calls.filter((c) => c.channel === channel).map((c) => c.input);

beforeEach(() => {
  resetSheetImport();
  calls = [];
  pageAnswers = [];
  previewAnswers = [];
  openAnswer = { ok: true, value: SHEET };
});

describe('re-import of a returned sheet', () => {
  it('asks for a path before reading, and shows main’s refusal', async () => {
    await store().open();
    expect(store().openError?.message).toMatch(/path of the sheet/);
    expect(of('sheets:open')).toHaveLength(0);
    openAnswer = { ok: false, error: { code: 'not-found', message: 'There is no file /nope.csv.' } };
    store().setPath('/nope.csv');
    await store().open();
    expect(store().openError?.message).toBe('There is no file /nope.csv.');
  });

  it('opens with main’s mapping, previews it and lists the changing rows first', async () => {
    store().setPath(' /tmp/back.csv ');
    await store().open();
    expect(of('sheets:open')).toEqual([{ path: '/tmp/back.csv' }]);
    expect(store().mapping).toEqual({ 0: 'username', 1: 'field:department' });
    await store().previewNow();
    expect(of('sheets:preview')).toEqual([{ sheetId: 's1', mapping: { '0': 'username', '1': 'field:department' }, clearEmpty: false }]);
    expect(of('sheets:page')).toEqual([{ sheetId: 's1', offset: 0, limit: SHEET_PAGE_SIZE, status: 'change' }]);
    expect(store().rows.map((r) => r.row)).toEqual([2]);
    await store().showStatus('refused');
    expect(store().rows[0]?.reasons).toEqual(['No user has the username nobody.']);
    await store().showStatus(null);
    expect(store().rowsTotal).toBe(2);
  });

  it('drops the preview when the mapping or options change', async () => {
    store().setPath('/tmp/back.csv');
    await store().open();
    await store().previewNow();
    store().setTarget(1, 'field:title');
    expect(store().preview).toBeNull();
    expect(store().rows).toEqual([]);
    await store().previewNow();
    store().setClearEmpty(true);
    expect(store().preview).toBeNull();
    await store().previewNow();
    expect(of('sheets:preview').at(-1)).toEqual({ sheetId: 's1', mapping: { '0': 'username', '1': 'field:title' }, clearEmpty: true });
  });

  it('applies the previewed mapping and keeps the report, not the old preview', async () => {
    store().setPath('/tmp/back.csv');
    await store().open();
    await store().apply();
    expect(of('sheets:apply')).toHaveLength(0); // nothing previewed yet
    await store().previewNow();
    await store().apply();
    expect(of('sheets:apply')).toEqual([{ sheetId: 's1', mapping: { '0': 'username', '1': 'field:department' }, clearEmpty: false }]);
    expect(store().report).toMatchObject({ applied: 1, refused: 1 });
    expect(store().preview).toBeNull();
    store().reset();
    expect(store()).toMatchObject({ sheet: null, report: null, path: '/tmp/back.csv' });
  });
});

/** An answer main gives when the test says. */
function later<T>() {
  let give: (value: T) => void = () => undefined;
  const answer = new Promise<T>((resolve) => (give = resolve));
  return { answer, give };
}

describe('pages of the preview that come back late', () => {
  const previewed = async () => {
    store().setPath('/tmp/back.csv');
    await store().open();
    await store().previewNow();
  };
  const refusedPage = { ok: true, value: { total: 1, offset: 0, rows: [ROWS[1]] } };

  it('keep the newest page when an earlier one answers last', async () => {
    await previewed();
    const first = later<unknown>();
    const second = later<unknown>();
    pageAnswers = [first.answer, second.answer];
    const refused = store().showStatus('refused');
    const all = store().showStatus(null);
    second.give({ ok: true, value: { total: 2, offset: 0, rows: ROWS } });
    await all;
    first.give(refusedPage);
    await refused;
    expect(store().rows.map((r) => r.row)).toEqual([2, 3]);
    expect(store().rowsTotal).toBe(2);
  });

  it.each([
    ['opening a sheet again', () => store().open()],
    ['applying', () => store().apply()],
    ['mapping a column to another target', async () => store().setTarget(1, 'field:title')],
    ['switching “empty cells clear the field”', async () => store().setClearEmpty(true)],
    ['starting over', async () => store().reset()],
    ['resetSheetImport (tests start clean)', async () => resetSheetImport()],
  ])('are dropped after %s', async (_, then) => {
    await previewed();
    const late = later<unknown>();
    pageAnswers = [late.answer];
    const page = store().showStatus('refused');
    await then();
    late.give(refusedPage);
    await page;
    expect(store().rows).toEqual([]);
    expect(store().rowsTotal).toBe(0);
    expect(store().pageLoading).toBe(false);
  });

  it('are dropped when the preview is computed again, and stay out when that preview fails', async () => {
    await previewed();
    const late = later<unknown>();
    pageAnswers = [late.answer];
    const page = store().showStatus('refused');
    const preview = later<unknown>();
    previewAnswers = [preview.answer];
    const previewing = store().previewNow();
    late.give(refusedPage);
    await page;
    expect(store()).toMatchObject({ previewing: true, rows: [], rowsTotal: 0, pageLoading: false });
    preview.give({ ok: false, error: { code: 'internal', message: 'The sheet changed on disk.' } });
    await previewing;
    expect(store()).toMatchObject({ previewError: { message: 'The sheet changed on disk.' }, rows: [], rowsTotal: 0 });
  });

  it.each([
    ['opening a sheet again', () => store().open()],
    ['applying', () => store().apply()],
  ])('leave no page loading after %s', async (_, then) => {
    await previewed();
    const late = later<unknown>();
    pageAnswers = [late.answer];
    const page = store().showStatus('refused');
    expect(store().pageLoading).toBe(true);
    await then();
    // The page it waited for will never land: nothing is loading any more.
    expect(store().pageLoading).toBe(false);
    late.give(refusedPage);
    await page;
    expect(store().pageLoading).toBe(false);
  });
});
