/**
 * The web pages Roster itself links to, exactly as written in the renderer. None today: the renderer has no
 * external links, so nothing is ever handed to the system browser. Add a page here when a link to it is
 * added (open-external.test.ts checks that the two lists agree).
 */
export const EXTERNAL_LINKS: readonly string[] = [];

/**
 * The URL to hand to `shell.openExternal`, or undefined to open nothing: only an https URL on the allowlist,
 * compared exactly after parsing (no look-alike, no credentials, no other scheme).
 */
export function externalUrlToOpen(url: string, allowlist: readonly string[] = EXTERNAL_LINKS): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password) return undefined;
  return allowlist.includes(parsed.href) && parsed.href === url ? parsed.href : undefined;
}
