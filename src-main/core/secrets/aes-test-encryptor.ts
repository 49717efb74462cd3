import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Encryptor } from './encrypted-file-store';

/**
 * Stands in for Electron's safeStorage in tests (which needs Electron): real AES-256-GCM with a key held only
 * in this process's memory, so what reaches the disk is ciphertext as it would be on a real keyring.
 */
export function aesTestEncryptor(key: Buffer = randomBytes(32)): Encryptor {
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decrypt(data) {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
