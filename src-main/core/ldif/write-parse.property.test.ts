import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldLine, ldifLine } from '../export/ldif';
import { BINARY_ATTRIBUTES, type LdapEntry } from '../ldap/search';
import { propertyRuns, propertyTimeout } from '../testing/property-runs';
import { dnWithVisibleEscapes } from '../visible-text';
import { LdifParser, parseLdif } from './parse';

/*
 * LDIF write -> parse, by property: entries written with the export's own line writer (`ldifLine`: plain
 * when RFC 2849 allows, base64 otherwise, folded at 76 bytes) come back from the parser exactly: every text
 * value (empty, leading or trailing spaces, ':' '<' first, CR, LF, NUL, any Unicode), every binary value
 * byte for byte, attribute order and repeated values kept; whatever the line ends (LF or CRLF) and wherever
 * the bytes are cut into chunks. The DN comes back as written, with control and bidi characters as their
 * RFC 4514 escapes (the parser's documented protection; the same name to LDAP).
 */

const hasLoneSurrogate = (s: string) => /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
/** Starts and characters that decide between plain and base64, or that a line reader could trip on. */
const TRICKY = [' ', ':', '<', '\r', '\n', '\r\n', '\u0000', '#', '-', '=', '\u2028', '\u202e', '\u00e9', '😀', '\t', '\u007f', '\u0085'];
const text = fc
  .oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: 'binary-ascii', maxLength: 200 }),
    fc.array(fc.oneof(fc.constantFrom(...TRICKY), fc.string({ maxLength: 4 })), { maxLength: 10 }).map((p) => p.join('')),
  )
  .filter((s) => !hasLoneSurrogate(s));
/** Attribute names the parser reads as data (not `dn`, `changetype` or `control`, not the binary ones). */
const RESERVED = new Set(['dn', 'changetype', 'control', 'version', ...BINARY_ATTRIBUTES.map((a) => a.toLowerCase())]);
const name = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9-]{0,12}$/).filter((n) => !RESERVED.has(n.toLowerCase()));

interface Written {
  dn: string;
  /** In the order written; names distinct ignoring case. */
  attributes: [string, string[]][];
  binary: [string, Buffer[]][];
}

const entry: fc.Arbitrary<Written> = fc.record({
  dn: text.filter((dn) => dn !== ''),
  attributes: fc.uniqueArray(fc.tuple(name, fc.array(text, { minLength: 1, maxLength: 4 })), {
    maxLength: 6,
    selector: ([n]) => n.toLowerCase(),
  }),
  binary: fc.uniqueArray(
    fc.tuple(
      fc.constantFrom(...BINARY_ATTRIBUTES),
      fc.array(
        fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)),
        { minLength: 1, maxLength: 2 },
      ),
    ),
    { maxLength: 2, selector: ([n]) => n },
  ),
});

/** One content record as an export would write it: the export's line writer for text, base64 for bytes. */
function write(e: Written): string {
  const lines = [ldifLine('dn', e.dn)];
  for (const [n, values] of e.attributes) for (const v of values) lines.push(ldifLine(n, v));
  for (const [n, values] of e.binary) for (const v of values) lines.push(foldLine(`${n}:: ${v.toString('base64')}`));
  return `${lines.join('\n')}\n\n`;
}

/** What the parser must give back for an entry. */
const expected = (e: Written): LdapEntry => ({
  dn: dnWithVisibleEscapes(e.dn),
  text: Object.fromEntries(e.attributes.map(([n, values]) => [n.toLowerCase(), values])),
  binary: Object.fromEntries(e.binary.map(([n, values]) => [n.toLowerCase(), values])),
});

describe('LDIF write -> parse (property)', () => {
  it(
    'gives back every entry exactly, with LF or CRLF line ends, whole or in chunks cut anywhere',
    () => {
      fc.assert(
        fc.property(fc.array(entry, { minLength: 1, maxLength: 5 }), fc.boolean(), fc.array(fc.nat(), { maxLength: 8 }), (entries, crlf, cuts) => {
          let ldif = `version: 1\n\n# Written by a test\n${entries.map(write).join('')}`;
          // Line ends only: the values that hold CR or LF are base64, so no line content changes.
          if (crlf) ldif = ldif.replace(/\n/g, '\r\n');
          const bytes = Buffer.from(ldif, 'utf8');
          const whole = parseLdif(bytes);
          expect(whole.entries).toEqual(entries.map(expected));
          expect(whole.skipped).toBe(0);
          expect(whole.warnings).toEqual([]);

          const parser = new LdifParser();
          const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          let from = 0;
          for (const to of [...at, bytes.length]) {
            parser.push(bytes.subarray(from, to));
            from = to;
          }
          expect(parser.end().entries).toEqual(entries.map(expected));
        }),
        { numRuns: propertyRuns(300) },
      );
    },
    propertyTimeout(),
  );

  it(
    'writes plain exactly the values RFC 2849 allows plain (SAFE-STRING, no trailing space), base64 the rest',
    () => {
      // RFC 2849: SAFE-CHAR is any ASCII but NUL, LF, CR; SAFE-INIT-CHAR also excludes space, ':' and '<'.
      // eslint-disable-next-line no-control-regex -- the spec's character ranges
      const safe = (v: string) => v === '' || (/^[\x01-\x7f]*$/.test(v) && !/[\n\r]/.test(v) && !/^[ :<]/.test(v) && !v.endsWith(' '));
      fc.assert(
        fc.property(name, text, (n, v) => {
          const line = ldifLine(n, v).replace(/\n /g, '');
          if (safe(v)) expect(line).toBe(`${n}: ${v}`);
          else expect(line).toBe(`${n}:: ${Buffer.from(v, 'utf8').toString('base64')}`);
        }),
        { numRuns: propertyRuns(2000) },
      );
    },
    propertyTimeout(),
  );
});
