import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { syncDir, writeAll, type StoreFs } from './store-fs';

/** The temp names atomic writes use: `<file>.tmp-<pid>-<n>`, so leftovers are recognisable. */
const TEMP_MARK = '.tmp-';
let counter = 0;

/**
 * Replaces `path` with `text` so that a crash at any moment leaves either the old file or the new one,
 * whole: write a temp file beside it, fsync it, rename it over, fsync the folder. A failure removes the
 * temp file and leaves the old file as it was.
 */
export async function writeFileAtomically(fs: StoreFs, path: string, text: string): Promise<void> {
  const temp = `${path}${TEMP_MARK}${process.pid}-${(counter += 1)}`;
  let file;
  try {
    file = await fs.open(temp, 'wx', 0o600);
    await writeAll(file, Buffer.from(text));
    await file.sync();
    const done = file;
    file = undefined;
    await done.close();
    await fs.rename(temp, path);
    await syncDir(fs, dirname(path));
  } catch (error) {
    await file?.close().catch(() => undefined);
    await fs.unlink(temp).catch(() => undefined);
    throw error;
  }
}

/**
 * Removes temp files an interrupted atomic write left beside `paths` (a process killed between writing the
 * temp file and renaming it). Call only while holding the data folder's lock: then no writer is using them.
 */
export async function removeLeftoverTemps(fs: StoreFs, paths: readonly string[]): Promise<void> {
  const byDir = new Map<string, string[]>();
  for (const path of paths) byDir.set(dirname(path), [...(byDir.get(dirname(path)) ?? []), `${basename(path)}${TEMP_MARK}`]);
  for (const [dir, prefixes] of byDir) {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (prefixes.some((p) => name.startsWith(p))) await fs.unlink(join(dir, name)).catch(() => undefined);
    }
  }
}
