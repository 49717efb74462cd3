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
const wrap = (filter: string): string => (filter.startsWith('(') ? filter : `(${filter})`);

/** Parses a raw filter the way it will be sent; throws `invalid-filter` with the reason when it is malformed. */
export function validateFilter(filter: string): string {
  const text = wrap(filter.trim());
  try {
    FilterParser.parseString(text);
  } catch (error) {
    throw new RosterError(
      'invalid-filter',
      `The LDAP filter ${text} is not valid: ${(error as Error).message}. Check the parentheses and escape * ( ) \\ in values as \\2a \\28 \\29 \\5c.`,
    );
  }
  return text;
}
