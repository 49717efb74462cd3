import { open, rename, unlink } from 'node:fs/promises';

/** An open file, as the store's writers use it (a subset of node's FileHandle). */
export interface StoreFile {
  write(buffer: Uint8Array, offset: number, length: number): Promise<{ bytesWritten: number }>;
  datasync(): Promise<void>;
  sync(): Promise<void>;
  truncate(length: number): Promise<void>;
  stat(): Promise<{ size: number }>;
  close(): Promise<void>;
}

/**
 * The file operations the store's writers (journals, the document, the users snapshot) go through. Production
 * uses node's; tests hand in one that fails the way a full or read-only disk does, at an exact call.
 */
export interface StoreFs {
  open(path: string, flags: 'a' | 'wx' | 'r' | 'r+', mode?: number): Promise<StoreFile>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
}

/** The real file system. */
export const nodeStoreFs: StoreFs = { open, rename, unlink };

/**
 * Writes every byte: one write() may store only part of a buffer (a disk filling up does exactly that), and
 * the rest must then either land or fail, never be dropped silently.
 */
export async function writeAll(file: StoreFile, bytes: Uint8Array): Promise<void> {
  for (let done = 0; done < bytes.length;) {
    const { bytesWritten } = await file.write(bytes, done, bytes.length - done);
    if (bytesWritten <= 0) throw Object.assign(new Error('no space left on device, write'), { code: 'ENOSPC' });
    done += bytesWritten;
  }
}

/** Codes with which a platform says "directories cannot be fsync'd here" (Windows): nothing to do. */
const NO_DIR_SYNC = new Set(['EISDIR', 'EPERM', 'EINVAL', 'EBADF', 'EACCES']);

/** Makes a rename or a create in `dir` durable (fsync of the directory), where the platform supports it. */
export async function syncDir(fs: StoreFs, dir: string): Promise<void> {
  let handle: StoreFile;
  try {
    handle = await fs.open(dir, 'r');
  } catch (error) {
    if (NO_DIR_SYNC.has((error as NodeJS.ErrnoException).code ?? '')) return;
    throw error;
  }
  try {
    await handle.sync();
  } catch (error) {
    if (!NO_DIR_SYNC.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
  } finally {
    await handle.close();
  }
}
