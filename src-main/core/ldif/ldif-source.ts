import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { RealmRecord } from '#shared/model/realm';
import { RosterError } from '#shared/result';
import { normalizeDn } from '../ldap/dn';
import type { LdapEntry } from '../ldap/search';
import type { DirectorySource } from '../sync/source';
import { compileFilter } from './filter-match';
import { inScope, LdifDirectory } from './ldif-directory';
import { LdifParser, type LdifParseResult } from './parse';

/** A DirectorySource over an LDIF file, plus what parsing it left out. */
export interface LdifSource extends DirectorySource {
  /** Change records the file held, which describe edits rather than entries. */
  readonly skipped: number;
  /** Values the file gave by URL, which were not read. */
  readonly warnings: readonly string[];
}

/** How far reading a file has got: bytes parsed so far, and the file's size. */
export type LdifProgress = (bytesRead: number, totalBytes: number) => void;

interface CacheSlot {
  mtimeMs: number;
  size: number;
  directory: Promise<LdifDirectory>;
  /** Who wants to hear how reading goes (every caller waiting for this file while it is read). */
  listeners: Set<LdifProgress>;
}

/** A job's phase while an LDIF file is read: "Reading export.ldif: 12.5 of 50.2 MB". */
export function readingPhase(path: string, done: number, total: number): string {
  const mb = (bytes: number) => (bytes / 1_000_000).toFixed(1);
  return `Reading ${basename(path)}: ${mb(done)} of ${mb(total)} MB`;
}

/** Bytes read and parsed at a time: the file is never in memory whole, only its entries are. */
const CHUNK_BYTES = 1 << 16;

/**
 * Parses an LDIF file as it is read, chunk by chunk through LdifParser, telling `progress` after each chunk
 * (a 100 MB export becomes its entries without ever being one 100 MB buffer).
 */
export async function readLdifFile(path: string, source: string, progress?: LdifProgress): Promise<LdifParseResult> {
  const parser = new LdifParser(source);
  const total = (await stat(path)).size;
  let read = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES })) {
    parser.push(chunk as Buffer);
    read += (chunk as Buffer).length;
    progress?.(read, Math.max(total, read));
  }
  const parsed = parser.end();
  if (read === 0) progress?.(0, 0);
  return parsed;
}

// Parsed files by absolute path, newest use last; a few are kept since one may be 100 MB of entries.
const cache = new Map<string, CacheSlot>();
const CACHE_SLOTS = 3;

/** Forgets every parsed file (tests; or to free memory). */
export function clearLdifCache(): void {
  cache.clear();
}

function unreadable(path: string, owner: string, error: unknown): RosterError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT'
      ? 'it does not exist'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'it is a folder'
          : code === 'ENOTFILE'
            ? 'it is not a regular file (a device, a pipe or a socket)'
            : (error as Error).message;
  return new RosterError('not-found', `The LDIF file ${path}${owner} cannot be read: ${reason}. Choose the file again in the realm settings.`);
}

async function loadDirectory(realm: Pick<RealmRecord, 'name' | 'ldif'>, progress?: LdifProgress): Promise<LdifDirectory> {
  if (!realm.ldif?.path) throw new RosterError('invalid-input', `Realm "${realm.name}" has no LDIF file; choose one in the realm settings.`);
  return loadLdifFile(realm.ldif.path, realm.name ? ` of realm "${realm.name}"` : '', progress);
}

/**
 * The parsed file at `path`, cached per file version (path, mtime, size); `owner` names the realm in errors.
 * `progress` hears how reading goes when the file is not parsed yet (also when another caller started it).
 */
export async function loadLdifFile(file: string, owner = '', progress?: LdifProgress): Promise<LdifDirectory> {
  const path = resolve(file);
  let info;
  try {
    info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    // A pipe would never end and a device never stop: only files are read.
    if (!info.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'ENOTFILE' });
  } catch (error) {
    throw unreadable(path, owner, error);
  }
  const hit = cache.get(path);
  if (hit && hit.mtimeMs === info.mtimeMs && hit.size === info.size) {
    cache.delete(path);
    cache.set(path, hit);
    return listening(hit, progress);
  }
  const listeners = new Set<LdifProgress>();
  const directory = readLdifFile(path, `The LDIF file ${path}`, (done, total) => {
    for (const listener of listeners) listener(done, total);
  }).then(
    (parsed) => new LdifDirectory(parsed),
    (error: unknown) => {
      if (error instanceof RosterError) throw error;
      throw unreadable(path, owner, error);
    },
  );
  const slot: CacheSlot = { mtimeMs: info.mtimeMs, size: info.size, directory, listeners };
  cache.delete(path);
  cache.set(path, slot);
  while (cache.size > CACHE_SLOTS) cache.delete(cache.keys().next().value as string);
  // A file that failed to parse is read again next time (the person may have fixed it meanwhile).
  directory.catch(() => {
    if (cache.get(path)?.directory === directory) cache.delete(path);
  });
  return listening(slot, progress);
}

/** The slot's directory, with `progress` hearing how its reading goes until it is read. */
async function listening(slot: CacheSlot, progress: LdifProgress | undefined): Promise<LdifDirectory> {
  if (!progress) return slot.directory;
  slot.listeners.add(progress);
  try {
    return await slot.directory;
  } finally {
    slot.listeners.delete(progress);
  }
}

/** A copy of an entry limited to the requested attributes, so callers may keep or change it freely. */
function project(entry: LdapEntry, wanted: Set<string> | undefined): LdapEntry {
  const pick = <T>(values: Record<string, T[]>): Record<string, T[]> => {
    const out: Record<string, T[]> = {};
    for (const [key, list] of Object.entries(values)) if (!wanted || wanted.has(key)) out[key] = [...list];
    return out;
  };
  return { dn: entry.dn, text: pick(entry.text), binary: pick(entry.binary) };
}

function checkCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new RosterError('cancelled', 'Reading the LDIF file was cancelled.');
}

/**
 * Opens a realm's LDIF file as a directory: parsed once per file version (path, mtime, size) and then searched in
 * memory with the realm's base DN (empty: everything), scope and page size. `attributes`, like a live search's,
 * limits what entries carry; without it they carry everything the file has. `progress` hears how reading the
 * file goes (bytes parsed of the file's size) when it is not parsed yet.
 */
export async function openLdifSource(realm: RealmRecord, attributes?: string[], progress?: LdifProgress): Promise<LdifSource> {
  const directory = await loadDirectory(realm, progress);
  const wanted = attributes && attributes.length > 0 && !attributes.includes('*') ? new Set(attributes.map((a) => a.toLowerCase())) : undefined;
  const base = normalizeDn(realm.search.baseDn);
  const { scope } = realm.search;
  const pageSize = Math.max(1, realm.search.pageSize);
  const { entries, dns } = directory;

  async function* search(filter: string, signal?: AbortSignal): AsyncGenerator<LdapEntry[]> {
    const matches = compileFilter(filter);
    checkCancelled(signal);
    let page: LdapEntry[] = [];
    for (let i = 0; i < entries.length; i += 1) {
      const entry = entries[i] as LdapEntry;
      if (!inScope(dns[i] as string, base, scope) || !matches(entry)) continue;
      page.push(project(entry, wanted));
      if (page.length === pageSize) {
        yield page;
        page = [];
        // Let a cancel request (an IPC message) arrive between pages, as it would during a network search.
        await yieldToEventLoop();
        checkCancelled(signal);
      }
    }
    if (page.length > 0) yield page;
  }

  return {
    skipped: directory.skipped,
    warnings: directory.warnings,
    search,
    async readDn(dn, signal) {
      checkCancelled(signal);
      const entry = directory.entryByDn(dn);
      return entry ? project(entry, wanted) : undefined;
    },
    async findById(externalId, signal) {
      checkCancelled(signal);
      return directory
        .indexesById(realm.idAttribute, externalId)
        .filter((i) => inScope(dns[i] as string, base, scope))
        .map((i) => project(entries[i] as LdapEntry, wanted));
    },
    async close() {},
  };
}
