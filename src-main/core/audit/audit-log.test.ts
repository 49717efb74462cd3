import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog, AUDIT_FILE } from './audit-log';

let dir: string;
const entry = (seq: number) => JSON.stringify({ seq, at: '2026-11-21T10:00:00.000Z', who: 'alice', action: 'role.create', changes: [] });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-audit-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('AuditLog numbering', () => {
  it('numbers on from the highest entry, not the last line: entries can reach the file out of order, numbers never repeat', async () => {
    // A user change numbers its entry (2) before its journal line is written; a role created meanwhile (3) is written first.
    await writeFile(join(dir, AUDIT_FILE), `${entry(1)}\n${entry(3)}\n${entry(2)}\n`);
    const log = await AuditLog.open(dir);
    expect(log.lastSeq).toBe(3);
    expect((await log.append([{ at: '2026-11-21T10:00:00.000Z', who: 'alice', action: 'role.create', changes: [] }]))[0]?.seq).toBe(4);
    await log.close();
    expect(
      (await readFile(join(dir, AUDIT_FILE), 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).seq),
    ).toEqual([1, 3, 2, 4]);
  });

  it('drops a torn last line and numbers on from the highest whole entry before it', async () => {
    await writeFile(join(dir, AUDIT_FILE), `${entry(1)}\n${entry(2)}\n{"seq":3,"at":"2026`);
    const log = await AuditLog.open(dir);
    expect(log.lastSeq).toBe(2);
    await log.close();
    expect(await readFile(join(dir, AUDIT_FILE), 'utf8')).toBe(`${entry(1)}\n${entry(2)}\n`);
  });
});

describe('AuditLog order', () => {
  const newEntry = (note: string) => ({ at: '2026-11-21T10:00:00.000Z', who: 'alice', action: 'role.create' as const, changes: [], note });
  const seqsInFile = async () =>
    (await readFile(join(dir, AUDIT_FILE), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => [JSON.parse(l).seq, JSON.parse(l).note]);

  it('keeps the file in number order: an append numbered after entries a user change reserved waits until they are written', async () => {
    const log = await AuditLog.open(dir);
    // A user change numbers its entry, then writes its journal line; a role is created meanwhile.
    const carried = log.reserve([newEntry('user change')]);
    const role = log.append([newEntry('role')]);
    await log.write(carried, true);
    await role;
    await log.close();
    expect(await seqsInFile()).toEqual([
      [1, 'user change'],
      [2, 'role'],
    ]);
    // So a restart can tell exactly which carried entries the file lacks: those above its highest number.
    expect((await AuditLog.open(dir)).lastSeq).toBe(2);
  });

  it('lets held-back appends go once the reserving change failed and gave its numbers up', async () => {
    const log = await AuditLog.open(dir);
    const carried = log.reserve([newEntry('failed user change')]);
    const role = log.append([newEntry('role')]);
    log.release(carried);
    await role;
    await log.close();
    expect(await seqsInFile()).toEqual([[2, 'role']]);
  });
});

describe('AuditLog import entries', () => {
  const base = {
    at: '2026-11-21T10:00:00.000Z',
    who: 'alice',
    action: 'user.import' as const,
    userId: 'u1',
    username: 'zoe',
    realmId: 'r1',
    note: 'Imported from uid=zoe.',
  };
  const full = [
    { field: 'username', before: '', after: 'zoe' },
    { field: 'displayName', before: '', after: 'Zoë Ångström' },
    { field: 'email', before: '', after: 'zoe@example.org' },
  ];

  it('reads an import stored as its imported values exactly as one stored field by field (files written before)', async () => {
    const old = JSON.stringify({ seq: 1, ...base, changes: full });
    const lean = JSON.stringify({ seq: 2, ...base, changes: [], imported: { displayName: 'Zoë Ångström', email: 'zoe@example.org' } });
    await writeFile(join(dir, AUDIT_FILE), `${old}\n${lean}\n`);
    const log = await AuditLog.open(dir);
    const [second, first] = await log.query({ action: 'user.import' });
    expect(first).toEqual({ seq: 1, ...base, changes: full });
    expect(second).toEqual({ seq: 2, ...base, changes: full });
    await log.close();
  });

  it('writes an import lean and shows it expanded, also to a reader that loaded the journal before the write', async () => {
    const log = await AuditLog.open(dir);
    expect(await log.query({})).toEqual([]);
    await log.append([{ ...base, changes: [], imported: { displayName: 'Zoë Ångström', email: 'zoe@example.org' } }]);
    expect(await log.query({ user: 'zoe' })).toEqual([{ seq: 1, ...base, changes: full }]);
    await log.close();
    const line = JSON.parse(await readFile(join(dir, AUDIT_FILE), 'utf8'));
    expect(line).toEqual({ seq: 1, ...base, changes: [], imported: { displayName: 'Zoë Ångström', email: 'zoe@example.org' } });
  });
});
