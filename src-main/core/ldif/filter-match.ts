import {
  AndFilter,
  ApproximateFilter,
  EqualityFilter,
  ExtensibleFilter,
  FilterParser,
  GreaterThanEqualsFilter,
  LessThanEqualsFilter,
  NotFilter,
  OrFilter,
  PresenceFilter,
  SubstringFilter,
  type Filter,
} from 'ldapts';
import { RosterError } from '#shared/result';
import { normalizeDn } from '../ldap/dn';
import { validateFilter } from '../ldap/filter';
import type { LdapEntry } from '../ldap/search';

/** Whether one entry matches a compiled filter. */
export type EntryPredicate = (entry: LdapEntry) => boolean;

// Active Directory's bitwise matching rules: common in AD filters, e.g. (!(userAccountControl:1.2.840.113556.1.4.803:=2)).
const BIT_AND = '1.2.840.113556.1.4.803';
const BIT_OR = '1.2.840.113556.1.4.804';
const INTEGER = /^-?\d+$/;
const DN_ATTRIBUTES = new Set(
  ['distinguishedName', 'manager', 'member', 'memberOf', 'directReports', 'managedBy', 'secretary', 'owner', 'seeAlso', 'objectCategory', 'uniqueMember'].map((a) =>
    a.toLowerCase(),
  ),
);
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

const own = <T>(map: Record<string, T>, key: string): T | undefined => (Object.hasOwn(map, key) ? map[key] : undefined);

// The attribute names with options (`cn;lang-es`) of an entry's text, found on first use and kept on it under a
// symbol, which no key listing, copy or comparison sees (a WeakMap here doubled the time of a keyword search).
const TAGGED = Symbol('attribute names with options');
function taggedKeysOf(text: Record<string, string[]> & { [TAGGED]?: string[] }): string[] {
  let keys = text[TAGGED];
  if (keys === undefined) {
    keys = Object.keys(text).filter((k) => k.includes(';'));
    if (Object.isExtensible(text)) Object.defineProperty(text, TAGGED, { value: keys });
  }
  return keys;
}

/** An attribute's values; as on a server, a filter on `cn` also matches the values of `cn;lang-es` (RFC 4512 2.5). */
function textOf(entry: LdapEntry, key: string): string[] {
  const plain = own(entry.text, key) ?? [];
  const tagged = taggedKeysOf(entry.text);
  if (tagged.length === 0) return plain;
  const prefix = `${key};`;
  const extra = tagged.filter((k) => k.startsWith(prefix));
  return extra.length === 0 ? plain : [...plain, ...extra.flatMap((k) => entry.text[k] ?? [])];
}
const bytesOf = (entry: LdapEntry, key: string): Buffer[] => own(entry.binary, key) ?? [];

/** A substring assertion's part: its edge spaces matter ("john " is not "johnny"), so only case and runs fold. */
const collapse = (value: string): string => value.toLowerCase().replace(/\s+/g, ' ');
/** caseIgnoreMatch, roughly: case folded, leading and trailing spaces dropped, inner runs of spaces made one. */
const fold = (value: string): string => collapse(value).trim();

/**
 * The strings a filter value may stand for. ldapts unescapes `\c3\a9` into two Latin-1 characters, one per
 * byte; when those bytes are valid UTF-8 the decoded text is what the person meant.
 */
function textCandidates(value: string | Buffer): string[] {
  if (Buffer.isBuffer(value)) return [value.toString('utf8')];
  // eslint-disable-next-line no-control-regex -- only values with Latin-1-range characters can be escaped bytes
  if (!/[\u0080-\u00ff]/.test(value) || /[^\u0000-\u00ff]/.test(value)) return [value];
  try {
    const decoded = strictUtf8.decode(Buffer.from(value, 'latin1'));
    return decoded === value ? [value] : [value, decoded];
  } catch {
    return [value];
  }
}

/** The bytes a filter value stands for: a Buffer as is, an unescaped string byte per character (or its UTF-8). */
function byteCandidates(value: string | Buffer): Buffer[] {
  if (Buffer.isBuffer(value)) return [value];
  // eslint-disable-next-line no-control-regex -- characters above U+00FF cannot have come from \xx escapes
  return /[^\u0000-\u00ff]/.test(value) ? [Buffer.from(value, 'utf8')] : [Buffer.from(value, 'latin1'), Buffer.from(value, 'utf8')];
}

function compare(a: string, b: string): number {
  // Integer attributes (uSNChanged, accountExpires, userAccountControl) order as numbers on a server.
  if (INTEGER.test(a) && INTEGER.test(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = fold(a);
  const y = fold(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** DN-valued attributes: a server compares them as names, so `CN=Sales Team, OU=Groups` equals `cn=sales team,ou=groups`. */
function dnEquality(key: string, texts: string[]): EntryPredicate {
  const targets = texts.map(normalizeDn);
  // Group and manager DNs repeat across entries; normalising each distinct one once keeps memberOf filters fast.
  const seen = new Map<string, boolean>();
  const test = (value: string): boolean => {
    let hit = seen.get(value);
    if (hit === undefined) {
      hit = targets.includes(normalizeDn(value));
      if (seen.size < 100_000) seen.set(value, hit);
    }
    return hit;
  };
  return (entry) => textOf(entry, key).some(test);
}

function equality(attribute: string, value: string | Buffer): EntryPredicate {
  const key = attribute.toLowerCase();
  const texts = textCandidates(value);
  const folded = texts.map(fold);
  const bytes = byteCandidates(value);
  // AD takes a class name for objectCategory (person) as the DN of its category (CN=Person,CN=Schema,…).
  if (key === 'objectcategory' && !folded.some((t) => t.includes('='))) {
    return (entry) => textOf(entry, key).some((v) => folded.includes(/^cn=([^,]*)/.exec(fold(v))?.[1] ?? ''));
  }
  if (DN_ATTRIBUTES.has(key)) return dnEquality(key, texts);
  return (entry) => textOf(entry, key).some((v) => folded.includes(fold(v))) || bytesOf(entry, key).some((b) => bytes.some((c) => c.equals(b)));
}

function substrings(filter: SubstringFilter): EntryPredicate {
  const key = filter.attribute.toLowerCase();
  const initial = collapse(filter.initial).trimStart();
  const any = filter.any.map(collapse).filter((part) => part !== '');
  const final = collapse(filter.final).trimEnd();
  const test = (raw: string): boolean => {
    const value = fold(raw);
    if (!value.startsWith(initial)) return false;
    let at = initial.length;
    for (const part of any) {
      const found = value.indexOf(part, at);
      if (found < 0) return false;
      at = found + part.length;
    }
    return value.length - final.length >= at && value.endsWith(final);
  };
  return (entry) => textOf(entry, key).some(test) || bytesOf(entry, key).some((b) => test(b.toString('latin1')));
}

function presence(attribute: string): EntryPredicate {
  const key = attribute.toLowerCase();
  // Every entry has an object class, even when an export left the attribute out.
  if (key === 'objectclass') return () => true;
  return (entry) => textOf(entry, key).length > 0 || bytesOf(entry, key).length > 0;
}

function ordering(attribute: string, value: string, wanted: (order: number) => boolean): EntryPredicate {
  const key = attribute.toLowerCase();
  const candidates = textCandidates(value);
  return (entry) => textOf(entry, key).some((v) => candidates.some((c) => wanted(compare(v, c))));
}

function extensible(filter: ExtensibleFilter, text: string): EntryPredicate {
  const key = filter.matchType.toLowerCase();
  if ((filter.rule === BIT_AND || filter.rule === BIT_OR) && key !== '' && !filter.dnAttributes && INTEGER.test(filter.value)) {
    const mask = BigInt.asUintN(64, BigInt(filter.value));
    const all = filter.rule === BIT_AND;
    return (entry) =>
      textOf(entry, key).some((v) => {
        if (!INTEGER.test(v)) return false;
        const bits = BigInt.asUintN(64, BigInt(v)) & mask;
        return all ? bits === mask : bits !== 0n;
      });
  }
  throw new RosterError(
    'invalid-filter',
    `The filter ${text} uses an extensible match (attr:rule:=value), which Roster cannot evaluate against an LDIF file (only Active Directory's bitwise rules ${BIT_AND} and ${BIT_OR} work offline). Use =, >=, <= or * wildcards instead.`,
  );
}

function compile(filter: Filter, text: string): EntryPredicate {
  if (filter instanceof AndFilter) {
    const parts = filter.filters.map((f) => compile(f, text));
    return (entry) => parts.every((p) => p(entry));
  }
  if (filter instanceof OrFilter) {
    const parts = filter.filters.map((f) => compile(f, text));
    return (entry) => parts.some((p) => p(entry));
  }
  if (filter instanceof NotFilter) {
    const inner = compile(filter.filter, text);
    return (entry) => !inner(entry);
  }
  if (filter instanceof EqualityFilter) return equality(filter.attribute, filter.value);
  if (filter instanceof SubstringFilter) return substrings(filter);
  if (filter instanceof PresenceFilter) return presence(filter.attribute);
  if (filter instanceof GreaterThanEqualsFilter) return ordering(filter.attribute, filter.value, (order) => order >= 0);
  if (filter instanceof LessThanEqualsFilter) return ordering(filter.attribute, filter.value, (order) => order <= 0);
  if (filter instanceof ExtensibleFilter) return extensible(filter, text);
  if (filter instanceof ApproximateFilter) {
    throw new RosterError(
      'invalid-filter',
      `The filter ${text} uses approximate matching (${filter.attribute}~=…), which Roster cannot evaluate against an LDIF file. Use = with * wildcards instead, e.g. (${filter.attribute}=*${filter.value}*).`,
    );
  }
  throw new RosterError('invalid-filter', `The filter ${text} contains a kind of filter Roster cannot evaluate against an LDIF file.`);
}

/**
 * Compiles an LDAP filter (a string, validated and parsed the way it would be sent, or an ldapts Filter such as
 * the EqualityFilter with GUID bytes Roster builds) into an in-memory predicate over entries. Multi-valued
 * attributes match when any value does; text compares case-insensitively, binary values byte for byte.
 */
export function compileFilter(filter: string | Filter): EntryPredicate {
  if (typeof filter !== 'string') return compile(filter, filter.toString());
  const text = validateFilter(filter);
  return compile(FilterParser.parseString(text), text);
}

/** Whether one entry matches a filter (compile once with compileFilter when testing many entries). */
export function matchesFilter(filter: string | Filter, entry: LdapEntry): boolean {
  return compileFilter(filter)(entry);
}
