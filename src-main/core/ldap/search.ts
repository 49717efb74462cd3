import type { Entry } from 'ldapts';
import { MAX_PAGE_SIZE } from '#shared/model/realm';
import { abortable, type LdapSession } from './session';
import { DecodedEntry, markDecodedSearch } from './entry-decoder';
import { translateLdapError } from './errors';

/** Attributes that hold bytes, not text: requested as Buffers so nothing is mangled by UTF-8 decoding. */
export const BINARY_ATTRIBUTES = ['objectGUID', 'objectSid', 'jpegPhoto', 'thumbnailPhoto', 'userCertificate', 'msExchMailboxGuid'];

const BINARY_LOWER = new Set(BINARY_ATTRIBUTES.map((a) => a.toLowerCase()));

/** One directory entry: attribute names lower-cased, every attribute a list (multi-valued kept whole). */
export interface LdapEntry {
  dn: string;
  text: Record<string, string[]>;
  binary: Record<string, Buffer[]>;
}

/** What to search for. */
export interface SearchRequest {
  baseDn: string;
  filter: string;
  scope: 'base' | 'one' | 'sub';
  attributes: string[];
  pageSize: number;
  signal?: AbortSignal;
}

/** Turns ldapts' loosely typed entry into an LdapEntry. */
export function normaliseEntry(entry: Entry): LdapEntry {
  const text: Record<string, string[]> = {};
  const binary: Record<string, Buffer[]> = {};
  for (const [name, raw] of Object.entries(entry)) {
    if (name === 'dn') continue;
    const key = name.toLowerCase();
    const values = Array.isArray(raw) ? raw : [raw];
    if (BINARY_LOWER.has(key)) binary[key] = values.map((v) => (Buffer.isBuffer(v) ? v : Buffer.from(v, 'utf8')));
    else text[key] = values.map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : v));
  }
  return { dn: entry.dn, text, binary };
}

/**
 * A paged search (never more than MAX_PAGE_SIZE per page, so AD's MaxPageSize is respected), yielding one
 * page of entries at a time. Stopping early or aborting leaves nothing behind once the session closes.
 */
export async function* searchPages(session: LdapSession, request: SearchRequest): AsyncGenerator<LdapEntry[]> {
  const { client } = session;
  const binary = request.attributes.filter((a) => BINARY_LOWER.has(a.toLowerCase()));
  const pages = client.searchPaginated(request.baseDn, {
    filter: request.filter,
    scope: request.scope,
    attributes: request.attributes,
    // Marked: the session's entry decoder reads these entries straight into LdapEntry (see entry-decoder.ts).
    explicitBufferAttributes: markDecodedSearch(BINARY_LOWER, request.attributes, binary),
    paged: { pageSize: Math.min(Math.max(1, request.pageSize), MAX_PAGE_SIZE) },
  });
  const context = { url: session.url, baseDn: request.baseDn, operationTimeoutMs: session.operationTimeoutMs };
  for (;;) {
    let next: IteratorResult<{ searchEntries: Entry[] }>;
    try {
      next = await abortable(pages.next(), client, request.signal);
    } catch (error) {
      throw translateLdapError(error, context);
    }
    if (next.done) return;
    yield next.value.searchEntries.map((entry) => (entry instanceof DecodedEntry ? entry : normaliseEntry(entry)));
  }
}

/** All entries of a paged search, in memory (for bounded result sets; stream with searchPages otherwise). */
export async function searchAll(session: LdapSession, request: SearchRequest): Promise<LdapEntry[]> {
  const all: LdapEntry[] = [];
  for await (const page of searchPages(session, request)) all.push(...page);
  return all;
}
