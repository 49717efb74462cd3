import type { TlsMode } from './realm';

const isLdaps = (url: string): boolean => /^\s*ldaps:\/\//i.test(url);
const isPlain = (url: string): boolean => /^\s*ldap:\/\//i.test(url);

/** The TLS mode a new realm gets for its URLs: LDAPS when every URL is ldaps://, else StartTLS (never none). */
export const defaultTlsFor = (urls: readonly string[]): TlsMode => (urls.length > 0 && urls.every(isLdaps) ? 'ldaps' : 'starttls');

/**
 * Why the TLS mode and the URL schemes contradict each other, saying which to change; undefined when they
 * agree. LDAPS needs ldaps:// URLs (an ldap:// URL would connect in clear text), StartTLS and none need
 * ldap:// ones. Takes anything, so a schema refinement may call it on malformed input.
 */
export function tlsMismatch(tls: unknown, urls: unknown): string | undefined {
  const list = Array.isArray(urls) ? urls.filter((u): u is string => typeof u === 'string') : [];
  const plain = list.find(isPlain);
  const secure = list.find(isLdaps);
  if (tls === 'ldaps' && plain !== undefined)
    return `TLS mode LDAPS needs ldaps:// URLs, but ${plain.trim()} is ldap://, which would connect in clear text: change the URL to ldaps:// (port 636), or choose StartTLS.`;
  if (tls === 'starttls' && secure !== undefined)
    return `StartTLS upgrades a plain ldap:// connection, but ${secure.trim()} is ldaps://: choose LDAPS for ldaps:// URLs, or change the URL to ldap:// (port 389).`;
  if (tls === 'none' && secure !== undefined && plain !== undefined)
    return `${secure.trim()} is ldaps:// but ${plain.trim()} is ldap://: with no TLS, a failover to ${plain.trim()} would send the bind password in clear text. Choose StartTLS for ldap:// URLs or LDAPS for ldaps:// ones, and do not mix them.`;
  if (tls === 'none' && secure !== undefined)
    return `${secure.trim()} is ldaps://, which always uses TLS: choose LDAPS (so the certificate settings apply), or change the URL to ldap:// (port 389).`;
  return undefined;
}

/**
 * The warning for a realm that sends its bind password without TLS, or undefined: only `none` with a bind DN
 * (an anonymous bind sends no password). Shown on the realm form, the Realms list and in Test connection.
 */
export function clearTextBindWarning(connection: { tls: TlsMode; urls: readonly string[]; bindDn: string }): string | undefined {
  // Only ldaps:// URLs keep it encrypted; one ldap:// URL among them is enough for a failover to send it in clear.
  const encrypted = connection.urls.some(isLdaps) && !connection.urls.some(isPlain);
  if (connection.tls !== 'none' || !connection.bindDn.trim() || encrypted) return undefined;
  return `No TLS: the bind password of ${connection.bindDn.trim()} crosses the network unencrypted, readable by anyone on the way. Choose StartTLS or LDAPS unless this network is trusted.`;
}
