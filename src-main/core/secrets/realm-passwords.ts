import { createHash } from 'node:crypto';
import type { PasswordState, TlsMode } from '#shared/model/realm';
import { SessionSecretStore, type SecretStore } from './secret-store';

/** What a bind password is sent to: change any of these and a kept password no longer applies. */
export interface BindTarget {
  urls: string[];
  tls: TlsMode;
  caCertPem?: string;
  verifyCertificate: boolean;
  bindDn: string;
}

/** Where a password is kept: under a saved realm, or under a realm form's draft that has no id yet. */
export interface PasswordKeys {
  realmId?: string;
  draftId?: string;
}

/** The password to bind with, and where it came from; or none, with why a kept one was not used. */
export type PasswordLookup =
  { password: string; kept: 'saved' | 'session'; refusal?: undefined } | { password?: undefined; kept?: undefined; refusal?: string };

/** What is stored (encrypted by the durable store) for one realm: the secret and the target it was given for. */
interface BoundPassword {
  format: typeof FORMAT;
  password: string;
  fingerprint: string;
  urls: string[];
  tls: TlsMode;
  bindDn: string;
}

const FORMAT = 'roster-bound-password/1';

const realmKey = (realmId: string): string => `realm:${realmId}:bind-password`;
const draftKey = (draftId: string): string => `draft:${draftId}:bind-password`;

/** SHA-256 over a canonical JSON of the target: two targets share a fingerprint only when every part is equal. */
export function targetFingerprint(target: BindTarget): string {
  const canonical = JSON.stringify([FORMAT, target.urls, target.tls, target.caCertPem ?? '', target.verifyCertificate, target.bindDn]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/**
 * Reads a stored value: a bound password, `legacy` for a bare secret saved before passwords were bound,
 * `unreadable` when it cannot be decrypted (the keyring changed), or nothing.
 */
async function read(store: SecretStore, key: string): Promise<BoundPassword | 'legacy' | 'unreadable' | undefined> {
  let value: string | undefined;
  try {
    value = await store.get(key);
  } catch {
    return 'unreadable';
  }
  if (value === undefined) return undefined;
  try {
    const parsed = JSON.parse(value) as Partial<BoundPassword> | null;
    if (parsed?.format === FORMAT && typeof parsed.password === 'string' && typeof parsed.fingerprint === 'string') return parsed as BoundPassword;
  } catch {
    // A bare password (not JSON) is an older Roster's record.
  }
  return 'legacy';
}

const write = (store: SecretStore, key: string, target: BindTarget, password: string): Promise<void> => {
  const record: BoundPassword = { format: FORMAT, password, fingerprint: targetFingerprint(target), urls: target.urls, tls: target.tls, bindDn: target.bindDn };
  return store.set(key, JSON.stringify(record));
};

/** Why a kept password is not sent to `now`: what it was given for, and what changed. */
function refusal(kept: BoundPassword | 'legacy' | 'unreadable', how: 'saved' | 'session', now: BindTarget): string {
  if (kept === 'unreadable') return 'The saved password cannot be decrypted (the system keyring may have changed); enter the password again.';
  if (kept === 'legacy')
    return 'The saved password was stored by an earlier version of Roster, which did not record the server it was for; enter the password again.';
  const subject = how === 'saved' ? 'The saved password was saved for' : 'The password given this session was given for';
  const where = `${kept.urls.join(', ') || '(no server)'}, bind DN ${kept.bindDn || '(none)'}`;
  const sameServer = JSON.stringify(kept.urls) === JSON.stringify(now.urls) && kept.bindDn === now.bindDn;
  return sameServer
    ? `${subject} ${where} with other TLS settings (mode, CA certificate or certificate verification); the TLS settings changed, so enter the password again.`
    : `${subject} ${where}; the server or bind DN changed, so enter the password again.`;
}

/**
 * Bind passwords, each bound to the target it was given for (URLs, TLS mode, CA, verification, bind DN).
 * `durable` keeps saved passwords (encrypted on disk when the platform can); typed ones stay in this
 * process's memory until it ends or the realm's target changes. A password is handed out only for the
 * exact target it was given for.
 */
export class RealmPasswords {
  private readonly typed = new SessionSecretStore('Typed bind passwords are kept in memory until Roster quits.');

  constructor(private readonly durable: SecretStore) {}

  /** How a password given with `remember` is kept: saved on disk, or (without a keyring, or in the CLI) for the session. */
  get rememberedAs(): 'saved' | 'session' {
    return this.durable.persistent ? 'saved' : 'session';
  }

  /** Every place a password for these keys may be, most recently typed first. */
  private places(keys: PasswordKeys): Array<{ store: SecretStore; key: string; how: 'saved' | 'session' }> {
    return [
      ...(keys.draftId ? [{ store: this.typed, key: draftKey(keys.draftId), how: 'session' as const }] : []),
      ...(keys.realmId
        ? [
            { store: this.typed, key: realmKey(keys.realmId), how: 'session' as const },
            { store: this.durable, key: realmKey(keys.realmId), how: this.rememberedAs },
          ]
        : []),
    ];
  }

  /** The password kept under these keys for exactly this target; a password kept for another target is refused, saying why. */
  async lookup(keys: PasswordKeys, target: BindTarget): Promise<PasswordLookup> {
    const fingerprint = targetFingerprint(target);
    let other: string | undefined;
    for (const { store, key, how } of this.places(keys)) {
      const kept = await read(store, key);
      if (kept === undefined) continue;
      if (typeof kept === 'object' && kept.fingerprint === fingerprint) return { password: kept.password, kept: how };
      other ??= refusal(kept, how, target);
    }
    return other === undefined ? {} : { refusal: other };
  }

  /** Where a realm's password is for its current target, and why a kept one does not apply, if one does not. */
  async state(realmId: string, target: BindTarget): Promise<{ state: PasswordState; note?: string }> {
    const found = await this.lookup({ realmId }, target);
    if (found.password !== undefined) return { state: found.kept };
    return found.refusal ? { state: 'missing', note: found.refusal } : { state: 'missing' };
  }

  /** Keeps a password for a target: durably under a realm when `remember` (and the store can), else for this session. */
  async keep(keys: PasswordKeys, target: BindTarget, password: string, remember: boolean): Promise<'saved' | 'session'> {
    if (remember && keys.realmId) {
      await write(this.durable, realmKey(keys.realmId), target, password);
      // A typed one would be preferred to the one just saved.
      await this.typed.delete(realmKey(keys.realmId));
      return this.rememberedAs;
    }
    const key = keys.realmId ? realmKey(keys.realmId) : keys.draftId ? draftKey(keys.draftId) : undefined;
    if (key === undefined) throw new Error('A password is kept under a realm or a draft.');
    await write(this.typed, key, target, password);
    return 'session';
  }

  /** After a realm's target changed: forgets every password of the realm that was given for another target. */
  async retarget(realmId: string, target: BindTarget): Promise<void> {
    const fingerprint = targetFingerprint(target);
    for (const store of [this.typed, this.durable]) {
      const kept = await read(store, realmKey(realmId));
      if (kept !== undefined && (typeof kept !== 'object' || kept.fingerprint !== fingerprint)) await store.delete(realmKey(realmId));
    }
  }

  /**
   * Moves what a realm form's draft was given to the realm it became (for the same target only); when it was
   * `saved` for the realm already (`remember` from the draft), only the draft's copy is dropped.
   */
  async adopt(draftId: string, realmId: string, target: BindTarget, saved = false): Promise<void> {
    const kept = await read(this.typed, draftKey(draftId));
    await this.typed.delete(draftKey(draftId));
    if (!saved && typeof kept === 'object' && kept.fingerprint === targetFingerprint(target)) await write(this.typed, realmKey(realmId), target, kept.password);
  }

  /**
   * Saves the password typed this session for the realm's target, when there is one ("save password"): the
   * one typed for the realm, or for the draft it is being created from. Returns whether one was saved.
   */
  async remember(realmId: string, target: BindTarget, draftId?: string): Promise<boolean> {
    const kept = await read(this.typed, draftId === undefined ? realmKey(realmId) : draftKey(draftId));
    if (typeof kept !== 'object' || kept.fingerprint !== targetFingerprint(target)) return false;
    await this.keep({ realmId }, target, kept.password, true);
    return true;
  }

  /** Forgets a typed password the server refused, so the next use asks again instead of failing the same way. */
  async refused(keys: PasswordKeys, password: string): Promise<void> {
    for (const { store, key, how } of this.places(keys)) {
      if (store !== this.typed || how !== 'session') continue;
      const kept = await read(store, key);
      if (typeof kept === 'object' && kept.password === password) await store.delete(key);
    }
  }

  /** Forgets every password of a realm (deleted, or "forget the stored password"). */
  async forget(realmId: string): Promise<void> {
    await this.typed.delete(realmKey(realmId));
    await this.durable.delete(realmKey(realmId));
  }
}
