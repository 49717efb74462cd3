import type { AuditChange } from '#shared/model/audit';
import type { RealmRecord } from '#shared/model/realm';
import { checkLdapFilter } from '#shared/model/ldap-filter';
import { RosterError } from '#shared/result';
import type { NewAuditEntry } from '../audit/audit-log';
import { openLdifSource, readingPhase } from '../ldif/ldif-source';
import type { RealmService } from '../realms/realm-service';
import type { PasswordLookup } from '../secrets/realm-passwords';
import type { UserContext, UserService } from '../users/user-service';
import { attributesToRequest } from './mapping';
import { openLdapSource, type DirectorySource } from './source';

/** How many users one store transaction carries in a batch run: a failure stops at a boundary of this size. */
export const BATCH_SIZE = 1000;
/** Per-user changes a summary lists before it says the rest were left out. */
export const MAX_SUMMARY_CHANGES = 2_000;

/** What the sync services share. */
export interface SyncDeps {
  ctx: UserContext;
  users: UserService;
  realms: RealmService;
}

/** A realm by id, or a not-found error. */
export function realmById(deps: SyncDeps, realmId: string): RealmRecord {
  const realm = deps.ctx.store.data.realms.find((r) => r.id === realmId);
  if (!realm) throw new RosterError('not-found', `There is no realm with id ${realmId}; it may have been deleted.`);
  return realm;
}

/**
 * Refuses a realm whose user filter is malformed (saved by an older Roster, or hand-edited), before any
 * connection: the directory would only answer with its own words for Roster's typo.
 */
export function assertRealmFilter(realm: RealmRecord): void {
  const problem = checkLdapFilter(realm.search.userFilter);
  if (problem) {
    throw new RosterError(
      'invalid-filter',
      `The user filter of realm "${realm.name}" is not valid: ${problem.message} Fix it in the realm's settings.`,
      { realmId: realm.id, field: 'search.userFilter' },
    );
  }
}

/**
 * The bind password a realm needs, from main's secret store (typed this session, else saved) and only when
 * it was given for the realm's current target; else a `password-required` error before any work starts.
 */
export async function requirePassword(deps: SyncDeps, realm: RealmRecord, purpose = 'read the directory'): Promise<PasswordLookup> {
  assertRealmFilter(realm);
  if (realm.kind === 'ldif-file' || !realm.connection.bindDn) return {};
  const found = await deps.realms.passwordFor(realm);
  if (found.password === undefined) {
    throw new RosterError(
      'password-required',
      found.refusal ? `Realm "${realm.name}": ${found.refusal}` : `The bind password for realm "${realm.name}" is not saved; enter it to ${purpose}.`,
      { realmId: realm.id },
    );
  }
  return found;
}

/** How far opening a source has got, as a job shows it: reading an LDIF realm's file is bytes of its size. */
export type OpenProgress = (done: number, total: number, phase: string) => void;

/**
 * Opens the realm's directory: the LDAP server with its bind password, or its LDIF file (`progress` hears how
 * reading the file goes, when it is not parsed yet).
 */
export async function openSource(
  deps: SyncDeps,
  realm: RealmRecord,
  signal?: AbortSignal,
  purpose?: string,
  progress?: OpenProgress,
): Promise<DirectorySource> {
  assertRealmFilter(realm);
  if (realm.kind === 'ldif-file') {
    const path = realm.ldif?.path ?? '';
    return openLdifSource(realm, undefined, progress && ((done, total) => progress(done, total, readingPhase(path, done, total))));
  }
  return bindWithPassword(deps, realm, (password) => openLdapSource(realm, password, attributesToRequest(realm, deps.users.fields()), signal), purpose);
}

/**
 * Binds to the realm's server with its bind password (refused before any work when there is none). A password
 * typed this session that the server refuses is forgotten: the next use asks for it again.
 */
export async function bindWithPassword<T>(
  deps: SyncDeps,
  realm: RealmRecord,
  open: (password: string | undefined) => Promise<T>,
  purpose?: string,
): Promise<T> {
  const found = await requirePassword(deps, realm, purpose);
  try {
    return await open(found.password);
  } catch (error) {
    if (error instanceof RosterError && error.code === 'invalid-credentials') {
      await deps.realms.passwordRefused(realm.id, found);
      throw new RosterError(error.code, error.message, { ...error.details, realmId: realm.id });
    }
    throw error;
  }
}

/** Runs work on an open source and always closes it. */
export async function withSource<T>(
  deps: SyncDeps,
  realm: RealmRecord,
  signal: AbortSignal | undefined,
  work: (source: DirectorySource) => Promise<T>,
  purpose?: string,
  progress?: OpenProgress,
): Promise<T> {
  const source = await openSource(deps, realm, signal, purpose, progress);
  try {
    return await work(source);
  } finally {
    await source.close();
  }
}

/** withSource for jobs that read a whole realm: `progress` hears how reading an LDIF realm's file goes. */
export function withSourceReporting<T>(
  deps: SyncDeps,
  realm: RealmRecord,
  signal: AbortSignal | undefined,
  progress: OpenProgress | undefined,
  work: (source: DirectorySource) => Promise<T>,
): Promise<T> {
  return withSource(deps, realm, signal, work, undefined, progress);
}

/** An audit entry for a sync action. */
export function syncEntry(
  deps: SyncDeps,
  action: NewAuditEntry['action'],
  user: { id: string; username: string },
  realmId: string,
  changes: AuditChange[],
  note?: string,
): NewAuditEntry {
  return {
    at: deps.ctx.now().toISOString(),
    who: deps.ctx.actor,
    action,
    userId: user.id,
    username: user.username,
    realmId,
    changes,
    ...(note ? { note } : {}),
  };
}

/** Throws `cancelled` when the job was asked to stop. */
export function checkCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new RosterError('cancelled', 'Cancelled.');
}
