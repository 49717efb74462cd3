import { clearTextBindWarning, tlsMismatch } from '#shared/model/realm-tls';
import type { RealmDraft } from './realm-draft';

/**
 * What the TLS settings would surprise an admin with, as they type: a mode the URLs contradict (saving refuses
 * it, with the same words by the TLS field) and a bind password that would cross the network in clear.
 */
export function tlsWarnings(draft: Pick<RealmDraft, 'tls' | 'urls' | 'bindDn'>): string[] {
  const urls = draft.urls.map((u) => u.trim()).filter(Boolean);
  return [tlsMismatch(draft.tls, urls), clearTextBindWarning({ tls: draft.tls, urls, bindDn: draft.bindDn })].filter((w): w is string => w !== undefined);
}
