import type { Realm } from '#shared/model/realm';
import type { AppError } from '#shared/result';
import { call } from '../api';
import { useRealmsStore } from './realms-store';

/**
 * Hands a typed bind password to main on the one channel that carries passwords; main keeps it for this
 * session, for the realm's current server and bind DN. The renderer keeps nothing: callers drop the typed
 * value when this returns, then retry what needed it (main reads the password itself). The realm list is
 * reloaded first, so it says the password is there before anything is retried.
 */
export async function giveSessionPassword(realmId: string, password: string): Promise<AppError | null> {
  const result = await call('realms:set-session-password', { realmId, password });
  if (!result.ok) return result.error;
  await useRealmsStore.getState().load();
  return null;
}

/** Whether main has no bind password for the realm's current target (so it will ask before binding). */
export const passwordMissing = (realm: Pick<Realm, 'kind' | 'password' | 'connection'> | undefined): boolean =>
  realm !== undefined && realm.kind !== 'ldif-file' && realm.connection.bindDn !== '' && realm.password === 'missing';
