import type { RealmDraft } from './realm-draft';

/** Mismatches between the TLS mode, the URL schemes and the bind that would surprise an admin. */
export function tlsWarnings(draft: Pick<RealmDraft, 'tls' | 'urls' | 'bindDn'>): string[] {
  const urls = draft.urls.map((u) => u.trim().toLowerCase()).filter(Boolean);
  const plain = urls.some((u) => u.startsWith('ldap://'));
  const secure = urls.some((u) => u.startsWith('ldaps://'));
  const warnings: string[] = [];
  if (draft.tls === 'ldaps' && plain) warnings.push('LDAPS needs ldaps:// URLs (port 636 by default); an ldap:// URL connects in plain text.');
  if (draft.tls === 'starttls' && secure) warnings.push('StartTLS upgrades a plain connection: use ldap:// URLs (port 389 by default).');
  if (draft.tls === 'none' && secure) warnings.push('ldaps:// URLs always use TLS: choose LDAPS so the certificate settings below apply as intended.');
  if (draft.tls === 'none' && !secure && draft.bindDn.trim()) warnings.push('Without TLS the bind password crosses the network unencrypted.');
  return warnings;
}
