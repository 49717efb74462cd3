import fc from 'fast-check';
import { FilterParser } from 'ldapts';
import { describe, expect, it } from 'vitest';
import { checkLdapFilter } from '#shared/model/ldap-filter';
import { propertyRuns, propertyTimeout } from '../testing/property-runs';

/*
 * Roster's filter check (src-shared, usable where ldapts cannot be imported) against ldapts' own parser, which
 * is what finally turns a filter into bytes: filters built from the RFC 4515 grammar pass both; filters built
 * with one defect fail both; and whatever the check lets through, ldapts can parse (the check is the stricter).
 */

const ldaptsParses = (filter: string): boolean => {
  try {
    FilterParser.parseString(filter.trim());
    return true;
  } catch {
    return false;
  }
};

const descr = fc
  .tuple(fc.constantFrom(...'aAzZcmsu'), fc.string({ unit: fc.constantFrom(...'abcXYZ019-'), maxLength: 8 }))
  .map(([head, tail]) => head + tail);
const numericoid = fc.array(fc.nat({ max: 1200 }), { minLength: 2, maxLength: 6 }).map((parts) => parts.join('.'));
const escape = fc.tuple(fc.constantFrom(...'0123456789abcdefABCDEF'), fc.constantFrom(...'0123456789abcdefABCDEF')).map(([a, b]) => `\\${a}${b}`);
/** An assertion value: plain characters (anything but NUL ( ) * \) and escapes. */
const value = fc
  .array(fc.oneof(escape, fc.string({ unit: fc.constantFrom(...'az AZ09.,@-_=:;!&|~<>+éü€😀'), minLength: 1, maxLength: 4 })), { maxLength: 4 })
  .map((parts) => parts.join(''));
const substring = fc
  .tuple(value, fc.array(value, { maxLength: 3 }), value)
  .map(([initial, any, final]) => `${initial}*${any.map((a) => `${a}*`).join('')}${final}`);
const extensible = fc
  .tuple(fc.option(descr, { nil: undefined }), fc.boolean(), fc.option(fc.oneof(descr, numericoid), { nil: undefined }), value)
  .filter(([attribute, , rule]) => attribute !== undefined || rule !== undefined)
  .map(([attribute, dn, rule, v]) => `${attribute ?? ''}${dn ? ':dn' : ''}${rule ? `:${rule}` : ''}:=${v}`);
const item = fc.oneof(
  fc.tuple(descr, fc.constantFrom('=', '>=', '<=', '~='), value).map(([a, op, v]) => `${a}${op}${v}`),
  descr.map((a) => `${a}=*`),
  fc.tuple(descr, substring).map(([a, s]) => `${a}=${s}`),
  extensible,
);

/** Well-formed filters, nested up to a few levels. */
const { filter: wellFormed } = fc.letrec<{ filter: string }>((tie) => ({
  filter: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    item.map((i) => `(${i})`),
    fc.tuple(fc.constantFrom('&', '|'), fc.array(tie('filter'), { minLength: 1, maxLength: 3 })).map(([op, fs]) => `(${op}${fs.join('')})`),
    tie('filter').map((f) => `(!${f})`),
  ),
}));

/** One defective condition, and what the check must call it. */
const defect = fc.oneof(
  fc.tuple(descr, value, fc.constantFrom('zz', 'g1', '2', '')).map(([a, v, bad]) => ({ text: `(${a}=${v}\\${bad})`, kind: 'bad-escape' })),
  value.map((v) => ({ text: `(=${v})`, kind: 'missing-attribute' })),
  fc.tuple(descr, fc.constantFrom('!=', '>', '<', '~', ''), value).map(([a, op, v]) => ({ text: op === '' ? `(${a})` : `(${a}${op}x${v})`, kind: 'bad-operator' })),
  fc.constantFrom('()', '(&)', '(|)').map((text) => ({ text, kind: 'empty-component' })),
  fc.tuple(descr, value, value).map(([a, v, w]) => ({ text: `(${a}=${v}(${w})`, kind: 'bad-value' })),
  fc.tuple(descr, fc.constantFrom('>=', '<=', '~='), value).map(([a, op, v]) => ({ text: `(${a}${op}${v}(x)`, kind: 'bad-value' })),
);

/** A well-formed filter with one defect placed somewhere inside it. */
const malformed = fc
  .tuple(wellFormed, defect, fc.nat(), fc.constantFrom('&', '|'))
  .map(([good, bad, at, op]) => {
    // Put the defect beside one of the good filter's conditions, inside an & or | that holds both.
    const starts = [...good.matchAll(/\((?![&|!])/g)].map((m) => m.index);
    const where = starts[at % starts.length]!;
    return { text: `${good.slice(0, where)}(${op}${bad.text}${good.slice(where, good.indexOf(')', where) + 1)})${good.slice(good.indexOf(')', where) + 1)}`, kind: bad.kind };
  });

describe('checkLdapFilter against ldapts FilterParser', () => {
  it('accepts every filter built from the RFC 4515 grammar, and ldapts parses each', () => {
    fc.assert(
      fc.property(wellFormed, fc.boolean(), (filter, spaces) => {
        const typed = spaces ? `  ${filter} ` : filter;
        expect(checkLdapFilter(typed)).toBeUndefined();
        expect(ldaptsParses(typed)).toBe(true);
      }),
      { numRuns: propertyRuns(400) },
    );
  }, propertyTimeout());

  it('refuses a filter with one defective condition, saying what it is, and ldapts refuses it too', () => {
    fc.assert(
      fc.property(malformed, ({ text, kind }) => {
        const problem = checkLdapFilter(text);
        expect(problem?.kind).toBe(kind);
        expect(problem?.message).toMatch(/character \d+/);
        expect(ldaptsParses(text)).toBe(false);
      }),
      { numRuns: propertyRuns(400) },
    );
  }, propertyTimeout());

  it('lets through only what ldapts can parse, whatever is typed', () => {
    const bits = fc.constantFrom('(', ')', '&', '|', '!', '=', '*', '\\', '\\2a', '>=', '<=', '~=', ':', ':dn', ':=', ';', ' ', 'cn', 'x', '1.2', '\u0000', 'é');
    fc.assert(
      fc.property(fc.array(bits, { minLength: 1, maxLength: 14 }), (parts) => {
        const text = parts.join('');
        if (checkLdapFilter(text) === undefined) expect(ldaptsParses(text)).toBe(true);
      }),
      { numRuns: propertyRuns(3000) },
    );
  }, propertyTimeout());

  it('refuses an unclosed filter that ldapts would forgive (a directory would not)', () => {
    expect(ldaptsParses('(&(objectClass=user)(cn=a)')).toBe(true);
    expect(checkLdapFilter('(&(objectClass=user)(cn=a)')?.kind).toBe('unbalanced');
  });
});
