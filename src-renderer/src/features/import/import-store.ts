import { create } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { checkLdapFilter } from '#shared/model/ldap-filter';
import type { Realm } from '#shared/model/realm';
import type { ImportRow, ImportSearch, ImportStatus } from '#shared/model/sync';
import type { UsernameClashChoice } from '#shared/model/username-clash';
import type { AppError } from '#shared/result';
import { call } from '../../api';
import { runButtonLabels } from './import-labels';
import { chooseAll, chooseRow, clashProblem, clashRequest, nameRow, NO_CLASH_CHOICES, type ClashChoices } from './clash-choices';
import { addRange, chosenCount, isChosen, NO_SELECTION, selectEvery, toggleDn, type ImportSelection } from './import-selection';
import { dnsInRange, PAGE_SIZE, pagesFor, rowAt, withPage, type PageMap, type RowRange } from './result-pages';
import { useAppStore } from '../../stores/app-store';
import { isFinished, useJobsStore } from '../../stores/jobs-store';
import { useRealmsStore } from '../../stores/realms-store';
import { giveSessionPassword, passwordMissing } from '../../stores/session-password';
import { latestOnly } from '../../lib/latest';

/** What Roster's RFC 4515 check finds wrong with an advanced filter as typed; an empty one is not used, so not wrong. */
const filterProblem = (text: string): string | null => (text.trim() === '' ? null : (checkLdapFilter(text)?.message ?? null));

/** Why the bind password is asked for, and what runs once it is given. */
export interface PasswordPrompt {
  realmId: string;
  /** Main's refusal of the last password tried, if that is why we ask again. */
  error: string | null;
  then: 'search' | 'run';
}

/** Which entries an import run covers. */
export type RunScope = 'selected' | 'all';

interface SearchRequest {
  realmId: string;
  query: string;
  filter?: string;
}

interface ImportState {
  realmId: string | null;
  /** The Query box's text. */
  query: string;
  /** Whether the "Advanced: LDAP filter" part is open (its filter replaces the query when not empty). */
  advanced: boolean;
  filter: string;
  searching: boolean;
  /** The result as main holds it (total and counts per status). */
  result: ImportSearch | null;
  /** A problem with what was typed into the Query box, said before anything is sent. */
  queryError: string | null;
  /**
   * What is wrong with the advanced filter, shown next to it: Roster's own RFC 4515 check as it is typed (a
   * malformed filter is never sent), or main's `invalid-filter` answer.
   */
  filterError: string | null;
  /** Any other failed search (unreachable host, refused bind…). */
  searchError: AppError | null;
  /** The status chip narrowing the list, or null for every entry. */
  status: ImportStatus | null;
  /** Bumps whenever the list shows other rows (new search, other chip); older page answers are dropped. */
  viewGen: number;
  pages: PageMap;
  pageError: AppError | null;
  visible: RowRange;
  focusIndex: number;
  selection: ImportSelection;
  prompt: PasswordPrompt | null;
  /** The import job started from this screen (its progress, then its report). */
  jobId: string | null;
  starting: boolean;
  runError: AppError | null;
  /** What the next run does with entries whose username belongs to a user of another realm. */
  clash: ClashChoices;
  /** Why those choices cannot run yet (an invalid rule or typed name), shown by the clash bar. */
  clashError: string | null;

  chooseRealm(id: string): void;
  setQuery(text: string): void;
  setAdvanced(open: boolean): void;
  setFilter(text: string): void;
  /**
   * Searches the realm with the query (or the filter); asks for the bind password first when main lacks it.
   * A malformed filter is not sent: its message stays by the field.
   */
  search(): Promise<void>;
  /** Runs the last search again (after an import, so statuses follow). */
  refresh(): Promise<void>;
  /**
   * Opens Import on a realm's whole directory (`*`), narrowed to the New chip once the result has new entries:
   * where a reconcile's "N new in the directory — Import them" leads, so the admin sees who they are first.
   */
  showNewEntries(realmId: string): Promise<void>;
  setStatus(status: ImportStatus | null): void;
  showRange(range: RowRange): void;
  /** Flips one entry; with `shift`, adds every entry from the anchor to it. */
  clickRow(index: number, shift: boolean): Promise<void>;
  moveFocus(to: number, extend: boolean): Promise<void>;
  toggleFocused(): void;
  selectAll(): void;
  clearSelection(): void;
  run(scope: RunScope): Promise<void>;
  submitPassword(password: string): Promise<void>;
  cancelPrompt(): void;
  dismissReport(): void;
  /** Re-runs the search once the screen's import job finishes; returns the unsubscribe function. */
  watch(): () => void;
  /** Link, rename or skip every clashing entry (their own choices go). */
  setClashAll(choice: UsernameClashChoice): void;
  setClashRule(rule: string): void;
  /** One clashing entry's own choice. */
  setRowClash(dn: string, choice: UsernameClashChoice): void;
  /** A name typed for one clashing entry: it will be imported under it. */
  setRowName(dn: string, username: string): void;
}

const FIRST_SCREEN: RowRange = { start: 0, end: 40 };
/** DNs per request when collecting a range or a whole status (the contract's maximum page). */
const COLLECT_CHUNK = 1000;

const inFlight = new Set<string>();
const searches = latestOnly();
let lastRequest: SearchRequest | null = null;
let pendingScope: RunScope = 'selected';
let refreshedJob: string | null = null;
/** The realm whose next search result opens on the New chip (showNewEntries), even after a password question. */
let newChipFor: string | null = null;

const initialState = () => ({
  realmId: null,
  query: '',
  advanced: false,
  filter: '',
  searching: false,
  result: null,
  queryError: null,
  filterError: null,
  searchError: null,
  status: null,
  viewGen: 0,
  pages: {},
  pageError: null,
  visible: FIRST_SCREEN,
  focusIndex: 0,
  selection: NO_SELECTION,
  prompt: null,
  jobId: null,
  starting: false,
  runError: null,
  clash: NO_CLASH_CHOICES,
  clashError: null,
});

/** Whether main has no bind password for this realm's server and bind DN (it keeps saved and typed ones). */
export const needsPassword = (realm: Realm | undefined): boolean => passwordMissing(realm);

/** Why main did not use a kept password for the realm (it was for another server or bind DN), if it says. */
const passwordNote = (realmId: string): string | null => useRealmsStore.getState().realms.find((r) => r.id === realmId)?.passwordNote ?? null;

/** The number of rows the list shows: the whole result, or one status's share of it. */
export const viewTotal = (s: Pick<ImportState, 'result' | 'status'>): number => (s.result ? (s.status ? s.result.counts[s.status] : s.result.total) : 0);

/** The Import screen: realm and query, the result paged from main, the selection and the import job. */
export const useImportStore = create<ImportState>()((set, get) => {
  const fetchPage = async (page: number, gen: number) => {
    const { result: search, status } = get();
    const key = `${gen}:${page}`;
    if (!search || inFlight.has(key)) return;
    inFlight.add(key);
    const result = await call('import:page', { searchId: search.searchId, offset: page * PAGE_SIZE, limit: PAGE_SIZE, ...(status ? { status } : {}) });
    inFlight.delete(key);
    if (get().viewGen !== gen) return;
    if (!result.ok) set({ pageError: result.error });
    else set(({ pages, visible }) => ({ pages: withPage(pages, page, result.value.rows, visible), pageError: null }));
  };

  const fetchVisible = () => {
    const s = get();
    for (const page of pagesFor(s.visible, viewTotal(s))) if (!s.pages[page]) void fetchPage(page, s.viewGen);
  };

  /** Shows other rows (new result or chip): back to the top, nothing fetched yet. */
  const newView = (change: Partial<ImportState>) => {
    set(({ viewGen, visible }) => ({
      ...change,
      viewGen: viewGen + 1,
      pages: {},
      pageError: null,
      focusIndex: 0,
      visible: { start: 0, end: visible.end - visible.start },
    }));
    fetchVisible();
  };

  /** The DNs of rows from..to of the current view, fetching those not on hand; null if the view changed. */
  const collectDns = async (from: number, to: number): Promise<string[] | null> => {
    const low = Math.max(0, Math.min(from, to));
    const high = Math.min(viewTotal(get()) - 1, Math.max(from, to));
    const cached = dnsInRange(get().pages, low, high);
    if (cached) return cached;
    const { result: search, status, viewGen } = get();
    if (!search) return null;
    const dns: string[] = [];
    for (let offset = low; offset <= high; offset += COLLECT_CHUNK) {
      const limit = Math.min(COLLECT_CHUNK, high - offset + 1);
      const result = await call('import:page', { searchId: search.searchId, offset, limit, ...(status ? { status } : {}) });
      if (get().viewGen !== viewGen) return null;
      if (!result.ok) {
        set({ pageError: result.error });
        return null;
      }
      dns.push(...result.value.rows.map((r: ImportRow) => r.dn));
    }
    return dns;
  };

  const ask = (realmId: string, then: PasswordPrompt['then'], error: string | null = null) =>
    set({ prompt: { realmId, then, error }, searching: false, starting: false });

  const send = async (request: SearchRequest, keepView: boolean) => {
    const ticket = searches.next();
    lastRequest = request;
    set({ searching: true, queryError: null, filterError: null, searchError: null });
    const result = await call('import:search', request);
    if (!searches.isCurrent(ticket)) return;
    if (!result.ok) {
      const { code, message } = result.error;
      // Main says why when a kept password was for another server or bind DN; "none saved" is the prompt's own text.
      if (code === 'password-required') return ask(request.realmId, 'search', passwordNote(request.realmId));
      // A refused password is forgotten by main when it was typed this session: ask for it again, saying why.
      if (code === 'invalid-credentials') return ask(request.realmId, 'search', message);
      set(code === 'invalid-filter' ? { searching: false, filterError: message } : { searching: false, searchError: result.error });
      return;
    }
    const search = result.value;
    const { status } = get();
    // After an import the chip stays if it still has entries; a new search starts from all of them.
    let keepStatus = keepView && status !== null && search.counts[status] > 0 ? status : null;
    if (newChipFor === request.realmId) {
      newChipFor = null;
      if (search.counts.new > 0) keepStatus = 'new';
    }
    // A new search starts from "skip" with the rule kept; the refresh after a run keeps every choice.
    const clash = keepView ? get().clash : { ...NO_CLASH_CHOICES, rule: get().clash.rule };
    newView({ result: search, searching: false, status: keepStatus, selection: NO_SELECTION, clash, clashError: null });
  };

  const extendTo = async (anchor: number, index: number) => {
    const dns = await collectDns(anchor, index);
    if (dns) set(({ selection }) => ({ selection: addRange(selection, dns, anchor) }));
  };

  return {
    ...initialState(),
    chooseRealm: (id) => {
      if (id === get().realmId) return;
      newChipFor = null;
      searches.invalidate();
      lastRequest = null;
      set({ realmId: id, result: null, searching: false, searchError: null, filterError: null, selection: NO_SELECTION, pages: {}, prompt: null });
    },
    setQuery: (query) => set({ query, queryError: null }),
    setAdvanced: (advanced) => set({ advanced, filterError: advanced ? filterProblem(get().filter) : null }),
    setFilter: (filter) => set({ filter, filterError: get().advanced ? filterProblem(filter) : null }),
    search: async () => {
      const { realmId, query, advanced, filter } = get();
      if (!realmId) {
        set({ queryError: 'Choose a realm to search.' });
        return;
      }
      const useFilter = advanced && filter.trim() !== '';
      // Roster's own check comes before any connection: a typo is said by the field, never sent to the directory.
      const problem = useFilter ? filterProblem(filter) : null;
      if (problem) {
        set({ filterError: problem, searchError: null });
        return;
      }
      if (!useFilter && query.trim() === '') {
        set({ queryError: advanced ? 'Type a query, or an LDAP filter below.' : 'Type part of a username, name or mail, or * for everyone.' });
        return;
      }
      // A new search puts the last import's report away (one still running keeps its progress bar).
      const { jobId } = get();
      const job = jobId ? useJobsStore.getState().jobs[jobId] : undefined;
      if (job && isFinished(job.state)) set({ jobId: null });
      const realm = useRealmsStore.getState().realms.find((r) => r.id === realmId);
      if (needsPassword(realm)) return ask(realmId, 'search', realm?.passwordNote ?? null);
      await send({ realmId, query: query.trim(), ...(useFilter ? { filter: filter.trim() } : {}) }, false);
    },
    refresh: async () => {
      if (lastRequest) await send(lastRequest, true);
    },
    showNewEntries: async (realmId) => {
      get().chooseRealm(realmId);
      set({ query: '*', advanced: false, queryError: null });
      useAppStore.getState().go('import');
      newChipFor = realmId;
      await get().search();
    },
    setStatus: (status) => {
      if (status === get().status) return;
      // "All" meant all of the old view; explicit picks stay picked.
      newView({ status, selection: get().selection.all ? NO_SELECTION : { ...get().selection, anchor: null } });
    },
    showRange: (range) => {
      set({ visible: range });
      fetchVisible();
    },
    clickRow: async (index, shift) => {
      const { selection, focusIndex, pages } = get();
      set({ focusIndex: index });
      if (shift) {
        await extendTo(selection.anchor ?? focusIndex, index);
        return;
      }
      const row = rowAt(pages, index);
      if (row) set({ selection: toggleDn(selection, row.dn, index) });
    },
    moveFocus: async (to, extend) => {
      const total = viewTotal(get());
      if (total === 0) return;
      const { focusIndex, selection } = get();
      const next = Math.max(0, Math.min(total - 1, to));
      set({ focusIndex: next });
      if (extend) await extendTo(selection.anchor ?? focusIndex, next);
    },
    toggleFocused: () => {
      const { pages, focusIndex, selection } = get();
      const row = rowAt(pages, focusIndex);
      if (row) set({ selection: toggleDn(selection, row.dn, focusIndex) });
    },
    selectAll: () => set({ selection: selectEvery() }),
    clearSelection: () => set({ selection: NO_SELECTION }),
    run: async (scope) => {
      const { result: search, selection, status, starting, clash } = get();
      if (!search || starting) return;
      const clashes = search.counts.clash;
      const problem = clashes > 0 ? clashProblem(clash, clashes) : null;
      if (problem) {
        set({ clashError: problem });
        return;
      }
      set({ starting: true, runError: null, clashError: null });
      let dns: string[] | undefined;
      // "All" with no chip is the whole search: main needs no list of DNs for that. Under a chip, "all" is
      // every entry the chip shows, and only those.
      const everyShown = scope === 'all' || selection.all;
      if (!(everyShown && status === null)) {
        const picked = everyShown ? await collectDns(0, viewTotal(get()) - 1) : [...selection.dns];
        if (!picked || picked.length === 0) {
          set({ starting: false });
          return;
        }
        dns = picked;
      }
      const result = await call('import:run', {
        searchId: search.searchId,
        ...(dns ? { dns } : {}),
        ...(clashes > 0 ? { clash: clashRequest(clash) } : {}),
      });
      if (!result.ok) {
        const { code, message } = result.error;
        pendingScope = scope;
        if (code === 'password-required') return ask(search.realmId, 'run', passwordNote(search.realmId));
        if (code === 'invalid-credentials') return ask(search.realmId, 'run', message);
        set({ starting: false, runError: result.error });
        return;
      }
      // The job may already have finished (its events can beat this answer): note it first, so tracking it
      // wakes the watcher below with the job id known and the results are refreshed either way.
      set({ jobId: result.value.id, starting: false, selection: NO_SELECTION });
      useJobsStore.getState().track(result.value);
    },
    submitPassword: async (password) => {
      const { prompt } = get();
      if (!prompt) return;
      const refused = await giveSessionPassword(prompt.realmId, password);
      if (get().prompt !== prompt) return;
      if (refused) return set({ prompt: { ...prompt, error: refused.message } });
      set({ prompt: null });
      if (prompt.then === 'run') await get().run(pendingScope);
      else await get().search();
    },
    cancelPrompt: () => {
      newChipFor = null;
      set({ prompt: null });
    },
    setClashAll: (choice) => set(({ clash }) => ({ clash: chooseAll(clash, choice), clashError: null })),
    setClashRule: (rule) => set(({ clash }) => ({ clash: { ...clash, rule }, clashError: null })),
    setRowClash: (dn, choice) => set(({ clash }) => ({ clash: chooseRow(clash, dn, choice), clashError: null })),
    setRowName: (dn, username) => set(({ clash }) => ({ clash: nameRow(clash, dn, username), clashError: null })),
    dismissReport: () => set({ jobId: null }),
    watch: () =>
      useJobsStore.subscribe(({ jobs }) => {
        const { jobId } = get();
        const job = jobId ? jobs[jobId] : undefined;
        if (!job || !isFinished(job.state) || refreshedJob === job.id) return;
        refreshedJob = job.id;
        void get().refresh();
      }),
  };
});

/** Forgets the screen's state (tests). */
export function resetImport(): void {
  inFlight.clear();
  searches.invalidate();
  lastRequest = null;
  pendingScope = 'selected';
  refreshedJob = null;
  newChipFor = null;
  useImportStore.setState(initialState());
}

/** The search form's values and messages. */
export const useImportForm = () =>
  useImportStore(
    useShallow((s) => ({
      realmId: s.realmId,
      query: s.query,
      advanced: s.advanced,
      filter: s.filter,
      searching: s.searching,
      queryError: s.queryError,
      filterError: s.filterError,
      searchError: s.searchError,
    })),
  );

/** The result as main holds it, the chip and the number of rows shown. */
export const useImportResult = () =>
  useImportStore(useShallow((s) => ({ result: s.result, status: s.status, total: viewTotal(s), viewGen: s.viewGen, pageError: s.pageError })));

/** The entry at a row index (undefined while its page is on the way). */
export const useImportRow = (index: number) => useImportStore((s) => rowAt(s.pages, index));

/** Whether an entry is selected. */
export const useImportRowChosen = (dn: string | undefined) => useImportStore((s) => dn !== undefined && isChosen(s.selection, dn));

/** The focused row and the selection's size. */
export const useImportSelection = () =>
  useImportStore(useShallow((s) => ({ focusIndex: s.focusIndex, all: s.selection.all, count: chosenCount(s.selection, viewTotal(s)) })));

/** The run buttons' labels and how many entries "… all" acts on: the chip's entries under a chip, else the whole result. */
export const useImportRunButtons = () =>
  useImportStore(
    useShallow((s) => {
      const counts = s.result?.counts ?? { new: 0, unchanged: 0, changed: 0, conflict: 0, clash: 0 };
      return runButtonLabels(counts, s.status, chosenCount(s.selection, viewTotal(s)));
    }),
  );

/** The run state: the job started here, whether one is starting, and a refused start. */
export const useImportRun = () => useImportStore(useShallow((s) => ({ jobId: s.jobId, starting: s.starting, runError: s.runError })));

/** The clash choices, the problem stopping a run, and the result's clashing entries per realm. */
export const useImportClash = () =>
  useImportStore(
    useShallow((s) => ({
      clash: s.clash,
      clashError: s.clashError,
      total: s.result?.counts.clash ?? 0,
      realms: s.result?.clashRealms ?? [],
      realmId: s.result?.realmId ?? null,
    })),
  );

/** The focused entry (undefined while its page is on the way). */
export const useFocusedImportRow = () => useImportStore((s) => rowAt(s.pages, s.focusIndex));

/** The password question, if one is open. */
export const useImportPrompt = () => useImportStore((s) => s.prompt);

/** The screen's actions (stable references). */
export const useImportActions = () =>
  useImportStore(
    useShallow((s) => ({
      chooseRealm: s.chooseRealm,
      setQuery: s.setQuery,
      setAdvanced: s.setAdvanced,
      setFilter: s.setFilter,
      search: s.search,
      setStatus: s.setStatus,
      showRange: s.showRange,
      clickRow: s.clickRow,
      moveFocus: s.moveFocus,
      toggleFocused: s.toggleFocused,
      selectAll: s.selectAll,
      clearSelection: s.clearSelection,
      run: s.run,
      submitPassword: s.submitPassword,
      cancelPrompt: s.cancelPrompt,
      dismissReport: s.dismissReport,
      watch: s.watch,
      setClashAll: s.setClashAll,
      setClashRule: s.setClashRule,
      setRowClash: s.setRowClash,
      setRowName: s.setRowName,
    })),
  );
