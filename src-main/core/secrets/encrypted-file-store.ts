import { readFile } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';
import type { PasswordState } from '../../../src-shared/model/realm';
import type { SecretStore } from './secret-store';

/** Encrypts with a key the OS protects (Electron's safeStorage on a real keyring). */
export interface Encryptor {
  encrypt(plain: string): Buffer;
  decrypt(cipher: Buffer): string;
}

/** Persists secrets as ciphertext (base64) in a JSON file beside the store; plaintext never touches disk. */
export class EncryptedFileSecretStore implements SecretStore {
  readonly persistent = true;
  readonly reason = undefined;
  private cache: Record<string, string> | undefined;

  constructor(
    private readonly path: string,
    private readonly encryptor: Encryptor,
  ) {}

  private async load(): Promise<Record<string, string>> {
    if (this.cache) return this.cache;
    try {
      this.cache = JSON.parse(await readFile(this.path, 'utf8')) as Record<string, string>;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      this.cache = {};
    }
    return this.cache;
  }

  private async save(all: Record<string, string>): Promise<void> {
    await writeFileAtomic(this.path, JSON.stringify(all), { fsync: true, mode: 0o600 });
  }

  async get(key: string) {
    const cipher = (await this.load())[key];
    return cipher === undefined ? undefined : this.encryptor.decrypt(Buffer.from(cipher, 'base64'));
  }
  async set(key: string, value: string) {
    const all = await this.load();
    all[key] = this.encryptor.encrypt(value).toString('base64');
    await this.save(all);
  }
  async delete(key: string) {
    const all = await this.load();
    if (!(key in all)) return;
    delete all[key];
    await this.save(all);
  }
  async state(key: string): Promise<PasswordState> {
    return key in (await this.load()) ? 'saved' : 'missing';
  }
}
