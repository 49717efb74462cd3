import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { effectiveFields, type FieldDefinition } from '#shared/model/fields';
import { USER_SORT_COLUMNS, type UserFacets, type UserQuery, type UserRecord } from '#shared/model/user';
import { AuditLog } from '../audit/audit-log';
import { listCollator, passesFilters, sortValue, UserQueryEngine } from './user-query';
import { UserStore, type UserOp } from './user-store';
import { isCompletion, hasUnexported, type UserFlags } from './user-view';

// The query engine (flat slots, collation keys, patched orders, narrowed matches) against the plainest
// computation of the same answer: filter every user of the real store, sort with the collator, count.

const NOW = new Date('2026-11-21T10:00:00.000Z');
let dir: string;
let audit: AuditLog;
let store: UserStore;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-query-prop-'));
  audit = await AuditLog.open(dir);
  store = await UserStore.open({ dataDir: dir, audit, now: () => NOW, compactAfter: 1_000_000 });
});
afterAll(async () => {
  await store.close();
  await audit.close();
  await rm(dir, { recursive: true, force: true });
});

const apply = (ops: UserOp[]) => store.transact(() => ({ ops, audit: [], result: undefined }));

/** Words that collide in every way the list cares about: case, accents, digits as numbers, punctuation, spaces. */
const WORDS = ['ab', 'Ab', 'a b', 'a-b', 'é', 'E', 'user2', 'user10', 'user010', 'Zoë', 'zoe', 'smith', 'Smith ', '', 'x@y.org', 'Ørsted', '1', '01'];
const word = fc.constantFrom(...WORDS);
const text = fc.array(word, { minLength: 0, maxLength: 3 }).map((parts) => parts.join(''));
const maybeText = fc.option(text, { nil: undefined });
const FIELD_KEYS = ['displayName', 'email', 'department', 'title', 'givenName', 'phone'] as const;
const values = fc.record(Object.fromEntries(FIELD_KEYS.map((k) => [k, maybeText])) as Record<(typeof FIELD_KEYS)[number], typeof maybeText>, {
  requiredKeys: [],
});
const clean = (v: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => e[1] !== undefined));

const userArb = (id: string) =>
  fc
    .record({
      username: text.map((t) => t || 'u'),
      enabled: fc.boolean(),
      fields: values.map(clean),
      external: fc.option(
        fc.record({
          realmId: fc.constantFrom('r1', 'r2', 'r3'),
          syncedAt: fc.constantFrom('2026-11-20T10:00:00.000Z', '2026-10-01T10:00:00.000Z', '2025-01-01T00:00:00.000Z'),
          base: values.map(clean),
          directoryEnabled: fc.boolean(),
          missing: fc.boolean(),
          exported: fc.option(values.map(clean), { nil: undefined }),
          conflict: fc.boolean(),
        }),
        { nil: undefined },
      ),
    })
    .map(({ username, enabled, fields, external }): UserRecord => {
      const user: UserRecord = {
        id,
        username,
        kind: external ? 'external' : 'internal',
        enabled,
        roles: [],
        fields,
        createdAt: NOW.toISOString(),
        updatedAt: NOW.toISOString(),
      };
      if (external) {
        user.origin = {
          realmId: external.realmId,
          externalId: `x-${id}`,
          dn: `uid=${id},dc=example`,
          syncedAt: external.syncedAt,
          base: external.base,
          baseUsername: username,
          directoryEnabled: external.directoryEnabled,
          ...(external.missing ? { missingSince: '2026-11-01T00:00:00.000Z' } : {}),
        };
        if (external.exported) user.exported = { at: NOW.toISOString(), values: external.exported };
        if (external.conflict) user.conflicts = [{ field: 'title', base: '', local: 'a', directory: 'b', detectedAt: NOW.toISOString() }];
      }
      return user;
    });

const FILTERS = {
  kind: fc.constantFrom('internal' as const, 'external' as const),
  realmId: fc.constantFrom('r1', 'r2', 'r9'),
  enabled: fc.boolean(),
  incomplete: fc.boolean(),
  completions: fc.boolean(),
  conflicts: fc.boolean(),
  missingField: fc.constantFrom('title', 'email'),
  unexported: fc.boolean(),
  staleDays: fc.constantFrom(1, 30, 365),
  directoryEnabled: fc.boolean(),
  notFound: fc.boolean(),
};
const FILTER_KEYS = Object.keys(FILTERS) as Array<keyof typeof FILTERS>;

// A search, a sort, and at most three filters (more would leave most answers empty).
const queryArb: fc.Arbitrary<UserQuery> = fc
  .record({
    search: fc.constantFrom('', 'a', 'A', 'ab', 'b', 'é', 'e', '1', '0', 'user', 'user1', ' ', 'z', 'ö', 'SMITH', 'mith', 'b\nx', ' ab '),
    sort: fc.record({ column: fc.constantFrom(...USER_SORT_COLUMNS), direction: fc.constantFrom('asc' as const, 'desc' as const) }),
    filters: fc
      .subarray(FILTER_KEYS, { maxLength: 3 })
      .chain((keys) => fc.record(Object.fromEntries(keys.map((k) => [k, FILTERS[k]])) as Record<string, fc.Arbitrary<unknown>>)),
  })
  .map(({ search, sort, filters }) => ({ search, sort, ...filters }) as UserQuery);

/** The markers, from the definitions the export and detail screens use. */
function plainFlags(user: UserRecord, fields: readonly FieldDefinition[]): UserFlags {
  return {
    incomplete: fields.some((f) => f.required && (user.fields[f.key] ?? '').trim() === ''),
    completions: fields.some((f) => isCompletion(user, f)),
    conflicts: (user.conflicts?.length ?? 0) > 0,
    unexported: hasUnexported(user, fields),
  };
}

/** The same query the plainest way: filter every user, sort a copy with the collator, count the search's matches. */
function expected(query: UserQuery, fields: readonly FieldDefinition[], realmName: (id: string) => string) {
  const needle = query.search.trim().toLowerCase();
  const searched = [...store.all()].filter((u) =>
    [u.username, u.fields.displayName ?? '', u.fields.email ?? '', u.fields.department ?? ''].join('\n').toLowerCase().includes(needle),
  );
  // Each facet: what the list would show with that choice in its group, every other filter kept.
  const passing = (q: UserQuery) => searched.filter((u) => passesFilters(u, plainFlags(u, fields), q, NOW));
  const source = { kind: undefined, realmId: undefined };
  const facets: UserFacets = {
    all: passing({ ...query, ...source }).length,
    internal: passing({ ...query, ...source, kind: 'internal' }).length,
    external: passing({ ...query, ...source, kind: 'external' }).length,
    enabled: passing({ ...query, enabled: true }).length,
    disabled: passing({ ...query, enabled: false }).length,
    incomplete: passing({ ...query, incomplete: true }).length,
    completions: passing({ ...query, completions: true }).length,
    conflicts: passing({ ...query, conflicts: true }).length,
    realms: {},
  };
  for (const id of new Set(searched.flatMap((u) => (u.origin ? [u.origin.realmId] : [])))) {
    const n = passing({ ...query, ...source, realmId: id }).length;
    if (n > 0) facets.realms[id] = n;
  }
  const col = query.sort.column;
  const users = searched
    .filter((u) => passesFilters(u, plainFlags(u, fields), query, NOW))
    .sort(
      (a, b) =>
        listCollator.compare(sortValue(a, col, realmName), sortValue(b, col, realmName)) ||
        listCollator.compare(a.username, b.username) ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
  if (query.sort.direction === 'desc') users.reverse();
  return { users, facets };
}

// Policy changes and realm renames are checked with the same query before and after (a cached answer must
// not survive them); typing checks every prefix of a word and back, as the search box sends them.
type Action =
  | { kind: 'put'; users: UserRecord[] }
  | { kind: 'delete'; ids: string[] }
  | { kind: 'query'; query: UserQuery; offset: number }
  | { kind: 'typing'; word: string; query: UserQuery }
  | { kind: 'policy'; required: string[]; directoryOwned: string[]; query: UserQuery }
  | { kind: 'rename-realm'; name: string; query: UserQuery };

const ids = fc.integer({ min: 0, max: 40 }).map((n) => `id${String(n).padStart(2, '0')}`);
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .uniqueArray(ids, { minLength: 1, maxLength: 6 })
      .chain((list) => fc.tuple(...list.map(userArb)).map((users) => ({ kind: 'put' as const, users }))),
  },
  { weight: 1, arbitrary: fc.uniqueArray(ids, { minLength: 1, maxLength: 4 }).map((list) => ({ kind: 'delete' as const, ids: list })) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('query' as const), query: queryArb, offset: fc.integer({ min: 0, max: 8 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('typing' as const), word: fc.constantFrom('smith', 'user10', 'zoë', 'a-b', 'ab b'), query: queryArb }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('policy' as const),
      required: fc.subarray(['displayName', 'email', 'title', 'phone']),
      directoryOwned: fc.subarray(['department', 'title', 'phone']),
      query: queryArb,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('rename-realm' as const),
      name: fc.constantFrom('Alpha', 'beta', 'Ω', 'zeta 2'),
      query: queryArb.map((q) => ({ ...q, sort: { column: 'kind' as const, direction: q.sort.direction } })),
    }),
  },
);

describe('the list query engine', () => {
  it('answers exactly as a plain filter, sort and count, through random users, edits, policies and queries', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(actionArb, { minLength: 1, maxLength: 14 }), async (actions) => {
        // Each run starts from an empty store and a fresh engine (which then patches as the store changes).
        const existing = [...store.all()].map((u) => u.id);
        if (existing.length) await apply(existing.map((id) => ({ del: id })));
        const names: Record<string, string> = { r1: 'North', r2: 'south', r3: 'North' };
        const realmName = (id: string) => names[id] ?? '(deleted realm)';
        let fields = effectiveFields({}, []);
        const engine = new UserQueryEngine(store, realmName, () => NOW);
        engine.setFields(fields);
        const check = (query: UserQuery, offset = 0) => {
          const want = expected(query, fields, realmName);
          const page = engine.page(query, 0, 1000);
          expect(page.total).toBe(want.users.length);
          expect(page.rows.map((r) => r.id)).toEqual(want.users.map((u) => u.id));
          expect(page.facets).toEqual(want.facets);
          // The chosen source, login and data facets count exactly the list shown.
          const chosenSource = query.realmId ? (page.facets.realms[query.realmId] ?? 0) : query.kind ? page.facets[query.kind] : page.facets.all;
          // (The list never sets a kind and a realm together; "internal, of realm r1" is empty while r1 counts its users.)
          if (!(query.kind && query.realmId)) expect(chosenSource).toBe(page.total);
          if (query.enabled !== undefined) expect(page.facets[query.enabled ? 'enabled' : 'disabled']).toBe(page.total);
          for (const key of ['incomplete', 'completions', 'conflicts'] as const) if (query[key] === true) expect(page.facets[key]).toBe(page.total);
          expect(page.rows.map((r) => [r.incomplete, r.completions, r.conflicts, r.realmName])).toEqual(
            want.users.map((u) => {
              const f = plainFlags(u, fields);
              return [f.incomplete, f.completions, f.conflicts, u.origin ? realmName(u.origin.realmId) : undefined];
            }),
          );
          // An incomplete row names its empty required fields by label.
          expect(page.rows.map((r) => r.missing)).toEqual(
            want.users.map((u) => (plainFlags(u, fields).incomplete ? fields.filter((f) => f.required && (u.fields[f.key] ?? '').trim() === '').map((f) => f.label) : undefined)),
          );
          const window = engine.page(query, offset, 3);
          expect(window.rows.map((r) => r.id)).toEqual(want.users.slice(offset, offset + 3).map((u) => u.id));
          expect(engine.matching(query).map((u) => u.id)).toEqual(want.users.map((u) => u.id));
        };
        for (const action of actions) {
          if (action.kind === 'put') await apply(action.users.map((put) => ({ put })));
          else if (action.kind === 'delete') await apply(action.ids.map((del) => ({ del })));
          else if (action.kind === 'query') check(action.query, action.offset);
          else if (action.kind === 'typing') {
            const texts = [...action.word].map((_, i) => action.word.slice(0, i + 1));
            for (const search of [...texts, ...texts.reverse().slice(1), '']) check({ ...action.query, search });
          } else if (action.kind === 'policy') {
            check(action.query);
            const overrides = Object.fromEntries([
              ...action.required.map((key) => [key, { required: true }]),
              ...action.directoryOwned.map((key) => [key, { owner: 'directory' as const }]),
            ]);
            fields = effectiveFields(overrides, []);
            engine.setFields(fields);
            check(action.query);
          } else {
            check(action.query);
            names.r2 = action.name;
            engine.realmsChanged();
            check(action.query);
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('stays exact when more changed than the store remembers (the slots are rebuilt)', async () => {
    const existing = [...store.all()].map((u) => u.id);
    if (existing.length) await apply(existing.map((id) => ({ del: id })));
    const fields = effectiveFields({}, []);
    const engine = new UserQueryEngine(
      store,
      (id) => id,
      () => NOW,
    );
    engine.setFields(fields);
    const user = (n: number, name: string): UserRecord => ({
      id: `r${n}`,
      username: name,
      kind: 'internal',
      enabled: true,
      roles: [],
      fields: { displayName: name },
      createdAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
    });
    await apply([0, 1, 2, 3].map((n) => ({ put: user(n, `name ${n}`) })));
    const query: UserQuery = { search: 'name', sort: { column: 'displayName', direction: 'asc' } };
    expect(engine.page(query, 0, 10).rows.map((r) => r.id)).toEqual(['r0', 'r1', 'r2', 'r3']);
    // More transactions than the store's change log keeps: the engine cannot patch and must rebuild.
    for (let i = 0; i < 70; i += 1) await apply([{ put: user(i % 4, `name ${70 - i}`) }]);
    expect(store.changedSince(0)).toBeUndefined();
    const want = expected(query, fields, (id) => id).users.map((u) => u.id);
    expect(engine.page(query, 0, 10).rows.map((r) => r.id)).toEqual(want);
    expect(want).toEqual(['r1', 'r0', 'r3', 'r2']);
  });
});
