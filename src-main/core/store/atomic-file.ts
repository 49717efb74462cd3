import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { describeCause } from './io-error';
import { syncDir, writeAll, type StoreFs } from './store-fs';

/** The temp names atomic writes use: `<file>.tmp-<pid>-<n>`, so leftovers are recognisable. */
const TEMP_MARK = '.tmp-';
let counter = 0;

/** What a successful atomic write could not do: the folder's fsync after the rename failed (the new file is in place). */
export interface AtomicWrite {
  /** Set when the rename is done but not yet durable: a power cut before the system writes the folder back may undo it. */
  folderSyncError?: unknown;
}

/**
 * Replaces `path` with `text` so that a crash at any moment leaves either the old file or the new one,
 * whole: write a temp file beside it, fsync it, rename it over, fsync the folder. A failure before the
 * rename removes the temp file, leaves the old file as it was, and throws. Once the rename is done the new
 * text IS the file, so a failing fsync of the folder after it does not fail the write (the caller would
 * keep the old state in memory while the new one is on disk, and a restart would bring back a change
 * reported as failed): it is returned, and reported as a process warning. `text` may come in pieces
 * (see jsonChunks): they are written one after another, each encoded on its own.
 */
export async function writeFileAtomically(fs: StoreFs, path: string, text: string | Iterable<string>): Promise<AtomicWrite> {
  const temp = `${path}${TEMP_MARK}${process.pid}-${(counter += 1)}`;
  let file;
  try {
    file = await fs.open(temp, 'wx', 0o600);
    if (typeof text === 'string') await writeAll(file, Buffer.from(text));
    else for (const piece of text) await writeAll(file, Buffer.from(piece));
    await file.sync();
    const done = file;
    file = undefined;
    await done.close();
    await fs.rename(temp, path);
  } catch (error) {
    await file?.close().catch(() => undefined);
    await fs.unlink(temp).catch(() => undefined);
    throw error;
  }
  try {
    await syncDir(fs, dirname(path));
    return {};
  } catch (error) {
    process.emitWarning(
      `${path} was saved, but its folder could not be synced to disk (${describeCause(error)}): a power cut in the next moments could bring back its previous version.`,
      { code: FOLDER_SYNC_WARNING },
    );
    return { folderSyncError: error };
  }
}

/** The code of the process warning a write whose folder could not be synced emits. */
export const FOLDER_SYNC_WARNING = 'ROSTER_FOLDER_SYNC';

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
