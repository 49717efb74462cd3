import { randomUUID } from 'node:crypto';
import type { Job, JobKind, SyncSummary } from '../../../src-shared/model/sync';
import { RosterError } from '../../../src-shared/result';
import type { AppEvents } from '../events';

/** What a job's work reports as it goes. */
export interface JobContext {
  signal: AbortSignal;
  progress(done: number, total: number, phase: string): void;
  /** Says what the store holds if the job stops now (shown when it fails or is cancelled). */
  setConsistency(text: string): void;
}

/** What a finished job carries. */
export type JobOutcome = Partial<Pick<Job, 'summary' | 'export'>>;

/** How often progress events may go out: enough for a smooth bar, not a flood. */
const PROGRESS_INTERVAL_MS = 100;
/** Finished jobs kept for `jobs:list`. */
const KEEP_FINISHED = 20;

/**
 * Long work as jobs: `start` returns at once with the job; progress goes out as `jobs:progress`, state
 * changes as `jobs:changed`; `cancel` aborts through the job's AbortSignal; `wait` resolves when it ends.
 */
export class JobRunner {
  private readonly jobs = new Map<string, { job: Job; controller: AbortController; done: Promise<Job> }>();

  constructor(
    private readonly events: AppEvents,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Starts sync work (import, resync, reconcile) as a job whose outcome is a sync summary. */
  start(kind: JobKind, realmId: string, work: (context: JobContext) => Promise<SyncSummary>): Job {
    return this.startWith(kind, realmId, async (context) => ({ summary: await work(context) }));
  }

  /** Starts work as a job; what the work returns (a summary, an export result) is put on the finished job. */
  startWith(kind: JobKind, realmId: string, work: (context: JobContext) => Promise<JobOutcome>): Job {
    const controller = new AbortController();
    const job: Job = { id: randomUUID(), kind, realmId, state: 'running', done: 0, total: 0, phase: 'Starting', startedAt: this.now().toISOString() };
    let lastEmit = 0;
    const context: JobContext = {
      signal: controller.signal,
      progress: (done, total, phase) => {
        Object.assign(job, { done, total, phase });
        const at = Date.now();
        if (at - lastEmit >= PROGRESS_INTERVAL_MS || done === total) {
          lastEmit = at;
          this.events.emit('jobs:progress', { jobId: job.id, done, total, phase });
        }
      },
      setConsistency: (text) => {
        job.consistency = text;
      },
    };
    const done = (async () => {
      // Let the caller get the job before work (and its first events) begins.
      await Promise.resolve();
      try {
        Object.assign(job, await work(context));
        job.state = 'done';
        delete job.consistency;
      } catch (error) {
        const cancelled = controller.signal.aborted || (error instanceof RosterError && error.code === 'cancelled');
        job.state = cancelled ? 'cancelled' : 'failed';
        job.error =
          error instanceof RosterError ? error.toAppError() : { code: 'internal', message: `Unexpected error: ${(error as Error)?.message ?? String(error)}` };
        // A cancelled job keeps a message of its own ("no file was written"); anything else just says so.
        if (cancelled && !(error instanceof RosterError && error.code === 'cancelled')) job.error = { code: 'cancelled', message: 'Cancelled.' };
      }
      job.finishedAt = this.now().toISOString();
      this.events.emit('jobs:changed', { job: { ...job } });
      this.prune();
      return { ...job };
    })();
    this.jobs.set(job.id, { job, controller, done });
    this.events.emit('jobs:changed', { job: { ...job } });
    return { ...job };
  }

  private prune(): void {
    const finished = [...this.jobs.values()].filter((j) => j.job.state !== 'running');
    for (const old of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(old.job.id);
  }

  private entry(id: string) {
    const entry = this.jobs.get(id);
    if (!entry) throw new RosterError('not-found', `There is no job ${id}; finished jobs are kept for a while only.`);
    return entry;
  }

  /** A job's current state. */
  get(id: string): Job {
    return { ...this.entry(id).job };
  }

  /** Running and recent jobs, newest first. */
  list(): Job[] {
    return [...this.jobs.values()].map((e) => ({ ...e.job })).reverse();
  }

  /** Asks a job to stop; it stops at its next batch boundary. */
  cancel(id: string): Job {
    const entry = this.entry(id);
    if (entry.job.state === 'running') entry.controller.abort();
    return { ...entry.job };
  }

  /** Resolves with the job once it has ended. */
  wait(id: string): Promise<Job> {
    return this.entry(id).done;
  }

  /** Cancels every running job and waits for them (on quit). */
  async stopAll(): Promise<void> {
    const running = [...this.jobs.values()].filter((e) => e.job.state === 'running');
    for (const e of running) e.controller.abort();
    await Promise.all(running.map((e) => e.done));
  }
}
