import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeStoreFs, type StoreFs } from '../store/store-fs';
import { besideName, commitFiles } from './file-set';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-file-set-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('commitFiles', () => {
  it('puts every file in place, replacing those that exist, and leaves nothing beside them', async () => {
    const [a, b] = [join(dir, 'a.ldif'), join(dir, 'b.ldif')];
    await writeFile(besideName(a, 'partial'), 'new a');
    await writeFile(besideName(b, 'partial'), 'new b');
    await writeFile(b, 'old b');
    await commitFiles([
      { temp: besideName(a, 'partial'), target: a },
      { temp: besideName(b, 'partial'), target: b },
    ]);
    expect([await readFile(a, 'utf8'), await readFile(b, 'utf8')]).toEqual(['new a', 'new b']);
    expect((await readdir(dir)).sort()).toEqual(['a.ldif', 'b.ldif']);
  });

  it('when one file cannot be put in place, takes the others back out and restores what they replaced', async () => {
    const [a, b, c] = [join(dir, 'a.ldif'), join(dir, 'b.ldif'), join(dir, 'c.ldif')];
    await writeFile(besideName(a, 'partial'), 'new a');
    await writeFile(besideName(b, 'partial'), 'new b');
    await writeFile(b, 'old b');
    // c's temporary file is missing: its rename fails after a and b were renamed in.
    await expect(
      commitFiles([
        { temp: besideName(a, 'partial'), target: a },
        { temp: besideName(b, 'partial'), target: b },
        { temp: besideName(c, 'partial'), target: c },
      ]),
    ).rejects.toMatchObject({ code: 'ENOENT' });
    expect(existsSync(a)).toBe(false);
    expect(existsSync(c)).toBe(false);
    expect(await readFile(b, 'utf8')).toBe('old b');
    expect((await readdir(dir)).filter((f) => f.includes('replaced'))).toEqual([]);
  });
});

describe('commitFiles and the disk', () => {
  it("syncs each file's bytes before its rename, and the folder after the renames", async () => {
    const [a, b] = [join(dir, 'a.csv'), join(dir, 'b.csv')];
    await writeFile(besideName(a, 'partial'), 'new a');
    await writeFile(besideName(b, 'partial'), 'new b');
    const calls: string[] = [];
    const recording: StoreFs = {
      open: async (path, flags, mode) => {
        const file = await nodeStoreFs.open(path, flags, mode);
        return {
          ...file,
          write: file.write.bind(file),
          datasync: file.datasync.bind(file),
          truncate: file.truncate.bind(file),
          stat: file.stat.bind(file),
          close: file.close.bind(file),
          sync: async () => {
            calls.push(`sync ${path === dir ? 'folder' : basename(path)}`);
            await file.sync();
          },
        };
      },
      rename: async (from, to) => {
        calls.push(`rename ${basename(from)}`);
        await nodeStoreFs.rename(from, to);
      },
      unlink: (path) => nodeStoreFs.unlink(path),
    };
    await commitFiles(
      [
        { temp: besideName(a, 'partial'), target: a },
        { temp: besideName(b, 'partial'), target: b },
      ],
      recording,
    );
    const [ta, tb] = [basename(besideName(a, 'partial')), basename(besideName(b, 'partial'))];
    expect(calls).toEqual([`sync ${ta}`, `sync ${tb}`, `rename ${ta}`, `rename ${tb}`, 'sync folder']);
    expect(await readFile(a, 'utf8')).toBe('new a');
  });
});
