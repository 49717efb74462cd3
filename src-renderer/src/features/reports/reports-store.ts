import { create } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { DEFAULT_STALE_DAYS, type FieldCompleteness, type RealmCompleteness, type ReportSummary, type ReportsOverview } from '#shared/model/report';
import type { UserQueryInput } from '#shared/model/user';
import type { AppError } from '#shared/result';
import { call, subscribe } from '../../api';
import type { Job } from '#shared/model/sync';
import { jobReportLabel, reportedUserIds } from './job-report';
import { useAppStore } from '../../stores/app-store';
import { useExportStore } from '../export/export-store';
import { useImportStore } from '../import/import-store';
import { isFinished, useJobsStore } from '../../stores/jobs-store';
import { useRealmsStore } from '../../stores/realms-store';
import { useSyncStore } from '../sync/sync-store';
import { useUsersListStore } from '../users/list/users-list-store';
import { latestOnly } from '../../lib/latest';

interface ReportsState {
  overview: ReportsOverview | null;
  loaded: boolean;
  loading: boolean;
  error: AppError | null;
  /** The "not synced for N days" report's N (remembered in prefs). */
  staleDays: number;
  /** A failed `prefs:set` of N. */
  saveError: AppError | null;
  /** Reads N from prefs (once), then the overview. */
  load(): Promise<void>;
  setStaleDays(days: number): void;
  /** Opens the Users list on a report's (or a bar's) users. */
  showUsers(label: string, query: UserQueryInput): void;
  /** Opens Export with a report's users as the scope. */
  exportUsers(label: string, query: UserQueryInput): void;
  /** Reloads (coalesced) when users or fields change; returns the unsubscribe function. */
  watch(): () => void;
  /** Opens a user named in a job's report (an import, resync or reconcile), leaving the reconcile dialog it may sit in. */
  openReportedUser(userId: string): void;
  /** Opens Export with the users a job's report lists as the scope. */
  exportJobReport(job: Job): void;
  /** Opens Export with the users another report lists (a re-imported sheet's applied rows), by id. */
  exportReportedUsers(label: string, ids: string[]): void;
  /** A reconcile's "N new in the directory — Import them": Import on the realm's `*`, on the New chip. */
  importNewEntries(realmId: string): void;
}

/**
 * Leaves the Reconcile dialog a report sits in, as its own Close does: a finished reconcile is done with, a
 * running one goes on in the background.
 */
function leaveReconcileDialog(): void {
  const sync = useSyncStore.getState();
  const realmId = sync.reconcileOpen;
  if (!realmId) return;
  sync.closeReconcile();
  const jobId = sync.reconciles[realmId]?.jobId;
  const job = jobId ? useJobsStore.getState().jobs[jobId] : undefined;
  if (!job || isFinished(job.state)) sync.clearReconcile(realmId);
}

/** The longest N the contract takes (100 years). */
export const MAX_STALE_DAYS = 36_500;
/** Pause after typing N before it is saved and the reports are counted again. */
export const STALE_DEBOUNCE_MS = 400;
const CHANGE_COALESCE_MS = 300;

/** Whether a typed N is one the reports accept: a whole number of days from 1 to 36,500. */
export const validStaleDays = (text: string): number | null => {
  if (!/^\d{1,5}$/.test(text.trim())) return null;
  const days = Number(text.trim());
  return days >= 1 && days <= MAX_STALE_DAYS ? days : null;
};

/** What the Users list's chip and the Export scope call a report: the stale one says its N. */
export function reportLabel(report: Pick<ReportSummary, 'id' | 'title' | 'query'>): string {
  const days = report.query.staleDays;
  if (report.id === 'stale' && days !== undefined) return `Not synced for ${days.toLocaleString('en-US')} ${days === 1 ? 'day' : 'days'}`;
  return report.title;
}

/** The chart's bars: required fields first, each group in catalogue order. */
export const chartOrder = (fields: readonly FieldCompleteness[]): FieldCompleteness[] => [
  ...fields.filter((f) => f.required),
  ...fields.filter((f) => !f.required),
];

/** A bar's accessible name: "Department: 12 of 301 users missing". */
export const barLabel = (field: Pick<FieldCompleteness, 'label' | 'missing' | 'total'>): string =>
  `${field.label}: ${field.missing.toLocaleString('en-US')} of ${field.total.toLocaleString('en-US')} ${field.total === 1 ? 'user' : 'users'} missing`;

/** A per-realm cell's accessible name: "Full name: 12 of 30 users of Lab directory missing". */
export function realmCellLabel(field: Pick<FieldCompleteness, 'key' | 'label'>, realm: Pick<RealmCompleteness, 'name' | 'users' | 'missing'>): string {
  const missing = realm.missing[field.key] ?? 0;
  return `${field.label}: ${missing.toLocaleString('en-US')} of ${realm.users.toLocaleString('en-US')} ${realm.users === 1 ? 'user' : 'users'} of ${realm.name} missing`;
}

/** A per-realm cell's tooltip: says when the realm holds every missing value of the field. */
export function realmCellTitle(field: Pick<FieldCompleteness, 'key' | 'label' | 'missing'>, realm: Pick<RealmCompleteness, 'name' | 'missing'>): string {
  const missing = realm.missing[field.key] ?? 0;
  return missing > 0 && missing === field.missing ? `Every missing ${field.label} is in ${realm.name}. Show these users` : 'Show these users';
}

const overviews = latestOnly();
let prefsRead = false;
let staleTimer: ReturnType<typeof setTimeout> | undefined;
let changeTimer: ReturnType<typeof setTimeout> | undefined;

const initialState = () => ({ overview: null, loaded: false, loading: false, error: null, staleDays: DEFAULT_STALE_DAYS, saveError: null });

/** The Reports screen: completeness per field and the data-quality reports, each opening the users it counts. */
export const useReportsStore = create<ReportsState>()((set, get) => {
  const fetchOverview = async () => {
    const ticket = overviews.next();
    set({ loading: true });
    const result = await call('reports:overview', { staleDays: get().staleDays });
    if (!overviews.isCurrent(ticket)) return;
    set(result.ok ? { overview: result.value, loaded: true, loading: false, error: null } : { loaded: true, loading: false, error: result.error });
  };
  return {
    ...initialState(),
    load: async () => {
      if (!prefsRead) {
        const prefs = await call('prefs:get', {});
        prefsRead = true;
        if (prefs.ok) set({ staleDays: prefs.value.staleDays });
      }
      await fetchOverview();
    },
    setStaleDays: (days) => {
      if (days === get().staleDays) return;
      set({ staleDays: days, saveError: null });
      clearTimeout(staleTimer);
      staleTimer = setTimeout(() => {
        void fetchOverview();
        void call('prefs:set', { prefs: { staleDays: days } }).then((saved) => {
          if (!saved.ok) set({ saveError: saved.error });
        });
      }, STALE_DEBOUNCE_MS);
    },
    showUsers: (label, query) => {
      useUsersListStore.getState().showReport(label, query);
      const app = useAppStore.getState();
      app.closeUser();
      app.go('users');
    },
    exportUsers: (label, query) => useExportStore.getState().openWith({ kind: 'report', label, query }),
    openReportedUser: (userId) => {
      leaveReconcileDialog();
      useAppStore.getState().openUser(userId);
    },
    exportJobReport: (job) => {
      const ids = reportedUserIds(job.summary);
      if (ids.length === 0) return;
      const realm = useRealmsStore.getState().realms.find((r) => r.id === job.realmId);
      leaveReconcileDialog();
      useExportStore.getState().openWith({ kind: 'report', label: jobReportLabel(job, realm?.name), ids });
    },
    exportReportedUsers: (label, ids) => {
      const unique = [...new Set(ids)];
      if (unique.length > 0) useExportStore.getState().openWith({ kind: 'report', label, ids: unique });
    },
    importNewEntries: (realmId) => {
      leaveReconcileDialog();
      void useImportStore.getState().showNewEntries(realmId);
    },
    watch: () => {
      const later = () => {
        clearTimeout(changeTimer);
        changeTimer = setTimeout(() => void fetchOverview(), CHANGE_COALESCE_MS);
      };
      const offs = [
        subscribe('users:changed', later),
        subscribe('settings:changed', ({ what }) => {
          if (what === 'fields') later();
        }),
      ];
      return () => {
        clearTimeout(changeTimer);
        for (const off of offs) off();
      };
    },
  };
});

/** Puts the screen back as at start (tests). */
export function resetReports(): void {
  clearTimeout(staleTimer);
  clearTimeout(changeTimer);
  overviews.invalidate();
  prefsRead = false;
  useReportsStore.setState(initialState());
}

/** The overview and its load state. */
export const useReportsOverview = () => useReportsStore(useShallow((s) => ({ overview: s.overview, loaded: s.loaded, loading: s.loading, error: s.error })));

/** N of "not synced for N days", and a failed save of it. */
export const useStaleDays = () => useReportsStore(useShallow((s) => ({ staleDays: s.staleDays, saveError: s.saveError })));

/** The screen's actions (stable references). */
export const useReportsActions = () =>
  useReportsStore(useShallow((s) => ({ load: s.load, setStaleDays: s.setStaleDays, showUsers: s.showUsers, exportUsers: s.exportUsers, watch: s.watch })));

/** What a job's report can lead to: a user it names, Export of the users it lists, Import of a reconcile's new entries. */
export const useJobReportActions = () =>
  useReportsStore(
    useShallow((s) => ({
      openReportedUser: s.openReportedUser,
      exportJobReport: s.exportJobReport,
      exportReportedUsers: s.exportReportedUsers,
      importNewEntries: s.importNewEntries,
    })),
  );
