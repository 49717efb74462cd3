import type { RealmRecord } from '#shared/model/realm';
import type { Job, SyncChange, SyncSummary, UserDiff } from '#shared/model/sync';
import type { UsernameClashInput } from '#shared/model/username-clash';
import type { DirectoryCandidate, UserDetail, UserRecord, UserTarget } from '#shared/model/user';
import { RosterError } from '#shared/result';
import { equalityWithin } from '../ldap/filter';
import type { LdapEntry } from '../ldap/search';
import type { JobRunner } from '../jobs/job-runner';
import { emptySummary, record, syncBatch, type Pair } from './batch';
import { clashPolicy, linkedElsewhere, relinkDiff, relinkUser, type ClashPolicy } from './clash';
import { applyDiff, threeWayDiff, type Choices } from './diff';
import { entrySummary, toDirectoryUser, usernameAttribute, type DirectoryUser } from './mapping';
import { BATCH_SIZE, checkCancelled, realmById, requirePassword, syncEntry, withSource, type SyncDeps } from './sync-context';
import { fieldLabel } from '../users/field-labels';
import { matchEntry } from './match';
import { reconcileRealm, type ReconcileOptions } from './reconcile';
import type { DirectorySource } from './source';

/**
 * The Resynchronize dialog (one user: candidates, diff, apply with choices), the conflict queue, bulk
 * resync of selected users, and "Reconcile realm" over every user of a realm.
 */
export class ResyncService {
  constructor(
    private readonly deps: SyncDeps,
    private readonly jobs: JobRunner,
  ) {}

  private toUser(realm: RealmRecord, entry: LdapEntry): DirectoryUser {
    return toDirectoryUser(realm, this.deps.users.fields(), entry);
  }

  /** Entries that could be the user in a realm: by immutable id, by DN, then by username — best first, no repeats. */
  async candidates(userId: string, realmId: string | undefined, signal?: AbortSignal): Promise<DirectoryCandidate[]> {
    const user = this.deps.users.require(userId);
    const id = realmId ?? user.origin?.realmId;
    if (!id) throw new RosterError('invalid-input', `${user.username} is an internal user: choose the realm to look in.`);
    const realm = realmById(this.deps, id);
    const linked = user.origin?.realmId === realm.id ? user.origin : undefined;
    return withSource(this.deps, realm, signal, async (source) => {
      const found: Array<{ entry: LdapEntry; match: DirectoryCandidate['match'] }> = [];
      if (linked) for (const entry of await source.findById(linked.externalId, signal)) found.push({ entry, match: 'id' });
      if (linked) {
        const byDn = await source.readDn(linked.dn, signal);
        if (byDn) found.push({ entry: byDn, match: 'dn' });
      }
      const attribute = usernameAttribute(realm);
      const names = [...new Set([user.username, linked?.baseUsername].filter((n): n is string => Boolean(n)))];
      for (const name of names) {
        for await (const page of source.search(equalityWithin(realm.search.userFilter, attribute, name), signal)) {
          for (const entry of page) found.push({ entry, match: 'username' });
        }
      }
      const seen = new Set<string>();
      const out: DirectoryCandidate[] = [];
      for (const { entry, match } of found) {
        const d = this.toUser(realm, entry);
        const key = d.dn.toLowerCase();
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ ...entrySummary(d), match });
      }
      return out;
    });
  }

  private async entry(source: DirectorySource, realm: RealmRecord, dn: string, signal?: AbortSignal): Promise<DirectoryUser> {
    const entry = await source.readDn(dn, signal);
    if (!entry)
      throw new RosterError(
        'not-found',
        `The directory entry ${dn} was not found in realm "${realm.name}"; it may have been moved or deleted. Look for candidates again.`,
      );
    return this.toUser(realm, entry);
  }

  /** The three-way diff of a user against one entry. */
  async preview(userId: string, realmId: string, dn: string, signal?: AbortSignal): Promise<UserDiff> {
    const realm = realmById(this.deps, realmId);
    const entry = await withSource(this.deps, realm, signal, (source) => this.entry(source, realm, dn, signal));
    const user = this.deps.users.require(userId);
    return (linkedElsewhere(user, realm.id) ? relinkDiff : threeWayDiff)(user, realm, this.deps.users.fields(), entry);
  }

  /** Applies the diff against a fresh read of the entry, with the admin's choices; every conflict is settled. */
  async apply(userId: string, realmId: string, dn: string, choices: Choices, signal?: AbortSignal): Promise<UserDetail> {
    const realm = realmById(this.deps, realmId);
    const entry = await withSource(this.deps, realm, signal, (source) => this.entry(source, realm, dn, signal));
    await this.deps.ctx.users.transact(() => {
      const user = this.deps.users.require(userId);
      // By id, and by DN too: entries of a realm matched by DN carry no id.
      const users = this.deps.ctx.users;
      const other = (entry.externalId ? users.findByExternalId(realm.id, entry.externalId) : undefined) ?? users.findByDn(realm.id, entry.dn);
      if (other && other.id !== user.id)
        throw new RosterError('conflict', `${entry.dn} is already linked to the user ${other.username}; one directory entry cannot be two users.`);
      const moving = linkedElsewhere(user, realm.id);
      const diff = (moving ? relinkDiff : threeWayDiff)(user, realm, this.deps.users.fields(), entry);
      const holder = diff.username_change ? this.deps.ctx.users.findByUsername(diff.username_change.to) : undefined;
      if (moving) {
        const at = this.deps.ctx.now().toISOString();
        const relinked = relinkUser(user, realm, this.deps.users.fields(), entry, at, (id) => this.deps.users.realmName(id), {
          choices,
          usernameFree: !holder || holder.id === user.id,
        });
        return {
          ops: [{ put: relinked.user }],
          audit: [syncEntry(this.deps, 'user.relink', relinked.user, realm.id, relinked.changes, relinked.note)],
          result: undefined,
        };
      }
      const applied = applyDiff(user, diff, entry, this.deps.ctx.now().toISOString(), { choices, usernameFree: !holder || holder.id === user.id });
      const side = (choice: 'directory' | 'local') => (choice === 'directory' ? "directory's" : "Roster's");
      const chosen = diff.fields.filter((f) => f.outcome === 'conflict').map((f) => `${f.label}: ${side(choices[f.field] ?? f.choice)} value`);
      // A row the merge settled on its own that the admin turned the other way is said too.
      const overridden = diff.fields
        .filter((f) => f.outcome !== 'conflict' && f.local !== f.directory && choices[f.field] !== undefined && choices[f.field] !== f.choice)
        .map((f) => `${f.label}: ${side(choices[f.field]!)} value`);
      const note =
        `Resynced with ${entry.dn}` +
        (chosen.length ? `; conflicts settled (${chosen.join(', ')})` : '') +
        (overridden.length ? `; chosen instead of the automatic result (${overridden.join(', ')})` : '') +
        '.';
      return { ops: [{ put: applied.user }], audit: [syncEntry(this.deps, 'user.resync', applied.user, realm.id, applied.changes, note)], result: undefined };
    });
    this.deps.users.changed([userId]);
    return this.deps.users.detail(userId);
  }

  /** Settles conflicts a reconcile queued, from the values it recorded (no directory call). */
  async resolve(userId: string, choices: Choices): Promise<UserDetail> {
    await this.deps.ctx.users.transact(() => {
      const user = this.deps.users.require(userId);
      const pending = user.conflicts ?? [];
      if (pending.length === 0) throw new RosterError('invalid-input', `${user.username} has no conflicts waiting.`);
      const catalogue = this.deps.users.fields();
      const owners = new Map(catalogue.map((f) => [f.key, f.owner]));
      const fields = { ...user.fields };
      const base = { ...user.origin!.base };
      const changes = [];
      const settled = [];
      for (const conflict of pending) {
        const choice = choices[conflict.field] ?? (owners.get(conflict.field) === 'directory' ? 'directory' : 'local');
        const value = choice === 'directory' ? conflict.directory : conflict.local;
        if (value === '') delete fields[conflict.field];
        else fields[conflict.field] = value;
        if (conflict.directory === '') delete base[conflict.field];
        else base[conflict.field] = conflict.directory;
        if ((user.fields[conflict.field] ?? '') !== value) changes.push({ field: conflict.field, before: user.fields[conflict.field] ?? '', after: value });
        settled.push(`${fieldLabel(catalogue, conflict.field)}: ${choice === 'directory' ? "directory's" : "Roster's"} value`);
      }
      const { conflicts: _done, ...rest } = user;
      const updated: UserRecord = { ...rest, fields, origin: { ...user.origin!, base }, updatedAt: this.deps.ctx.now().toISOString() };
      const entry = syncEntry(this.deps, 'user.conflict-resolve', updated, user.origin!.realmId, changes, `Settled ${settled.join(', ')}.`);
      return { ops: [{ put: updated }], audit: [entry], result: undefined };
    });
    this.deps.users.changed([userId]);
    return this.deps.users.detail(userId);
  }

  /** Compares users with their realm in batches: each found by id (then DN), or reported not found. */
  private async syncUsers(
    realm: RealmRecord,
    users: readonly UserRecord[],
    summary: SyncSummary,
    job: { signal?: AbortSignal; progress?: (done: number, total: number) => void; setConsistency?: (t: string) => void; dryRun?: boolean },
    lookup: (user: UserRecord) => Promise<DirectoryUser | undefined>,
  ) {
    for (let start = 0; start < users.length; start += BATCH_SIZE) {
      checkCancelled(job.signal);
      const pairs: Pair[] = [];
      for (const user of users.slice(start, start + BATCH_SIZE)) {
        const entry = await lookup(user);
        pairs.push(entry ? { user, entry } : { user });
      }
      checkCancelled(job.signal);
      await syncBatch(this.deps, realm, pairs, summary, { create: false, dryRun: job.dryRun });
      const done = Math.min(users.length, start + BATCH_SIZE);
      job.setConsistency?.(
        `${done.toLocaleString('en')} of ${users.length.toLocaleString('en')} users were compared and saved; the others were left as they were.`,
      );
      job.progress?.(done, users.length);
    }
    await this.deps.ctx.users.compactIfDue();
  }

  /**
   * Resyncs users without a job: the CLI's `resync --user`. Users linked to the realm are compared with
   * their entries. A user of ANOTHER realm is refused, unless `clash` chooses link or rename: then the
   * realm's entry with the same username is settled as an import would settle that username clash.
   */
  async resyncNow(
    users: readonly UserRecord[],
    realmId: string,
    options: {
      dryRun?: boolean;
      clash?: UsernameClashInput;
      signal?: AbortSignal;
      progress?: (done: number, total: number) => void;
      setConsistency?: (t: string) => void;
    } = {},
  ): Promise<SyncSummary> {
    const realm = realmById(this.deps, realmId);
    const summary = emptySummary(realm.id, options.dryRun);
    const clash = clashPolicy(options.clash, realm);
    const linked = users.filter((u) => u.origin?.realmId === realm.id);
    const strangers = users.filter((u) => u.origin?.realmId !== realm.id);
    const bringIn = (options.clash?.onUsernameClash ?? 'skip') !== 'skip' || Object.keys(options.clash?.overrides ?? {}).length > 0;
    if (strangers.length && (!bringIn || strangers.some((u) => u.kind !== 'external' || !u.origin)))
      throw new RosterError('invalid-input', this.strangersMessage(strangers, realm));
    await withSource(this.deps, realm, options.signal, async (source) => {
      await this.syncUsers(realm, linked, summary, options, async (user) => {
        const [byId] = await source.findById(user.origin!.externalId, options.signal);
        const entry = byId ?? (await source.readDn(user.origin!.dn, options.signal));
        return entry ? this.toUser(realm, entry) : undefined;
      });
      if (strangers.length) await this.bringIn(source, realm, strangers, summary, clash, options);
    });
    return summary;
  }

  /** Why users of other realms (or internal users) cannot be resynced against this realm, and what would. */
  private strangersMessage(strangers: readonly UserRecord[], realm: RealmRecord): string {
    const internal = strangers.filter((u) => u.kind !== 'external' || !u.origin);
    const names = (list: readonly UserRecord[]) => `${list.map((u) => u.username).join(', ')} ${list.length === 1 ? 'is' : 'are'}`;
    if (internal.length) return `${names(internal)} not linked to realm "${realm.name}" (internal users are linked by converting them to external).`;
    const realms = [...new Set(strangers.map((u) => `"${this.deps.users.realmName(u.origin!.realmId)}"`))].join(', ');
    return (
      `${names(strangers)} not linked to realm "${realm.name}" but to ${realms}. To bring in "${realm.name}"'s entry with the same username, ` +
      `choose link (re-link the user to it) or rename (import it as another user) for username clashes.`
    );
  }

  /**
   * Users of other realms against this one: each is looked up here by its username, and the one entry
   * found is settled by the clash policy (link or rename). None, several, or an entry already someone
   * else's is reported, never guessed.
   */
  private async bringIn(
    source: DirectorySource,
    realm: RealmRecord,
    strangers: readonly UserRecord[],
    summary: SyncSummary,
    clash: ClashPolicy,
    options: { dryRun?: boolean; signal?: AbortSignal },
  ): Promise<void> {
    const attribute = usernameAttribute(realm);
    const realmName = (id: string) => this.deps.users.realmName(id);
    const pairs: Pair[] = [];
    for (const user of strangers) {
      checkCancelled(options.signal);
      const found: DirectoryUser[] = [];
      for await (const page of source.search(equalityWithin(realm.search.userFilter, attribute, user.username), options.signal))
        for (const raw of page) found.push(this.toUser(realm, raw));
      const match = found.length === 1 ? matchEntry(this.deps.ctx.users, realm.id, realmName, found[0]!) : undefined;
      if (match?.kind === 'clash' && match.user.id === user.id) {
        pairs.push({ entry: found[0]! });
        continue;
      }
      const from = `realm "${realmName(user.origin!.realmId)}"`;
      const outcome: Pick<SyncChange, 'action' | 'note'> =
        found.length === 0
          ? { action: 'not-found', note: `No entry of realm "${realm.name}" has the username ${user.username}; ${user.username} stays linked to ${from}.` }
          : found.length > 1
            ? {
                action: 'conflict',
                note: `${found.length} entries of realm "${realm.name}" have the username ${user.username} (${found.map((f) => f.dn).join('; ')}); none was chosen.`,
              }
            : {
                action: 'conflict',
                note:
                  match && match.kind !== 'none' && match.kind !== 'clash' && match.user.id !== user.id
                    ? `${found[0]!.dn} of realm "${realm.name}" is already ${match.user.username}'s entry; ${user.username} stays linked to ${from}.`
                    : `${found[0]!.dn} of realm "${realm.name}" could not be matched to ${user.username}; it stays linked to ${from}.`,
              };
      record(summary, { userId: user.id, username: user.username, dn: found[0]?.dn ?? '', changes: [], ...outcome });
    }
    for (let start = 0; start < pairs.length; start += BATCH_SIZE) {
      checkCancelled(options.signal);
      await syncBatch(this.deps, realm, pairs.slice(start, start + BATCH_SIZE), summary, { create: true, dryRun: options.dryRun, clash });
    }
  }

  /** Starts a job resyncing the targeted external users, realm by realm (a missing password is refused before it starts). */
  async resyncUsers(target: UserTarget): Promise<Job> {
    const users = this.deps.users.targets(target).filter((u) => u.kind === 'external' && u.origin);
    if (users.length === 0) throw new RosterError('invalid-input', 'None of the selected users is linked to a directory; only external users can be resynced.');
    const byRealm = new Map<string, UserRecord[]>();
    for (const user of users) byRealm.set(user.origin!.realmId, [...(byRealm.get(user.origin!.realmId) ?? []), user]);
    const realmIds = [...byRealm.keys()];
    for (const realmId of realmIds) await requirePassword(this.deps, realmById(this.deps, realmId));
    return this.jobs.start('resync', realmIds.length === 1 ? realmIds[0]! : '', async (job) => {
      const total = emptySummary(realmIds.length === 1 ? realmIds[0]! : '');
      let before = 0;
      for (const [realmId, group] of byRealm) {
        const summary = await this.resyncNow(group, realmId, {
          signal: job.signal,
          progress: (done) =>
            job.progress(before + done, users.length, `Resyncing ${(before + done).toLocaleString('en')} of ${users.length.toLocaleString('en')}`),
          setConsistency: job.setConsistency,
        });
        before += group.length;
        for (const key of ['matched', 'created', 'updated', 'unchanged', 'conflicts', 'notFound', 'disabledUpstream'] as const) total[key] += summary[key];
        total.changes.push(...summary.changes);
      }
      return total;
    });
  }

  /**
   * Compares every user of a realm with the directory: only the entries changed since the last reconcile (plus
   * an id-only sweep for deleted and moved ones) when its change markers hold, else the whole realm. Every read
   * comes first (a directory that fails mid-read changes nothing), then batches are saved (a cancel stops at a
   * batch boundary, and says so). The report says which mode ran and why.
   */
  async reconcileNow(realmId: string, options: ReconcileOptions = {}): Promise<SyncSummary> {
    const realm = realmById(this.deps, realmId);
    const summary = await reconcileRealm(this.deps, realm, options);
    if (!options.dryRun) {
      const counts = `${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.conflicts} with conflicts, ${summary.notFound} not found, ${summary.disabledUpstream} disabled upstream, ${summary.newInDirectory ?? 0} new in the directory`;
      const compared = summary.updated + summary.unchanged + summary.conflicts + summary.notFound;
      await this.deps.ctx.audit.append([
        {
          at: this.deps.ctx.now().toISOString(),
          who: this.deps.ctx.actor,
          action: 'realm.reconcile',
          realmId: realm.id,
          changes: [],
          note: `Reconciled realm "${realm.name}": ${compared} users compared; ${counts}.`,
        },
      ]);
      this.deps.ctx.events.emit('realms:changed', { ids: [realm.id] });
    }
    return summary;
  }

  /** Starts "Reconcile realm" as a job (`full`: read the whole realm even when an incremental one would do). */
  async reconcile(realmId: string, options: { full?: boolean } = {}): Promise<Job> {
    await requirePassword(this.deps, realmById(this.deps, realmId));
    return this.jobs.start('reconcile', realmId, (job) =>
      this.reconcileNow(realmId, { full: options.full, signal: job.signal, progress: job.progress, setConsistency: job.setConsistency }),
    );
  }
}
