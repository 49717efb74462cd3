import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FaultyFs } from '../../../e2e/fixtures/faulty-fs';
import { writeFileAtomically } from './atomic-file';
import { jsonChunks } from './json-chunks';

const user = (i: number) => ({
  id: `u${i}`,
  username: i % 7 === 0 ? `zoë-${i}` : `user${i}`,
  fields: { displayName: i % 11 === 0 ? 'Line "one"\nline two \u2028 🙂' : `Person ${i}`, empty: '' },
  enabled: i % 3 !== 0,
  roles: [],
});

describe('jsonChunks', () => {
  it.each([0, 1, 999, 1000, 1001, 2500])('joins to exactly what JSON.stringify gives, %i items', (n) => {
    const users = Array.from({ length: n }, (_, i) => user(i));
    const head = { format: 'roster-users', version: 1, seq: 42 };
    const chunks = [...jsonChunks(head, 'users', users)];
    expect(chunks.join('')).toBe(JSON.stringify({ ...head, users }));
    // In pieces: no piece holds more than a thousand users.
    expect(chunks.length).toBe(2 + Math.ceil(n / 1000));
  });

  it("takes each item's text from the caller when given, writes null for what JSON cannot hold, and takes an empty head", () => {
    const items = [1, undefined, () => 2, { toJSON: () => 'x' }];
    // As in an array JSON.stringify writes: a value it cannot represent (undefined, a function) is null.
    expect([...jsonChunks({}, 'items', items, undefined, 2)].join('')).toBe(JSON.stringify({ items }));
    expect([...jsonChunks({ a: 1 }, 'b', [1, 2, 3], (x) => String(x * 10), 2)].join('')).toBe('{"a":1,"b":[10,20,30]}');
  });
});

describe('writeFileAtomically with the text in pieces', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'roster-chunks-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes every piece in order', async () => {
    const path = join(dir, 'users.json');
    const users = Array.from({ length: 2500 }, (_, i) => user(i));
    await writeFileAtomically(new FaultyFs(), path, jsonChunks({ seq: 1 }, 'users', users));
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ seq: 1, users });
  });

  it('leaves the old file whole and no temp file when the disk fills up half-way through the pieces', async () => {
    const path = join(dir, 'users.json');
    await writeFile(path, '{"old":true}');
    const fs = new FaultyFs();
    fs.spaceLeft = 100_000;
    const users = Array.from({ length: 5000 }, (_, i) => user(i));
    await expect(writeFileAtomically(fs, path, jsonChunks({ seq: 2 }, 'users', users))).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(await readFile(path, 'utf8')).toBe('{"old":true}');
    expect(await readdir(dir)).toEqual(['users.json']);
  });
});
