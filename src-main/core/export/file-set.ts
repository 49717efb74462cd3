import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { nodeStoreFs, syncDir, type StoreFs } from '../store/store-fs';

/** A finished file under its temporary name, and where it goes. */
export interface PendingFile {
  temp: string;
  target: string;
}

/** A hidden name beside a file, unique to this process: `.name.<pid>.<what>`. */
export const besideName = (file: string, what: string): string => join(dirname(file), `.${basename(file)}.${process.pid}.${what}`);

/**
 * Moves a set of finished files onto their targets as one: either every target holds its new file, or none
 * does and each file they replaced is back. Files being replaced are first renamed aside (renames within a
 * folder are atomic), then the new ones are renamed in; on any failure the new ones go and the old ones return.
 */
export async function commitFiles(files: readonly PendingFile[], fs: StoreFs = nodeStoreFs): Promise<void> {
  // Each file's bytes reach the disk before its name does, and the names before the export says it is done:
  // a crash or power loss after that leaves the finished files, never an empty one under the target's name.
  for (const { temp } of files) {
    const file = await fs.open(temp, 'r+');
    try {
      await file.sync();
    } finally {
      await file.close();
    }
  }
  const asides: { target: string; aside: string }[] = [];
  const placed: string[] = [];
  try {
    for (const { target } of files) {
      if (!existsSync(target)) continue;
      const aside = besideName(target, 'replaced');
      await fs.rename(target, aside);
      asides.push({ target, aside });
    }
    for (const { temp, target } of files) {
      await fs.rename(temp, target);
      placed.push(target);
    }
    for (const folder of new Set(files.map(({ target }) => dirname(target)))) await syncDir(fs, folder);
  } catch (error) {
    await Promise.all(placed.map((file) => rm(file, { force: true })));
    for (const { target, aside } of asides.reverse()) await fs.rename(aside, target).catch(() => undefined);
    throw error;
  }
  await Promise.all(asides.map(({ aside }) => rm(aside, { force: true })));
}
