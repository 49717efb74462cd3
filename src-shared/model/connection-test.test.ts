import { describe, expect, it } from 'vitest';
import { coverageLine, coverageText, coverageWarnings, type FieldCoverage } from './connection-test';

const field = (over: Partial<FieldCoverage>): FieldCoverage => ({
  field: 'displayName',
  label: 'Full name',
  required: true,
  sources: ['displayName', 'cn', 'givenName+sn'],
  counts: [],
  empty: 0,
  ...over,
});

describe('coverage lines', () => {
  it('names the first source with "of N have", later ones with "gives", then the empties', () => {
    const f = field({
      counts: [
        { source: 'displayName', count: 0 },
        { source: 'cn', count: 180 },
        { source: 'givenName+sn', count: 0 },
      ],
      empty: 20,
    });
    expect(coverageLine(f, 200)).toBe('Full name: 0 of 200 have displayName; cn gives 180; givenName+sn gives 0; 20 stay empty');
  });

  it('speaks of one user in the singular, and of a field without sources as not mapped', () => {
    expect(coverageText(field({ counts: [{ source: 'displayName', count: 1 }], empty: 1 }), 2)).toBe('1 of 2 has displayName; 1 stays empty');
    expect(coverageText(field({ sources: [], empty: 2 }), 2)).toBe('not mapped');
  });

  it('lists the warnings in field order', () => {
    const coverage = {
      sampled: 2,
      cap: 200,
      more: false,
      fields: [field({ warning: 'A.' }), field({ field: 'email' }), field({ field: 'title', warning: 'B.' })],
    };
    expect(coverageWarnings(coverage)).toEqual(['A.', 'B.']);
  });
});
