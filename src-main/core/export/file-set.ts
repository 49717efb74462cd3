import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

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
export async function commitFiles(files: readonly PendingFile[]): Promise<void> {
  const asides: { target: string; aside: string }[] = [];
  const placed: string[] = [];
  try {
    for (const { target } of files) {
      if (!existsSync(target)) continue;
      const aside = besideName(target, 'replaced');
      await rename(target, aside);
      asides.push({ target, aside });
    }
    for (const { temp, target } of files) {
      await rename(temp, target);
      placed.push(target);
    }
  } catch (error) {
    await Promise.all(placed.map((file) => rm(file, { force: true })));
    for (const { target, aside } of asides.reverse()) await rename(aside, target).catch(() => undefined);
    throw error;
  }
  await Promise.all(asides.map(({ aside }) => rm(aside, { force: true })));
}
