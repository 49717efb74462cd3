import type { AuditChange } from '#shared/model/audit';
import { DN_AS_ID, type RealmRecord } from '#shared/model/realm';
import type { DirectoryCandidate, UserDetail, UserRecord } from '#shared/model/user';
import { RosterError } from '#shared/result';
import { equalityWithin } from '../ldap/filter';
import type { RealmService } from '../realms/realm-service';
import { applyDiff, threeWayDiff } from '../sync/diff';
import { directoryMapper, entrySummary, usernameAttribute, type DirectoryUser } from '../sync/mapping';
import { realmById, withSource, type SyncDeps } from '../sync/sync-context';
import type { UserContext, UserService } from './user-service';

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

  /**
   * Directory entries of a realm whose username equals this user's (ignoring case), read through the realm's
   * directory source (LDAP server or LDIF file) with the realm's user filter and the username escaped.
   */
  async findInRealm(id: string, realmId: string, signal?: AbortSignal): Promise<DirectoryCandidate[]> {
    const user = this.users.require(id);
    const realm = realmById(this.deps, realmId);
    const map = directoryMapper(realm, this.users.fields());
    const filter = equalityWithin(realm.search.userFilter, usernameAttribute(realm), user.username);
    const found = await withSource(
      this.deps,
      realm,
      signal,
      async (source) => {
        const entries: DirectoryUser[] = [];
        for await (const page of source.search(filter, signal)) {
          for (const entry of page) if (entries.length < MAX_CANDIDATES) entries.push(map(entry));
        }
        return entries;
      },
      'search the directory',
    );
    return found.map(entrySummary);
  }

  /** Reads one entry by DN through the realm's directory source. */
  private async entry(realm: RealmRecord, dn: string, signal?: AbortSignal): Promise<DirectoryUser> {
    const found = await withSource(this.deps, realm, signal, (source) => source.readDn(dn, signal), 'search the directory');
    if (!found) throw new RosterError('not-found', `The directory entry ${dn} was not found in realm "${realm.name}".`);
    const d = directoryMapper(realm, this.users.fields())(found);
    // A realm whose entries carry no id (an LDIF export without entryUUID) links by DN, as import does.
    if (!d.externalId && realm.idAttribute !== DN_AS_ID)
      throw new RosterError('ldap-error', `The entry ${dn} has no ${realm.idAttribute}; check the realm's unique id attribute.`);
    return d;
  }

  /**
   * Links an internal user to a directory entry with the three-way merge import and resync use (no base yet):
   * directory-owned fields take the directory's values; local fields keep what Roster has, or take the
   * directory's when Roster has none.
   */
  async toExternal(id: string, realmId: string, dn: string, signal?: AbortSignal): Promise<UserDetail> {
    const realm = realmById(this.deps, realmId);
    const directory = await this.entry(realm, dn, signal);
    await this.ctx.users.transact(() => {
      const user = this.users.require(id);
      if (user.kind === 'external') throw new RosterError('invalid-input', `${user.username} is already linked to ${user.origin?.dn ?? 'a directory'}.`);
      const linked =
        (directory.externalId ? this.ctx.users.findByExternalId(realm.id, directory.externalId) : undefined) ?? this.ctx.users.findByDn(realm.id, directory.dn);
      if (linked)
        throw new RosterError('conflict', `${directory.dn} is already linked to the user ${linked.username}; one directory entry cannot be two users.`);
      if (directory.username.toLowerCase() !== user.username.toLowerCase()) {
        throw new RosterError('conflict', `${directory.dn} has the username "${directory.username}", not "${user.username}"; choose the entry that matches.`);
      }
      const diff = threeWayDiff(user, realm, this.users.fields(), directory);
      const applied = applyDiff(user, diff, directory, this.ctx.now().toISOString(), { usernameFree: false });
      // The conversion's entry also names the realm the user joined, next to the change of kind.
      const changes = applied.changes.flatMap((c): AuditChange[] => (c.field === 'kind' ? [c, { field: 'realm', before: '', after: realm.name }] : [c]));
      const note = `Linked to ${directory.dn}.`;
      return { ops: [{ put: applied.user }], audit: [this.users.entry('user.to-external', applied.user, changes, note)], result: undefined };
    });
    this.users.changed([id]);
    return this.users.detail(id);
  }
}
