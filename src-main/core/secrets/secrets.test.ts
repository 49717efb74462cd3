import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aesTestEncryptor as aesEncryptor } from './aes-test-encryptor';
import { EncryptedFileSecretStore } from './encrypted-file-store';
import { readPassword } from './password-source';
import { SessionSecretStore } from './secret-store';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-secrets-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});


describe('EncryptedFileSecretStore', () => {
  it('persists only ciphertext and reads it back in a new instance', async () => {
    const key = randomBytes(32);
    const path = join(dir, 'secrets.json');
    const store = new EncryptedFileSecretStore(path, aesEncryptor(key));
    await store.set('realm:1:bind-password', 'S3cret-Pässword!');
    expect(await readFile(path, 'utf8')).not.toContain('S3cret');
    const reopened = new EncryptedFileSecretStore(path, aesEncryptor(key));
    expect(await reopened.get('realm:1:bind-password')).toBe('S3cret-Pässword!');
    expect(await reopened.state('realm:1:bind-password')).toBe('saved');
    await reopened.delete('realm:1:bind-password');
    expect(await reopened.state('realm:1:bind-password')).toBe('missing');
  });

  it('writes changes made at once one after another, so none is lost', async () => {
    const key = randomBytes(32);
    const path = join(dir, 'secrets.json');
    const store = new EncryptedFileSecretStore(path, aesEncryptor(key));
    await store.set('c', 'gone');
    await Promise.all([store.set('a', 'one'), store.set('b', 'two'), store.delete('c'), store.set('d', 'four')]);
    const reopened = new EncryptedFileSecretStore(path, aesEncryptor(key));
    expect(await Promise.all(['a', 'b', 'c', 'd'].map((k) => reopened.get(k)))).toEqual(['one', 'two', undefined, 'four']);
  });
});

describe('SessionSecretStore', () => {
  it('keeps secrets for the session and says why it does not persist', async () => {
    const store = new SessionSecretStore('No keyring.');
    expect(store.persistent).toBe(false);
    expect(store.reason).toBe('No keyring.');
    await store.set('k', 'v');
    expect([await store.get('k'), await store.state('k'), await store.state('other')]).toEqual(['v', 'session', 'missing']);
  });
});

describe('readPassword (CLI)', () => {
  it('reads an environment variable', async () => {
    expect(await readPassword({ passwordEnv: 'BIND_PW' }, { BIND_PW: 'pw from env' })).toBe('pw from env');
  });

  it('reads a file without its trailing newline', async () => {
    await writeFile(join(dir, 'pw'), 'pw from file\n');
    expect(await readPassword({ passwordFile: join(dir, 'pw') })).toBe('pw from file');
  });

  it('explains each mistake', async () => {
    await expect(readPassword({ passwordEnv: 'NOPE' }, {})).rejects.toThrow(
      'The environment variable NOPE is not set or empty; export it with the bind password.',
    );
    await expect(readPassword({ passwordFile: join(dir, 'missing') })).rejects.toThrow(`Cannot read the password file ${join(dir, 'missing')}: ENOENT.`);
    await expect(readPassword({ passwordEnv: 'A', passwordFile: 'B' })).rejects.toThrow('Give either --password-env or --password-file, not both.');
    expect(await readPassword({})).toBeUndefined();
  });
});
