import fc from 'fast-check';
import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UserRecord } from '#shared/model/user';
import { RosterError } from '#shared/result';
import { AuditLog, AUDIT_FILE } from '../audit/audit-log';
import { USERS_FILE, USERS_JOURNAL, UserStore } from './user-store';

let dir: string;
const opened: Array<{ users: UserStore; audit: AuditLog }> = [];

const open = async (options: { readOnly?: boolean; compactAfter?: number } = {}) => {
  const audit = await AuditLog.open(dir, options.readOnly);
  const users = await UserStore.open({ dataDir: dir, audit, now: () => new Date('2026-11-21T10:00:00Z'), ...options }).catch(async (error: unknown) => {
    await audit.close();
    throw error;
  });
  opened.push({ users, audit });
  return { users, audit };
};
const closeAll = async () => {
  for (const { users, audit } of opened.splice(0)) {
    await users.close();
    await audit.close();
  }
};

const user = (id: string, username = id, fields: Record<string, string> = {}): UserRecord => ({
  id,
  username,
  kind: 'internal',
  enabled: true,
  roles: [],
  fields,
  createdAt: '2026-11-21T10:00:00.000Z',
  updatedAt: '2026-11-21T10:00:00.000Z',
});

const put = (store: UserStore, record: UserRecord, note = 'edit') =>
  store.transact(() => ({
    ops: [{ put: record }],
    audit: [{ at: '2026-11-21T10:00:00.000Z', who: 't', action: 'user.update', userId: record.id, changes: [], note }],
    result: undefined,
  }));

const failure = async (work: Promise<unknown>): Promise<RosterError> => {
  try {
    await work;
  } catch (error) {
    if (error instanceof RosterError) return error;
    throw error;
  }
  throw new Error('expected a failure');
};

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-userstore-'));
});
afterEach(async () => {
  await closeAll();
  await rm(dir, { recursive: true, force: true });
});

describe('UserStore', () => {
  it('makes each change durable in the journal and replays it on the next open', async () => {
    const { users } = await open();
    await put(users, user('a', 'Ann', { department: 'Sales' }));
    await put(users, user('b', 'bob'));
    await users.transact(() => ({ ops: [{ del: 'b' }], audit: [], result: undefined }));
    // Durable before close: a second reader sees it in the journal (as a crash right now would leave it).
    const journal = await readFile(join(dir, USERS_JOURNAL), 'utf8');
    expect(journal.trim().split('\n')).toHaveLength(3);
    await closeAll();
    const again = await open();
    expect(again.users.size).toBe(1);
    expect(again.users.findByUsername('ANN')?.fields).toEqual({ department: 'Sales' });
    expect((await again.audit.query({})).map((e) => e.seq)).toEqual([2, 1]);
  });

  it('drops a torn last line (a crash mid-append) and says so, keeping everything before it', async () => {
    const first = await open();
    await put(first.users, user('a'));
    await closeAll();
    await appendFile(join(dir, USERS_JOURNAL), '{"seq":2,"ops":[{"put":{"id":"b","us');
    const { users } = await open();
    expect(users.size).toBe(1);
    expect(users.notices).toEqual(['A change that was being saved when Roster last stopped had not finished; it was discarded and everything before it kept.']);
    expect(await readFile(join(dir, USERS_JOURNAL), 'utf8')).not.toContain('"seq":2');
    await put(users, user('c'));
    await closeAll();
    expect((await open()).users.size).toBe(2);
  });

  it('keeps the good part of a journal damaged in the middle and copies the damaged file aside', async () => {
    const first = await open();
    await put(first.users, user('a'));
    await closeAll();
    const good = await readFile(join(dir, USERS_JOURNAL), 'utf8');
    await writeFile(join(dir, USERS_JOURNAL), `${good}not json at all\n{"seq":3,"ops":[{"del":"a"}]}\n`);
    const { users } = await open();
    expect(users.get('a')).toBeDefined();
    const aside = (await readdir(dir)).filter((f) => f.startsWith('users.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(users.notices[0]).toBe(
      `The users journal was damaged after 1 saved changes. Those were kept; the damaged file was copied, unchanged, to ${join(dir, aside[0]!)}.`,
    );
    expect(await readFile(join(dir, aside[0]!), 'utf8')).toContain('not json at all');
  });

  it('sets a damaged snapshot and its journal aside unchanged and refuses to start empty silently', async () => {
    await writeFile(join(dir, USERS_FILE), '{"format":"roster-users","version":1,"seq":0,"users":[{"id"');
    await writeFile(join(dir, USERS_JOURNAL), '{"seq":1,"ops":[]}\n');
    const error = await failure(open());
    expect(error.code).toBe('store-corrupt');
    expect(error.message).toMatch(
      /^Roster's users file .*users\.json is damaged \(.*\)\. It and its journal were moved, unchanged, to .*users\.corrupt-.*\.json and .*users\.corrupt-.*\.journal; nothing was overwritten\./,
    );
    const names = await readdir(dir);
    expect(names).not.toContain(USERS_FILE);
    expect(names.filter((n) => n.includes('.corrupt-'))).toHaveLength(2);
  });

  it('a read-only open never moves or repairs files', async () => {
    await writeFile(join(dir, USERS_FILE), 'garbage');
    expect((await failure(open({ readOnly: true }))).message).toMatch(/was left untouched/);
    expect(await readFile(join(dir, USERS_FILE), 'utf8')).toBe('garbage');
  });

  it('rewrites the snapshot once the journal grows, and replays only what is newer than the snapshot', async () => {
    const { users } = await open({ compactAfter: 3 });
    for (const id of ['a', 'b', 'c', 'd']) await put(users, user(id));
    const snapshot = JSON.parse(await readFile(join(dir, USERS_FILE), 'utf8'));
    expect(snapshot.seq).toBe(3);
    expect(snapshot.users.map((u: UserRecord) => u.id).sort()).toEqual(['a', 'b', 'c']);
    expect((await readFile(join(dir, USERS_JOURNAL), 'utf8')).trim().split('\n')).toHaveLength(1);
    await closeAll();
    // A crash after the snapshot but before the journal was emptied leaves old lines: replay skips them.
    await appendFile(join(dir, USERS_JOURNAL), `${JSON.stringify({ seq: 2, ops: [{ del: 'a' }] })}\n`);
    const again = await open();
    expect([...again.users.all()].map((u) => u.id).sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('writes each user in the snapshot as its latest journal line holds it, including users changed again in one batch', async () => {
    const { users } = await open({ compactAfter: 6 });
    await put(users, user('a', 'a', { title: 'First' }));
    await put(users, user('b', 'b', { title: 'Kept' }));
    await put(users, user('a', 'a', { title: 'Second' }));
    // One batch that writes `c` twice and drops `b`: the snapshot holds the last `c` and no `b`.
    await users.transact(() => ({
      ops: [{ put: user('c', 'c', { title: 'One' }) }, { put: user('c', 'c', { title: 'Two' }) }, { del: 'b' }],
      audit: [],
      result: undefined,
    }));
    // The sixth op rewrote the snapshot and emptied the journal.
    expect(await readFile(join(dir, USERS_JOURNAL), 'utf8')).toBe('');
    const snapshot = JSON.parse(await readFile(join(dir, USERS_FILE), 'utf8'));
    expect(snapshot.users).toEqual([user('a', 'a', { title: 'Second' }), user('c', 'c', { title: 'Two' })]);
    await put(users, user('a', 'a', { title: 'Third' }));
    await closeAll();
    expect([...(await open()).users.all()]).toEqual([user('c', 'c', { title: 'Two' }), user('a', 'a', { title: 'Third' })]);
  });

  it('journal lines it builds from kept texts replay to exactly the users written, with their audit entries (property)', async () => {
    const value = fc.string({ unit: 'binary', maxLength: 12 });
    const record = fc.record({
      id: fc.constantFrom('a', 'b', 'c'),
      fields: fc.dictionary(fc.constantFrom('title', 'mail', 'displayName', '__proto__x'), value),
      base: fc.option(fc.dictionary(fc.constantFrom('title', 'mail', 'displayName'), value), { nil: undefined }),
    });
    const batch = fc.array(fc.oneof(record.map((r) => ({ put: r })), fc.constantFrom('a', 'b', 'c').map((id) => ({ del: id }))), { minLength: 1, maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(fc.array(batch, { minLength: 1, maxLength: 5 }), async (batches) => {
        await closeAll();
        await rm(dir, { recursive: true, force: true });
        dir = await mkdtemp(join(tmpdir(), 'roster-userstore-'));
        const { users } = await open({ compactAfter: 1_000_000 });
        const expected = new Map<string, UserRecord>();
        for (const ops of batches) {
          const built = ops.map((op) =>
            'del' in op
              ? op
              : {
                  put: {
                    ...user(op.put.id, op.put.id, op.put.fields),
                    ...(op.put.base
                      ? { kind: 'external' as const, origin: { realmId: 'r', externalId: op.put.id, dn: `uid=${op.put.id}`, syncedAt: '', base: op.put.base, baseUsername: op.put.id, directoryEnabled: true } }
                      : {}),
                  },
                },
          );
          await users.transact(() => ({
            ops: built,
            audit: [{ at: '2026-11-21T10:00:00.000Z', who: 't', action: 'user.import', userId: 'a', changes: [], imported: built.find((op) => 'put' in op)?.put.fields }],
            result: undefined,
          }));
          for (const op of built) if ('del' in op) expected.delete(op.del);
          else expected.set(op.put.id, op.put);
        }
        await closeAll();
        const again = await open();
        expect(new Map([...again.users.all()].map((u) => [u.id, u]))).toEqual(expected);
        expect(again.audit.lastSeq).toBe(batches.length);
      }),
      { numRuns: 40 },
    );
  });

  it('keeps last-synced values exactly through a snapshot rewrite (stored as a delta from the current values)', async () => {
    const { users } = await open({ compactAfter: 1 });
    const ext: UserRecord = {
      ...user('x', 'x', { title: 'Local title', department: 'Same' }),
      kind: 'external',
      origin: {
        realmId: 'r',
        externalId: 'e',
        dn: 'uid=x',
        syncedAt: '',
        base: { title: 'Directory title', department: 'Same', email: 'x@d' },
        baseUsername: 'x',
        directoryEnabled: true,
      },
    };
    await put(users, ext);
    await closeAll();
    expect(JSON.parse(await readFile(join(dir, USERS_FILE), 'utf8')).users[0].origin.baseDelta).toEqual({ title: 'Directory title', email: 'x@d' });
    expect((await open()).users.get('x')).toEqual(ext);
  });

  it('writes audit entries a crash left only in the users journal', async () => {
    const { users } = await open();
    await put(users, user('a'));
    await closeAll();
    // The crash: the user change reached the journal, its audit line did not.
    const record = {
      seq: 2,
      ops: [{ put: user('b') }],
      audit: [{ seq: 2, at: '2026-11-21T10:00:00.000Z', who: 't', action: 'user.create', userId: 'b', changes: [] }],
    };
    await appendFile(join(dir, USERS_JOURNAL), `${JSON.stringify(record)}\n`);
    const again = await open();
    expect(again.users.get('b')).toBeDefined();
    expect((await again.audit.query({})).map((e) => [e.seq, e.userId])).toEqual([
      [2, 'b'],
      [1, 'a'],
    ]);
    expect((await readFile(join(dir, AUDIT_FILE), 'utf8')).trim().split('\n')).toHaveLength(2);
  });

  it('indexes by username, external id and DN (normalised), following renames and moves', async () => {
    const { users } = await open();
    const ext: UserRecord = {
      ...user('x', 'adams'),
      kind: 'external',
      origin: {
        realmId: 'r',
        externalId: 'ABC-1',
        dn: 'CN=Adams\\, Bob,OU=Staff,DC=corp',
        syncedAt: '',
        base: {},
        baseUsername: 'adams',
        directoryEnabled: true,
      },
    };
    await put(users, ext);
    expect(users.findByExternalId('r', 'abc-1')?.id).toBe('x');
    expect(users.findByDn('r', 'cn=adams\\2C bob, ou=staff,dc=corp')?.id).toBe('x');
    await put(users, { ...ext, username: 'badams', origin: { ...ext.origin!, dn: 'CN=Adams\\, Bob,OU=Sales,DC=corp' } });
    expect(users.findByUsername('adams')).toBeUndefined();
    expect(users.findByDn('r', 'CN=Adams\\, Bob,OU=Staff,DC=corp')).toBeUndefined();
    expect(users.findByDn('r', 'cn=Adams\\, Bob,ou=Sales,dc=corp')?.username).toBe('badams');
  });

  it('a plan that throws changes nothing and later transactions still run', async () => {
    const { users } = await open();
    const error = await failure(
      users.transact(() => {
        throw new RosterError('conflict', 'no');
      }),
    );
    expect(error.message).toBe('no');
    await put(users, user('a'));
    expect(users.size).toBe(1);
  });
});
