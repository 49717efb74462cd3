import { escapeFilter, FilterParser } from 'ldapts';
import { RosterError } from '../../../src-shared/result';

/** RFC 4515 escaping of one assertion value (`*`, `(`, `)`, `\`, NUL), via ldapts. */
export const escapeFilterValue = (value: string): string => escapeFilter`${value}`;

/**
 * The realm's user filter narrowed to entries where any of `attributes` contains `keyword` as a substring.
 * `*` (alone) means everyone. The keyword is escaped, never concatenated raw.
 */
export function keywordFilter(userFilter: string, keyword: string, attributes: string[]): string {
  const trimmed = keyword.trim();
  if (trimmed === '*' || trimmed === '') return userFilter;
  const value = escapeFilterValue(trimmed);
  const any = attributes.map((attribute) => `(${attribute}=*${value}*)`).join('');
  return `(&${wrap(userFilter)}(|${any}))`;
}

/** Ensures a filter has its outer parentheses. */
export const wrap = (filter: string): string => (filter.startsWith('(') ? filter : `(${filter})`);

/** The realm's user filter narrowed to one exact value of an attribute (a username), escaped. */
export const equalityWithin = (userFilter: string, attribute: string, value: string): string =>
  `(&${wrap(userFilter)}(${attribute}=${escapeFilterValue(value)}))`;

/** Parses a raw filter the way it will be sent; throws `invalid-filter` with the reason when it is malformed. */
export function validateFilter(filter: string): string {
  const text = wrap(filter.trim());
  try {
    // ldapts' parser forgives a missing closing parenthesis; a directory would not, so check the nesting first.
    const unbalanced = nestingProblem(text);
    if (unbalanced) throw new Error(unbalanced);
    FilterParser.parseString(text);
  } catch (error) {
    throw new RosterError(
      'invalid-filter',
      `The LDAP filter ${text} is not valid: ${(error as Error).message}. Check the parentheses and escape * ( ) \\ in values as \\2a \\28 \\29 \\5c.`,
    );
  }
  return text;
}

/** Why a filter's parentheses do not nest (escaped values cannot contain raw parentheses), or undefined. */
function nestingProblem(text: string): string | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (c === '(') depth += 1;
    else if (c === ')') {
      depth -= 1;
      if (depth < 0) return `an unmatched ")" at position ${i + 1}`;
      if (depth === 0 && i !== text.length - 1) return `text after the filter's closing parenthesis at position ${i + 2}`;
    }
  }
  return depth > 0 ? `${depth} unclosed "("` : undefined;
}
