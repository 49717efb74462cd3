/**
 * Roster's own check of an LDAP search filter (RFC 4515), run where the filter is typed and again in main
 * before any connection, so a typo is never sent to a directory and reported back as a server failure.
 *
 * It is stricter than ldapts' parser (which sends what it accepts): everything accepted here, ldapts parses.
 * Beyond RFC 4515 it refuses what ldapts cannot send (attribute options such as `cn;lang-en`, numeric OIDs
 * as attribute types, `(&)`/`(|)`). A filter without its outer parentheses (`objectClass=user`) is accepted,
 * as Roster adds them when it sends one.
 */

/** What is wrong with a filter. */
export type FilterProblemKind =
  | 'empty'
  | 'unbalanced'
  | 'expected-parenthesis'
  | 'empty-component'
  | 'trailing-text'
  | 'not-takes-one'
  | 'missing-attribute'
  | 'bad-attribute'
  | 'bad-operator'
  | 'bad-escape'
  | 'bad-value';

/** A problem found in a filter: its kind, where (0-based index into the text as given) and a message for people. */
export interface FilterProblem {
  kind: FilterProblemKind;
  position: number;
  message: string;
}

class Problem extends Error {
  constructor(
    readonly kind: FilterProblemKind,
    /** Index in the parsed (wrapped) text. */
    readonly at: number,
    /** The message; `{at}` becomes "character N" of the text as typed. */
    readonly text: string,
  ) {
    super(text);
  }
}

// Letters, digits and hyphens (RFC 4512), and underscores, which some servers allow in names (389-ds) and ldapts sends.
const DESCR = /^[A-Za-z_][A-Za-z0-9_-]*/;
const NUMERICOID = /^(?:0|[1-9]\d*)(?:\.(?:0|[1-9]\d*))+/;
const HEX2 = /^[0-9A-Fa-f]{2}$/;
const OPERATOR_START = /[=<>~:]/;

/** Parses one filter of `s` starting at `i` (which must hold "("); returns the index after its ")". */
function parseFilter(s: string, i: number): number {
  if (s[i] !== '(') {
    throw new Problem('expected-parenthesis', i, i >= s.length ? 'The filter ends where a "(" should open one more condition' : `A "(" should open a condition at {at}, not "${s[i]}"`);
  }
  const open = i;
  const op = s[i + 1];
  if (op === '&' || op === '|') {
    let at = i + 2;
    if (s[at] === ')') throw new Problem('empty-component', open, `The "(${op})" at {at} holds no conditions: put at least one inside, e.g. (${op}(cn=a)(cn=b))`);
    do {
      if (at >= s.length) throw new Problem('unbalanced', open, 'The "(" at {at} is never closed: a ")" is missing');
      at = parseFilter(s, at);
    } while (s[at] !== ')');
    return at + 1;
  }
  if (op === '!') {
    const at = parseFilter(s, i + 2);
    if (at >= s.length) throw new Problem('unbalanced', open, 'The "(" at {at} is never closed: a ")" is missing');
    if (s[at] === '(') throw new Problem('not-takes-one', at, 'A "!" (not) takes exactly one condition; a second one starts at {at}. Combine them with & or | inside the "!"');
    if (s[at] !== ')') throw new Problem('expected-parenthesis', at, `The "!" condition should close with ")" at {at}, not "${s[at]}"`);
    return at + 1;
  }
  const close = s.indexOf(')', i + 1);
  if (close === -1) throw new Problem('unbalanced', open, 'The "(" at {at} is never closed: a ")" is missing');
  parseItem(s, i + 1, close);
  return close + 1;
}

/** Checks one simple condition: `s[start, end)` is what stands between its parentheses. */
function parseItem(s: string, start: number, end: number): void {
  if (start === end) throw new Problem('empty-component', start - 1, 'The "()" at {at} is empty: write a condition inside, e.g. (cn=Smith)');
  const body = s.slice(start, end);
  const attribute = DESCR.exec(body)?.[0] ?? '';
  const at = start + attribute.length;
  if (attribute === '') {
    const c = body[0]!;
    if (c === ':') return parseExtensible(s, start, end, false);
    if ('=<>~'.includes(c)) throw new Problem('missing-attribute', start, `An attribute name is missing before "${c}" at {at}, e.g. (cn=Smith)`);
    if (NUMERICOID.test(body) || /^\d/.test(body))
      throw new Problem('bad-attribute', start, 'The attribute at {at} starts with a digit: give the attribute by its name (cn, mail…), not a numeric OID');
    if (c === '(') throw new Problem('expected-parenthesis', start, 'A "(" at {at} starts inside a condition: combine conditions with & or |, e.g. (&(cn=a)(sn=b))');
    throw new Problem('bad-attribute', start, `"${c}" at {at} cannot start an attribute name: names start with a letter`);
  }
  const next = s[at];
  if (at === end) throw new Problem('bad-operator', at, `"${attribute}" at {at} has no comparison: add =value, >=value, <=value or ~=value`);
  if (next === ';') throw new Problem('bad-attribute', at, `Attribute options ("${body.slice(0, body.search(/[=<>~:]|$/))}") are not supported in a filter here; use "${attribute}" alone`);
  if (next === ':') return parseExtensible(s, at, end, true);
  if (next === '=') return parseValue(s, at + 1, end, true);
  if (next === '<' || next === '>' || next === '~') {
    if (s[at + 1] !== '=') throw new Problem('bad-operator', at, `"${next}" at {at} must be followed by "=" (${next}=): LDAP has no "${next}" alone`);
    return parseValue(s, at + 2, end, false);
  }
  if (next === '!') throw new Problem('bad-operator', at, `LDAP filters have no "!=" (at {at}): write (!(${attribute}=value)) instead`);
  // A character no name holds: a stray space or symbol inside the name, or no operator at all.
  if (OPERATOR_START.test(body.slice(attribute.length))) {
    throw new Problem('bad-attribute', at, `"${next}" at {at} cannot be part of an attribute name: names hold only letters, digits, hyphens and underscores`);
  }
  throw new Problem('bad-operator', at, `"${attribute}" has no comparison (at {at}): use =, >=, <=, ~= or :=`);
}

/** `[attribute] [":dn"] [":" rule] ":=" value`; `at` is on the first ":". */
function parseExtensible(s: string, at: number, end: number, hasAttribute: boolean): void {
  let rest = s.slice(at, end);
  let i = at;
  if (/^:dn(?=:)/i.test(rest)) {
    i += 3;
    rest = rest.slice(3);
  }
  let rule = false;
  if (!rest.startsWith(':=')) {
    const name = DESCR.exec(rest.slice(1))?.[0] ?? NUMERICOID.exec(rest.slice(1))?.[0];
    if (!name) throw new Problem('bad-operator', i, 'The extensible match at {at} needs a matching rule name or OID, then ":=" (e.g. cn:caseExactMatch:=Smith)');
    i += 1 + name.length;
    rest = rest.slice(1 + name.length);
    rule = true;
    if (!rest.startsWith(':=')) throw new Problem('bad-operator', i, 'The extensible match needs ":=" at {at} (e.g. cn:caseExactMatch:=Smith)');
  }
  if (!hasAttribute && !rule) throw new Problem('missing-attribute', at, 'A condition starting with ":" at {at} needs an attribute or a matching rule, e.g. (cn:=Smith) or (:caseExactMatch:=Smith)');
  parseValue(s, i + 2, end, false);
}

/** An assertion value: `*` allowed only where `wildcards` (equality: presence and substrings). */
function parseValue(s: string, start: number, end: number, wildcards: boolean): void {
  for (let i = start; i < end; i += 1) {
    const c = s[i]!;
    if (c === '\\') {
      const hex = s.slice(i + 1, i + 3);
      if (!HEX2.test(hex) || i + 3 > end) {
        throw new Problem('bad-escape', i, 'The "\\" at {at} must be followed by two hex digits: write \\2a for *, \\28 for (, \\29 for ), \\5c for \\');
      }
      i += 2;
    } else if (c === '(') {
      throw new Problem('bad-value', i, 'A "(" at {at} inside a value must be written \\28; if it opens another condition, close this one first and combine them with & or |');
    }
    else if (c === '\u0000') throw new Problem('bad-value', i, 'A NUL character at {at} must be written \\00');
    else if (c === '*' && !wildcards) throw new Problem('bad-value', i, 'A "*" at {at} must be written \\2a here: wildcards work only with "="');
  }
}

/**
 * Checks an LDAP filter as typed. Returns undefined when it is well formed, else the first problem: its kind,
 * its index in `text`, and a message that says what is wrong and where ("character N", counted from 1).
 */
export function checkLdapFilter(text: string): FilterProblem | undefined {
  const start = text.search(/\S/);
  if (start === -1) return { kind: 'empty', position: 0, message: 'Enter an LDAP filter, e.g. (objectClass=person).' };
  const trimmed = text.trim();
  // Without its outer parentheses, the filter is checked as Roster sends it: wrapped in a pair.
  const wrapped = trimmed.startsWith('(') ? trimmed : `(${trimmed})`;
  const shift = wrapped === trimmed ? 0 : 1;
  const position = (at: number) => Math.min(Math.max(start + at - shift, start), start + trimmed.length - 1);
  try {
    const end = parseFilter(wrapped, 0);
    if (end < wrapped.length) {
      const c = wrapped[end];
      throw c === ')'
        ? new Problem('unbalanced', end, 'The ")" at {at} closes nothing: there is one ")" too many')
        : new Problem('trailing-text', end, 'The filter ends before {at}: combine several conditions with & or |, e.g. (&(cn=a)(sn=b))');
    }
    return undefined;
  } catch (error) {
    if (!(error instanceof Problem)) throw error;
    const at = position(error.at);
    return { kind: error.kind, position: at, message: `${error.text.replace('{at}', `character ${at + 1}`)}.` };
  }
}
