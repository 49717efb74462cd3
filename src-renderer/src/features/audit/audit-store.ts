import { create } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { AuditEntry } from '#shared/model/audit';
import type { AppError, Result } from '#shared/result';
import { call } from '../../api';
import { EMPTY_AUDIT_FORM, toAuditFilter, type AuditForm } from './audit-filter';
import { latestOnly } from '../../lib/latest';

/** Entries fetched per page ("Load more" fetches the next). */
export const AUDIT_PAGE_SIZE = 100;
/** Typing in the user box waits this long before asking main, so each keystroke does not. */
export const AUDIT_TYPING_DELAY_MS = 250;

interface AuditState {
  form: AuditForm;
  /** Why the form cannot be applied (e.g. dates the wrong way round); nothing is fetched meanwhile. */
  formError: string | null;
  entries: AuditEntry[];
  total: number;
  loaded: boolean;
  loading: boolean;
  error: AppError | null;
  /** Changes filter inputs and reloads (after a short pause when typing). */
  setForm(patch: Partial<AuditForm>): void;
  reload(): Promise<void>;
  loadMore(): Promise<void>;
  /** The filtered journal as CSV text, from main. */
  exportCsv(): Promise<Result<{ filename: string; csv: string; count: number }>>;
}

// A slow page must not land after a newer filter's first page.
const pageLoads = latestOnly();
let typingTimer: ReturnType<typeof setTimeout> | undefined;

/** The Audit screen: filter inputs, the entries fetched so far, paging and CSV export. */
export const useAuditStore = create<AuditState>()((set, get) => {
  const fetchPage = async (offset: number) => {
    const parsed = toAuditFilter(get().form);
    if (!parsed.ok) {
      pageLoads.invalidate();
      set({ formError: parsed.message, loading: false });
      return;
    }
    const ticket = pageLoads.next();
    set({ formError: null, loading: true, error: null });
    const result = await call('audit:list', { filter: parsed.filter, offset, limit: AUDIT_PAGE_SIZE });
    if (!pageLoads.isCurrent(ticket)) return;
    if (!result.ok) {
      set({ loading: false, loaded: true, error: result.error });
      return;
    }
    const { entries, total } = result.value;
    set((state) => ({ entries: offset === 0 ? entries : [...state.entries, ...entries], total, loaded: true, loading: false }));
  };
  return {
    form: EMPTY_AUDIT_FORM,
    formError: null,
    entries: [],
    total: 0,
    loaded: false,
    loading: false,
    error: null,
    setForm: (patch) => {
      set(({ form }) => ({ form: { ...form, ...patch } }));
      clearTimeout(typingTimer);
      if ('user' in patch) typingTimer = setTimeout(() => void get().reload(), AUDIT_TYPING_DELAY_MS);
      else void get().reload();
    },
    reload: () => {
      clearTimeout(typingTimer);
      return fetchPage(0);
    },
    loadMore: async () => {
      const { entries, total, loading } = get();
      if (loading || entries.length >= total) return;
      await fetchPage(entries.length);
    },
    exportCsv: async () => {
      const parsed = toAuditFilter(get().form);
      if (!parsed.ok) return { ok: false, error: { code: 'invalid-input', message: parsed.message } };
      return call('audit:csv', { filter: parsed.filter });
    },
  };
});

/** The filter inputs and why they cannot be applied, if so. */
export const useAuditForm = () => useAuditStore(useShallow((s) => ({ form: s.form, formError: s.formError })));

/** The entries fetched so far and the paging state. */
export const useAuditEntries = () =>
  useAuditStore(useShallow((s) => ({ entries: s.entries, total: s.total, loaded: s.loaded, loading: s.loading, error: s.error })));

/** The audit actions, for components (stable references). */
export const useAuditActions = () => useAuditStore(useShallow((s) => ({ setForm: s.setForm, reload: s.reload, loadMore: s.loadMore, exportCsv: s.exportCsv })));
