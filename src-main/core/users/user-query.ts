import type { FieldDefinition } from '#shared/model/fields';
import type { UserFacets, UserPage, UserQuery, UserRecord, UserRow, UserSortColumn } from '#shared/model/user';
import { collationKey, compareKeyed } from './collation-keys';
import { ALIVE, COMPLETIONS, CONFLICTS, ENABLED, EXTERNAL, INCOMPLETE, UNEXPORTED, UserSlots, type UserSource } from './user-slots';
import type { UserFlags } from './user-view';

export { listCollator } from './collation-keys';
export { searchText } from './user-slots';

/** The value a column sorts by. */
export function sortValue(user: UserRecord, column: UserSortColumn, realmName: (id: string) => string): string {
  switch (column) {
    case 'username':
      return user.username;
    case 'kind':
      return user.kind === 'internal' ? 'internal' : `external ${realmName(user.origin?.realmId ?? '')}`;
    case 'enabled':
      return user.enabled ? 'enabled' : 'disabled';
    case 'syncedAt':
      return user.origin?.syncedAt ?? '';
    default:
      return user.fields[column] ?? '';
  }
}

const DAY_MS = 86_400_000;

/** Whether a user passes the query's filters other than the search text. */
export function passesFilters(
  user: UserRecord,
  flags: UserFlags,
  query: UserQuery,
  now: Date = new Date(),
  reconciledAt: RealmReconciledAt = () => undefined,
): boolean {
  if (query.kind && user.kind !== query.kind) return false;
  if (query.realmId && user.origin?.realmId !== query.realmId) return false;
  if (query.enabled !== undefined && user.enabled !== query.enabled) return false;
  if (query.incomplete !== undefined && flags.incomplete !== query.incomplete) return false;
  if (query.completions !== undefined && flags.completions !== query.completions) return false;
  if (query.conflicts !== undefined && flags.conflicts !== query.conflicts) return false;
  if (query.missingField !== undefined && (user.fields[query.missingField] ?? '').trim() !== '') return false;
  if (query.unexported !== undefined && flags.unexported !== query.unexported) return false;
  if (query.staleDays !== undefined && !isStale(user, query.staleDays, now, user.origin && reconciledAt(user.origin.realmId))) return false;
  if (query.directoryEnabled !== undefined && (!user.origin || user.origin.directoryEnabled !== query.directoryEnabled)) return false;
  if (query.notFound !== undefined && (user.origin?.missingSince !== undefined) !== query.notFound) return false;
  return true;
}

/** When a realm's last complete reconcile finished, if it had one. */
export type RealmReconciledAt = (realmId: string) => string | undefined;

/**
 * An external user not synced for at least `days` days. A reconcile leaves a user it compared and found unchanged
 * unwritten, so its `syncedAt` (when its values last came from the directory) can be older than the realm's last
 * reconcile: a user that reconcile did not mark missing was confirmed then, and is not stale.
 */
export function isStale(user: UserRecord, days: number, now: Date, realmReconciledAt?: string): boolean {
  if (!user.origin) return false;
  const synced = Date.parse(user.origin.syncedAt);
  const confirmed = user.origin.missingSince === undefined && realmReconciledAt !== undefined ? Date.parse(realmReconciledAt) : Number.NaN;
  const latest = Number.isNaN(confirmed) ? synced : Number.isNaN(synced) ? confirmed : Math.max(synced, confirmed);
  return Number.isNaN(latest) || now.getTime() - latest >= days * DAY_MS;
}

/** A column's sort value and the two ends of its collation key, per slot. */
interface ColumnKeys {
  values: string[];
  lo: string[];
  hi: string[];
}

/** The slots whose text contains a needle (in slot order). */
interface Matches {
  needle: string;
  slots: Int32Array;
}

interface Result {
  key: string;
  version: number;
  /** The matching slots, in the query's order. */
  slots: Int32Array;
  facets: UserFacets;
}

/** Needles whose matches are kept: the last few keystrokes, so typing on or erasing reuses them. */
const KEPT_MATCHES = 16;
/** What warming the search path types: two first letters and the letters after them. */
const WARM_SEARCHES = ['e', 'er', 'ern', 'a', 'an', 'ann'];

/** The source filters (kind and realm) in a facet's failure mask: a bit no flag uses. */
const SOURCE_GROUP = 1 << 30;

const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Search, filter, sort and count over the in-memory users, kept in flat arrays (UserSlots). Each column's
 * order is sorted once (collation keys decide most comparisons without the collator) and patched on
 * edits; a search narrows the matches of the needle typed before it when it can; a query is then one
 * pass over the column's order plus one counting pass over the matches, and the result is kept so
 * scrolling through it costs only slicing.
 */
export class UserQueryEngine {
  private readonly slots: UserSlots;
  private readonly columns = new Map<UserSortColumn, ColumnKeys>();
  private readonly orders = new Map<UserSortColumn, Int32Array>();
  private matches: Matches[] = [];
  private matchesVersion = -1;
  private last: Result | undefined;
  private mark = new Int32Array(0);
  private stamp = 0;
  private searchWarmed = false;

  constructor(
    users: UserSource,
    private readonly realmName: (id: string) => string,
    private readonly now: () => Date = () => new Date(),
    private readonly reconciledAt: RealmReconciledAt = () => undefined,
  ) {
    this.slots = new UserSlots(users);
  }

  /** Sets the field policy the markers follow; markers are recomputed on the next query. */
  setFields(fields: readonly FieldDefinition[]): void {
    this.slots.setFields(fields);
  }

  /** Forgets what depends on realm names (a realm was renamed). */
  realmsChanged(): void {
    this.columns.delete('kind');
    this.orders.delete('kind');
    this.last = undefined;
  }

  /**
   * Does ahead of time what the list's first calls would do: fills the slots, sorts by `sort` and runs one
   * search, so the first page and the first keystroke find it done. For a process that will serve the list
   * (the app, roster serve), right after the store opens.
   */
  warm(sort: UserQuery['sort'] = { column: 'username', direction: 'asc' }): void {
    this.run({ search: '', sort });
    this.warmSearch(sort);
  }

  /**
   * Runs a few searches for nothing but their side effects: typing a word and starting another, so the code
   * of a first letter (a scan of everyone) and of the next ones (narrowing its matches) is compiled and
   * optimised before the first keystroke (one run each left the first letters at 10-50 ms at 100,000 users,
   * against 2-5 once optimised). One search per turn of the event loop, so what comes meanwhile (the page's
   * files, its first query) is answered between two. The last result stays.
   */
  private warmSearch(sort: UserQuery['sort']): void {
    this.searchWarmed = true;
    const next = (index: number) => {
      const search = WARM_SEARCHES[index];
      if (search === undefined) return;
      const last = this.last;
      this.run({ search, sort });
      this.last = last;
      setImmediate(() => next(index + 1)).unref();
    };
    next(0);
  }

  /** Brings the slots, sort keys and orders up to date with the store. */
  private sync(): void {
    const changed = this.slots.refresh();
    if (changed === undefined) {
      this.columns.clear();
      this.orders.clear();
    } else if (changed.length > 0) {
      const users = this.slots.users;
      for (const [column, keys] of this.columns) {
        for (const slot of changed) {
          const user = users[slot];
          const value = user ? sortValue(user, column, this.realmName) : '';
          const key = collationKey(value);
          keys.values[slot] = value;
          keys.lo[slot] = key.lo;
          keys.hi[slot] = key.hi;
        }
      }
      const unique = [...new Set(changed)];
      for (const [column, order] of this.orders) this.orders.set(column, this.patchOrder(order, unique, this.comparator(column)));
    }
    if (this.matchesVersion !== this.slots.version) {
      this.matches = [];
      this.matchesVersion = this.slots.version;
    }
  }

  private keysFor(column: UserSortColumn): ColumnKeys {
    let keys = this.columns.get(column);
    if (keys) return keys;
    const users = this.slots.users;
    // Filled by push, in slot order: `new Array(100_000)` would start in V8's slow dictionary mode.
    keys = { values: [], lo: [], hi: [] };
    for (let slot = 0; slot < this.slots.count; slot += 1) {
      const user = users[slot];
      const value = user ? sortValue(user, column, this.realmName) : '';
      const key = collationKey(value);
      keys.values.push(value);
      keys.lo.push(key.lo);
      keys.hi.push(key.hi);
    }
    this.columns.set(column, keys);
    return keys;
  }

  /** Slot order for a column: its value, then the username, then the id, so the order is total and stable. */
  private comparator(column: UserSortColumn): (a: number, b: number) => number {
    const c = this.keysFor(column);
    const u = this.keysFor('username');
    const users = this.slots.users;
    const byKey = (k: ColumnKeys, a: number, b: number) =>
      compareKeyed(k.lo[a] as string, k.hi[a] as string, k.values[a] as string, k.lo[b] as string, k.hi[b] as string, k.values[b] as string);
    return (a, b) => byKey(c, a, b) || (column === 'username' ? 0 : byKey(u, a, b)) || compareIds((users[a] as UserRecord).id, (users[b] as UserRecord).id);
  }

  private orderFor(column: UserSortColumn): Int32Array {
    const cached = this.orders.get(column);
    if (cached) return cached;
    const { attrs, count } = this.slots;
    const live = new Int32Array(count);
    let n = 0;
    for (let slot = 0; slot < count; slot += 1) if (attrs[slot]! & ALIVE) live[n++] = slot;
    // A plain array sorts faster than a typed one with a comparator.
    const order = Int32Array.from(Array.from(live.subarray(0, n)).sort(this.comparator(column)));
    this.orders.set(column, order);
    return order;
  }

  /** A fresh stamp for `mark`, which is grown to cover every slot. */
  private nextStamp(): number {
    if (this.mark.length < this.slots.count) this.mark = new Int32Array(Math.ceil(this.slots.count * 1.25));
    this.stamp += 1;
    return this.stamp;
  }

  /** Takes changed slots out of an order and puts the live ones back where they now belong. */
  private patchOrder(order: Int32Array, changed: number[], compare: (a: number, b: number) => number): Int32Array {
    const stamp = this.nextStamp();
    for (const slot of changed) this.mark[slot] = stamp;
    const kept = new Int32Array(order.length);
    let n = 0;
    for (const slot of order) if (this.mark[slot] !== stamp) kept[n++] = slot;
    const added = changed.filter((slot) => this.slots.users[slot] !== undefined).sort(compare);
    const out = new Int32Array(n + added.length);
    let from = 0;
    let o = 0;
    for (const slot of added) {
      let lo = from;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (compare(kept[mid] as number, slot) < 0) lo = mid + 1;
        else hi = mid;
      }
      out.set(kept.subarray(from, lo), o);
      o += lo - from;
      out[o++] = slot;
      from = lo;
    }
    out.set(kept.subarray(from, n), o);
    return out;
  }

  /** The slots whose search text contains `needle`, narrowing the matches of an earlier needle it contains. */
  private matchesOf(needle: string): Int32Array {
    const kept = this.matches.find((m) => m.needle === needle);
    if (kept) return kept.slots;
    let base: Matches | undefined;
    for (const m of this.matches) if (needle.includes(m.needle) && (!base || m.needle.length > base.needle.length)) base = m;
    const { text, attrs, count } = this.slots;
    const out = new Int32Array(base ? base.slots.length : count);
    let n = 0;
    if (base) {
      for (const slot of base.slots) if ((text[slot] as string).includes(needle)) out[n++] = slot;
    } else {
      for (let slot = 0; slot < count; slot += 1) if (attrs[slot]! & ALIVE && (text[slot] as string).includes(needle)) out[n++] = slot;
    }
    const slots = out.slice(0, n);
    this.matches.unshift({ needle, slots });
    if (this.matches.length > KEPT_MATCHES) this.matches.pop();
    return slots;
  }

  /** Every user a query matches, in its sort order. */
  matching(query: UserQuery): UserRecord[] {
    const { slots } = this.run(query);
    const users = this.slots.users;
    return Array.from(slots, (slot) => users[slot] as UserRecord);
  }

  private run(query: UserQuery): Result {
    this.sync();
    const now = this.now();
    // A "not synced for N days" result moves with the clock and with reconciles that write no user: never kept.
    const key = JSON.stringify(query);
    const last = this.last;
    if (last && query.staleDays === undefined && last.key === key && last.version === this.slots.version) return last;
    const needle = query.search.trim().toLowerCase();
    const matched = needle ? this.matchesOf(needle) : undefined;
    const facets = this.count(matched, query, now);

    // Filters on the flag byte and realm number; the rarer ones look at the user.
    let mask = 0;
    let want = 0;
    const wants = (bit: number, value: boolean | undefined) => {
      if (value === undefined) return;
      mask |= bit;
      if (value) want |= bit;
    };
    wants(EXTERNAL, query.kind === undefined ? undefined : query.kind === 'external');
    wants(ENABLED, query.enabled);
    wants(INCOMPLETE, query.incomplete);
    wants(COMPLETIONS, query.completions);
    wants(CONFLICTS, query.conflicts);
    wants(UNEXPORTED, query.unexported);
    // A realm no user belongs to matches no one (-1 means "no realm": internal users must not match it).
    const realmNo = query.realmId ? this.slots.realmNumber(query.realmId) : undefined;
    const realmWanted = realmNo === -1 ? -2 : realmNo;
    const slow = query.missingField !== undefined || query.staleDays !== undefined || query.directoryEnabled !== undefined || query.notFound !== undefined;

    const { attrs, realm, users } = this.slots;
    const order = this.orderFor(query.sort.column);
    let stamp = 0;
    if (matched) {
      stamp = this.nextStamp();
      for (const slot of matched) this.mark[slot] = stamp;
    }
    const mark = this.mark;
    const out = new Int32Array(matched ? matched.length : order.length);
    let n = 0;
    const ascending = query.sort.direction === 'asc';
    const length = order.length;
    for (let i = 0; i < length; i += 1) {
      const slot = order[ascending ? i : length - 1 - i] as number;
      if (matched && mark[slot] !== stamp) continue;
      const a = attrs[slot] as number;
      if ((a & mask) !== want) continue;
      if (realmWanted !== undefined && realm[slot] !== realmWanted) continue;
      if (slow && !passesFilters(users[slot] as UserRecord, flagsOf(a), query, now, this.reconciledAt)) continue;
      out[n++] = slot;
    }
    this.last = { key, version: this.slots.version, slots: out.subarray(0, n), facets };
    return this.last;
  }

  /**
   * Facets follow the whole query: each counts the users matching the search and every other filter, with
   * its own group's choice in place of the current one ("Internal" with Incomplete on counts the incomplete
   * internal users), so a count is what choosing it would show and the chosen ones equal the total. A user
   * failing two groups counts nowhere; failing one, only in that group.
   */
  private count(matched: Int32Array | undefined, query: UserQuery, now: Date): UserFacets {
    const { attrs, realm, realmIds, count, users } = this.slots;
    const realms = new Int32Array(realmIds.length);
    let all = 0;
    let external = 0;
    let enabled = 0;
    let disabled = 0;
    let incomplete = 0;
    let completions = 0;
    let conflicts = 0;
    const realmNo = query.realmId ? this.slots.realmNumber(query.realmId) : undefined;
    const realmWanted = realmNo === -1 ? -2 : realmNo;
    const wantsBit = (bit: number, value: boolean | undefined) => (value === undefined ? -1 : value ? bit : 0);
    const wantExternal = wantsBit(EXTERNAL, query.kind === undefined ? undefined : query.kind === 'external');
    const wantEnabled = wantsBit(ENABLED, query.enabled);
    const wantIncomplete = wantsBit(INCOMPLETE, query.incomplete);
    const wantCompletions = wantsBit(COMPLETIONS, query.completions);
    const wantConflicts = wantsBit(CONFLICTS, query.conflicts);
    const wantUnexported = wantsBit(UNEXPORTED, query.unexported);
    const slow = query.missingField !== undefined || query.staleDays !== undefined || query.directoryEnabled !== undefined || query.notFound !== undefined;
    // The filters no facet stands for: a user failing them counts nowhere.
    const others: UserQuery = { search: '', sort: query.sort, missingField: query.missingField, staleDays: query.staleDays, directoryEnabled: query.directoryEnabled, notFound: query.notFound };
    const add = (slot: number) => {
      const a = attrs[slot] as number;
      if (wantUnexported >= 0 && (a & UNEXPORTED) !== wantUnexported) return;
      if (slow && !passesFilters(users[slot] as UserRecord, flagsOf(a), others, now, this.reconciledAt)) return;
      const r = realm[slot] as number;
      let fails = 0;
      if ((wantExternal >= 0 && (a & EXTERNAL) !== wantExternal) || (realmWanted !== undefined && r !== realmWanted)) fails |= SOURCE_GROUP;
      if (wantEnabled >= 0 && (a & ENABLED) !== wantEnabled) fails |= ENABLED;
      if (wantIncomplete >= 0 && (a & INCOMPLETE) !== wantIncomplete) fails |= INCOMPLETE;
      if (wantCompletions >= 0 && (a & COMPLETIONS) !== wantCompletions) fails |= COMPLETIONS;
      if (wantConflicts >= 0 && (a & CONFLICTS) !== wantConflicts) fails |= CONFLICTS;
      if ((fails & ~SOURCE_GROUP) === 0) {
        all += 1;
        if (a & EXTERNAL) external += 1;
        if (r >= 0) realms[r] = (realms[r] as number) + 1;
      }
      if ((fails & ~ENABLED) === 0) {
        if (a & ENABLED) enabled += 1;
        else disabled += 1;
      }
      if ((fails & ~INCOMPLETE) === 0 && a & INCOMPLETE) incomplete += 1;
      if ((fails & ~COMPLETIONS) === 0 && a & COMPLETIONS) completions += 1;
      if ((fails & ~CONFLICTS) === 0 && a & CONFLICTS) conflicts += 1;
    };
    if (matched) for (const slot of matched) add(slot);
    else for (let slot = 0; slot < count; slot += 1) if (attrs[slot]! & ALIVE) add(slot);
    const byRealm: Record<string, number> = {};
    realmIds.forEach((id, no) => {
      if (realms[no]) byRealm[id] = realms[no] as number;
    });
    return { all, internal: all - external, external, enabled, disabled, incomplete, completions, conflicts, realms: byRealm };
  }

  /** One window of the list. */
  page(query: UserQuery, offset: number, limit: number): UserPage {
    const result = this.run(query);
    // The list is being shown: once this answer is out, get the search path ready for the first keystroke.
    if (!this.searchWarmed) {
      this.searchWarmed = true;
      setImmediate(() => this.warmSearch(query.sort)).unref();
    }
    const end = Math.min(result.slots.length, offset + limit);
    const rows: UserRow[] = [];
    for (let i = offset; i < end; i += 1) rows.push(this.row(result.slots[i] as number));
    return { total: result.slots.length, offset, rows, facets: result.facets };
  }

  /** The compact row the table shows. */
  private row(slot: number): UserRow {
    const user = this.slots.users[slot] as UserRecord;
    const flags = flagsOf(this.slots.attrs[slot] as number);
    const realmId = user.origin?.realmId;
    return {
      id: user.id,
      username: user.username,
      displayName: user.fields.displayName ?? '',
      email: user.fields.email ?? '',
      department: user.fields.department ?? '',
      title: user.fields.title ?? '',
      kind: user.kind,
      ...(realmId ? { realmId, realmName: this.realmName(realmId) } : {}),
      enabled: user.enabled,
      ...(user.origin ? { syncedAt: user.origin.syncedAt } : {}),
      incomplete: flags.incomplete,
      ...(flags.incomplete ? { missing: this.slots.fieldPolicy.filter((f) => f.required && (user.fields[f.key] ?? '').trim() === '').map((f) => f.label) } : {}),
      completions: flags.completions,
      conflicts: flags.conflicts,
    };
  }
}

/** The markers a slot's flag byte holds. */
function flagsOf(attrs: number): UserFlags {
  return {
    incomplete: (attrs & INCOMPLETE) !== 0,
    completions: (attrs & COMPLETIONS) !== 0,
    conflicts: (attrs & CONFLICTS) !== 0,
    unexported: (attrs & UNEXPORTED) !== 0,
  };
}
