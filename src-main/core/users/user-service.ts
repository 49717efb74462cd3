import { randomUUID } from 'node:crypto';
import type { AuditChange, AuditEntry } from '#shared/model/audit';
import { effectiveFields, validateFieldValue, validateUsername, type FieldDefinition } from '#shared/model/fields';
import type { FieldValues, UserDetail, UserPage, UserQuery, UserRecord, UserTarget } from '#shared/model/user';
import { userQuerySchema } from '#shared/model/user';
import type { BulkPreview, BulkResult } from '#shared/ipc/contract';
import { RosterError } from '#shared/result';
import type { AuditLog, NewAuditEntry } from '../audit/audit-log';
import type { AppEvents } from '../events';
import type { Store } from '../store/store';
import { readOnlyMessage } from './field-labels';
import { UserQueryEngine } from './user-query';
import type { UserOp, UserStore } from './user-store';
import { fieldStates } from './user-view';

/** Directory-disabled users a bulk preview names (the rest are counted). */
const PREVIEW_NAMES = 5;

/** What the user services share. */
export interface UserContext {
  store: Store;
  users: UserStore;
  audit: AuditLog;
  events: AppEvents;
  /** Who is acting: the OS user, written into every audit entry. */
  actor: string;
  now: () => Date;
}

/** How many changed ids an event lists before it just says "reload". */
const MAX_EVENT_IDS = 500;

/** Field-by-field before/after between two value sets (only keys that differ). */
export function diffFields(before: FieldValues, after: FieldValues): AuditChange[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const changes: AuditChange[] = [];
  for (const field of keys) {
    const a = before[field] ?? '';
    const b = after[field] ?? '';
    if (a !== b) changes.push({ field, before: a, after: b });
  }
  return changes;
}

/** Drops empty values so "cleared" and "never set" are stored the same way. */
const compact = (values: FieldValues): FieldValues => Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''));

/**
 * Users: the list query, detail, create/edit/delete, login status and role membership. Every change is one
 * UserStore transaction carrying its audit entries, so the change and its record land together.
 */
export class UserService {
  readonly engine: UserQueryEngine;

  constructor(private readonly ctx: UserContext) {
    this.engine = new UserQueryEngine(
      ctx.users,
      (id) => this.realmName(id),
      ctx.now,
      (id) => this.ctx.store.data.realms.find((r) => r.id === id)?.lastReconcileAt,
    );
    this.engine.setFields(this.fields());
  }

  /** The effective field catalogue. */
  fields(): FieldDefinition[] {
    return effectiveFields(this.ctx.store.data.fields.overrides, this.ctx.store.data.fields.custom);
  }

  /** Call after the field policy changed: markers follow the new policy. */
  fieldsChanged(): void {
    this.engine.setFields(this.fields());
    this.ctx.events.emit('users:changed', { ids: [] });
  }

  /** A realm's name, or a note that it is gone. */
  realmName(id: string): string {
    return this.ctx.store.data.realms.find((r) => r.id === id)?.name ?? '(deleted realm)';
  }

  /** An audit entry about a user, stamped with who and when. */
  entry(action: AuditEntry['action'], user: UserRecord, changes: AuditChange[], note?: string): NewAuditEntry {
    return {
      at: this.ctx.now().toISOString(),
      who: this.ctx.actor,
      action,
      userId: user.id,
      username: user.username,
      ...(user.origin ? { realmId: user.origin.realmId } : {}),
      changes,
      ...(note ? { note } : {}),
    };
  }

  /** Tells windows which users changed. */
  changed(ids: string[]): void {
    this.ctx.events.emit('users:changed', { ids: ids.length > MAX_EVENT_IDS ? [] : ids });
  }

  /** A user by id, or a not-found error naming it. */
  require(id: string): UserRecord {
    const user = this.ctx.users.get(id);
    if (!user) throw new RosterError('not-found', `There is no user with id ${id}; it may have been deleted.`);
    return user;
  }

  /** A user by username (case-insensitive) or id, for the CLI. */
  resolve(usernameOrId: string): UserRecord {
    const user = this.ctx.users.findByUsername(usernameOrId) ?? this.ctx.users.get(usernameOrId);
    if (!user) throw new RosterError('not-found', `No user is called "${usernameOrId}".`);
    return user;
  }

  /** The users a bulk action names; unknown ids are an error (they were deleted meanwhile). */
  targets(target: UserTarget): UserRecord[] {
    if ('ids' in target) {
      const found = target.ids.map((id) => this.ctx.users.get(id));
      const missing = found.filter((u) => !u).length;
      if (missing > 0) throw new RosterError('not-found', `${missing} of the selected users no longer exist; reload the list and select again.`);
      return found as UserRecord[];
    }
    return this.engine.matching(userQuerySchema.parse(target.query));
  }

  /** One window of the list. */
  query(query: UserQuery, offset: number, limit: number): UserPage {
    return this.engine.page(query, offset, limit);
  }

  /** A user with every field explained. */
  detail(id: string): UserDetail {
    const user = this.require(id);
    const roles = new Map(this.ctx.store.data.roles.map((r) => [r.id, r.name]));
    return {
      user,
      ...(user.origin ? { realmName: this.realmName(user.origin.realmId) } : {}),
      fields: fieldStates(user, this.fields()),
      roleNames: user.roles.map((r) => roles.get(r) ?? '(deleted role)'),
    };
  }

  private checkUsername(username: string, exceptId?: string): void {
    const problem = validateUsername(username);
    if (problem) throw new RosterError('invalid-input', problem, { field: 'username' });
    const clash = this.ctx.users.findByUsername(username);
    if (clash && clash.id !== exceptId) {
      throw new RosterError('conflict', `The username "${username}" is already taken by ${clash.username} (usernames are unique ignoring case).`, {
        field: 'username',
      });
    }
  }

  /** Checks and trims typed values against the catalogue; `readOnlyFor` refuses directory-owned fields of an external user. */
  private checkFields(values: FieldValues, readOnlyFor?: UserRecord): FieldValues {
    const catalogue = new Map(this.fields().map((f) => [f.key, f]));
    const clean: FieldValues = {};
    for (const [key, raw] of Object.entries(values)) {
      const field = catalogue.get(key);
      if (!field) throw new RosterError('invalid-input', `Unknown field "${key}". Fields: ${[...catalogue.keys()].join(', ')}.`, { field: key });
      const value = raw.trim();
      if (readOnlyFor?.kind === 'external' && field.owner === 'directory' && value !== (readOnlyFor.fields[key] ?? '')) {
        throw new RosterError('forbidden', readOnlyMessage(field.label, readOnlyFor.username), { field: key });
      }
      const problem = validateFieldValue(field, value);
      if (problem) throw new RosterError('invalid-input', problem, { field: key });
      clean[key] = value;
    }
    return clean;
  }

  private checkRoles(roleIds: string[]): void {
    const known = new Set(this.ctx.store.data.roles.map((r) => r.id));
    const unknown = roleIds.find((r) => !known.has(r));
    if (unknown) throw new RosterError('not-found', `There is no role with id ${unknown}.`);
  }

  /** Creates an internal user. */
  async create(input: { username: string; fields: FieldValues; enabled: boolean; roles: string[] }): Promise<UserDetail> {
    const fields = compact(this.checkFields(input.fields));
    this.checkRoles(input.roles);
    const id = await this.ctx.users.transact(() => {
      // Checked again inside the transaction: another call may have taken the name meanwhile.
      this.checkUsername(input.username);
      const at = this.ctx.now().toISOString();
      const user: UserRecord = {
        id: randomUUID(),
        username: input.username,
        kind: 'internal',
        enabled: input.enabled,
        roles: [...new Set(input.roles)],
        fields,
        createdAt: at,
        updatedAt: at,
      };
      const changes = [{ field: 'username', before: '', after: user.username }, ...diffFields({}, fields)];
      return { ops: [{ put: user }], audit: [this.entry('user.create', user, changes)], result: user.id };
    });
    this.changed([id]);
    return this.detail(id);
  }

  /** Edits fields (and, for internal users, the username). Unchanged values are ignored; nothing changed writes nothing. */
  async update(id: string, input: { username?: string; fields?: FieldValues }): Promise<UserDetail> {
    await this.ctx.users.transact(() => {
      const user = this.require(id);
      const values = this.checkFields(input.fields ?? {}, user);
      const changes: AuditChange[] = [];
      let username = user.username;
      if (input.username !== undefined && input.username !== user.username) {
        if (user.kind === 'external') {
          throw new RosterError(
            'forbidden',
            `The username of ${user.username} comes from the directory and is read-only; convert the user to internal to rename it.`,
            { field: 'username' },
          );
        }
        this.checkUsername(input.username, user.id);
        changes.push({ field: 'username', before: user.username, after: input.username });
        username = input.username;
      }
      const fields = compact({ ...user.fields, ...values });
      changes.push(...diffFields(user.fields, fields));
      if (changes.length === 0) return { ops: [], audit: [], result: undefined };
      const updated: UserRecord = { ...user, username, fields, updatedAt: this.ctx.now().toISOString() };
      return { ops: [{ put: updated }], audit: [this.entry('user.update', updated, changes)], result: undefined };
    });
    this.changed([id]);
    return this.detail(id);
  }

  /** Deletes a user (the audit entry keeps its last values). */
  async remove(id: string): Promise<{ id: string }> {
    await this.ctx.users.transact(() => {
      const user = this.require(id);
      const changes = [{ field: 'username', before: user.username, after: '' }, ...diffFields(user.fields, {})];
      return { ops: [{ del: id }], audit: [this.entry('user.delete', user, changes, `Deleted ${user.kind} user ${user.username}.`)], result: undefined };
    });
    this.changed([id]);
    return { id };
  }

  /** Applies a per-user change to many users in one transaction; users it leaves alone are not written. */
  async bulk(
    target: UserTarget,
    change: (user: UserRecord) => { user: UserRecord; entry: NewAuditEntry } | undefined,
  ): Promise<{ matched: number; changed: number; ids: string[] }> {
    const result = await this.ctx.users.transact(() => {
      const users = this.targets(target);
      const ops: UserOp[] = [];
      const audit: NewAuditEntry[] = [];
      for (const user of users) {
        const outcome = change(user);
        if (!outcome) continue;
        ops.push({ put: outcome.user });
        audit.push(outcome.entry);
      }
      return { ops, audit, result: { matched: users.length, changed: ops.length, ids: ops.map((op) => ('put' in op ? op.put.id : op.del)) } };
    });
    this.changed(result.ids);
    return result;
  }

  /** Before a bulk login change: how many users it targets, and which of them their directory disables. */
  previewBulk(target: UserTarget): BulkPreview {
    const users = this.targets(target);
    const off = users.filter((u) => u.origin && !u.origin.directoryEnabled);
    return {
      count: users.length,
      directoryDisabled: off.length,
      directoryDisabledNames: off.slice(0, PREVIEW_NAMES).map((u) => u.username),
    };
  }

  /** Enables or disables login for the targeted users. */
  async setEnabled(target: UserTarget, enabled: boolean): Promise<BulkResult> {
    const at = () => this.ctx.now().toISOString();
    const { matched, changed, ids } = await this.bulk(target, (user) => {
      if (user.enabled === enabled) return undefined;
      const updated = { ...user, enabled, updatedAt: at() };
      const change = { field: 'enabled', before: String(user.enabled), after: String(enabled) };
      return { user: updated, entry: this.entry(enabled ? 'user.enable' : 'user.disable', updated, [change]) };
    });
    return { matched, changed, changedIds: ids };
  }

  private roleName(roleId: string): string {
    const role = this.ctx.store.data.roles.find((r) => r.id === roleId);
    if (!role) throw new RosterError('not-found', `There is no role with id ${roleId}; it may have been deleted.`);
    return role.name;
  }

  /** The audit change for a role set, by role names. */
  roleChange(before: string[], after: string[]): AuditChange {
    const names = new Map(this.ctx.store.data.roles.map((r) => [r.id, r.name]));
    const show = (ids: string[]) =>
      ids
        .map((id) => names.get(id) ?? id)
        .sort()
        .join(', ');
    return { field: 'roles', before: show(before), after: show(after) };
  }

  /** Gives the targeted users a role (users holding it already are left alone). */
  async assignRole(target: UserTarget, roleId: string): Promise<{ matched: number; changed: number }> {
    const name = this.roleName(roleId);
    const { matched, changed } = await this.bulk(target, (user) => {
      if (user.roles.includes(roleId)) return undefined;
      const updated = { ...user, roles: [...user.roles, roleId], updatedAt: this.ctx.now().toISOString() };
      return { user: updated, entry: this.entry('user.role-assign', updated, [this.roleChange(user.roles, updated.roles)], `Assigned role ${name}.`) };
    });
    return { matched, changed };
  }

  /** Takes a role from the targeted users. */
  async removeRole(target: UserTarget, roleId: string): Promise<{ matched: number; changed: number }> {
    const name = this.roleName(roleId);
    const { matched, changed } = await this.bulk(target, (user) => {
      if (!user.roles.includes(roleId)) return undefined;
      const updated = { ...user, roles: user.roles.filter((r) => r !== roleId), updatedAt: this.ctx.now().toISOString() };
      return { user: updated, entry: this.entry('user.role-remove', updated, [this.roleChange(user.roles, updated.roles)], `Removed role ${name}.`) };
    });
    return { matched, changed };
  }

  /** Gives a user exactly the roles another user holds. */
  async copyRoles(id: string, fromId: string): Promise<UserDetail> {
    if (id === fromId) throw new RosterError('invalid-input', 'Choose another user to copy roles from.');
    const from = this.require(fromId);
    await this.bulk({ ids: [id] }, (user) => {
      const roles = [...from.roles];
      if (roles.length === user.roles.length && roles.every((r) => user.roles.includes(r))) return undefined;
      const updated = { ...user, roles, updatedAt: this.ctx.now().toISOString() };
      return { user: updated, entry: this.entry('user.role-assign', updated, [this.roleChange(user.roles, roles)], `Copied roles from ${from.username}.`) };
    });
    return this.detail(id);
  }

  /** The audit entries about a user, newest first. */
  history(id: string): Promise<AuditEntry[]> {
    return this.ctx.audit.query({ user: id });
  }
}
