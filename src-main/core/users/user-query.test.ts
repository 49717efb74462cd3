import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USER_SORT_COLUMNS, type UserQuery, type UserRecord } from '#shared/model/user';
import { seedUsers, SYNTHETIC_REALM_ID } from '../../../e2e/fixtures/users';
import { createHandlers, dispatch } from '../../handlers';
import { SessionSecretStore } from '../secrets/secret-store';
import { openServices, type Services } from '../services';
import { listCollator, sortValue, UserQueryEngine } from './user-query';
import { userFlags } from './user-view';

const COUNT = 100_000;
let dir: string;
let services: Services;
let all: UserRecord[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-100k-'));
  all = await seedUsers(dir, COUNT);
  services = await openServices({ dataDir: dir, owner: 'test', transport: 'cli', secrets: new SessionSecretStore('t'), version: 't', actor: 't' });
}, 60_000);
afterAll(async () => {
  await services?.close();
  await rm(dir, { recursive: true, force: true });
});

/** The same query computed the plain way: filter the array, sort a copy. */
function expected(query: UserQuery): UserRecord[] {
  const needle = query.search.trim().toLowerCase();
  const fields = services.users.fields();
  const realmName = (id: string) => services.users.realmName(id);
  const matches = all
    .map((u) => services.userStore.get(u.id)!)
    .filter((u) => {
      const text = [u.username, u.fields.displayName ?? '', u.fields.email ?? '', u.fields.department ?? ''].join('\n').toLowerCase();
      if (needle && !text.includes(needle)) return false;
      const flags = userFlags(u, fields);
      if (query.kind && u.kind !== query.kind) return false;
      if (query.realmId && u.origin?.realmId !== query.realmId) return false;
      if (query.enabled !== undefined && u.enabled !== query.enabled) return false;
      if (query.incomplete !== undefined && flags.incomplete !== query.incomplete) return false;
      if (query.completions !== undefined && flags.completions !== query.completions) return false;
      return true;
    });
  const col = query.sort.column;
  const sorted = [...matches].sort(
    (a, b) =>
      listCollator.compare(sortValue(a, col, realmName), sortValue(b, col, realmName)) ||
      listCollator.compare(a.username, b.username) ||
      a.id.localeCompare(b.id),
  );
  return query.sort.direction === 'asc' ? sorted : sorted.reverse();
}

const q = (partial: Partial<UserQuery>): UserQuery => ({ search: '', sort: { column: 'username', direction: 'asc' }, ...partial });

describe(`a ${COUNT.toLocaleString('en')}-user store`, () => {
  it('loaded every user', () => {
    expect(services.userStore.size).toBe(COUNT);
  });

  const cases: Array<[string, UserQuery]> = [
    ['search "smith" by username', q({ search: 'smith' })],
    ['search "ÅNGSTRÖM" (case-insensitive, accents kept)', q({ search: 'ÅNGSTRÖM' })],
    ['search an email domain part, sorted by full name descending', q({ search: 'user0012', sort: { column: 'displayName', direction: 'desc' } })],
    ['search a department substring', q({ search: 'human res', sort: { column: 'department', direction: 'asc' } })],
    ['external users of the realm, disabled', q({ kind: 'external', realmId: SYNTHETIC_REALM_ID, enabled: false })],
    ['incomplete internal users sorted by title', q({ kind: 'internal', incomplete: true, sort: { column: 'title', direction: 'asc' } })],
    ['users with completions, by email descending', q({ completions: true, sort: { column: 'email', direction: 'desc' } })],
    ['everything sorted by last synced', q({ sort: { column: 'syncedAt', direction: 'desc' } })],
    ['everything sorted by kind', q({ sort: { column: 'kind', direction: 'asc' } })],
  ];
  for (const [name, query] of cases) {
    it(`${name}: the same users in the same order as a plain array computation`, () => {
      const want = expected(query);
      const page = services.users.query(query, 0, 1000);
      expect(page.total).toBe(want.length);
      expect(page.rows.map((r) => r.id)).toEqual(want.slice(0, 1000).map((u) => u.id));
      // Spot-check the far end of the result too.
      if (want.length > 1000) {
        const tail = services.users.query(query, want.length - 50, 50);
        expect(tail.rows.map((r) => r.id)).toEqual(want.slice(-50).map((u) => u.id));
      }
    });
  }

  it('counts every facet over the search matches and the other groups\' filters', () => {
    const page = services.users.query(q({ search: 'smith', enabled: true }), 0, 1);
    const matches = expected(q({ search: 'smith' }));
    const on = matches.filter((u) => u.enabled);
    const fields = services.users.fields();
    expect(page.facets).toEqual({
      // Source and data counts follow the Login choice; Login's own counts show both choices.
      all: on.length,
      internal: on.filter((u) => u.kind === 'internal').length,
      external: on.filter((u) => u.kind === 'external').length,
      enabled: matches.filter((u) => u.enabled).length,
      disabled: matches.filter((u) => !u.enabled).length,
      incomplete: on.filter((u) => userFlags(u, fields).incomplete).length,
      completions: on.filter((u) => userFlags(u, fields).completions).length,
      conflicts: 0,
      realms: { [SYNTHETIC_REALM_ID]: on.filter((u) => u.kind === 'external').length },
    });
    expect(page.total).toBe(on.length);
  });

  it('Incomplete plus Has completions: both chips and All users count the combined filter', () => {
    const fields = services.users.fields();
    const everyone = expected(q({}));
    const both = everyone.filter((u) => userFlags(u, fields).incomplete && userFlags(u, fields).completions);
    const page = services.users.query(q({ incomplete: true, completions: true }), 0, 1);
    expect(page.total).toBe(both.length);
    expect(page.facets.all).toBe(both.length);
    expect(page.facets.incomplete).toBe(both.length);
    expect(page.facets.completions).toBe(both.length);
    // Alone, Incomplete shows every incomplete user; "Has completions" says how many of them it would keep.
    const one = services.users.query(q({ incomplete: true }), 0, 1);
    expect(one.facets.incomplete).toBe(everyone.filter((u) => userFlags(u, fields).incomplete).length);
    expect(one.facets.completions).toBe(both.length);
  });

  it('stays exact after edits move users within every sort order', async () => {
    for (const column of USER_SORT_COLUMNS) services.users.query(q({ sort: { column, direction: 'asc' } }), 0, 1);
    await services.users.update('u000002', { fields: { department: 'Aardvarks', title: 'Zookeeper', displayName: 'Aaron Aaronson' } });
    await services.users.update('u000004', { username: 'zz-last' });
    await services.users.setEnabled({ ids: ['u000005', 'u000008'] }, false);
    for (const column of USER_SORT_COLUMNS) {
      const query = q({ sort: { column, direction: 'asc' } });
      const want = expected(query);
      expect(
        services.users.query(query, 0, 200).rows.map((r) => r.id),
        column,
      ).toEqual(want.slice(0, 200).map((u) => u.id));
      expect(
        services.users.query(query, COUNT - 200, 200).rows.map((r) => r.id),
        column,
      ).toEqual(want.slice(-200).map((u) => u.id));
    }
  });

  it('bulk-disables everything a filter selects', async () => {
    const query = q({ search: 'fischer', kind: 'internal', enabled: true });
    const want = expected(query).length;
    expect(want).toBeGreaterThan(100);
    expect(await services.users.setEnabled({ query }, false)).toMatchObject({ matched: want, changed: want });
    expect(services.users.query(query, 0, 1).total).toBe(0);
  });

  it('users:query with savedSort answers in the saved order and says which (the list needs no prefs:get first)', async () => {
    const table = createHandlers(services);
    const call = async (channel: 'users:query' | 'prefs:set', input: unknown) => {
      const result = await dispatch(table, channel, input);
      if (!result.ok) throw new Error(result.error.message);
      return result.value as { rows: Array<{ id: string }>; sort: unknown };
    };
    const saved = { column: 'email', direction: 'desc' } as const;
    await call('prefs:set', { prefs: { usersSort: saved } });
    const page = await call('users:query', { query: { search: 'smith' }, limit: 50, savedSort: true });
    expect(page.sort).toEqual(saved);
    expect(page.rows.map((r) => r.id)).toEqual(
      expected(q({ search: 'smith', sort: saved }))
        .slice(0, 50)
        .map((u) => u.id),
    );
    // Without it, the query's own sort holds, and the answer says so.
    const plain = await call('users:query', { query: { search: 'smith' }, limit: 50 });
    expect(plain.sort).toEqual({ column: 'username', direction: 'asc' });
    expect(plain.rows.map((r) => r.id)).toEqual(
      expected(q({ search: 'smith' }))
        .slice(0, 50)
        .map((u) => u.id),
    );
  });

  it('answers the same after warm() did the first calls ahead of time', async () => {
    const engine = new UserQueryEngine(
      services.userStore,
      (id) => services.users.realmName(id),
      () => new Date(),
    );
    engine.setFields(services.users.fields());
    const sort = { column: 'displayName', direction: 'desc' } as const;
    engine.warm(sort);
    for (const search of ['', 'e', 'smith']) {
      const want = expected(q({ search, sort }));
      const page = engine.page(q({ search, sort }), 0, 200);
      expect(page.total).toBe(want.length);
      expect(page.rows.map((r) => r.id)).toEqual(want.slice(0, 200).map((u) => u.id));
    }
  });
});
