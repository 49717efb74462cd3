import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyRuns, propertyTimeout } from '../testing/property-runs';
import { normalizeDn } from './dn';

/*
 * normalizeDn, by property: any value escaped into a DN in any of the ways RFC 4514 allows (a backslash
 * before a special character, hex pairs of its UTF-8 bytes in either case, a mix, spaces around the
 * separators, the attribute type in any case) normalises to the same string; different values never do;
 * and normalising is idempotent.
 */

/** Characters RFC 4514 makes special somewhere in a value, and others that tempt a parser. */
const SPECIALS = [',', '+', '"', '\\', '<', '>', ';', '=', '#', ' ', '\u0000', '\t', '\u00a0', 'Σ', 'İ', 'ß', '😀', 'é', 'E\u0301'];
const hasLoneSurrogate = (s: string) => /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
const value = fc
  .oneof(
    fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }),
    fc.array(fc.oneof(fc.constantFrom(...SPECIALS), fc.string({ unit: 'binary-ascii', maxLength: 3 })), { minLength: 1, maxLength: 8 }).map((p) => p.join('')),
  )
  .filter((v) => v !== '' && !hasLoneSurrogate(v));
const type = fc.oneof(fc.constantFrom('cn', 'ou', 'dc', 'uid', 'o', 'l'), fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9-]{0,6}$/));

/** An attribute value assertion: type and value, as the directory holds them. */
interface Ava {
  type: string;
  value: string;
}
/** A DN as data: RDNs of one or more AVAs (multi-valued RDNs joined by +). */
const dnData = fc.array(fc.array(fc.record({ type, value }), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 });

const hex = (c: string, upper: boolean) =>
  [...Buffer.from(c, 'utf8')].map((b) => `\\${b.toString(16).padStart(2, '0')[upper ? 'toUpperCase' : 'toLowerCase']()}`).join('');

/** How each character of a value is written. */
type Style = 'minimal' | 'hex' | 'HEX' | 'backslash';
const ESCAPED = new Set([',', '+', '"', '\\', '<', '>', ';', '=']);

/** A value written out: `styleAt(i)` chooses per character; specials and edge spaces are always escaped somehow. */
function writeValue(v: string, styleAt: (i: number) => Style): string {
  const chars = [...v];
  return chars
    .map((c, i) => {
      const style = styleAt(i);
      const edge = (i === 0 && (c === ' ' || c === '#')) || (i === chars.length - 1 && c === ' ');
      const mustEscape = ESCAPED.has(c) || edge || c === '\u0000';
      if (style === 'hex' || style === 'HEX') return hex(c, style === 'HEX');
      if (!mustEscape) return c;
      // A backslash before the character itself where RFC 4514 allows it; NUL only as a hex pair.
      return c === '\u0000' ? '\\00' : `\\${c}`;
    })
    .join('');
}

/** A whole DN written out with per-character styles, spaces around separators and type case from `choices`. */
function writeDn(rdns: Ava[][], choices: { style: (i: number) => Style; spaced: boolean; upper: boolean }): string {
  const sp = choices.spaced ? ' ' : '';
  let n = 0;
  return rdns
    .map((avas) =>
      avas
        .map((ava) => {
          const start = n;
          n += [...ava.value].length;
          const written = writeValue(ava.value, (i) => choices.style(start + i));
          return `${choices.upper ? ava.type.toUpperCase() : ava.type}${sp}=${sp}${written}`;
        })
        .join(`${sp}+${sp}`),
    )
    .join(`${sp},${sp}`);
}

const styles = fc.array(fc.constantFrom<Style>('minimal', 'hex', 'HEX', 'backslash'), { minLength: 1, maxLength: 64 });
const spelling = fc.record({ styles, spaced: fc.boolean(), upper: fc.boolean() }).map(({ styles: s, spaced, upper }) => ({
  style: (i: number) => s[i % s.length]!,
  spaced,
  upper,
}));

/** The DN data as a person would compare it: types and values case-insensitively, AVAs of an RDN in any order. */
const meaning = (rdns: Ava[][]) => JSON.stringify(rdns.map((avas) => avas.map((a) => `${a.type.toLowerCase()}=${a.value.toLowerCase()}`).sort()));

describe('normalizeDn (property)', () => {
  it(
    'gives one result for every spelling of the same DN',
    () => {
      fc.assert(
        fc.property(dnData, spelling, spelling, (rdns, a, b) => {
          const minimal = writeDn(rdns, { style: () => 'minimal', spaced: false, upper: false });
          const expected = normalizeDn(minimal);
          expect(normalizeDn(writeDn(rdns, a))).toBe(expected);
          expect(normalizeDn(writeDn(rdns, b))).toBe(expected);
          // The AVAs of a multi-valued RDN in another order: the same name.
          const reordered = rdns.map((avas) => [...avas].reverse());
          expect(normalizeDn(writeDn(reordered, a))).toBe(expected);
        }),
        { numRuns: propertyRuns(1000) },
      );
    },
    propertyTimeout(),
  );

  it(
    'keeps DNs that differ in meaning apart',
    () => {
      fc.assert(
        fc.property(dnData, dnData, spelling, (x, y, s) => {
          fc.pre(meaning(x) !== meaning(y));
          expect(normalizeDn(writeDn(x, s))).not.toBe(normalizeDn(writeDn(y, s)));
        }),
        { numRuns: propertyRuns(1000) },
      );
    },
    propertyTimeout(),
  );

  it(
    'is idempotent, for written DNs and for any string at all',
    () => {
      fc.assert(
        fc.property(fc.oneof(fc.tuple(dnData, spelling).map(([rdns, s]) => writeDn(rdns, s)), fc.string({ unit: 'binary' })), (dn) => {
          const once = normalizeDn(dn);
          expect(normalizeDn(once)).toBe(once);
        }),
        { numRuns: propertyRuns(1000) },
      );
    },
    propertyTimeout(),
  );
});
