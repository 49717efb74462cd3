import { escapeFilter, FilterParser } from 'ldapts';
import { checkLdapFilter } from '#shared/model/ldap-filter';
import { RosterError } from '#shared/result';

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

/**
 * Checks a raw filter with Roster's own RFC 4515 check (the one the realm form runs as it is typed) and returns
 * it as it will be sent, outer parentheses added; throws `invalid-filter` saying what is wrong and where.
 */
export function validateFilter(filter: string): string {
  const typed = filter.trim();
  const problem = checkLdapFilter(typed);
  if (problem) {
    throw new RosterError(
      'invalid-filter',
      `The LDAP filter ${typed} is not valid: ${problem.message} Check the parentheses and escape * ( ) \\ in values as \\2a \\28 \\29 \\5c.`,
      { kind: problem.kind, position: problem.position },
    );
  }
  // ldapts parses what the check accepts (a property test holds them to it); it is what sends the filter.
  FilterParser.parseString(wrap(typed));
  return wrap(typed);
}
