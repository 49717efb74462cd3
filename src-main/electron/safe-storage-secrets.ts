import { join } from 'node:path';
import { safeStorage } from 'electron';
import { EncryptedFileSecretStore } from '../core/secrets/encrypted-file-store';
import { SessionSecretStore, type SecretStore } from '../core/secrets/secret-store';

/**
 * Bind passwords encrypted with the OS keyring (safeStorage). When Electron only has its plain-text
 * fallback (Linux without a keyring), nothing is persisted: passwords are asked for per session, and the
 * reason is shown in the realm settings.
 */
export function createElectronSecretStore(dataDir: string): SecretStore {
  const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os';
  if (!safeStorage.isEncryptionAvailable() || backend === 'basic_text') {
    return new SessionSecretStore(
      'No system keyring is available (Electron reports only its plain-text backend), so Roster will not write bind passwords to disk: enter them once per session.',
    );
  }
  return new EncryptedFileSecretStore(join(dataDir, 'secrets.json'), {
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (cipher) => safeStorage.decryptString(cipher),
  });
}
