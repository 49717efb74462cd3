import type { PasswordState } from '#shared/model/realm';

/** Where bind passwords live. Implementations never hand secrets to the renderer; only main reads them. */
export interface SecretStore {
  /** Whether secrets survive a restart; when false, `reason` says why in words a person understands. */
  readonly persistent: boolean;
  readonly reason?: string;
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  state(key: string): Promise<PasswordState>;
}

/** Keeps secrets in memory for this process only: the fallback when nothing can encrypt them at rest. */
export class SessionSecretStore implements SecretStore {
  readonly persistent = false;
  private readonly secrets = new Map<string, string>();

  constructor(readonly reason: string) {}

  async get(key: string) {
    return this.secrets.get(key);
  }
  async set(key: string, value: string) {
    this.secrets.set(key, value);
  }
  async delete(key: string) {
    this.secrets.delete(key);
  }
  async state(key: string): Promise<PasswordState> {
    return this.secrets.has(key) ? 'session' : 'missing';
  }
}
