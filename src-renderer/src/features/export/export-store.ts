import { create } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { ExportCatalogue } from '#shared/ipc/contract';
import type { CsvDelimiter, ExportContent, ExportFormat, ExportPlan, ExportPrefs, ExportPresetId, ExportRequestInput } from '#shared/model/export';
import type { AppError } from '#shared/result';
import { call } from '../../api';
import {
  DEFAULT_PRESET,
  defaultFileName,
  folderOf,
  joinPath,
  matchingPreset,
  moveColumn,
  normaliseColumns,
  toggleColumn,
  withExtension,
  type ExportChoices,
} from './export-choices';
import { exportScopeFor, type ReportScope, type ScopeContext, type ScopeKind } from './export-scope';
import { bulkTarget } from '../users/list/selection';
import { useAppStore } from '../../stores/app-store';
import { useFieldsStore } from '../../stores/fields-store';
import { isFinished, useJobsStore } from '../../stores/jobs-store';
import { useRealmsStore } from '../../stores/realms-store';
import { useUsersListStore } from '../users/list/users-list-store';
import { latestOnly, type Ticket } from '../../lib/latest';

/** The question asked before an export replaces files that exist. */
export interface ReplaceQuestion {
  files: string[];
}

/** Where "Show in folder" left the files: opened in the file manager, or only named (no desktop here). */
export interface ShownFolder {
  shown: boolean;
  folder: string;
}

/** The Export screen's two parts. */
export type ExportTab = 'export' | 'reimport';

interface ExportState extends ExportChoices {
  tab: ExportTab;
  catalogue: ExportCatalogue | null;
  loaded: boolean;
  loadError: AppError | null;
  /** The folder remembered from the last export (prefs), or null for the catalogue's default folder. */
  folder: string | null;
  path: string;
  /** Whether the admin typed or browsed a path; until then the default name follows format and content. */
  pathEdited: boolean;
  /** Export was pressed with no path. */
  pathError: string | null;
  scopeKind: ScopeKind;
  /** The report the screen was opened from (Reports' "Export…"). */
  report: ReportScope | null;
  plan: ExportPlan | null;
  planning: boolean;
  planError: AppError | null;
  /** Set when the native file dialog is not available here (the HTTP host): the path is typed. */
  browseUnavailable: string | null;
  browseError: AppError | null;
  replace: ReplaceQuestion | null;
  starting: boolean;
  startError: AppError | null;
  /** The export job started here: its progress, then its result. */
  jobId: string | null;
  shownFolder: ShownFolder | null;
  showError: AppError | null;

  /** Loads the columns and presets (each visit, so new fields appear) and, once, the remembered choices. */
  init(): Promise<void>;
  setTab(tab: ExportTab): void;
  choosePreset(id: ExportPresetId): void;
  setFormat(format: ExportFormat): void;
  setContent(content: ExportContent): void;
  setDelimiter(delimiter: CsvDelimiter): void;
  toggleColumn(key: string, on: boolean): void;
  /** Adds (at the end, in the order given) or takes out several columns at once: a group's All / None. */
  toggleColumns(keys: readonly string[], on: boolean): void;
  moveColumn(key: string, by: -1 | 1): void;
  setPath(path: string): void;
  browse(): Promise<void>;
  setScopeKind(kind: ScopeKind): void;
  /** Opens the Export screen on a scope: the Users list's selection or filter, or a report's users. */
  openWith(scope: { kind: 'selection' } | { kind: 'filter' } | ({ kind: 'report' } & ReportScope)): void;
  /** Asks main what the export would write (debounced while choices change). */
  refreshPlan(now?: boolean): Promise<void>;
  /** Export: asks first when files would be replaced. */
  exportNow(): Promise<void>;
  confirmReplace(): Promise<void>;
  cancelReplace(): void;
  showInFolder(): Promise<void>;
  dismissResult(): void;
  /** Refreshes the plan when the screen's export job ends (its files now exist); returns the unsubscribe. */
  watch(): () => void;
}

/** A pause after a change before asking main for the plan: clicking through columns sends one request. */
export const PLAN_DEBOUNCE_MS = 200;
/** A pause before remembering choices: a burst of clicks is one `prefs:set`. */
export const PREFS_DEBOUNCE_MS = 400;

/** What the scope choices stand for now: the Users list's query and selection, and names for its ids. */
function scopeContext(): Omit<ScopeContext, 'report'> {
  const list = useUsersListStore.getState();
  const realms = useRealmsStore.getState().realms;
  const fields = useFieldsStore.getState().fields;
  return {
    listQuery: list.query,
    selection: bulkTarget(list.selection, list.query),
    names: { realm: (id) => realms.find((r) => r.id === id)?.name, field: (key) => fields.find((f) => f.key === key)?.label },
  };
}

let planTimer: ReturnType<typeof setTimeout> | undefined;
let prefsTimer: ReturnType<typeof setTimeout> | undefined;
const plans = latestOnly();
let prefsLoaded = false;
let watchedJob: string | null = null;

const initialState = () => ({
  tab: 'export' as ExportTab,
  catalogue: null,
  loaded: false,
  loadError: null,
  format: 'xlsx' as ExportFormat,
  content: 'snapshot' as ExportContent,
  columns: [] as string[],
  delimiter: ',' as CsvDelimiter,
  folder: null,
  path: '',
  pathEdited: false,
  pathError: null,
  scopeKind: 'all' as ScopeKind,
  report: null,
  plan: null,
  planning: false,
  planError: null,
  browseUnavailable: null,
  browseError: null,
  replace: null,
  starting: false,
  startError: null,
  jobId: null,
  shownFolder: null,
  showError: null,
});

type Snapshot = ReturnType<typeof useExportStore.getState>;

/** The path the screen offers: the default name in the remembered (or default) folder, or what was typed. */
const pathFor = (s: Pick<Snapshot, 'pathEdited' | 'path' | 'folder' | 'catalogue' | 'content' | 'format'>, date = new Date()): string => {
  if (s.pathEdited) return withExtension(s.path, s.format);
  return joinPath(s.folder ?? s.catalogue?.defaultFolder ?? '', defaultFileName(s.content, s.format, date));
};

/** The request the screen would send now, or null when its scope has nothing behind it. */
export function exportRequest(s: Snapshot, overwrite = false): ExportRequestInput | null {
  const scope = exportScopeFor(s.scopeKind, { ...scopeContext(), report: s.report });
  if (!scope) return null;
  return { format: s.format, path: s.path.trim(), scope, content: s.content, columns: s.columns, delimiter: s.delimiter, overwrite };
}

/** The remembered choices as `prefs:set` wants them (the whole export object: main replaces it). */
export function prefsOf(s: Snapshot): ExportPrefs {
  const preset = s.catalogue ? matchingPreset(s.catalogue.presets, s, s.catalogue.columns) : undefined;
  return {
    ...(preset ? { preset } : {}),
    columns: s.columns,
    format: s.format,
    content: s.content,
    delimiter: s.delimiter,
    ...(s.folder !== null ? { folder: s.folder } : {}),
  };
}

/** The Export screen: choices, the live plan, the replace question, the export job and where its files went. */
export const useExportStore = create<ExportState>()((set, get) => {
  const remember = () => {
    clearTimeout(prefsTimer);
    prefsTimer = setTimeout(() => void call('prefs:set', { prefs: { export: prefsOf(get()) } }), PREFS_DEBOUNCE_MS);
  };

  /** Applies a change of choices: the default path follows, the plan is asked again, the choice remembered. */
  const choose = (change: Partial<ExportState>, rememberIt = true) => {
    set(change);
    set((s) => ({ path: pathFor(s) }));
    void get().refreshPlan();
    if (rememberIt) remember();
  };

  const fetchPlan = async (ticket: Ticket) => {
    const request = exportRequest(get());
    if (!request) return;
    const result = await call('export:plan', request);
    if (!plans.isCurrent(ticket)) return;
    set(result.ok ? { plan: result.value, planning: false, planError: null } : { plan: null, planning: false, planError: result.error });
  };

  const start = async (overwrite: boolean) => {
    const request = exportRequest(get(), overwrite);
    if (!request) return;
    set({ starting: true, startError: null, shownFolder: null, showError: null });
    const result = await call('export:start', request);
    if (!result.ok) {
      if (result.error.code === 'conflict' && !overwrite) {
        // A file appeared since the plan was made: ask about it now (main names every file that exists).
        const existing = result.error.details?.existing;
        set({ starting: false, replace: { files: typeof existing === 'string' ? existing.split('\n') : [request.path] } });
        return;
      }
      set({ starting: false, startError: result.error });
      return;
    }
    // Note the job before tracking it: its end may already be known, and the watcher needs the id.
    set({ starting: false, jobId: result.value.id, folder: folderOf(request.path) || get().folder });
    useJobsStore.getState().track(result.value);
    remember();
  };

  return {
    ...initialState(),
    init: async () => {
      const [catalogue, prefs] = await Promise.all([call('export:columns', {}), prefsLoaded ? null : call('prefs:get', {})]);
      if (!catalogue.ok) {
        set({ loadError: catalogue.error, loaded: true });
        return;
      }
      const columns = catalogue.value.columns;
      const s = get();
      let choices: Partial<ExportState> = {};
      if (prefs) {
        prefsLoaded = true;
        const saved = prefs.ok ? prefs.value.export : {};
        const preset = catalogue.value.presets.find((p) => p.id === (saved.preset ?? DEFAULT_PRESET)) ?? catalogue.value.presets[0];
        choices = {
          format: saved.format ?? preset?.format ?? 'xlsx',
          content: saved.content ?? preset?.content ?? 'snapshot',
          delimiter: saved.delimiter ?? ',',
          columns: normaliseColumns(saved.columns ?? preset?.columns ?? columns.map((c) => c.key), columns),
          folder: saved.folder || null,
        };
      } else {
        choices = { columns: normaliseColumns(s.columns, columns) };
      }
      choose({ catalogue: catalogue.value, loaded: true, loadError: null, ...choices }, false);
    },
    setTab: (tab) => set({ tab }),
    choosePreset: (id) => {
      const catalogue = get().catalogue;
      const preset = catalogue?.presets.find((p) => p.id === id);
      if (!catalogue || !preset) return;
      choose({ format: preset.format, content: preset.content, columns: normaliseColumns(preset.columns, catalogue.columns) });
    },
    setFormat: (format) => choose({ format }),
    setContent: (content) => choose({ content }),
    setDelimiter: (delimiter) => choose({ delimiter }),
    toggleColumn: (key, on) => choose({ columns: toggleColumn(get().columns, key, on) }),
    toggleColumns: (keys, on) => choose({ columns: keys.reduce<string[]>((columns, key) => toggleColumn(columns, key, on), get().columns) }),
    moveColumn: (key, by) => choose({ columns: moveColumn(get().columns, key, by) }),
    setPath: (path) => {
      set({ path, pathEdited: true, pathError: null });
      void get().refreshPlan();
    },
    browse: async () => {
      const { path, format } = get();
      set({ browseError: null });
      const result = await call('app:choose-path', { mode: 'save', ...(path ? { defaultPath: path } : {}), extensions: [format] });
      if (!result.ok) {
        set({ browseError: result.error });
        return;
      }
      if (result.value.unavailable) set({ browseUnavailable: result.value.unavailable });
      else if (result.value.path) get().setPath(result.value.path);
    },
    setScopeKind: (scopeKind) => choose({ scopeKind }, false),
    openWith: (scope) => {
      if (scope.kind === 'report') {
        const { kind: _kind, ...report } = scope;
        choose({ tab: 'export', scopeKind: 'report', report }, false);
      }
      else choose({ tab: 'export', scopeKind: scope.kind }, false);
      useAppStore.getState().go('export');
    },
    refreshPlan: async (now = false) => {
      clearTimeout(planTimer);
      const ticket = plans.next();
      const request = exportRequest(get());
      if (!get().loaded || !request || request.path === '') {
        set({ plan: null, planning: false, planError: null });
        return;
      }
      set({ planning: true });
      if (now) await fetchPlan(ticket);
      else planTimer = setTimeout(() => void fetchPlan(ticket), PLAN_DEBOUNCE_MS);
    },
    exportNow: async () => {
      const s = get();
      if (s.starting || s.replace) return;
      const request = exportRequest(s);
      if (!request) {
        set({ startError: { code: 'invalid-input', message: 'Choose which users to export: the scope picked has no users behind it.' } });
        return;
      }
      if (request.path === '') {
        set({ pathError: 'Choose where to save the export.' });
        return;
      }
      set({ starting: true, startError: null });
      // The plan on screen may be a keystroke old: ask again, and ask about exactly these files.
      await get().refreshPlan(true);
      const { plan, planError } = get();
      if (!plan) {
        set({ starting: false, startError: planError });
        return;
      }
      if (plan.existing.length > 0) {
        set({ starting: false, replace: { files: plan.existing } });
        return;
      }
      set({ starting: false });
      await start(false);
    },
    confirmReplace: async () => {
      set({ replace: null });
      await start(true);
    },
    cancelReplace: () => set({ replace: null }),
    showInFolder: async () => {
      const job = useJobsStore.getState().jobs[get().jobId ?? ''];
      const file = job?.export?.files[0];
      if (!file) return;
      set({ showError: null });
      const result = await call('app:show-in-folder', { path: file });
      set(result.ok ? { shownFolder: result.value } : { showError: result.error });
    },
    dismissResult: () => set({ jobId: null, shownFolder: null, showError: null }),
    watch: () =>
      useJobsStore.subscribe(({ jobs }) => {
        const { jobId } = get();
        const job = jobId ? jobs[jobId] : undefined;
        if (!job || !isFinished(job.state) || watchedJob === job.id) return;
        watchedJob = job.id;
        void get().refreshPlan(true);
      }),
  };
});

/** Puts the screen back as at start (tests). */
export function resetExport(): void {
  clearTimeout(planTimer);
  clearTimeout(prefsTimer);
  plans.invalidate();
  prefsLoaded = false;
  watchedJob = null;
  useExportStore.setState(initialState());
}

/** The choices as the form shows them, with the preset they match. */
export const useExportChoices = () =>
  useExportStore(
    useShallow((s) => ({
      format: s.format,
      content: s.content,
      columns: s.columns,
      delimiter: s.delimiter,
      preset: s.catalogue ? matchingPreset(s.catalogue.presets, s, s.catalogue.columns) : undefined,
    })),
  );

/** Which part of the screen shows: the export or the re-import of a returned sheet. */
export const useExportTab = () => useExportStore((s) => s.tab);

/** The column catalogue and presets (null until loaded) and the load state. */
export const useExportCatalogue = () => useExportStore(useShallow((s) => ({ catalogue: s.catalogue, loaded: s.loaded, loadError: s.loadError })));

/** The target file and the native dialog's state. */
export const useExportPath = () =>
  useExportStore(useShallow((s) => ({ path: s.path, pathError: s.pathError, browseUnavailable: s.browseUnavailable, browseError: s.browseError })));

/** The chosen scope and the report behind it. */
export const useExportScope = () => useExportStore(useShallow((s) => ({ scopeKind: s.scopeKind, report: s.report })));

/** The live plan. */
export const useExportPlan = () => useExportStore(useShallow((s) => ({ plan: s.plan, planning: s.planning, planError: s.planError })));

/** The run: starting, refused, replace question, the job, and where "Show in folder" went. */
export const useExportRun = () =>
  useExportStore(
    useShallow((s) => ({
      starting: s.starting,
      startError: s.startError,
      replace: s.replace,
      jobId: s.jobId,
      shownFolder: s.shownFolder,
      showError: s.showError,
    })),
  );

/** The screen's actions (stable references). */
export const useExportActions = () =>
  useExportStore(
    useShallow((s) => ({
      init: s.init,
      setTab: s.setTab,
      choosePreset: s.choosePreset,
      setFormat: s.setFormat,
      setContent: s.setContent,
      setDelimiter: s.setDelimiter,
      toggleColumn: s.toggleColumn,
      toggleColumns: s.toggleColumns,
      moveColumn: s.moveColumn,
      setPath: s.setPath,
      browse: s.browse,
      setScopeKind: s.setScopeKind,
      openWith: s.openWith,
      refreshPlan: s.refreshPlan,
      exportNow: s.exportNow,
      confirmReplace: s.confirmReplace,
      cancelReplace: s.cancelReplace,
      showInFolder: s.showInFolder,
      dismissResult: s.dismissResult,
      watch: s.watch,
    })),
  );
