import type { RealmRecord } from '../../../src-shared/model/realm';
import type { DirectoryCandidate, UserDetail, UserRecord } from '../../../src-shared/model/user';
import { RosterError } from '../../../src-shared/result';
import { equalityWithin } from '../ldap/filter';
import { searchAll } from '../ldap/search';
import { withSession } from '../ldap/session';
import { targetOf, type RealmService } from '../realms/realm-service';
import { attributesToRequest, toDirectoryUser, type DirectoryUser } from '../sync/mapping';
import { realmById, requirePassword, type SyncDeps } from '../sync/sync-context';
import { diffFields, type UserContext, type UserService } from './user-service';

/** How many directory entries a username lookup lists at most. */
const MAX_CANDIDATES = 50;

/**
 * Converting users between internal and external. External -> internal keeps every value and drops the
 * link; internal -> external links the user to a directory entry matched by username in the chosen realm.
 */
export class ConversionService {
  private readonly deps: SyncDeps;

  constructor(
    private readonly ctx: UserContext,
    private readonly users: UserService,
    realms: RealmService,
  ) {
    this.deps = { ctx, users, realms };
  }

  /** Drops the link to the directory; the values stay as they are. */
  async toInternal(id: string): Promise<UserDetail> {
    await this.ctx.users.transact(() => {
      const user = this.users.require(id);
      if (user.kind === 'internal' || !user.origin) throw new RosterError('invalid-input', `${user.username} is already an internal user.`);
      const { origin, conflicts: _conflicts, ...rest } = user;
      const updated: UserRecord = { ...rest, kind: 'internal', updatedAt: this.ctx.now().toISOString() };
      const changes = [
        { field: 'kind', before: 'external', after: 'internal' },
        { field: 'realm', before: this.users.realmName(origin.realmId), after: '' },
        { field: 'dn', before: origin.dn, after: '' },
      ];
      return { ops: [{ put: updated }], audit: [this.users.entry('user.to-internal', user, changes, `Unlinked from ${origin.dn}.`)], result: undefined };
    });
    this.users.changed([id]);
    return this.users.detail(id);
  }

  /** Directory entries of a realm whose username equals this user's (ignoring case). */
  async findInRealm(id: string, realmId: string, given?: string, signal?: AbortSignal): Promise<DirectoryCandidate[]> {
    const user = this.users.require(id);
    const realm = realmById(this.deps, realmId);
    const attribute = realm.mapping.username ?? 'uid';
    const filter = equalityWithin(realm.search.userFilter, attribute, user.username);
    const fields = this.users.fields();
    const entries = await withSession(
      targetOf(realm),
      await requirePassword(this.deps, realm, given, 'search the directory'),
      (session) =>
        searchAll(session, {
          baseDn: realm.search.baseDn,
          filter,
          scope: realm.search.scope,
          attributes: attributesToRequest(realm, fields),
          pageSize: MAX_CANDIDATES,
          signal,
        }),
      signal,
    );
    return entries.slice(0, MAX_CANDIDATES).map((entry) => {
      const d = toDirectoryUser(realm, fields, entry);
      return {
        dn: d.dn,
        externalId: d.externalId,
        username: d.username,
        email: d.fields.email ?? '',
        displayName: d.fields.displayName ?? '',
        enabled: d.enabled,
      };
    });
  }

  /** Reads one entry by DN. */
  private async entry(realm: RealmRecord, dn: string, given?: string, signal?: AbortSignal): Promise<DirectoryUser> {
    const fields = this.users.fields();
    const entries = await withSession(
      targetOf(realm),
      await requirePassword(this.deps, realm, given, 'search the directory'),
      (session) =>
        searchAll(session, { baseDn: dn, filter: '(objectClass=*)', scope: 'base', attributes: attributesToRequest(realm, fields), pageSize: 1, signal }),
      signal,
    );
    const found = entries[0];
    if (!found) throw new RosterError('not-found', `The directory entry ${dn} was not found in realm "${realm.name}".`);
    const d = toDirectoryUser(realm, fields, found);
    if (!d.externalId) throw new RosterError('ldap-error', `The entry ${dn} has no ${realm.idAttribute}; check the realm's unique id attribute.`);
    return d;
  }

  /**
   * Links an internal user to a directory entry. Directory-owned fields take the directory's values; local
   * fields keep what Roster has (or take the directory's when Roster has none).
   */
  async toExternal(id: string, realmId: string, dn: string, given?: string, signal?: AbortSignal): Promise<UserDetail> {
    const realm = realmById(this.deps, realmId);
    const directory = await this.entry(realm, dn, given, signal);
    await this.ctx.users.transact(() => {
      const user = this.users.require(id);
      if (user.kind === 'external') throw new RosterError('invalid-input', `${user.username} is already linked to ${user.origin?.dn ?? 'a directory'}.`);
      const linked = this.ctx.users.findByExternalId(realm.id, directory.externalId);
      if (linked)
        throw new RosterError('conflict', `${directory.dn} is already linked to the user ${linked.username}; one directory entry cannot be two users.`);
      if (directory.username.toLowerCase() !== user.username.toLowerCase()) {
        throw new RosterError('conflict', `${directory.dn} has the username "${directory.username}", not "${user.username}"; choose the entry that matches.`);
      }
      const fields = { ...user.fields };
      for (const field of this.users.fields()) {
        const value = directory.fields[field.key] ?? '';
        if (field.owner === 'directory' || !fields[field.key]) {
          if (value === '') delete fields[field.key];
          else fields[field.key] = value;
        }
      }
      const at = this.ctx.now().toISOString();
      const updated: UserRecord = {
        ...user,
        kind: 'external',
        fields,
        origin: {
          realmId: realm.id,
          externalId: directory.externalId,
          dn: directory.dn,
          syncedAt: at,
          base: directory.fields,
          baseUsername: directory.username,
          directoryEnabled: directory.enabled,
          ...(directory.expiresAt ? { expiresAt: directory.expiresAt } : {}),
          ...(directory.userPrincipalName ? { userPrincipalName: directory.userPrincipalName } : {}),
        },
        updatedAt: at,
      };
      const changes = [
        { field: 'kind', before: 'internal', after: 'external' },
        { field: 'realm', before: '', after: realm.name },
        { field: 'dn', before: '', after: directory.dn },
        ...diffFields(user.fields, fields),
      ];
      return { ops: [{ put: updated }], audit: [this.users.entry('user.to-external', updated, changes, `Linked to ${directory.dn}.`)], result: undefined };
    });
    this.users.changed([id]);
    return this.users.detail(id);
  }
}
