import { randomUUID } from 'node:crypto';
import type { Job, JobKind, SyncSummary } from '#shared/model/sync';
import { RosterError } from '#shared/result';
import type { AppEvents } from '../events';

/** What a job's work reports as it goes. */
export interface JobContext {
  signal: AbortSignal;
  progress(done: number, total: number, phase: string): void;
  /** Says what the store holds if the job stops now (shown when it fails or is cancelled). */
  setConsistency(text: string): void;
  /**
   * Marks a named point of the work (an export's `written`: every file written, none in place yet). It
   * returns at once unless a test holds jobs of this kind there (`JobRunner.hold`), so tests can act on a
   * job at a known point instead of racing it.
   */
  reached(point: string): Promise<void>;
}

/** A hold a test put on the next job of a kind at a point: when it got there, and how to let it go on. */
export interface JobHold {
  /** Resolves with the job once it waits at the point. */
  reached: Promise<Job>;
  release(): void;
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
  private readonly holds = new Map<string, { arrive(job: Job): void; released: Promise<void> }>();

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
      reached: async (point) => {
        const key = `${kind}:${point}`;
        const hold = this.holds.get(key);
        if (!hold) return;
        this.holds.delete(key);
        hold.arrive({ ...job });
        // A cancel lets a held job go on, so it stops the way it would have at that point.
        const aborted = new Promise<void>((resolve) => controller.signal.addEventListener('abort', () => resolve(), { once: true }));
        await Promise.race([hold.released, aborted]);
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

  /**
   * For tests: the next job of `kind` to reach `point` waits there until released or cancelled. Nothing
   * in the app calls this; without a hold, `reached` costs one map lookup.
   */
  hold(kind: JobKind, point: string): JobHold {
    let arrive!: (job: Job) => void;
    let release!: () => void;
    const reached = new Promise<Job>((resolve) => (arrive = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.holds.set(`${kind}:${point}`, { arrive, released });
    return { reached, release };
  }

  /** Cancels every running job and waits for them (on quit). */
  async stopAll(): Promise<void> {
    const running = [...this.jobs.values()].filter((e) => e.job.state === 'running');
    for (const e of running) e.controller.abort();
    await Promise.all(running.map((e) => e.done));
  }
}
