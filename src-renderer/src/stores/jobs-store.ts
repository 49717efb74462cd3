import { create } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { EventMap } from '#shared/ipc/contract';
import type { Job, JobState } from '#shared/model/sync';
import type { AppError } from '#shared/result';
import { call, subscribe } from '../api';
import { latestOnly } from '../lib/latest';

type Progress = EventMap['jobs:progress'];

interface JobsState {
  /** Every job main told us about, by id (running and finished). */
  jobs: Record<string, Job>;
  loaded: boolean;
  loadError: AppError | null;
  /** The last failed cancel per job, shown beside its progress bar. */
  cancelErrors: Record<string, AppError>;
  load(): Promise<void>;
  /** Records a job a store action just started (the answer of `import:run`, `demo:start`…). */
  track(job: Job): void;
  cancel(id: string): Promise<AppError | null>;
  /** Follows `jobs:progress` and `jobs:changed`; returns the unsubscribe function. */
  watch(): () => void;
}

/** Whether a job stopped (for good or bad). */
export const isFinished = (state: JobState) => state !== 'running';

/** A job's progress in whole percent (0 while the total is unknown). */
export const jobPercent = (job: Pick<Job, 'done' | 'total'>) =>
  job.total > 0 ? Math.min(100, Math.floor((job.done / job.total) * 100)) : 0;

/**
 * Merges what we know of a job with newer news about it. Events and answers race (a progress event can
 * overtake the `import:run` answer that announces the job, `jobs:changed` can overtake the last progress),
 * so a finished job never goes back to running and progress never goes backwards while running.
 */
export function mergeJob(known: Job | undefined, next: Job): Job {
  if (!known) return next;
  if (isFinished(known.state) && !isFinished(next.state)) return known;
  if (!isFinished(next.state) && next.done < known.done) return { ...next, done: known.done, total: known.total, phase: known.phase };
  return next;
}

/** Applies a progress event to a running job (ignored once the job finished). */
export function applyProgress(known: Job, { done, total, phase }: Progress): Job {
  if (isFinished(known.state) || done < known.done) return known;
  return { ...known, done, total, phase };
}

// Progress for a job we have not heard of yet (its start answer is still on its way), kept until it is tracked.
const early = new Map<string, Progress>();
// Two loads can overlap (start-up and a reconnect); only the newest answer may win.
const loads = latestOnly();

/** Background jobs (import, resync, reconcile) with their live progress. */
export const useJobsStore = create<JobsState>()((set, get) => ({
  jobs: {},
  loaded: false,
  loadError: null,
  cancelErrors: {},
  load: async () => {
    const ticket = loads.next();
    const result = await call('jobs:list', {});
    if (!loads.isCurrent(ticket)) return;
    if (!result.ok) {
      set({ loaded: true, loadError: result.error });
      return;
    }
    set(({ jobs }) => {
      const next = { ...jobs };
      for (const job of result.value) next[job.id] = mergeJob(next[job.id], job);
      return { jobs: next, loaded: true, loadError: null };
    });
  },
  track: (job) =>
    set(({ jobs }) => {
      let merged = mergeJob(jobs[job.id], job);
      const pending = early.get(job.id);
      if (pending) {
        early.delete(job.id);
        merged = applyProgress(merged, pending);
      }
      return { jobs: { ...jobs, [job.id]: merged } };
    }),
  cancel: async (id) => {
    set(({ cancelErrors }) => {
      const { [id]: _dropped, ...rest } = cancelErrors;
      return { cancelErrors: rest };
    });
    const result = await call('jobs:cancel', { id });
    if (result.ok) {
      get().track(result.value);
      return null;
    }
    set(({ cancelErrors }) => ({ cancelErrors: { ...cancelErrors, [id]: result.error } }));
    return result.error;
  },
  watch: () => {
    const offProgress = subscribe('jobs:progress', (progress) => {
      const known = get().jobs[progress.jobId];
      if (!known) {
        early.set(progress.jobId, progress);
        return;
      }
      const next = applyProgress(known, progress);
      if (next !== known) set(({ jobs }) => ({ jobs: { ...jobs, [next.id]: next } }));
    });
    const offChanged = subscribe('jobs:changed', ({ job }) => get().track(job));
    return () => {
      offProgress();
      offChanged();
    };
  },
}));

/** One job by id (undefined until main tells about it). */
export const useJob = (id: string | null | undefined) => useJobsStore((s) => (id ? s.jobs[id] : undefined));

/** The jobs still running, oldest first. */
export const useRunningJobs = () =>
  useJobsStore(
    useShallow((s) =>
      Object.values(s.jobs)
        .filter((j) => j.state === 'running')
        .sort((a, b) => a.startedAt.localeCompare(b.startedAt)),
    ),
  );

/** The last failed cancel of a job, if any. */
export const useCancelError = (id: string | null | undefined) => useJobsStore((s) => (id ? s.cancelErrors[id] : undefined));

/** The jobs actions, for components (stable references). */
export const useJobsActions = () =>
  useJobsStore(useShallow((s) => ({ load: s.load, track: s.track, cancel: s.cancel, watch: s.watch })));

/** Forgets every job (tests). */
export function resetJobs() {
  early.clear();
  loads.invalidate();
  useJobsStore.setState({ jobs: {}, loaded: false, loadError: null, cancelErrors: {} });
}
