import { create } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { SheetApplyReport, SheetOpened, SheetPreview, SheetRowResult, SheetRowStatus, SheetTarget } from '#shared/model/sheet';
import type { AppError } from '#shared/result';
import { call } from '../../api';
import { mappingInput, mappingOf, type SheetMapping } from './sheet-mapping';
import { latestOnly } from '../../lib/latest';

/** Rows per page of the preview list. */
export const SHEET_PAGE_SIZE = 50;

interface SheetImportState {
  path: string;
  opening: boolean;
  openError: AppError | null;
  browseUnavailable: string | null;
  browseError: AppError | null;
  sheet: SheetOpened | null;
  mapping: SheetMapping;
  /** Empty cells clear the field (by default they leave it alone). */
  clearEmpty: boolean;
  previewing: boolean;
  previewError: AppError | null;
  /** The preview of the current mapping; null when the mapping changed since. */
  preview: SheetPreview | null;
  /** The status the row list is narrowed to, or null for every row. */
  status: SheetRowStatus | null;
  offset: number;
  rows: SheetRowResult[];
  rowsTotal: number;
  pageLoading: boolean;
  pageError: AppError | null;
  applying: boolean;
  applyError: AppError | null;
  report: SheetApplyReport | null;

  setPath(path: string): void;
  browse(): Promise<void>;
  /** Reads the sheet and the mapping main proposes from its headers. */
  open(): Promise<void>;
  setTarget(index: number, target: SheetTarget): void;
  setClearEmpty(on: boolean): void;
  previewNow(): Promise<void>;
  showStatus(status: SheetRowStatus | null): Promise<void>;
  showPage(offset: number): Promise<void>;
  /** Applies the valid rows of the previewed mapping. */
  apply(): Promise<void>;
  /** Starts over with another sheet (the path stays). */
  reset(): void;
}

const initialState = () => ({
  path: '',
  opening: false,
  openError: null,
  browseUnavailable: null,
  browseError: null,
  sheet: null,
  mapping: {},
  clearEmpty: false,
  previewing: false,
  previewError: null,
  preview: null,
  status: null,
  offset: 0,
  rows: [],
  rowsTotal: 0,
  pageLoading: false,
  pageError: null,
  applying: false,
  applyError: null,
  report: null,
});

/** What changing the mapping or options drops: a preview of another mapping, and its rows (a page on its way is dropped too, so none is loading). */
const stale = {
  preview: null,
  rows: [],
  rowsTotal: 0,
  offset: 0,
  status: null,
  previewError: null,
  applyError: null,
  pageLoading: false,
  pageError: null,
};

const pageLoads = latestOnly();

/** Drops the preview, its rows and a page on its way for it: what a new mapping, sheet or preview starts from. */
const dropPreview = () => {
  pageLoads.invalidate();
  return stale;
};

/** "Re-import a returned sheet": open, map columns, preview per row, apply the valid rows, then the report. */
export const useSheetImportStore = create<SheetImportState>()((set, get) => {
  const options = () => {
    const { sheet, mapping, clearEmpty } = get();
    return sheet ? { sheetId: sheet.sheetId, mapping: mappingInput(mapping), clearEmpty } : null;
  };

  const fetchPage = async (status: SheetRowStatus | null, offset: number) => {
    const { preview } = get();
    if (!preview) return;
    const ticket = pageLoads.next();
    set({ status, offset, pageLoading: true, pageError: null });
    const result = await call('sheets:page', { sheetId: preview.sheetId, offset, limit: SHEET_PAGE_SIZE, ...(status ? { status } : {}) });
    if (!pageLoads.isCurrent(ticket)) return;
    set(result.ok ? { rows: result.value.rows, rowsTotal: result.value.total, pageLoading: false } : { pageLoading: false, pageError: result.error });
  };

  return {
    ...initialState(),
    setPath: (path) => set({ path, openError: null }),
    browse: async () => {
      set({ browseError: null });
      const { path } = get();
      const result = await call('app:choose-path', { mode: 'open', ...(path ? { defaultPath: path } : {}), extensions: ['xlsx', 'csv'] });
      if (!result.ok) set({ browseError: result.error });
      else if (result.value.unavailable) set({ browseUnavailable: result.value.unavailable });
      else if (result.value.path) set({ path: result.value.path, openError: null });
    },
    open: async () => {
      const path = get().path.trim();
      if (get().opening) return;
      if (path === '') {
        set({ openError: { code: 'invalid-input', message: 'Type the path of the sheet to read (.xlsx or .csv).' } });
        return;
      }
      set({ opening: true, openError: null });
      const result = await call('sheets:open', { path });
      if (!result.ok) {
        set({ opening: false, openError: result.error });
        return;
      }
      set({ ...dropPreview(), opening: false, sheet: result.value, mapping: mappingOf(result.value.columns), report: null });
    },
    setTarget: (index, target) => set(({ mapping }) => ({ ...dropPreview(), mapping: { ...mapping, [index]: target } })),
    setClearEmpty: (clearEmpty) => set({ ...dropPreview(), clearEmpty }),
    previewNow: async () => {
      const input = options();
      if (!input || get().previewing) return;
      set({ ...dropPreview(), previewing: true, report: null });
      const result = await call('sheets:preview', input);
      if (!result.ok) {
        set({ previewing: false, previewError: result.error });
        return;
      }
      set({ previewing: false, preview: result.value });
      // Rows that change come first: that is what the admin checks before applying.
      await fetchPage(result.value.counts.change > 0 ? 'change' : result.value.counts.refused > 0 ? 'refused' : null, 0);
    },
    showStatus: (status) => fetchPage(status, 0),
    showPage: (offset) => fetchPage(get().status, Math.max(0, offset)),
    apply: async () => {
      const input = options();
      if (!input || !get().preview || get().applying) return;
      set({ applying: true, applyError: null });
      const result = await call('sheets:apply', input);
      if (!result.ok) {
        set({ applying: false, applyError: result.error });
        return;
      }
      // What was applied is now the users' value: the old preview says nothing true any more.
      set({ ...dropPreview(), applying: false, report: result.value });
    },
    reset: () => {
      pageLoads.invalidate();
      set({ ...initialState(), path: get().path, browseUnavailable: get().browseUnavailable });
    },
  };
});

/** Puts the section back as at start (tests). */
export function resetSheetImport(): void {
  pageLoads.invalidate();
  useSheetImportStore.setState(initialState());
}

/** The file and opening it. */
export const useSheetFile = () =>
  useSheetImportStore(
    useShallow((s) => ({
      path: s.path,
      opening: s.opening,
      openError: s.openError,
      browseUnavailable: s.browseUnavailable,
      browseError: s.browseError,
      sheet: s.sheet,
    })),
  );

/** The mapping and its options. */
export const useSheetMapping = () => useSheetImportStore(useShallow((s) => ({ mapping: s.mapping, clearEmpty: s.clearEmpty })));

/** The preview and the page of rows on screen. */
export const useSheetPreview = () =>
  useSheetImportStore(
    useShallow((s) => ({
      previewing: s.previewing,
      previewError: s.previewError,
      preview: s.preview,
      status: s.status,
      offset: s.offset,
      rows: s.rows,
      rowsTotal: s.rowsTotal,
      pageLoading: s.pageLoading,
      pageError: s.pageError,
    })),
  );

/** Applying and its report. */
export const useSheetApply = () => useSheetImportStore(useShallow((s) => ({ applying: s.applying, applyError: s.applyError, report: s.report })));

/** The section's actions (stable references). */
export const useSheetImportActions = () =>
  useSheetImportStore(
    useShallow((s) => ({
      setPath: s.setPath,
      browse: s.browse,
      open: s.open,
      setTarget: s.setTarget,
      setClearEmpty: s.setClearEmpty,
      previewNow: s.previewNow,
      showStatus: s.showStatus,
      showPage: s.showPage,
      apply: s.apply,
      reset: s.reset,
    })),
  );
