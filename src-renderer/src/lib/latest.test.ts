import { describe, expect, it } from 'vitest';
import { latestOnly } from './latest';

describe('latestOnly (stale answers are dropped)', () => {
  it('keeps only the newest ticket current', () => {
    const loads = latestOnly();
    const first = loads.next();
    expect(loads.isCurrent(first)).toBe(true);
    const second = loads.next();
    expect(loads.isCurrent(first)).toBe(false);
    expect(loads.isCurrent(second)).toBe(true);
    expect(loads.isCurrent(second)).toBe(true); // checking does not use it up (a ticket checked after several awaits)
  });

  it('lets a slower first answer be dropped when it arrives after the second', async () => {
    const loads = latestOnly();
    let shown = 'nothing';
    const answers: Array<(value: string) => void> = [];
    const load = async () => {
      const ticket = loads.next();
      const value = await new Promise<string>((resolve) => answers.push(resolve));
      if (loads.isCurrent(ticket)) shown = value;
    };
    const first = load();
    const second = load();
    answers[1]!('second');
    await second;
    answers[0]!('first');
    await first;
    expect(shown).toBe('second');
  });

  it('invalidate makes every ticket stale until the next one', () => {
    const loads = latestOnly();
    const before = loads.next();
    loads.invalidate();
    expect(loads.isCurrent(before)).toBe(false);
    loads.invalidate();
    expect(loads.isCurrent(before)).toBe(false);
    const after = loads.next();
    expect(loads.isCurrent(after)).toBe(true);
    expect(loads.isCurrent(before)).toBe(false);
  });

  it('never takes a ticket for one made by another instance, or one from before, however many came since', () => {
    const a = latestOnly();
    const b = latestOnly();
    const fromA = a.next();
    b.next();
    expect(b.isCurrent(fromA)).toBe(false);
    // A counter reset to 0 would hand out an old number again: tickets never repeat.
    const old = a.next();
    a.invalidate();
    for (let i = 0; i < 3; i++) a.next();
    expect(a.isCurrent(old)).toBe(false);
  });
});
