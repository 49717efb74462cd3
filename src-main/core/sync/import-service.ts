import { randomUUID } from 'node:crypto';
import {
  IMPORT_STATUSES,
  type ClashRealm,
  type ImportRow,
  type ImportSearch,
  type ImportStatus,
  type Job,
  type SyncSummary,
} from '#shared/model/sync';
import type { UsernameClashInput } from '#shared/model/username-clash';
import type { FieldDefinition } from '#shared/model/fields';
import type { RealmRecord } from '#shared/model/realm';
import { RosterError } from '#shared/result';
import { keywordFilter, validateFilter } from '../ldap/filter';
import type { JobRunner } from '../jobs/job-runner';
import { emptySummary, syncBatch } from './batch';
import { clashPolicy, type ClashPolicy } from './clash';
import { threeWayDiff } from './diff';
import { directoryMapper, entrySummary, type DirectoryUser } from './mapping';
import { matchEntry } from './match';
import { readDirectoryUsers } from './source';
import { BATCH_SIZE, checkCancelled, realmById, requirePassword, withSource, withSourceReporting, type OpenProgress, type SyncDeps } from './sync-context';

/** Searches kept for paging and importing: enough for a few open pages, bounded in memory. */
const KEEP_SEARCHES = 4;

interface StoredSearch {
  search: ImportSearch;
  entries: DirectoryUser[];
  /** Rows as classified at a store generation: reused while the store does not change. */
  rows?: { generation: number; rows: ImportRow[] };
}

/**
 * The Import LDAP users page: search a realm by keyword, `*` or a raw filter; every result is kept in
 * main (counted honestly, never cut at a page size) and classified against the store; then import or
 * resync the chosen entries as a job.
 */
export class ImportService {
  private readonly searches = new Map<string, StoredSearch>();

  constructor(
    private readonly deps: SyncDeps,
    private readonly jobs: JobRunner,
  ) {}

  /** The filter a query means: a raw filter (validated) wins; else a keyword over username, name and mail. */
  filterFor(realmId: string, query: string, filter?: string): string {
    const realm = realmById(this.deps, realmId);
    if (filter !== undefined && filter.trim() !== '') return validateFilter(filter);
    // Every single attribute the name fields read (displayName, cn, …), so a keyword finds people by any of them.
    const named = [realm.mapping.username ?? ['uid'], realm.mapping.displayName ?? ['displayName'], ['cn'], realm.mapping.email ?? ['mail']];
    const attributes = [...new Set(named.flatMap((sources) => sources.filter((s) => !s.includes('+'))))];
    return keywordFilter(realm.search.userFilter, query, attributes);
  }

  /** Reads every matching entry of the realm. */
  async read(realmId: string, filter: string, signal?: AbortSignal, onPage?: (count: number) => void): Promise<DirectoryUser[]> {
    const realm = realmById(this.deps, realmId);
    const map = directoryMapper(realm, this.deps.users.fields());
    return withSource(this.deps, realm, signal, async (source) => {
      const entries: DirectoryUser[] = [];
      for await (const page of source.search(filter, signal)) {
        for (const entry of page) entries.push(map(entry));
        onPage?.(entries.length);
      }
      return entries;
    });
  }

  /** Searches a realm and classifies every result: new, already imported (unchanged or changed), or a conflict. */
  async search(realmId: string, query: string, filter: string | undefined, signal?: AbortSignal): Promise<ImportSearch> {
    if (filter === undefined && query.trim() === '') throw new RosterError('invalid-input', 'Type a keyword to search for, or * to list everyone.');
    const effective = this.filterFor(realmId, query, filter);
    const entries = await this.read(realmId, effective, signal);
    const search: ImportSearch = {
      searchId: randomUUID(),
      realmId,
      filter: effective,
      total: entries.length,
      counts: { new: 0, unchanged: 0, changed: 0, conflict: 0, clash: 0 },
      clashRealms: [],
    };
    this.searches.set(search.searchId, { search, entries });
    for (const key of [...this.searches.keys()].slice(0, Math.max(0, this.searches.size - KEEP_SEARCHES))) this.searches.delete(key);
    const clashes = new Map<string, ClashRealm>();
    for (const row of this.rows(search.searchId)) {
      search.counts[row.status] += 1;
      if (!row.clash) continue;
      const realm = clashes.get(row.clash.realmId) ?? { realmId: row.clash.realmId, realmName: row.clash.realmName, count: 0 };
      realm.count += 1;
      clashes.set(realm.realmId, realm);
    }
    search.clashRealms = [...clashes.values()].sort((a, b) => b.count - a.count || a.realmName.localeCompare(b.realmName));
    return search;
  }

  private stored(searchId: string): StoredSearch {
    const stored = this.searches.get(searchId);
    if (!stored) throw new RosterError('not-found', 'That search result is no longer kept; search again.');
    return stored;
  }

  /** How one entry relates to the store right now. */
  private classify(realm: RealmRecord, fields: readonly FieldDefinition[], entry: DirectoryUser): ImportRow {
    const realmId = realm.id;
    const base = { ...entrySummary(entry), department: entry.fields.department ?? '', title: entry.fields.title ?? '' };
    const match = matchEntry(this.deps.ctx.users, realmId, (id) => this.deps.users.realmName(id), entry);
    if (match.kind === 'none') return { ...base, status: 'new', changedFields: [] };
    if (match.kind === 'conflict') return { ...base, status: 'conflict', userId: match.user.id, changedFields: [], note: match.note };
    if (match.kind === 'clash') {
      const clash = { username: match.user.username, realmId: match.realmId, realmName: this.deps.users.realmName(match.realmId) };
      return { ...base, status: 'clash', userId: match.user.id, changedFields: [], note: match.note, clash };
    }
    const diff = threeWayDiff(match.user, realm, fields, entry);
    const linked = match.user.origin?.realmId === realmId;
    const changedFields = diff.fields.filter((f) => !linked || f.directory !== f.base).map((f) => f.field);
    if (diff.username_change) changedFields.push('username');
    if (diff.dn_change) changedFields.push('dn');
    if (linked && match.user.origin!.directoryEnabled !== entry.enabled) changedFields.push('directory account');
    const changed = !linked || changedFields.length > 0;
    return { ...base, status: changed ? 'changed' : 'unchanged', userId: match.user.id, changedFields: linked ? changedFields : [] };
  }

  private rows(searchId: string): ImportRow[] {
    const stored = this.stored(searchId);
    const generation = this.deps.ctx.users.generation;
    if (stored.rows?.generation !== generation) {
      const realm = realmById(this.deps, stored.search.realmId);
      const fields = this.deps.users.fields();
      stored.rows = { generation, rows: stored.entries.map((entry) => this.classify(realm, fields, entry)) };
    }
    return stored.rows.rows;
  }

  /** A window of a search's rows (optionally of one status), classified against the store as it is now. */
  page(searchId: string, offset: number, limit: number, status?: ImportStatus): { total: number; offset: number; rows: ImportRow[] } {
    if (status && !IMPORT_STATUSES.includes(status)) throw new RosterError('invalid-input', `Unknown status ${status}.`);
    const rows = status ? this.rows(searchId).filter((r) => r.status === status) : this.rows(searchId);
    return { total: rows.length, offset, rows: rows.slice(offset, offset + limit) };
  }

  /**
   * Imports (or resyncs) entries already read, in batches; `dryRun` reports without writing. `clash` says
   * what to do with entries whose username belongs to a user of another realm (skip them by default).
   */
  async importEntries(
    realmId: string,
    entries: readonly DirectoryUser[],
    options: {
      dryRun?: boolean;
      clash?: UsernameClashInput;
      signal?: AbortSignal;
      progress?: (done: number, total: number) => void;
      setConsistency?: (text: string) => void;
    } = {},
  ): Promise<SyncSummary> {
    const realm = realmById(this.deps, realmId);
    const clash = clashPolicy(options.clash, realm);
    const summary = emptySummary(realmId, options.dryRun);
    options.setConsistency?.('Nothing was imported yet.');
    for (let start = 0; start < entries.length; start += BATCH_SIZE) {
      checkCancelled(options.signal);
      await syncBatch(
        this.deps,
        realm,
        entries.slice(start, start + BATCH_SIZE).map((entry) => ({ entry })),
        summary,
        { create: true, dryRun: options.dryRun, clash },
      );
      const done = Math.min(entries.length, start + BATCH_SIZE);
      options.setConsistency?.(
        `The first ${done.toLocaleString('en')} of ${entries.length.toLocaleString('en')} entries were imported and saved; the rest were not touched.`,
      );
      options.progress?.(done, entries.length);
    }
    await this.deps.ctx.users.compactIfDue();
    return summary;
  }

  /** Starts a job importing the chosen entries of a search (all of them when `dns` is absent), settling username clashes by `clash`. */
  run(searchId: string, dns?: string[], clash?: UsernameClashInput): Job {
    const { search, entries } = this.stored(searchId);
    // A bad rule or typed name is refused now, before a job starts.
    clashPolicy(clash, realmById(this.deps, search.realmId));
    let chosen = entries;
    if (dns) {
      const wanted = new Set(dns);
      chosen = entries.filter((e) => wanted.has(e.dn));
      if (chosen.length !== wanted.size)
        throw new RosterError('not-found', `${wanted.size - chosen.length} of the selected entries are not in this search result; search again.`);
    }
    return this.jobs.start('import', search.realmId, (job) =>
      this.importEntries(search.realmId, chosen, {
        clash,
        signal: job.signal,
        progress: (done, total) => job.progress(done, total, `Importing ${done.toLocaleString('en')} of ${total.toLocaleString('en')}`),
        setConsistency: job.setConsistency,
      }),
    );
  }

  /**
   * Reads and imports in one pass, page by page: each page becomes one batch, and the next page is already
   * being fetched while a batch is written. A directory that fails mid-way leaves the batches before it saved.
   */
  async streamImport(
    realmId: string,
    filter: string,
    options: {
      dryRun?: boolean;
      clash?: UsernameClashInput;
      signal?: AbortSignal;
      progress?: (done: number) => void;
      /** How reading an LDIF realm's file goes, before its entries come. */
      readProgress?: OpenProgress;
      setConsistency?: (text: string) => void;
      /** The job's named points (see JobRunner.hold): 'batch-saved' after each batch is durable. */
      reached?: (point: string) => Promise<void>;
    } = {},
  ): Promise<SyncSummary> {
    const realm = realmById(this.deps, realmId);
    const clash: ClashPolicy = clashPolicy(options.clash, realm);
    const summary = emptySummary(realmId, options.dryRun);
    options.setConsistency?.('Nothing was imported yet.');
    let done = 0;
    await this.readPages(realm, filter, options.signal, options.readProgress, async (userPages) => {
      const pages = userPages[Symbol.asyncIterator]();
      let next = pages.next();
      for (;;) {
        const page = await next;
        if (page.done) break;
        next = pages.next();
        // Awaited on the next turn; until then a failure must not surface as an unhandled rejection.
        next.catch(() => undefined);
        checkCancelled(options.signal);
        await syncBatch(
          this.deps,
          realm,
          page.value.map((entry) => ({ entry })),
          summary,
          { create: true, dryRun: options.dryRun, clash },
        );
        done += page.value.length;
        options.setConsistency?.(`The first ${done.toLocaleString('en')} entries were imported and saved; the rest were not read or not written.`);
        options.progress?.(done);
        await options.reached?.('batch-saved');
      }
    });
    await this.deps.ctx.users.compactIfDue();
    return summary;
  }

  /**
   * Hands `work` the realm's entries matching `filter`, mapped, page by page. A live directory is read by
   * readDirectoryUsers (a worker thread decodes while this one writes); a password the server refuses is
   * forgotten as openSource does. An LDIF realm is read through its source, `progress` hearing how the file goes.
   */
  private async readPages(
    realm: RealmRecord,
    filter: string,
    signal: AbortSignal | undefined,
    progress: OpenProgress | undefined,
    work: (pages: AsyncIterable<DirectoryUser[]>) => Promise<void>,
  ): Promise<void> {
    const fields = this.deps.users.fields();
    if (realm.kind === 'ldif-file') {
      const map = directoryMapper(realm, fields);
      return withSourceReporting(this.deps, realm, signal, progress, (source) =>
        work(
          (async function* () {
            for await (const page of source.search(filter, signal)) yield page.map(map);
          })(),
        ),
      );
    }
    const found = await requirePassword(this.deps, realm);
    try {
      await work(readDirectoryUsers(realm, found.password, fields, filter, signal));
    } catch (error) {
      if (error instanceof RosterError && error.code === 'invalid-credentials') {
        await this.deps.realms.passwordRefused(realm.id, found);
        throw new RosterError(error.code, error.message, { ...error.details, realmId: realm.id });
      }
      throw error;
    }
  }

  /** Searches and imports in one go (the CLI, the demo) as a job. */
  searchAndImport(realmId: string, query: string, filter: string | undefined, clash?: UsernameClashInput): Job {
    const effective = this.filterFor(realmId, query, filter);
    clashPolicy(clash, realmById(this.deps, realmId));
    return this.jobs.start('import', realmId, (job) =>
      this.streamImport(realmId, effective, {
        clash,
        signal: job.signal,
        progress: (done) => job.progress(done, 0, `Importing: ${done.toLocaleString('en')} entries so far`),
        reached: job.reached,
        readProgress: job.progress,
        setConsistency: job.setConsistency,
      }),
    );
  }
}
