import { create } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { BulkResult } from '#shared/ipc/contract';
import type { UserDetail, UserFacets, UserQuery, UserQueryInput, UserRow, UserSortColumn, UserTarget } from '#shared/model/user';
import type { AppError, Result } from '#shared/result';
import { call, subscribe } from '../../../api';
import { useToastStore } from '../../../stores/toast-store';
import { bulkMessage, type BulkRequest } from './bulk-messages';
import { BLOCK_SIZE, blocksFor, blocksToFetch, flightKey, idsInRange, rowAt, withBlock, type BlockMap, type RowRange } from './row-blocks';
import { bulkTarget, isSelected, NO_SELECTION, selectAll, selectOne, selectRange, toggleOne, type Selection } from './selection';
import { whenIdle } from '../../../lib/when-idle';

/** The filters of the list (everything in the query but the search text and the sort). */
export type UserFilters = Omit<UserQuery, 'search' | 'sort'>;

/** A report's filter shown on the list (opened from Reports): its name and the filters it set. */
export interface ListReport {
  label: string;
  filters: UserFilters;
}

/** The filters a query holds, without its search text and sort. */
export function filtersOf(query: UserQueryInput): UserFilters {
  const { search: _search, sort: _sort, ...filters } = query;
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)) as UserFilters;
}

/** Whether the list still shows a report: every filter it set holds the same value. */
export const isReportShown = (report: ListReport | null, query: UserQuery): report is ListReport =>
  report !== null && Object.entries(report.filters).every(([key, value]) => query[key as keyof UserFilters] === value);

/** What the "New user" dialog sends. */
export interface NewUserInput {
  username: string;
  displayName: string;
  email: string;
}

interface BulkState {
  busy: boolean;
  error: AppError | null;
}

/** A bulk login change waiting for the admin's yes: how many users, and which their directory disables. */
export interface BulkConfirm {
  enabled: boolean;
  count: number;
  directoryDisabled: number;
  directoryDisabledNames: string[];
}

interface UsersListState {
  /** The query as last sent: search text, filters and sort. */
  query: UserQuery;
  /** The search box's text; `query.search` follows it at once (or when the search before it is answered). */
  searchInput: string;
  total: number;
  facets: UserFacets | null;
  blocks: BlockMap;
  /** Bumps on every refetch (query change or data change); answers for an older one are dropped. */
  gen: number;
  /** The generation of the last query change: blocks older than it hold other rows and are dropped. */
  queryGen: number;
  /** Bumps when search, filters or sort change, so the table scrolls back to the top. */
  queryVersion: number;
  /** Whether an answer for the current query arrived. */
  loaded: boolean;
  /** Bumps with every answer put on screen (the table marks the paint that follows, for benchmarks). */
  answers: number;
  loading: boolean;
  /** The last failed `users:query`, shown with a Retry. */
  error: AppError | null;
  /** A failed side action (saving the sort, fetching rows for a range). */
  actionError: AppError | null;
  /** The rows on screen (with overscan), so a refresh refetches what is seen. */
  visible: RowRange;
  /** The table's scroll position, kept while the detail screen is open. */
  scrollOffset: number;
  focusIndex: number;
  selection: Selection;
  bulk: BulkState;
  /** A login change asked about and not yet answered (the confirm dialog). */
  bulkConfirm: BulkConfirm | null;
  /** The report the list was opened on from Reports, shown as a removable chip while its filters hold. */
  report: ListReport | null;

  /** Loads the first rows, in the saved sort (once; later calls do nothing). */
  init(): Promise<void>;
  setSearch(text: string): void;
  setFilters(filters: UserFilters): void;
  clearFilters(): void;
  /** Shows the users of a report (or a completeness bar): its filters replace the search and filters. */
  showReport(label: string, query: UserQueryInput): void;
  /** Takes the report's filters off the list (other filters stay). */
  clearReport(): void;
  sortBy(column: UserSortColumn): Promise<void>;
  /** Refetches the visible rows and counts for the current query (data changed). */
  refresh(): void;
  /** The table reports the rows on screen; missing blocks are fetched. */
  showRange(range: RowRange): void;
  setScrollOffset(offset: number): void;
  clickRow(index: number, modifiers: { shift: boolean; toggle: boolean }): Promise<void>;
  /** Moves the focused row (clamped); with `extend`, the selection follows from the anchor. */
  moveFocus(to: number, extend: boolean): Promise<void>;
  toggleRow(index: number): void;
  selectAllInFilter(): void;
  clearSelection(): void;
  /** Role changes run at once; a login change is first previewed and asked about (bulkConfirm). */
  runBulk(request: BulkRequest): Promise<void>;
  /** Runs the login change asked about; its message offers Undo for a few seconds. */
  confirmBulk(): Promise<void>;
  cancelBulk(): void;
  /** The row checkbox: a click toggles its row; with Shift, the range from the anchor is added. */
  checkRow(index: number, shift: boolean): Promise<void>;
  dismissBulkMessage(): void;
  dismissActionError(): void;
  createUser(input: NewUserInput): Promise<Result<UserDetail>>;
  /** Refetches when users, realms or field settings change; returns the unsubscribe function. */
  watch(): () => void;
}

/** Where the list's messages are said (toast-store places). */
export const LIST_PLACE = 'users';

const DEFAULT_QUERY: UserQuery = { search: '', sort: { column: 'username', direction: 'asc' } };
const FIRST_SCREEN: RowRange = { start: 0, end: 50 };
/** Events arrive in bursts during imports; one refetch per burst. */
const CHANGE_COALESCE_MS = 120;
/** Rows fetched beyond each end of the screen, so scrolling finds them there (half a block). */
export const PREFETCH_ROWS = BLOCK_SIZE / 2;
/** Rows per request when collecting a shift-click range (the contract's maximum). */
const RANGE_CHUNK = 1000;

const initialState = () => ({
  query: DEFAULT_QUERY,
  searchInput: '',
  total: 0,
  facets: null,
  blocks: {},
  gen: 0,
  queryGen: 0,
  queryVersion: 0,
  loaded: false,
  answers: 0,
  loading: false,
  error: null,
  actionError: null,
  visible: FIRST_SCREEN,
  scrollOffset: 0,
  focusIndex: 0,
  selection: NO_SELECTION,
  bulk: { busy: false, error: null },
  bulkConfirm: null,
  report: null,
});

// Timers and requests in flight live outside the state: they never render.
/** The generation of a search still being answered: the next keystroke's search waits for it. */
let searchWait: number | undefined;
/** Whether the list has its sort: until main's first answer, calls ask main for the saved one (no prefs:get first). */
let sortKnown = false;
let changeTimer: ReturnType<typeof setTimeout> | undefined;
let started = false;
/** The target of the login change being asked about (the selection may change under the dialog; this does not). */
let bulkPending: UserTarget | undefined;
/** A sort chosen but not yet saved: only the latest is written, once its rows are on screen and the page is idle. */
let sortToSave: UserQuery['sort'] | undefined;
let sortSaveQueued: (() => void) | undefined;
let sortSaving = false;
const inFlight = new Set<string>();
/** Whether any block of a generation is still being fetched. */
const isFetching = (gen: number) => [...inFlight].some((k) => k.startsWith(`${gen}:`));
/** At the latest this long after its rows arrived, a chosen sort is saved even if the page is never idle. */
const SORT_SAVE_WITHIN_MS = 1000;

/** The user list: query, fetched row blocks, counts, focus and selection, and the bulk actions. */
export const useUsersListStore = create<UsersListState>()((set, get) => {
  /**
   * Writes the chosen sort (the preference the next start opens with). Never beside the sort's own query or
   * a keystroke's: it waits for the rows and an idle moment, and sorts chosen meanwhile become one write.
   */
  const saveSort = async () => {
    sortSaveQueued = undefined;
    if (sortSaving) return; // the write under way writes the newer choice after itself
    sortSaving = true;
    while (sortToSave) {
      const usersSort = sortToSave;
      sortToSave = undefined;
      const saved = await call('prefs:set', { prefs: { usersSort } });
      if (!saved.ok) set({ actionError: saved.error });
    }
    sortSaving = false;
  };
  const saveSortWhenIdle = () => {
    if (sortToSave && !sortSaveQueued && !sortSaving) sortSaveQueued = whenIdle(() => void saveSort(), SORT_SAVE_WITHIN_MS);
  };

  const fetchBlock = async (block: number, gen: number) => {
    const key = flightKey(gen, block);
    inFlight.add(key);
    set({ loading: true });
    const askSaved = !sortKnown;
    const result = await call('users:query', { query: get().query, offset: block * BLOCK_SIZE, limit: BLOCK_SIZE, ...(askSaved ? { savedSort: true } : {}) });
    inFlight.delete(key);
    if (searchWait !== undefined && !isFetching(searchWait)) {
      searchWait = undefined;
      sendSearch();
    }
    const s = get();
    if (gen !== s.gen) return; // an answer to an older search: the user has typed on
    const loading = isFetching(gen);
    if (!result.ok) {
      set({ error: result.error, loading });
      return;
    }
    const { total, rows, facets, sort } = result.value;
    if (askSaved) sortKnown = true;
    const query = askSaved && (sort.column !== s.query.sort.column || sort.direction !== s.query.sort.direction) ? { ...s.query, sort } : s.query;
    set({
      query,
      total,
      facets,
      blocks: withBlock(s.blocks, block, rows, { gen, minGen: s.queryGen, total, visible: s.visible }),
      loaded: true,
      answers: s.answers + 1,
      loading,
      error: null,
      focusIndex: Math.max(0, Math.min(s.focusIndex, total - 1)),
    });
    if (!loading) saveSortWhenIdle();
  };

  const refetch = (queryChanged: boolean) => {
    const gen = get().gen + 1;
    set(queryChanged ? { gen, queryGen: gen, loaded: false } : { gen });
    // The visible range may lie past a shrunken total; main answers such offsets with no rows.
    for (const block of blocksFor(get().visible, Number.MAX_SAFE_INTEGER)) void fetchBlock(block, gen);
  };

  /** Applies a new search, filter set or sort: back to the top, selection cleared unless only the order changed. */
  const applyQuery = (query: UserQuery, keepSelection = false) => {
    const { visible, selection } = get();
    set(({ queryVersion }) => ({
      query,
      queryVersion: queryVersion + 1,
      visible: { start: 0, end: visible.end - visible.start },
      scrollOffset: 0,
      focusIndex: 0,
      selection: keepSelection ? { ...selection, anchor: null } : NO_SELECTION,
    }));
    refetch(true);
  };

  /**
   * Sends the search box's text as the query's search. Searches go at once, one at a time: typing faster
   * than answers come back skips the texts in between (the last one is always sent), and nothing waits
   * for a timer.
   */
  const sendSearch = () => {
    const search = get().searchInput.trim();
    if (search === get().query.search) return;
    applyQuery({ ...get().query, search });
    const { gen } = get();
    if (isFetching(gen)) searchWait = gen;
  };

  /** The ids of rows from..to, fetching the ones not on hand (a shift-click across thousands of rows). */
  const collectIds = async (from: number, to: number): Promise<string[] | null> => {
    const low = Math.max(0, Math.min(from, to));
    const high = Math.min(get().total - 1, Math.max(from, to));
    const cached = idsInRange(get().blocks, low, high);
    if (cached) return cached;
    const { query, gen } = get();
    const ids: string[] = [];
    for (let offset = low; offset <= high; offset += RANGE_CHUNK) {
      const limit = Math.min(RANGE_CHUNK, high - offset + 1);
      const result = await call('users:query', { query, offset, limit });
      if (get().gen !== gen) return null;
      if (!result.ok) {
        set({ actionError: result.error });
        return null;
      }
      ids.push(...result.value.rows.map((r) => r.id));
    }
    return ids;
  };

  const extendTo = async (anchor: number, index: number, additive: boolean) => {
    const ids = await collectIds(anchor, index);
    if (ids) set(({ selection }) => ({ selection: selectRange(selection, ids, anchor, additive) }));
  };

  /** Says a bulk action's outcome where the list is (a toast), or its error in the bar; refetches on success. */
  const finishBulk = (request: BulkRequest, result: Result<BulkResult>, undo?: () => void) => {
    set({ bulk: result.ok ? { busy: false, error: null } : { busy: false, error: result.error } });
    if (!result.ok) return;
    useToastStore.getState().say(LIST_PLACE, bulkMessage(request, result.value), undo && { label: 'Undo', run: undo });
    refetch(false);
  };

  /** Undo of a login change: the users it changed, back as they were (one more bulk change, journaled). */
  const undoLogin = async (ids: string[], enabled: boolean) => {
    set({ bulk: { busy: true, error: null } });
    const result = await call('users:set-enabled', { target: { ids }, enabled });
    set({ bulk: result.ok ? { busy: false, error: null } : { busy: false, error: result.error } });
    if (!result.ok) return;
    useToastStore.getState().say(LIST_PLACE, `Undone: ${bulkMessage({ kind: 'set-enabled', enabled }, result.value)} again`);
    refetch(false);
  };

  return {
    ...initialState(),
    init: async () => {
      if (started) return;
      started = true;
      refetch(true);
    },
    setSearch: (text) => {
      set({ searchInput: text });
      if (searchWait === undefined) sendSearch();
    },
    setFilters: (filters) => {
      const { search, sort } = get().query;
      applyQuery({ search, sort, ...filters });
    },
    clearFilters: () => {
      set({ searchInput: '' });
      applyQuery({ search: '', sort: get().query.sort });
    },
    showReport: (label, query) => {
      const filters = filtersOf(query);
      const search = query.search?.trim() ?? '';
      set({ searchInput: search, report: { label, filters } });
      applyQuery({ search, sort: get().query.sort, ...filters });
    },
    clearReport: () => {
      const { report, query } = get();
      if (!report) return;
      const rest = Object.fromEntries(Object.entries(query).filter(([key]) => !(key in report.filters))) as UserQuery;
      set({ report: null });
      applyQuery(rest);
    },
    sortBy: async (column) => {
      const { query } = get();
      const direction = query.sort.column === column && query.sort.direction === 'asc' ? 'desc' : 'asc';
      const sort = { column, direction } as const;
      sortKnown = true;
      sortToSave = sort;
      applyQuery({ ...query, sort }, true);
    },
    refresh: () => refetch(false),
    showRange: (range) => {
      set({ visible: range });
      const { blocks, total, gen } = get();
      const near = { start: Math.max(0, range.start - PREFETCH_ROWS), end: range.end + PREFETCH_ROWS };
      for (const block of blocksToFetch(blocks, near, total, gen, inFlight)) void fetchBlock(block, gen);
    },
    setScrollOffset: (scrollOffset) => set({ scrollOffset }),
    clickRow: async (index, { shift, toggle }) => {
      const row = rowAt(get().blocks, index);
      if (!row) return;
      const { selection, focusIndex } = get();
      set({ focusIndex: index });
      if (shift) await extendTo(selection.anchor ?? focusIndex, index, toggle);
      else set({ selection: toggle ? toggleOne(selection, row.id, index) : selectOne(row.id, index) });
    },
    moveFocus: async (to, extend) => {
      const { total, focusIndex, selection } = get();
      if (total === 0) return;
      const next = Math.max(0, Math.min(total - 1, to));
      set({ focusIndex: next });
      if (extend) await extendTo(selection.anchor ?? focusIndex, next, false);
    },
    toggleRow: (index) => {
      const row = rowAt(get().blocks, index);
      if (row) set(({ selection }) => ({ selection: toggleOne(selection, row.id, index), focusIndex: index }));
    },
    selectAllInFilter: () => set({ selection: selectAll() }),
    clearSelection: () => set({ selection: NO_SELECTION }),
    runBulk: async (request) => {
      const target = bulkTarget(get().selection, get().query);
      if (!target || get().bulk.busy) return;
      if (request.kind === 'set-enabled') {
        set({ bulk: { busy: true, error: null } });
        const preview = await call('users:bulk-preview', { target });
        if (!preview.ok) return set({ bulk: { busy: false, error: preview.error } });
        bulkPending = target;
        set({ bulk: { busy: false, error: null }, bulkConfirm: { enabled: request.enabled, ...preview.value } });
        return;
      }
      set({ bulk: { busy: true, error: null } });
      const result = await call(request.kind === 'assign-role' ? 'users:assign-role' : 'users:remove-role', { target, roleId: request.roleId });
      finishBulk(request, result);
    },
    confirmBulk: async () => {
      const ask = get().bulkConfirm;
      const target = bulkPending;
      if (!ask || !target || get().bulk.busy) return;
      bulkPending = undefined;
      set({ bulkConfirm: null, bulk: { busy: true, error: null } });
      const request = { kind: 'set-enabled', enabled: ask.enabled } as const;
      const result = await call('users:set-enabled', { target, enabled: ask.enabled });
      const ids = result.ok ? (result.value.changedIds ?? []) : [];
      finishBulk(request, result, ids.length > 0 ? () => void undoLogin(ids, !ask.enabled) : undefined);
    },
    cancelBulk: () => {
      bulkPending = undefined;
      set({ bulkConfirm: null });
    },
    checkRow: async (index, shift) => {
      const { selection, focusIndex } = get();
      if (!shift || (selection.anchor === null && selection.ids.size === 0)) return get().toggleRow(index);
      set({ focusIndex: index });
      await extendTo(selection.anchor ?? focusIndex, index, true);
    },
    dismissBulkMessage: () => set(({ bulk }) => ({ bulk: { ...bulk, error: null } })),
    dismissActionError: () => set({ actionError: null }),
    createUser: async ({ username, displayName, email }) => {
      const fields: Record<string, string> = {};
      if (displayName.trim()) fields.displayName = displayName.trim();
      if (email.trim()) fields.email = email.trim();
      const result = await call('users:create', { username: username.trim(), fields });
      if (result.ok) refetch(false);
      return result;
    },
    watch: () => {
      const later = () => {
        clearTimeout(changeTimer);
        changeTimer = setTimeout(() => refetch(false), CHANGE_COALESCE_MS);
      };
      const offs = [
        subscribe('users:changed', later),
        subscribe('realms:changed', later),
        subscribe('settings:changed', ({ what }) => {
          if (what === 'fields') later();
        }),
      ];
      // A window closed before the chosen sort was saved still saves it: the call goes out as the page goes.
      const saveNow = () => {
        sortSaveQueued?.();
        void saveSort();
      };
      const page = typeof window.addEventListener === 'function' ? window : undefined;
      page?.addEventListener('pagehide', saveNow);
      return () => {
        clearTimeout(changeTimer);
        page?.removeEventListener('pagehide', saveNow);
        for (const off of offs) off();
      };
    },
  };
});

/** Puts the list back as at start (tests). */
export function resetUsersList(): void {
  searchWait = undefined;
  sortKnown = false;
  sortToSave = undefined;
  sortSaveQueued?.();
  sortSaveQueued = undefined;
  sortSaving = false;
  clearTimeout(changeTimer);
  started = false;
  bulkPending = undefined;
  inFlight.clear();
  useUsersListStore.setState(initialState());
}

/** The query as sent (not the search box's text: components showing the list need not follow each keystroke). */
export const useUsersQuery = () => useUsersListStore(useShallow((s) => ({ query: s.query })));

/** The search box's text. */
export const useSearchInput = () => useUsersListStore((s) => s.searchInput);

/** The list's sort. */
export const useUsersSort = () => useUsersListStore((s) => s.query.sort);

/** Totals and load state for the toolbar, the grid and the empty state. */
export const useUsersStatus = () =>
  useUsersListStore(
    useShallow((s) => ({ total: s.total, loaded: s.loaded, loading: s.loading, error: s.error, actionError: s.actionError, queryVersion: s.queryVersion })),
  );

/** The report the list shows, while its filters still hold (null otherwise). */
export const useListReport = () => useUsersListStore((s) => (isReportShown(s.report, s.query) ? s.report : null));

/** The counts beside each filter (null until the first answer). */
export const useUserFacets = () => useUsersListStore((s) => s.facets);

/** The row at an index (undefined while its block is being fetched). */
export const useUserRow = (index: number): UserRow | undefined => useUsersListStore((s) => rowAt(s.blocks, index));

/** Whether the row at an index is selected. */
export const useRowSelected = (id: string | undefined) => useUsersListStore((s) => id !== undefined && isSelected(s.selection, id));

/** The selection and the focused row. */
export const useUsersSelection = () => useUsersListStore(useShallow((s) => ({ selection: s.selection, focusIndex: s.focusIndex })));

/** The bulk bar's state. */
export const useBulkState = () => useUsersListStore((s) => s.bulk);

/** The login change waiting for a yes, if any. */
export const useBulkConfirm = () => useUsersListStore((s) => s.bulkConfirm);

/** The list actions, for components (stable references). */
export type UsersListActions = Pick<
  UsersListState,
  | 'init'
  | 'setSearch'
  | 'setFilters'
  | 'clearFilters'
  | 'showReport'
  | 'clearReport'
  | 'sortBy'
  | 'refresh'
  | 'showRange'
  | 'setScrollOffset'
  | 'clickRow'
  | 'moveFocus'
  | 'toggleRow'
  | 'selectAllInFilter'
  | 'clearSelection'
  | 'runBulk'
  | 'confirmBulk'
  | 'cancelBulk'
  | 'checkRow'
  | 'dismissBulkMessage'
  | 'dismissActionError'
  | 'createUser'
  | 'watch'
>;

let actions: UsersListActions | undefined;

/**
 * The list actions, for components. They are created once with the store and never change, so this reads
 * them once instead of subscribing: a selector here would run (and compare twenty entries) on every change
 * of the list, in every component that acts on it.
 */
export const useUsersListActions = (): UsersListActions => {
  if (!actions) {
    const s = useUsersListStore.getState();
    actions = {
      init: s.init,
      setSearch: s.setSearch,
      setFilters: s.setFilters,
      clearFilters: s.clearFilters,
      showReport: s.showReport,
      clearReport: s.clearReport,
      sortBy: s.sortBy,
      refresh: s.refresh,
      showRange: s.showRange,
      setScrollOffset: s.setScrollOffset,
      clickRow: s.clickRow,
      moveFocus: s.moveFocus,
      toggleRow: s.toggleRow,
      selectAllInFilter: s.selectAllInFilter,
      clearSelection: s.clearSelection,
      runBulk: s.runBulk,
      confirmBulk: s.confirmBulk,
      cancelBulk: s.cancelBulk,
      checkRow: s.checkRow,
      dismissBulkMessage: s.dismissBulkMessage,
      dismissActionError: s.dismissActionError,
      createUser: s.createUser,
      watch: s.watch,
    };
  }
  return actions;
};
