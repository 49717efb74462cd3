import { isDeepStrictEqual } from 'node:util';
import type { ChangeMarker, RealmRecord } from '#shared/model/realm';
import type { ReconcileMode, SyncChange, SyncSummary } from '#shared/model/sync';
import type { UserRecord } from '#shared/model/user';
import { normalizeDn } from '../ldap/dn';
import { wrap } from '../ldap/filter';
import type { LdapEntry } from '../ldap/search';
import { emptySummary, record, syncBatch, type Pair } from './batch';
import { changedSinceFilter, describeMarker, newerStamp, nextMarker, planReconcile, readingFingerprint, type ServerState } from './change-markers';
import { applyDiff, threeWayDiff } from './diff';
import { attributesToRequest, directoryMapper, externalIdOf, sourceMap, type DirectoryUser } from './mapping';
import { openReconcileReader, REREAD_CHUNK, type ReconcileReader } from './reconcile-source';
import { BATCH_SIZE, bindWithPassword, checkCancelled, withSourceReporting, type SyncDeps } from './sync-context';

/** Points where a reconcile can be held (tests change the directory there, while a reconcile runs). */
export type ReconcileCheckpoint = 'state-read' | 'changes-read' | 'swept';

/** How a reconcile runs. */
export interface ReconcileOptions {
  dryRun?: boolean;
  /** Read the whole realm even when the change markers would allow an incremental reconcile. */
  full?: boolean;
  signal?: AbortSignal;
  progress?: (done: number, total: number, phase: string) => void;
  setConsistency?: (t: string) => void;
  /** Awaited at each checkpoint (tests hold the run there). */
  checkpoint?: (point: ReconcileCheckpoint) => Promise<void>;
  /** How far before a clock-based marker to ask from (default CLOCK_OVERLAP_MS; tests set 0 to see the markers alone). */
  overlapMs?: number;
  /**
   * Compare every user through the three-way diff and save it, as reconciles did before unchanged users were
   * left unwritten (tests hold those shortcuts to it; only "last synced" may differ).
   */
  compareEverything?: boolean;
}

/**
 * What a reconcile found for one user before comparing: an entry read in full, an entry unchanged since the
 * last reconcile (where the sweep saw it: compared with the stored state), or nothing.
 */
type Found = { kind: 'entry'; entry: DirectoryUser } | { kind: 'stored'; swept: Swept } | { kind: 'none' };

/** Where one sweep entry is: its DN and its id as Roster writes it. */
interface Swept {
  dn: string;
  externalId: string;
}

/** More users than this share of the realm to read again, and reading the realm once is the quicker way. */
const REREAD_SHARE = 0.2;
/** Re-reads by DN go one entry per search: past this many, read the realm once instead. */
const MAX_DN_REREADS = 500;
/** DN values (manager) naming entries outside the sweep are looked up one by one, up to this many. */
const MAX_DN_LOOKUPS = 2000;

const fmt = (n: number) => n.toLocaleString('en');

/**
 * The directory entry a user's stored state says it has, as a reconcile would read it when the entry has not
 * changed since: the values last synced (a conflict still waiting keeps the directory value it was found with).
 */
export function storedEntry(user: UserRecord, swept: Swept): DirectoryUser {
  const origin = user.origin!;
  const fields = { ...origin.base };
  for (const conflict of user.conflicts ?? []) {
    if (conflict.directory === '') delete fields[conflict.field];
    else fields[conflict.field] = conflict.directory;
  }
  return {
    dn: swept.dn,
    externalId: swept.externalId,
    username: origin.baseUsername,
    fields,
    enabled: origin.directoryEnabled,
    ...(origin.expiresAt ? { expiresAt: origin.expiresAt } : {}),
    ...(origin.userPrincipalName ? { userPrincipalName: origin.userPrincipalName } : {}),
  };
}

/**
 * How many of the directory's entries Import would list as New: no user of the realm is linked to them by id or
 * by DN, and no Roster user holds their username (Import shows those as taken over, in conflict or clashing, see
 * matchEntry). Counted the same way from a full read and from an incremental reconcile (which reads the few
 * unlinked entries it only swept, for their usernames); an entry whose username is not known counts as new.
 */
export function countNew(users: readonly UserRecord[], entries: Iterable<Swept & { username?: string }>, taken: (username: string) => boolean): number {
  let count = 0;
  for (const entry of unlinked(users, entries)) if (!(entry.username && taken(entry.username))) count += 1;
  return count;
}

/** The entries no user of the realm is linked to, by id or by DN. */
function unlinked<E extends Swept>(users: readonly UserRecord[], entries: Iterable<E>): E[] {
  const ids = new Set<string>();
  const dns = new Set<string>();
  for (const user of users) {
    if (user.origin!.externalId) ids.add(user.origin!.externalId.toLowerCase());
    dns.add(normalizeDn(user.origin!.dn));
  }
  const out: E[] = [];
  for (const entry of entries) if (!(entry.externalId && ids.has(entry.externalId.toLowerCase())) && !dns.has(normalizeDn(entry.dn))) out.push(entry);
  return out;
}

/** Whether a Roster user (of any realm, or internal) holds a username, ignoring case, as matchEntry asks. */
const usernameTaken = (deps: SyncDeps) => (username: string) => deps.ctx.users.findByUsername(username) !== undefined;

/** Unlinked entries an incremental reconcile reads for their usernames, at most (past it, they count as new). */
const MAX_UNLINKED_READS = 2_000;

/**
 * Compares the realm's users with the directory, incrementally when the change markers kept from the last
 * reconcile can be trusted, else by reading the whole realm (an LDIF file always is). Nothing is written until
 * every read is done; then batches of BATCH_SIZE users are saved, each as one transaction.
 */
export async function reconcileRealm(deps: SyncDeps, realm: RealmRecord, options: ReconcileOptions = {}): Promise<SyncSummary> {
  const fields = deps.users.fields();
  const users = [...deps.ctx.users.all()].filter((u) => u.origin?.realmId === realm.id);
  const taken = usernameTaken(deps);
  const summary = emptySummary(realm.id, options.dryRun);
  const map = directoryMapper(realm, fields);
  const progress = options.progress;
  options.setConsistency?.('Nothing was changed: the directory was still being read.');

  let found: (user: UserRecord) => Found;
  let mode: ReconcileMode;
  let marker: ChangeMarker | undefined;
  let keepMarker = false;
  let newInDirectory: number;

  /** A whole-realm read: every user is looked up by id, then by DN, as before incremental reconciles existed. */
  const fullLookup = () => {
    const byId = new Map<string, DirectoryUser>();
    const byDn = new Map<string, DirectoryUser>();
    const add = (raw: LdapEntry) => {
      const entry = map(raw);
      // Entries of a realm matched by DN carry no id (''): they are found by DN alone.
      if (entry.externalId) byId.set(entry.externalId.toLowerCase(), entry);
      // The same name however it is spelt (spaces around commas, escapes, case): a re-export may differ.
      byDn.set(normalizeDn(entry.dn), entry);
    };
    const lookup = (user: UserRecord): Found => {
      const entry = byId.get(user.origin!.externalId.toLowerCase()) ?? byDn.get(normalizeDn(user.origin!.dn));
      return entry ? { kind: 'entry', entry } : { kind: 'none' };
    };
    return { add, lookup, size: () => byDn.size, entries: () => byDn.values() };
  };

  if (realm.kind === 'ldif-file') {
    const plan = planReconcile(realm, fields, undefined, options);
    const all = fullLookup();
    await withSourceReporting(deps, realm, options.signal, progress, async (source) => {
      for await (const page of source.search(wrap(realm.search.userFilter), options.signal)) {
        for (const raw of page) all.add(raw);
        progress?.(all.size(), 0, `Reading the directory: ${fmt(all.size())} entries`);
      }
    });
    found = all.lookup;
    mode = { mode: 'full', reason: plan.reason, entriesRead: all.size() };
    newInDirectory = countNew(users, all.entries(), taken);
  } else {
    const outcome = await bindWithPassword(deps, realm, async (password) => {
      const reader = await openReconcileReader(realm, password, options.signal);
      try {
        return await readLdap(deps, realm, users, reader, options);
      } finally {
        await reader.close();
      }
    });
    ({ found, mode, marker, keepMarker, newInDirectory } = outcome);
  }

  options.setConsistency?.('Nothing was changed yet.');
  await compareInBatches(deps, realm, users, summary, found, options);

  if (!options.dryRun) {
    const at = deps.ctx.now().toISOString();
    const fingerprint = readingFingerprint(realm, fields);
    await deps.ctx.store.update((data) => {
      const stored = data.realms.find((r) => r.id === realm.id);
      if (!stored) return;
      stored.lastReconcileAt = at;
      if (marker) stored.sync = { marker, fingerprint, at };
      else if (!keepMarker) delete stored.sync;
    });
  }
  summary.reconcile = mode;
  summary.newInDirectory = newInDirectory;
  return summary;
}

/** What reading an LDAP realm gave: how to find each user's entry, and the marker for next time. */
interface LdapReading {
  found: (user: UserRecord) => Found;
  mode: ReconcileMode;
  marker?: ChangeMarker;
  /** No new marker, but the one kept still holds (an incremental run that saw no newer modifyTimestamp). */
  keepMarker: boolean;
  /** Entries of the realm Import would list as New (see countNew). */
  newInDirectory: number;
}

async function readLdap(
  deps: SyncDeps,
  realm: RealmRecord,
  users: readonly UserRecord[],
  reader: ReconcileReader,
  options: ReconcileOptions,
): Promise<LdapReading> {
  const fields = deps.users.fields();
  const mapped = sourceMap(realm, fields);
  const map = directoryMapper(realm, fields);
  const taken = usernameTaken(deps);
  const progress = options.progress;
  const signal = options.signal;
  const state: ServerState = await reader.serverState(signal);
  const plan = planReconcile(realm, fields, state, options);
  await options.checkpoint?.('state-read');
  const stamped = state.kind === 'timestamp';
  const attributes = [...attributesToRequest(realm, fields), ...(stamped ? ['modifyTimestamp'] : [])];
  const stampOf = (raw: LdapEntry) => (stamped ? raw.text.modifytimestamp?.[0] : undefined);
  const since = plan.mode === 'incremental' ? describeMarker(plan.marker) : undefined;

  const readAll = async (reason: string, extra: Partial<ReconcileMode> = {}): Promise<LdapReading> => {
    const byId = new Map<string, DirectoryUser>();
    const byDn = new Map<string, DirectoryUser>();
    let newest: string | undefined;
    const started = performance.now();
    for await (const page of reader.search(wrap(realm.search.userFilter), attributes, signal)) {
      for (const raw of page) {
        const entry = map(raw);
        if (entry.externalId) byId.set(entry.externalId.toLowerCase(), entry);
        byDn.set(normalizeDn(entry.dn), entry);
        newest = newerStamp(newest, stampOf(raw));
      }
      progress?.(byDn.size, 0, `Reading the directory: ${fmt(byDn.size)} entries`);
    }
    const readMs = performance.now() - started;
    await options.checkpoint?.('changes-read');
    return {
      found: (user) => {
        const entry = byId.get(user.origin!.externalId.toLowerCase()) ?? byDn.get(normalizeDn(user.origin!.dn));
        return entry ? { kind: 'entry', entry } : { kind: 'none' };
      },
      mode: { mode: 'full', reason, entriesRead: byDn.size, ...extra },
      marker: nextMarker(state, undefined, newest, readMs),
      keepMarker: false,
      newInDirectory: countNew(users, byDn.values(), taken),
    };
  };

  if (plan.mode === 'full') return readAll(plan.reason);

  // 1. Entries changed since the marker, read in full.
  const changedById = new Map<string, DirectoryUser>();
  const changedByDn = new Map<string, DirectoryUser>();
  let newest: string | undefined;
  const started = performance.now();
  progress?.(0, 0, `Reading entries changed since the last reconcile`);
  for await (const page of reader.search(changedSinceFilter(realm.search.userFilter, plan.marker, options.overlapMs), attributes, signal)) {
    for (const raw of page) {
      const entry = map(raw);
      if (entry.externalId) changedById.set(entry.externalId.toLowerCase(), entry);
      changedByDn.set(normalizeDn(entry.dn), entry);
      newest = newerStamp(newest, stampOf(raw));
    }
    progress?.(changedByDn.size, 0, `Reading entries changed since the last reconcile: ${fmt(changedByDn.size)}`);
  }
  const readMs = performance.now() - started;
  await options.checkpoint?.('changes-read');

  // 2. The sweep: every entry of the realm, its DN and id only, to find which are gone and which moved.
  const byDnKeyed = realm.idAttribute === 'dn';
  const sweptById = new Map<string, Swept>();
  const swept: Swept[] = [];
  for await (const page of reader.search(wrap(realm.search.userFilter), byDnKeyed ? ['1.1'] : [realm.idAttribute], signal)) {
    for (const raw of page) {
      const s = { dn: raw.dn, externalId: externalIdOf(raw, realm.idAttribute) };
      swept.push(s);
      if (s.externalId) sweptById.set(s.externalId.toLowerCase(), s);
    }
    progress?.(swept.length, 0, `Checking which entries are still there: ${fmt(swept.length)}`);
  }
  await options.checkpoint?.('swept');
  let sweptByDn: Map<string, Swept> | undefined;
  const sweptAt = (dn: string) => {
    sweptByDn ??= new Map(swept.map((s) => [normalizeDn(s.dn), s]));
    return sweptByDn.get(normalizeDn(dn));
  };

  // 3. Per user: the changed entry, or the stored state when nothing says the entry changed, or a re-read.
  const syncedBefore = realm.sync!.at;
  const decided = new Map<string, Found>();
  const rereadIds = new Map<string, UserRecord>();
  const rereadDns = new Map<string, UserRecord>();
  for (const user of users) {
    const origin = user.origin!;
    const id = origin.externalId.toLowerCase();
    const changed = id ? changedById.get(id) : undefined;
    if (changed) {
      decided.set(user.id, { kind: 'entry', entry: changed });
      continue;
    }
    // Synced outside a reconcile since the last one (import, resync, link): what is stored may not be this marker's.
    const trusted = !origin.missingSince && origin.syncedAt <= syncedBefore;
    const byId = id ? sweptById.get(id) : undefined;
    if (byId) {
      if (byId.dn === origin.dn && trusted) decided.set(user.id, { kind: 'stored', swept: byId });
      else rereadIds.set(id, user);
      continue;
    }
    // No entry has the id: as a full read would, look at the DN (a realm keyed by DN has nothing else).
    const changedDn = changedByDn.get(normalizeDn(origin.dn));
    if (changedDn) {
      decided.set(user.id, { kind: 'entry', entry: changedDn });
      continue;
    }
    const atDn = sweptAt(origin.dn);
    if (!atDn) decided.set(user.id, { kind: 'none' });
    else if (byDnKeyed && atDn.dn === origin.dn && trusted) decided.set(user.id, { kind: 'stored', swept: atDn });
    else rereadDns.set(atDn.dn, user);
  }

  // 3b. On AD a DN value (manager) follows its target's rename or deletion without the entry holding it being
  // stamped: a stored DN that no longer names an entry, spelt as stored, means the holder is read again.
  const dnFields = fields.filter((f) => f.type === 'dn' && mapped.has(f.key)).map((f) => f.key);
  if (dnFields.length) {
    const spelt = new Set(swept.map((s) => s.dn));
    const named = new Map<string, boolean>();
    for (const user of users) {
      if (decided.get(user.id)?.kind !== 'stored') continue;
      for (const key of dnFields) {
        const value = user.origin!.base[key];
        if (!value || spelt.has(value)) continue;
        let there = named.get(value);
        if (there === undefined) {
          // Past MAX_DN_LOOKUPS distinct names, holders are read again instead of each name being looked up.
          there = named.size < MAX_DN_LOOKUPS && (await reader.spelling(value, signal)) === value;
          named.set(value, there);
        }
        if (there) continue;
        decided.delete(user.id);
        if (byDnKeyed) rereadDns.set(user.origin!.dn, user);
        else rereadIds.set(user.origin!.externalId.toLowerCase(), user);
        break;
      }
    }
  }

  const rereads = rereadIds.size + rereadDns.size;
  if ((rereads > REREAD_CHUNK * 10 && rereads > users.length * REREAD_SHARE) || rereadDns.size > MAX_DN_REREADS) {
    return readAll(
      `${fmt(rereads)} of ${fmt(users.length)} users moved or were synced outside a reconcile since the last one; reading the realm once is quicker than reading each again`,
    );
  }

  // 4. Moved entries (and users synced since the last reconcile) are read again in full.
  const ids = [...rereadIds.keys()];
  const rereadById = new Map<string, DirectoryUser>();
  for (let start = 0; start < ids.length; start += REREAD_CHUNK) {
    checkCancelled(signal);
    const chunk = ids.slice(start, start + REREAD_CHUNK).map((id) => rereadIds.get(id)!.origin!.externalId);
    for (const raw of await reader.readByIds(chunk, attributes, signal)) {
      const entry = map(raw);
      rereadById.set(entry.externalId.toLowerCase(), entry);
    }
    progress?.(Math.min(ids.length, start + REREAD_CHUNK), ids.length, `Reading moved entries again: ${fmt(Math.min(ids.length, start + REREAD_CHUNK))}`);
  }
  for (const [id, user] of rereadIds) {
    const entry = rereadById.get(id) ?? changedByDn.get(normalizeDn(user.origin!.dn));
    decided.set(user.id, entry ? { kind: 'entry', entry } : { kind: 'none' });
  }
  for (const [dn, user] of rereadDns) {
    checkCancelled(signal);
    const raw = await reader.readDn(dn, attributes, signal);
    decided.set(user.id, raw ? { kind: 'entry', entry: map(raw) } : { kind: 'none' });
  }

  // 5. New in the directory: the sweep lists every entry of the realm. New ones are among the changed entries
  // too, with their usernames; older entries never imported are only here, so the few unlinked ones are read.
  const fresh = unlinked(users, swept).map((s) => changedById.get(s.externalId.toLowerCase()) ?? changedByDn.get(normalizeDn(s.dn)) ?? s);
  const unread = byDnKeyed ? [] : fresh.filter((e): e is Swept => !('username' in e) && e.externalId !== '').slice(0, MAX_UNLINKED_READS);
  const readNow = new Map<string, DirectoryUser>();
  for (let start = 0; start < unread.length; start += REREAD_CHUNK) {
    checkCancelled(signal);
    for (const raw of await reader.readByIds(unread.slice(start, start + REREAD_CHUNK).map((e) => e.externalId), attributes, signal)) {
      const entry = map(raw);
      readNow.set(entry.externalId.toLowerCase(), entry);
    }
  }
  const newInDirectory = countNew(
    users,
    fresh.map((e) => ('username' in e ? e : (readNow.get(e.externalId.toLowerCase()) ?? e))),
    taken,
  );

  const next = nextMarker(state, plan.marker, newest, readMs);
  return {
    found: (user) => decided.get(user.id) ?? { kind: 'none' },
    mode: {
      mode: 'incremental',
      reason: plan.reason,
      entriesRead: changedByDn.size + rereadById.size + rereadDns.size,
      idsSwept: swept.length,
      reread: rereads,
      ...(since ? { since } : {}),
    },
    marker: next,
    keepMarker: next === undefined,
    newInDirectory,
  };
}

/**
 * Compares users in batches of BATCH_SIZE, each saved as one transaction. A user whose entry was not read
 * (unchanged since the last reconcile) is compared with its stored state. Either way, a user whose comparison
 * would change nothing but "last synced" is left as it is, not rewritten: 100,000 unchanged users cost no
 * write, and an incremental and a full reconcile leave the very same store. "Last synced" is then when the
 * user's values were last taken from the directory; the realm's last reconcile says when every user not
 * missing was last compared. The report lists users in the same order either way.
 */
async function compareInBatches(
  deps: SyncDeps,
  realm: RealmRecord,
  users: readonly UserRecord[],
  summary: SyncSummary,
  found: (user: UserRecord) => Found,
  options: ReconcileOptions,
): Promise<void> {
  const fields = deps.users.fields();
  const mapped = sourceMap(realm, fields);
  const directoryOwned = fields.filter((f) => f.owner === 'directory' && mapped.has(f.key)).map((f) => f.key);
  /**
   * Whether comparing a user with its stored state can change nothing but "last synced", without running the
   * diff (the common case, 100,000 times): no conflict waiting, not missing, the same id spelling, and every
   * field the directory owns still holds the value last synced (a local value of a field Roster owns is kept).
   */
  const quiet = (user: UserRecord, swept: Swept) => {
    const origin = user.origin!;
    if (user.kind !== 'external' || user.conflicts?.length || origin.missingSince || swept.externalId !== origin.externalId) return false;
    for (const key of directoryOwned) if ((user.fields[key] ?? '') !== (origin.base[key] ?? '')) return false;
    return true;
  };
  /** Whether an entry read in full is exactly what the user last synced: comparing it changes nothing either. */
  const asSynced = (user: UserRecord, entry: DirectoryUser) => {
    const origin = user.origin!;
    if (!quiet(user, entry) || entry.dn !== origin.dn || entry.username !== origin.baseUsername || entry.enabled !== origin.directoryEnabled) return false;
    if (entry.expiresAt !== origin.expiresAt || entry.userPrincipalName !== origin.userPrincipalName) return false;
    for (const key of mapped.keys()) if ((entry.fields[key] ?? '') !== (origin.base[key] ?? '')) return false;
    return true;
  };
  for (let start = 0; start < users.length; start += BATCH_SIZE) {
    checkCancelled(options.signal);
    const batch = users.slice(start, start + BATCH_SIZE);
    const slots: Array<{ pair: Pair } | { unchanged: SyncChange; enabled: boolean }> = [];
    const at = deps.ctx.now().toISOString();
    for (const user of batch) {
      const f = found(user);
      if (f.kind === 'none') slots.push({ pair: { user } });
      else if (options.compareEverything) slots.push({ pair: { user, entry: f.kind === 'entry' ? f.entry : storedEntry(user, f.swept) } });
      else if (f.kind === 'entry')
        slots.push(
          asSynced(user, f.entry)
            ? { unchanged: { userId: user.id, username: user.username, dn: f.entry.dn, action: 'unchanged', changes: [] }, enabled: f.entry.enabled }
            : { pair: { user, entry: f.entry } },
        );
      else if (quiet(user, f.swept)) {
        slots.push({
          unchanged: { userId: user.id, username: user.username, dn: f.swept.dn, action: 'unchanged', changes: [] },
          enabled: user.origin!.directoryEnabled,
        });
      } else {
        const entry = storedEntry(user, f.swept);
        const diff = threeWayDiff(user, realm, fields, entry);
        const holder = diff.username_change ? deps.ctx.users.findByUsername(diff.username_change.to) : undefined;
        const applied = applyDiff(user, diff, entry, at, { usernameFree: !holder || holder.id === user.id });
        const same =
          applied.changes.length === 0 &&
          applied.conflicts.length === 0 &&
          isDeepStrictEqual({ ...applied.user, origin: { ...applied.user.origin!, syncedAt: '' } }, { ...user, origin: { ...user.origin!, syncedAt: '' } });
        slots.push(
          same
            ? { unchanged: { userId: user.id, username: user.username, dn: entry.dn, action: 'unchanged', changes: [] }, enabled: entry.enabled }
            : { pair: { user, entry } },
        );
      }
    }
    checkCancelled(options.signal);
    const pairs = slots.flatMap((s) => ('pair' in s ? [s.pair] : []));
    const part = emptySummary(realm.id, options.dryRun);
    if (pairs.length) await syncBatch(deps, realm, pairs, part, { create: false, dryRun: options.dryRun });
    // syncBatch gives one outcome per user it is handed, in order: merge them back in the users' order.
    let next = 0;
    for (const slot of slots) {
      if ('pair' in slot) record(summary, part.changes[next++]!);
      else {
        summary.matched += 1;
        if (!slot.enabled) summary.disabledUpstream += 1;
        record(summary, slot.unchanged);
      }
    }
    summary.matched += part.matched;
    summary.disabledUpstream += part.disabledUpstream;
    const done = Math.min(users.length, start + BATCH_SIZE);
    options.setConsistency?.(`${fmt(done)} of ${fmt(users.length)} users were compared and saved; the others were left as they were.`);
    options.progress?.(done, users.length, `Comparing ${fmt(done)} of ${fmt(users.length)} users`);
  }
  await deps.ctx.users.compactIfDue();
}
