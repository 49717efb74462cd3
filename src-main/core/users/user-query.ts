import type { FieldDefinition } from '../../../src-shared/model/fields';
import type { UserFacets, UserPage, UserQuery, UserRecord, UserRow, UserSortColumn } from '../../../src-shared/model/user';
import { userFlags, type UserFlags } from './user-view';
import type { UserStore } from './user-store';

/** How the list compares text: by letters ignoring case and accents, digits as numbers ("user2" < "user10"). */
export const listCollator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** Equal sort values fall back to the username, then the id, so the order is total and stable. */
const tieBreak = (a: UserRecord, b: UserRecord): number => listCollator.compare(a.username, b.username) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

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

/** The text the search box matches: username, full name, email and department, lower-cased. */
export const searchText = (user: UserRecord): string =>
  `${user.username}\n${user.fields.displayName ?? ''}\n${user.fields.email ?? ''}\n${user.fields.department ?? ''}`.toLowerCase();

const DAY_MS = 86_400_000;

/** Whether a user passes the query's filters other than the search text. */
export function passesFilters(user: UserRecord, flags: UserFlags, query: UserQuery, now: Date = new Date()): boolean {
  if (query.kind && user.kind !== query.kind) return false;
  if (query.realmId && user.origin?.realmId !== query.realmId) return false;
  if (query.enabled !== undefined && user.enabled !== query.enabled) return false;
  if (query.incomplete !== undefined && flags.incomplete !== query.incomplete) return false;
  if (query.completions !== undefined && flags.completions !== query.completions) return false;
  if (query.conflicts !== undefined && flags.conflicts !== query.conflicts) return false;
  if (query.missingField !== undefined && (user.fields[query.missingField] ?? '').trim() !== '') return false;
  if (query.unexported !== undefined && flags.unexported !== query.unexported) return false;
  if (query.staleDays !== undefined && !isStale(user, query.staleDays, now)) return false;
  if (query.directoryEnabled !== undefined && (!user.origin || user.origin.directoryEnabled !== query.directoryEnabled)) return false;
  if (query.notFound !== undefined && (user.origin?.missingSince !== undefined) !== query.notFound) return false;
  return true;
}

/** An external user not synced for at least `days` days. */
export function isStale(user: UserRecord, days: number, now: Date): boolean {
  if (!user.origin) return false;
  const synced = Date.parse(user.origin.syncedAt);
  return Number.isNaN(synced) || now.getTime() - synced >= days * DAY_MS;
}

interface Derived {
  policy: number;
  text: string;
  flags: UserFlags;
}

interface Sorted {
  generation: number;
  users: UserRecord[];
}

interface Result {
  key: string;
  generation: number;
  policy: number;
  users: UserRecord[];
  facets: UserFacets;
}

/**
 * Search, filter, sort and count over the in-memory users. Each column's sort order is computed once per
 * change of the store and reused; a query is then one pass over that order plus one counting pass, and the
 * result is kept so scrolling through it costs only slicing.
 */
export class UserQueryEngine {
  private readonly derived = new WeakMap<UserRecord, Derived>();
  private readonly sorted = new Map<UserSortColumn, Sorted>();
  private last: Result | undefined;
  private policy = 0;
  private fields: readonly FieldDefinition[] = [];

  constructor(
    private readonly users: UserStore,
    private readonly realmName: (id: string) => string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Sets the field policy the markers follow; markers are recomputed lazily. */
  setFields(fields: readonly FieldDefinition[]): void {
    this.fields = fields;
    this.policy += 1;
  }

  /** Forgets sort orders that depend on realm names (a realm was renamed). */
  realmsChanged(): void {
    this.sorted.delete('kind');
    this.last = undefined;
  }

  private derive(user: UserRecord): Derived {
    let d = this.derived.get(user);
    if (!d || d.policy !== this.policy) {
      d = { policy: this.policy, text: d?.text ?? searchText(user), flags: userFlags(user, this.fields) };
      this.derived.set(user, d);
    }
    return d;
  }

  /** Markers of one user under the current policy. */
  flagsOf(user: UserRecord): UserFlags {
    return this.derive(user).flags;
  }

  private compare(column: UserSortColumn, a: UserRecord, b: UserRecord): number {
    return listCollator.compare(sortValue(a, column, this.realmName), sortValue(b, column, this.realmName)) || tieBreak(a, b);
  }

  private sortedBy(column: UserSortColumn): UserRecord[] {
    const cached = this.sorted.get(column);
    if (cached && cached.generation === this.users.generation) return cached.users;
    const changed = cached ? this.users.changedSince(cached.generation) : undefined;
    // A few edits since the last sort: take the changed users out and put their new versions in place.
    if (cached && changed && changed.length <= 2_000) {
      const ids = new Set(changed);
      const users = cached.users.filter((u) => !ids.has(u.id));
      for (const id of ids) {
        const user = this.users.get(id);
        if (!user) continue;
        let lo = 0;
        let hi = users.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (this.compare(column, users[mid] as UserRecord, user) < 0) lo = mid + 1;
          else hi = mid;
        }
        users.splice(lo, 0, user);
      }
      this.sorted.set(column, { generation: this.users.generation, users });
      return users;
    }
    const keyed = [...this.users.all()].map((user) => ({ user, value: sortValue(user, column, this.realmName) }));
    // Sort values computed once per user, not once per comparison.
    keyed.sort((a, b) => listCollator.compare(a.value, b.value) || tieBreak(a.user, b.user));
    const users = keyed.map((k) => k.user);
    this.sorted.set(column, { generation: this.users.generation, users });
    return users;
  }

  /** Every user a query matches, in its sort order. */
  matching(query: UserQuery): UserRecord[] {
    return this.run(query).users;
  }

  private run(query: UserQuery): Result {
    const now = this.now();
    // A "not synced for N days" result moves with the clock: it is kept for the day it was made.
    const key = JSON.stringify(query) + (query.staleDays !== undefined ? now.toISOString().slice(0, 10) : '');
    const last = this.last;
    if (last && last.key === key && last.generation === this.users.generation && last.policy === this.policy) return last;
    const needle = query.search.trim().toLowerCase();
    const order = this.sortedBy(query.sort.column);
    const users: UserRecord[] = [];
    const facets: UserFacets = { all: 0, internal: 0, external: 0, enabled: 0, disabled: 0, incomplete: 0, completions: 0, conflicts: 0, realms: {} };
    const ascending = query.sort.direction === 'asc';
    for (let i = 0; i < order.length; i += 1) {
      const user = order[ascending ? i : order.length - 1 - i] as UserRecord;
      const d = this.derive(user);
      if (needle && !d.text.includes(needle)) continue;
      // Facets count everything the search matches, so each filter shows what choosing it would give.
      facets.all += 1;
      facets[user.kind] += 1;
      facets[user.enabled ? 'enabled' : 'disabled'] += 1;
      if (d.flags.incomplete) facets.incomplete += 1;
      if (d.flags.completions) facets.completions += 1;
      if (d.flags.conflicts) facets.conflicts += 1;
      if (user.origin) facets.realms[user.origin.realmId] = (facets.realms[user.origin.realmId] ?? 0) + 1;
      if (passesFilters(user, d.flags, query, now)) users.push(user);
    }
    this.last = { key, generation: this.users.generation, policy: this.policy, users, facets };
    return this.last;
  }

  /** One window of the list. */
  page(query: UserQuery, offset: number, limit: number): UserPage {
    const result = this.run(query);
    const rows = result.users.slice(offset, offset + limit).map((user) => this.row(user));
    return { total: result.users.length, offset, rows, facets: result.facets };
  }

  /** The compact row the table shows. */
  row(user: UserRecord): UserRow {
    const flags = this.derive(user).flags;
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
      completions: flags.completions,
      conflicts: flags.conflicts,
    };
  }
}
