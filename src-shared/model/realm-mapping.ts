/**
 * A realm maps each Roster field to an ORDERED list of attribute sources; the first that gives a non-empty
 * value wins. A source is one attribute (`displayName`) or several joined by `+` (`givenName+sn`), whose
 * non-empty values are joined by a space. Attribute options (`cn;lang-es`) name a different attribute
 * description than the plain one, so a source never picks them up unless it names them itself.
 */

/** An attribute source as written in a mapping: `displayName`, `cn;lang-en`, or `givenName+sn`. */
export const ATTRIBUTE_SOURCE_PATTERN = /^[A-Za-z][A-Za-z0-9-]*(;[A-Za-z0-9-]+)*(\+[A-Za-z][A-Za-z0-9-]*(;[A-Za-z0-9-]+)*)*$/;

/** One field's ordered list of attribute sources. */
export type AttributeSources = string[];

/** The attributes a source reads (`givenName+sn` -> givenName, sn). */
export const sourceAttributes = (source: string): string[] => source.split('+').map((a) => a.trim());

/** Every attribute a list of sources reads, in order, once each (case-insensitively). */
export function listAttributes(sources: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const source of sources)
    for (const attribute of sourceAttributes(source)) {
      if (seen.has(attribute.toLowerCase())) continue;
      seen.add(attribute.toLowerCase());
      out.push(attribute);
    }
  return out;
}

/**
 * The attribute a field is written back to (change sets, sheets): the first source that is a single
 * attribute, so Full name = displayName, cn, givenName+sn writes displayName. None for a composite-only list.
 */
export function primaryAttribute(sources: readonly string[] | undefined): string | undefined {
  return sources?.find((s) => !s.includes('+'))?.trim();
}

/** Parses a typed list: `displayName, cn, givenName + sn` -> ['displayName', 'cn', 'givenName+sn']. */
export function parseSources(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.replace(/\s*\+\s*/g, '+').trim())
    .filter((s) => s !== '');
}

/** A list as a person types it: `displayName, cn, givenName+sn`. */
export const formatSources = (sources: readonly string[] | undefined): string => (sources ?? []).join(', ');

/** Says which sources are not attribute names, for a form or the CLI; undefined when all are fine. */
export function sourcesProblem(sources: readonly string[]): string | undefined {
  const bad = sources.filter((s) => !ATTRIBUTE_SOURCE_PATTERN.test(s));
  if (bad.length === 0) return undefined;
  return `${bad.map((b) => `"${b}"`).join(', ')} ${bad.length === 1 ? 'is not an attribute name' : 'are not attribute names'}: list attributes separated by commas, e.g. displayName, cn, givenName+sn.`;
}
