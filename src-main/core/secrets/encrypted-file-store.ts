import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { PasswordState } from '#shared/model/realm';
import { writeFileAtomically } from '../store/atomic-file';
import { ioError } from '../store/io-error';
import { nodeStoreFs, type StoreFs } from '../store/store-fs';
import type { SecretStore } from './secret-store';

/** Encrypts with a key the OS protects (Electron's safeStorage on a real keyring). */
export interface Encryptor {
  encrypt(plain: string): Buffer;
  decrypt(cipher: Buffer): string;
}

/**
 * Persists secrets as ciphertext (base64) in a JSON file beside the store; plaintext never touches disk.
 * Written like the store's own files (atomically, through the same `StoreFs`), and a change shows only once
 * it is on disk: a failed write leaves memory and the file as they were and rejects with an `io` error.
 */
export class EncryptedFileSecretStore implements SecretStore {
  readonly persistent = true;
  readonly reason = undefined;
  private cache: Readonly<Record<string, string>> | undefined;
  /** Changes run one after another, each from what the previous one left on disk, so none overwrites another. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly encryptor: Encryptor,
    /** The file operations writes go through (tests inject disk-full and read-only failures here). */
    private readonly fs: StoreFs = nodeStoreFs,
  ) {}

  private async load(): Promise<Readonly<Record<string, string>>> {
    if (this.cache) return this.cache;
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw ioError(error, dirname(this.path), `read ${basename(this.path)}`, 'Nothing was changed.');
      text = '{}';
    }
    this.cache = JSON.parse(text) as Record<string, string>;
    return this.cache;
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Replaces the file with `next`, and only once it is there makes `next` what this store answers from. */
  private async save(next: Record<string, string>, doing: string, outcome: string): Promise<void> {
    try {
      await writeFileAtomically(this.fs, this.path, JSON.stringify(next));
    } catch (error) {
      throw ioError(error, dirname(this.path), `${doing} ${basename(this.path)}`, outcome);
    }
    this.cache = next;
  }

  async get(key: string) {
    const all = await this.load();
    const cipher = Object.hasOwn(all, key) ? all[key] : undefined;
    return cipher === undefined ? undefined : this.encryptor.decrypt(Buffer.from(cipher, 'base64'));
  }

  set(key: string, value: string): Promise<void> {
    return this.serially(async () => {
      const next = { ...(await this.load()), [key]: this.encryptor.encrypt(value).toString('base64') };
      await this.save(next, 'save the bind password to', 'The password was not saved; everything saved before it is kept.');
    });
  }

  delete(key: string): Promise<void> {
    return this.serially(async () => {
      const all = await this.load();
      if (!Object.hasOwn(all, key)) return;
      const next = { ...all };
      delete next[key];
      await this.save(next, 'remove the saved bind password from', 'The saved password was not removed, and nothing was changed.');
    });
  }

  async state(key: string): Promise<PasswordState> {
    return Object.hasOwn(await this.load(), key) ? 'saved' : 'missing';
  }
}
