import { randomUUID } from 'node:crypto';
import type { RealmRecord } from '#shared/model/realm';
import type { SyncChange, SyncSummary } from '#shared/model/sync';
import type { AuditChange } from '#shared/model/audit';
import type { FieldValues, UserRecord } from '#shared/model/user';
import { validateUsername } from '#shared/model/fields';
import type { NewAuditEntry } from '../audit/audit-log';
import { fieldLabel } from '../users/field-labels';
import type { UserOp } from '../users/user-store';
import { relinkUser, SKIP_CLASHES, type ClashPolicy } from './clash';
import { applyDiff, newUserFrom, threeWayDiff } from './diff';
import type { DirectoryUser } from './mapping';
import { matchEntry } from './match';
import { MAX_SUMMARY_CHANGES, syncEntry, type SyncDeps } from './sync-context';

/** An empty report for a realm. */
export function emptySummary(realmId: string, dryRun = false): SyncSummary {
  return {
    realmId,
    matched: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    conflicts: 0,
    notFound: 0,
    disabledUpstream: 0,
    changes: [],
    ...(dryRun ? { dryRun } : {}),
  };
}

/** Adds one user's outcome to a report. */
export function record(summary: SyncSummary, change: SyncChange): void {
  if (change.action === 'created') summary.created += 1;
  else if (change.action === 'updated') summary.updated += 1;
  else if (change.action === 'unchanged') summary.unchanged += 1;
  else if (change.action === 'conflict') summary.conflicts += 1;
  else if (change.action === 'not-found') summary.notFound += 1;
  if (change.clash) {
    summary.usernameClashes ??= { skip: 0, link: 0, rename: 0 };
    summary.usernameClashes[change.clash] += 1;
  }
  if (summary.changes.length < MAX_SUMMARY_CHANGES) summary.changes.push(change);
  else summary.changesTruncated = true;
}

const fieldChanges = (fields: FieldValues): AuditChange[] => Object.entries(fields).map(([field, after]) => ({ field, before: '', after }));

/**
 * The audit entry of an import: the values the user was created with, referenced rather than spelt out as one
 * before/after pair per field (readers expand it exactly so; see expandAuditEntry).
 */
function importEntry(deps: SyncDeps, user: UserRecord, realmId: string, note: string): NewAuditEntry {
  const entry = syncEntry(deps, 'user.import', user, realmId, [], note);
  entry.imported = user.fields;
  return entry;
}

/** A user a batch will compare, with the entry found for it (or none: not found in the directory). */
export interface Pair {
  /** The user, when the caller already knows it (resync, reconcile); otherwise the entry is matched. */
  user?: UserRecord;
  entry?: DirectoryUser;
}

/**
 * Syncs one batch of entries into the store as ONE transaction, so a failure or a cancel between batches
 * leaves the store at a batch boundary. Entries are matched (id, DN, username) unless the pair names its
 * user; new entries are created when `create` is set (import), never by a reconcile. An entry whose
 * username belongs to a user of another realm is settled by `clash` (skipped when absent).
 */
export async function syncBatch(
  deps: SyncDeps,
  realm: RealmRecord,
  pairs: readonly Pair[],
  summary: SyncSummary,
  options: { create: boolean; dryRun?: boolean; clash?: ClashPolicy },
): Promise<void> {
  const clash = options.clash ?? SKIP_CLASHES;
  // A created user's field changes are spelt out only for the outcomes the report lists (MAX_SUMMARY_CHANGES).
  const createdFields = new Map<SyncChange, FieldValues>();
  const plan = () => {
    const ops: UserOp[] = [];
    const audit: NewAuditEntry[] = [];
    const outcomes: SyncChange[] = [];
    const at = deps.ctx.now().toISOString();
    const fields = deps.users.fields();
    // Users written earlier in this batch, so two entries cannot claim the same user or username.
    const claimed = new Map<string, UserRecord>();
    const claimedNames = new Set<string>();
    const claim = (user: UserRecord) => {
      claimed.set(user.id, user);
      claimedNames.add(user.username.toLowerCase());
    };
    const current = (user: UserRecord) => claimed.get(user.id) ?? user;
    const created = (user: UserRecord, outcome: SyncChange) => {
      outcomes.push(outcome);
      createdFields.set(outcome, user.fields);
    };
    for (const { user: known, entry } of pairs) {
      if (!entry) {
        const user = current(known!);
        const first = !user.origin?.missingSince;
        const updated: UserRecord = { ...user, origin: { ...user.origin!, missingSince: user.origin?.missingSince ?? at } };
        if (first) {
          ops.push({ put: updated });
          audit.push(syncEntry(deps, 'user.missing', user, realm.id, [], `Not found in realm "${realm.name}" any more (last DN ${user.origin?.dn ?? '?'}).`));
        }
        claim(updated);
        outcomes.push({ userId: user.id, username: user.username, dn: user.origin?.dn ?? '', action: 'not-found', changes: [] });
        continue;
      }
      if (!entry.enabled) summary.disabledUpstream += 1;
      const match = known ? { kind: 'id' as const, user: current(known) } : matchEntry(deps.ctx.users, realm.id, (id) => deps.users.realmName(id), entry);
      if (match.kind === 'conflict') {
        outcomes.push({ userId: match.user.id, username: entry.username, dn: entry.dn, action: 'conflict', changes: [], note: match.note });
        continue;
      }
      if (match.kind === 'clash') {
        const holder = current(match.user);
        const decision = clash.decide(entry);
        if (decision.choice === 'skip') {
          outcomes.push({
            userId: holder.id,
            username: entry.username,
            dn: entry.dn,
            action: 'conflict',
            changes: [],
            note: `${match.note} Skipped.`,
            clash: 'skip',
          });
        } else if (claimed.has(holder.id)) {
          // Two entries of this realm share the username: the first one settled it; this one is a conflict.
          outcomes.push({
            userId: holder.id,
            username: entry.username,
            dn: entry.dn,
            action: 'conflict',
            changes: [],
            note: `Another entry of this run with the username ${entry.username} was already settled for ${holder.username}; ${entry.dn} was left out.`,
          });
        } else if (decision.choice === 'link') {
          summary.matched += 1;
          const relinked = relinkUser(holder, realm, fields, entry, at, (id) => deps.users.realmName(id));
          ops.push({ put: relinked.user });
          claim(relinked.user);
          audit.push(syncEntry(deps, 'user.relink', relinked.user, realm.id, relinked.changes, relinked.note));
          outcomes.push({
            userId: holder.id,
            username: holder.username,
            dn: entry.dn,
            action: 'updated',
            changes: relinked.changes,
            note: relinked.note,
            clash: 'link',
          });
        } else {
          const name = decision.username;
          const problem = decision.typed ? validateUsername(name) : name === '' ? 'The rename rule gave an empty username.' : null;
          const taken = claimedNames.has(name.toLowerCase()) ? name : deps.ctx.users.findByUsername(name)?.username;
          if (problem || taken !== undefined) {
            outcomes.push({
              userId: holder.id,
              username: entry.username,
              dn: entry.dn,
              action: 'conflict',
              changes: [],
              note: `${match.note} It was not imported as ${name}: ${problem ?? `${taken} already has that username (usernames are unique ignoring case); choose another name.`}`,
            });
            continue;
          }
          const user: UserRecord = { ...newUserFrom(entry, realm.id, randomUUID(), at), username: name };
          ops.push({ put: user });
          claim(user);
          const note = `Imported from ${entry.dn} as ${name}: the username ${entry.username} belongs to ${holder.username} of realm "${deps.users.realmName(match.realmId)}".`;
          audit.push(importEntry(deps, user, realm.id, note));
          created(user, { userId: user.id, username: name, dn: entry.dn, action: 'created', changes: [], note, clash: 'rename' });
        }
        continue;
      }
      if (match.kind === 'none') {
        if (!options.create) continue;
        const taken = claimedNames.has(entry.username.toLowerCase());
        if (taken || !entry.username) {
          outcomes.push({
            username: entry.username,
            dn: entry.dn,
            action: 'conflict',
            changes: [],
            note: entry.username ? `Two entries in this run have the username ${entry.username}.` : `${entry.dn} has no username attribute value.`,
          });
          continue;
        }
        const user = newUserFrom(entry, realm.id, randomUUID(), at);
        ops.push({ put: user });
        claim(user);
        audit.push(importEntry(deps, user, realm.id, `Imported from ${entry.dn}.`));
        created(user, { userId: user.id, username: user.username, dn: entry.dn, action: 'created', changes: [] });
        continue;
      }
      summary.matched += 1;
      const user = current(match.user);
      const diff = threeWayDiff(user, realm, fields, entry);
      const holder = diff.username_change ? deps.ctx.users.findByUsername(diff.username_change.to) : undefined;
      const applied = applyDiff(user, diff, entry, at, { usernameFree: !holder || holder.id === user.id });
      ops.push({ put: applied.user });
      claim(applied.user);
      const note = [
        applied.conflicts.length
          ? `${applied.conflicts.length} conflict${applied.conflicts.length === 1 ? ' waits' : 's wait'} for a decision (${applied.conflicts.map((c) => fieldLabel(fields, c.field)).join(', ')}).`
          : '',
        diff.username_change && holder && holder.id !== user.id
          ? `The directory renamed the account to ${diff.username_change.to}, which ${holder.username} already uses; the username was kept.`
          : '',
      ]
        .filter(Boolean)
        .join(' ');
      if (applied.changes.length) {
        audit.push(syncEntry(deps, 'user.resync', applied.user, realm.id, applied.changes, note || `Synced with ${entry.dn}.`));
      }
      const action = applied.conflicts.length ? 'conflict' : applied.changes.length ? 'updated' : 'unchanged';
      outcomes.push({ userId: user.id, username: applied.user.username, dn: entry.dn, action, changes: applied.changes, ...(note ? { note } : {}) });
    }
    return { ops: options.dryRun ? [] : ops, audit: options.dryRun ? [] : audit, result: outcomes };
  };
  const outcomes = await deps.ctx.users.transact(plan, { deferCompaction: true });
  for (const outcome of outcomes) {
    const fields = createdFields.get(outcome);
    if (fields && summary.changes.length < MAX_SUMMARY_CHANGES) outcome.changes = fieldChanges(fields);
    record(summary, outcome);
  }
  const ids = outcomes.flatMap((o) => (o.userId ? [o.userId] : []));
  if (!options.dryRun && ids.length) deps.users.changed(ids);
}
