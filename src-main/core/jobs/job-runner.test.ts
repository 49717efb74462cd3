import { describe, expect, it } from 'vitest';
import { RosterError } from '#shared/result';
import { AppEvents } from '../events';
import { JobRunner } from './job-runner';

/** Work that marks two points and records how far it got. */
const work = (steps: string[]) => async (context: { signal: AbortSignal; reached(point: string): Promise<void> }) => {
  steps.push('start');
  await context.reached('middle');
  if (context.signal.aborted) throw new RosterError('cancelled', 'Stopped in the middle.');
  steps.push('after middle');
  await context.reached('end');
  steps.push('end');
  return {};
};

describe('JobRunner holds', () => {
  it('runs straight through where no test holds it', async () => {
    const runner = new JobRunner(new AppEvents());
    const steps: string[] = [];
    const job = runner.startWith('export', '', work(steps));
    expect((await runner.wait(job.id)).state).toBe('done');
    expect(steps).toEqual(['start', 'after middle', 'end']);
  });

  it('keeps the next job of the kind at the point until released, then only that once', async () => {
    const runner = new JobRunner(new AppEvents());
    const held = runner.hold('export', 'middle');
    const steps: string[] = [];
    const job = runner.startWith('export', '', work(steps));
    expect((await held.reached).id).toBe(job.id);
    expect([steps, runner.get(job.id).state]).toEqual([['start'], 'running']);
    held.release();
    expect((await runner.wait(job.id)).state).toBe('done');
    expect(steps).toEqual(['start', 'after middle', 'end']);
    const again: string[] = [];
    await runner.wait(runner.startWith('export', '', work(again)).id);
    expect(again).toEqual(['start', 'after middle', 'end']);
  });

  it('lets a held job go on when it is cancelled, so it stops where it was held', async () => {
    const runner = new JobRunner(new AppEvents());
    const held = runner.hold('export', 'middle');
    const steps: string[] = [];
    const job = runner.startWith('export', '', work(steps));
    await held.reached;
    runner.cancel(job.id);
    const ended = await runner.wait(job.id);
    expect([ended.state, ended.error?.message, steps]).toEqual(['cancelled', 'Stopped in the middle.', ['start']]);
  });

  it('holds only jobs of its kind', async () => {
    const runner = new JobRunner(new AppEvents());
    runner.hold('import', 'middle');
    const steps: string[] = [];
    expect((await runner.wait(runner.startWith('export', '', work(steps)).id)).state).toBe('done');
  });
});
