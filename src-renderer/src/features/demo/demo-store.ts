import { create } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { AppError } from '#shared/result';
import { call } from '../../api';
import { useAppStore } from '../../stores/app-store';
import { useJobsStore } from '../../stores/jobs-store';
import { useRealmsStore } from '../../stores/realms-store';
import { useUsersListStore } from '../users/list/users-list-store';

interface DemoState {
  starting: boolean;
  /** The demo import job, once started. */
  jobId: string | null;
  error: AppError | null;
  /** Whether the finished demo's report is shown over the Users list (until dismissed). */
  reportOpen: boolean;
  /** Adds the bundled demo directory as a realm and imports it (`demo:start`). */
  start(): Promise<void>;
  dismissReport(): void;
  /** Goes to the Users list once the demo import is done; returns the unsubscribe function. */
  watch(): () => void;
}

let shownJob: string | null = null;

/** "Try with demo data": the first-run shortcut to a populated store. */
export const useDemoStore = create<DemoState>()((set, get) => ({
  starting: false,
  jobId: null,
  error: null,
  reportOpen: false,
  start: async () => {
    if (get().starting) return;
    set({ starting: true, error: null, reportOpen: false });
    const result = await call('demo:start', {});
    if (!result.ok) {
      set({ starting: false, error: result.error });
      return;
    }
    useRealmsStore.getState().upsert(result.value.realm);
    // Known before tracking: a job that already finished then still wakes the watcher below.
    set({ starting: false, jobId: result.value.job.id });
    useJobsStore.getState().track(result.value.job);
  },
  dismissReport: () => set({ reportOpen: false }),
  watch: () =>
    useJobsStore.subscribe(({ jobs }) => {
      const { jobId } = get();
      const job = jobId ? jobs[jobId] : undefined;
      if (!job || job.state !== 'done' || shownJob === job.id) return;
      shownJob = job.id;
      set({ reportOpen: true });
      // The users arrived: show them (the list refetches on users:changed too; this makes sure).
      useUsersListStore.getState().refresh();
      useAppStore.getState().go('users');
    }),
}));

/** Forgets the demo run (tests). */
export function resetDemo(): void {
  shownJob = null;
  useDemoStore.setState({ starting: false, jobId: null, error: null, reportOpen: false });
}

/** The demo run's state. */
export const useDemo = () => useDemoStore(useShallow((s) => ({ starting: s.starting, jobId: s.jobId, error: s.error, reportOpen: s.reportOpen })));

/** The demo actions (stable references). */
export const useDemoActions = () => useDemoStore(useShallow((s) => ({ start: s.start, dismissReport: s.dismissReport, watch: s.watch })));
