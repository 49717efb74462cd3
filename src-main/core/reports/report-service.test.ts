import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { effectiveFields } from '#shared/model/fields';
import { realmMissingQuery } from '#shared/model/report';
import { userQuerySchema, type UserRecord } from '#shared/model/user';
import { syntheticUsers } from '../../../e2e/fixtures/users';
import { runCli } from '../../cli/run-cli';
import { SessionSecretStore } from '../secrets/secret-store';
import { openServices, type Services } from '../services';
import { UserQueryEngine } from '../users/user-query';
import { writeUsersSnapshot } from '../users/user-store';

const NOW = new Date('2026-11-21T12:00:00.000Z');
const DAY = 86_400_000;

/**
 * 200 synthetic users (every third external), then made untidy in known ways: some synced long ago, some
 * disabled in the directory, some no longer found, some with an open conflict, one with an export mark.
 */
function untidyUsers(): UserRecord[] {
  const users = syntheticUsers(200, { at: new Date(NOW.getTime() - 5 * DAY).toISOString() });
  for (const [i, user] of users.entries()) {
    if (!user.origin) continue;
    if (i % 4 === 0) user.origin.syncedAt = new Date(NOW.getTime() - (30 + i) * DAY).toISOString();
    if (i % 5 === 0) user.origin.directoryEnabled = false;
    if (i % 17 === 0) user.origin.missingSince = NOW.toISOString();
    if (i % 19 === 0) user.conflicts = [{ field: 'title', base: 'a', local: 'b', directory: 'c', detectedAt: NOW.toISOString() }];
  }
  // User 39 (external, with a local title) has had its completion exported already.
  const exported = users.find((u) => u.id === 'u000039')!;
  exported.exported = { at: NOW.toISOString(), values: { title: exported.fields.title! } };
  return users;
}

let dir: string;
let services: Services;
let users: UserRecord[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-reports-'));
  users = untidyUsers();
  await writeUsersSnapshot(dir, users);
  services = await openServices({ dataDir: dir, owner: 'test', transport: 'cli', secrets: new SessionSecretStore('t'), version: 't', now: () => NOW });
});
afterEach(async () => {
  await services.close().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

const fields = effectiveFields({}, []);
const empty = (u: UserRecord, key: string) => (u.fields[key] ?? '').trim() === '';
/** Each report worked out the slow, obvious way over the plain array. */
const expected = {
  missing: users0((u) => fields.some((f) => f.required && empty(u, f.key))),
  unexported: users0(
    (u) =>
      u.kind === 'external' &&
      fields.some(
        (f) => f.owner === 'local' && (u.fields[f.key] ?? '') !== (u.origin!.base[f.key] ?? '') && u.exported?.values[f.key] !== (u.fields[f.key] ?? ''),
      ),
  ),
  stale: users0((u) => u.origin !== undefined && NOW.getTime() - Date.parse(u.origin.syncedAt) >= 30 * DAY),
  disabled: users0((u) => u.origin?.directoryEnabled === false && u.enabled),
  orphans: users0((u) => u.origin?.missingSince !== undefined),
  conflicts: users0((u) => (u.conflicts?.length ?? 0) > 0),
};
function users0(test: (u: UserRecord) => boolean): () => string[] {
  return () =>
    users
      .filter(test)
      .map((u) => u.id)
      .sort();
}

describe('reports', () => {
  it('counts each report exactly, and each report’s filter lists exactly the users counted', () => {
    const overview = services.reports.overview(30);
    expect(overview.users).toBe(200);
    for (const report of overview.reports) {
      const want = expected[report.id]();
      expect(want.length, report.id).toBeGreaterThan(0);
      expect(report.count, report.id).toBe(want.length);
      const listed = services.users
        .query(userQuerySchema.parse(report.query), 0, 1000)
        .rows.map((r) => r.id)
        .sort();
      expect(listed, report.id).toEqual(want);
    }
    // The export mark counts: user 39's title went out, so it is not unexported.
    expect(expected.unexported()).not.toContain('u000039');
  });

  it('completeness counts the users missing each field, required fields first, and each bar’s filter lists them', () => {
    const { completeness } = services.reports.overview();
    expect(completeness.map((c) => c.key)).toEqual([...fields.filter((f) => f.required), ...fields.filter((f) => !f.required)].map((f) => f.key));
    for (const bar of completeness) {
      const want = users.filter((u) => empty(u, bar.key)).map((u) => u.id);
      expect(bar.missing, bar.key).toBe(want.length);
      expect(bar.total).toBe(200);
      const page = services.users.query(userQuerySchema.parse(bar.query), 0, 1000);
      expect(page.total, bar.key).toBe(want.length);
    }
    // Every 11th synthetic user has no department.
    expect(completeness.find((c) => c.key === 'department')?.missing).toBe(Math.floor(200 / 11));
  });

  it('completeness per realm: each realm’s (and the internal users’) missing values, adding up to the chart, each cell’s filter listing them', () => {
    const { completeness, completenessByRealm } = services.reports.overview();
    const realmOf = (u: UserRecord) => (u.kind === 'external' ? (u.origin?.realmId ?? null) : null);
    const groups = [...new Set(users.map(realmOf))];
    expect(completenessByRealm.map((r) => r.realmId).sort()).toEqual(groups.sort());
    // Realms first, internal users last.
    expect(completenessByRealm.at(-1)).toMatchObject({ realmId: null, name: 'Internal users' });
    for (const realm of completenessByRealm) {
      const members = users.filter((u) => realmOf(u) === realm.realmId);
      expect(realm.users).toBe(members.length);
      for (const field of fields) {
        const want = members.filter((u) => empty(u, field.key)).map((u) => u.id);
        expect(realm.missing[field.key], `${realm.name} ${field.key}`).toBe(want.length);
        const page = services.users.query(userQuerySchema.parse(realmMissingQuery(realm.realmId, field.key)), 0, 1000);
        expect(page.rows.map((r) => r.id).sort(), `${realm.name} ${field.key}`).toEqual(want.sort());
      }
    }
    for (const bar of completeness) expect(completenessByRealm.reduce((sum, r) => sum + (r.missing[bar.key] ?? 0), 0)).toBe(bar.missing);
  });

  it('the stale report follows N', () => {
    const at = (days: number) => services.reports.overview(days).reports.find((r) => r.id === 'stale')!.count;
    const synced = users.filter((u) => u.origin).map((u) => (NOW.getTime() - Date.parse(u.origin!.syncedAt)) / DAY);
    expect(at(30)).toBe(synced.filter((d) => d >= 30).length);
    expect(at(100)).toBe(synced.filter((d) => d >= 100).length);
    expect(at(3)).toBe(synced.length);
  });

  it("does not count as stale a user its realm's last reconcile confirmed, though that reconcile left it unwritten", () => {
    // A reconcile writes no user whose comparison changes nothing but 'last synced': the realm's last reconcile
    // time confirms every user of it that the reconcile did not mark missing.
    const realmId = users.find((u) => u.origin)!.origin!.realmId;
    const reconciled = new Date(NOW.getTime() - DAY).toISOString();
    const engine = new UserQueryEngine(
      services.userStore,
      (id) => services.users.realmName(id),
      () => NOW,
      (id) => (id === realmId ? reconciled : undefined),
    );
    engine.setFields(services.users.fields());
    const stale = engine.matching(userQuerySchema.parse({ staleDays: 30 })).map((u) => u.id);
    const old = users.filter((u) => u.origin && NOW.getTime() - Date.parse(u.origin.syncedAt) >= 30 * DAY);
    const want = old.filter((u) => u.origin!.realmId !== realmId || u.origin!.missingSince !== undefined).map((u) => u.id);
    expect(stale.sort()).toEqual(want.sort());
    expect(want.length).toBeLessThan(old.length);
    expect(want.length).toBeGreaterThan(0);
  });

  it('each listed user’s reason names fields by their labels, never by their keys', () => {
    const conflicts = services.reports.list('conflicts');
    expect(conflicts.length).toBe(expected.conflicts().length);
    for (const user of conflicts) expect(user.detail).toBe('Job title: Roster "b" / directory "c"');

    const missing = services.reports.list('missing');
    const noDepartment = missing.filter((u) => empty(users.find((x) => x.id === u.id)!, 'department'));
    expect(noDepartment.length).toBeGreaterThan(0);
    for (const user of noDepartment) expect(user.detail).toMatch(/^missing (.+, )?Department(, .+)?$/);

    const unexported = services.reports.list('unexported');
    expect(unexported.length).toBeGreaterThan(0);
    const keys = fields.map((f) => f.key);
    for (const user of [...missing, ...unexported]) {
      for (const key of keys) expect(user.detail, user.id).not.toMatch(new RegExp(`(^|; |, |missing )${key}(:|,|$)`));
    }
    expect(unexported.some((u) => /(^|; )(Job title|Department|Phone|Mobile|Office|Company|Employee ID): "/.test(u.detail))).toBe(true);
  });

  it('roster report prints each report, and --json parses', async () => {
    await services.close();
    const completeness = await runCli(dir, ['report', 'completeness', '--json']);
    expect(completeness.code).toBe(0);
    const parsed = JSON.parse(completeness.out) as { users: number; fields: { key: string; missing: number }[] };
    expect(parsed.users).toBe(200);
    expect(parsed.fields.find((f) => f.key === 'department')?.missing).toBe(18);
    const byRealm = (JSON.parse(completeness.out) as { byRealm: { realmId: string | null; users: number; missing: Record<string, number> }[] }).byRealm;
    expect(byRealm.map((r) => [r.realmId, r.users])).toEqual([
      ['synthetic-realm', users.filter((u) => u.kind === 'external').length],
      [null, users.filter((u) => u.kind === 'internal').length],
    ]);
    expect(byRealm.reduce((sum, r) => sum + r.missing.department!, 0)).toBe(18);
    const text = await runCli(dir, ['report', 'completeness']);
    expect(text.out).toMatch(/Missing by realm:\n/);
    expect(text.out).toContain('INTERNAL USERS (');

    const orphans = await runCli(dir, ['report', 'orphans', '--json']);
    expect(
      JSON.parse(orphans.out)
        .users.map((u: { id: string }) => u.id)
        .sort(),
    ).toEqual(expected.orphans());

    const conflicts = await runCli(dir, ['report', 'conflicts']);
    expect(conflicts.out).toContain(`Open conflicts: ${expected.conflicts().length} users.`);
    expect(conflicts.out).toMatch(/Job title: Roster "b" \/ directory "c"/);
    expect(conflicts.out).not.toMatch(/(?<!Job )title:/);

    const bad = await runCli(dir, ['report', 'everything']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('Unknown report "everything". Reports: completeness, missing, unexported, stale, disabled, orphans, conflicts.');
  });
});
