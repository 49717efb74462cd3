import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonText, jsonArray, jsonLines, serialiseOnce } from './journal-file';

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

  it('writes a line given in parts as those parts joined, beside ordinary records, and jsonArray marks like a record does', () => {
    const entry = { seq: 7, imported: { title: 'Ünïcode "quoted"\n' } };
    serialiseOnce([entry]);
    const parts = ['{"seq":3,"ops":[', '{"put":', JSON.stringify({ id: 'a' }), '}', ']', ',"audit":', jsonArray([entry]), '}'];
    const written = text(jsonLines([{ first: true }, new JsonText(parts), 'last']));
    expect(written).toBe(`{"first":true}\n${parts.join('')}\n"last"\n`);
    expect(JSON.parse(written.split('\n')[1]!)).toEqual({ seq: 3, ops: [{ put: { id: 'a' } }], audit: [entry] });
    // The audit entry's text made inside the array is the one its own line takes.
    expect(text(jsonLines([entry]))).toBe(`${JSON.stringify(entry)}\n`);
  });
});
