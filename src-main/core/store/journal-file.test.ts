import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonLines, serialiseOnce } from './journal-file';

const text = (bytes: Buffer) => bytes.toString('utf8');

describe('jsonLines with objects serialised once', () => {
  it('writes a record holding marked objects, and then the objects on their own, exactly as JSON.stringify does (property)', () => {
    fc.assert(
      fc.property(
        fc.record({ seq: fc.integer(), ops: fc.array(fc.jsonValue()), audit: fc.array(fc.object(), { minLength: 1 }) }),
        fc.dictionary(fc.string(), fc.anything()),
        (base, extra) => {
          const record = { ...extra, ...base };
          serialiseOnce(record.audit);
          expect(text(jsonLines([record]))).toBe(`${JSON.stringify(record)}\n`);
          expect(text(jsonLines(record.audit))).toBe(`${record.audit.map((e) => JSON.stringify(e)).join('\n')}\n`);
          // Taken once: a second write of the same objects is serialised afresh, and still exact.
          expect(text(jsonLines(record.audit))).toBe(`${record.audit.map((e) => JSON.stringify(e)).join('\n')}\n`);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('leaves out what JSON.stringify leaves out, and keeps the key order', () => {
    const entry = { seq: 1, at: 'now', note: undefined, changes: [{ field: 'é', before: '', after: '"🙂"' }] };
    const record = { b: 1, skip: undefined, fn: () => 1, audit: [entry, undefined], a: [NaN, Infinity], z: { nested: [entry] } };
    serialiseOnce([entry]);
    expect(text(jsonLines([record]))).toBe(`${JSON.stringify(record)}\n`);
    expect(text(jsonLines([entry]))).toBe(`${JSON.stringify(entry)}\n`);
    // Only that next write takes the remembered text: later writes serialise the object as it is then.
    entry.at = 'later';
    expect(text(jsonLines([entry]))).toBe(`${JSON.stringify(entry)}\n`);
  });
});
