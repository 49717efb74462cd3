import { randomUUID } from 'node:crypto';
import type { AuditEntry } from '#shared/model/audit';
import {
  customFieldInputSchema,
  RESERVED_KEYS,
  STANDARD_FIELDS,
  type CustomFieldInput,
  type FieldDefinition,
  type FieldOwner,
} from '#shared/model/fields';
import type { Role } from '#shared/model/user';
import { RosterError } from '#shared/result';
import type { NewAuditEntry } from '../audit/audit-log';
import type { UserContext, UserService } from './user-service';

/**
 * The field policy (attribute locks, required fields, custom fields) and the role list: small settings in
 * the lowdb document, each change written to the audit journal.
 */
export class SettingsService {
  private holders: { generation: number; counts: Map<string, number> } | undefined;

  constructor(
    private readonly ctx: UserContext,
    private readonly users: UserService,
  ) {}

  private entry(action: AuditEntry['action'], note: string, changes: AuditEntry['changes'] = []): NewAuditEntry {
    return { at: this.ctx.now().toISOString(), who: this.ctx.actor, action, changes, note };
  }

  private field(key: string): FieldDefinition {
    const field = this.users.fields().find((f) => f.key === key);
    if (!field)
      throw new RosterError(
        'not-found',
        `Unknown field "${key}". Fields: ${this.users
          .fields()
          .map((f) => f.key)
          .join(', ')}.`,
      );
    return field;
  }

  /** Sets who owns a field and whether it is required. */
  async setPolicy(key: string, policy: { owner?: FieldOwner; required?: boolean }): Promise<FieldDefinition[]> {
    const field = this.field(key);
    const changes = [
      ...(policy.owner !== undefined && policy.owner !== field.owner ? [{ field: `${key}.owner`, before: field.owner, after: policy.owner }] : []),
      ...(policy.required !== undefined && policy.required !== field.required
        ? [{ field: `${key}.required`, before: String(field.required), after: String(policy.required) }]
        : []),
    ];
    if (changes.length === 0) return this.users.fields();
    await this.ctx.store.update((data) => {
      if (field.custom) {
        data.fields.custom = data.fields.custom.map((f) => (f.key === key ? { ...f, ...policy } : f));
      } else {
        data.fields.overrides[key] = { ...data.fields.overrides[key], ...policy };
      }
    });
    await this.ctx.audit.append([
      this.entry('field.policy', `${field.label}: ${changes.map((c) => `${c.field.split('.')[1]} ${c.before} → ${c.after}`).join(', ')}.`, changes),
    ]);
    this.afterFields();
    return this.users.fields();
  }

  /** Adds a custom field mapped to an LDAP attribute. */
  async addField(input: CustomFieldInput): Promise<FieldDefinition[]> {
    const field = customFieldInputSchema.parse(input);
    const taken = this.users.fields().find((f) => f.key.toLowerCase() === field.key.toLowerCase());
    if (taken || (RESERVED_KEYS as readonly string[]).includes(field.key)) {
      throw new RosterError('conflict', `The field key "${field.key}" is already used${taken ? ` by ${taken.label}` : ''}; choose another.`, { field: 'key' });
    }
    await this.ctx.store.update((data) => void data.fields.custom.push(field));
    await this.ctx.audit.append([this.entry('field.create', `Added the field ${field.label}, mapped to ${field.ldapAttribute}.`)]);
    this.afterFields();
    return this.users.fields();
  }

  /** Removes a custom field from the catalogue. Values users hold are kept in the store (not shown) so nothing is lost. */
  async removeField(key: string): Promise<FieldDefinition[]> {
    const field = this.field(key);
    if (!field.custom) {
      const builtIn = STANDARD_FIELDS.map((f) => f.key).join(', ');
      throw new RosterError('forbidden', `${field.label} is a built-in field and cannot be removed (built-in: ${builtIn}); make it optional instead.`);
    }
    await this.ctx.store.update((data) => {
      data.fields.custom = data.fields.custom.filter((f) => f.key !== key);
      delete data.fields.overrides[key];
    });
    await this.ctx.audit.append([
      this.entry('field.delete', `Removed the field ${field.label}; values users held are kept and return if the field is added again.`),
    ]);
    this.afterFields();
    return this.users.fields();
  }

  private afterFields(): void {
    this.users.fieldsChanged();
    this.ctx.events.emit('settings:changed', { what: 'fields' });
  }

  private holderCounts(): Map<string, number> {
    if (this.holders?.generation === this.ctx.users.generation) return this.holders.counts;
    const counts = new Map<string, number>();
    for (const user of this.ctx.users.all()) for (const role of user.roles) counts.set(role, (counts.get(role) ?? 0) + 1);
    this.holders = { generation: this.ctx.users.generation, counts };
    return counts;
  }

  /** Roles by name, with how many users hold each. */
  roles(): Role[] {
    const counts = this.holderCounts();
    return this.ctx.store.data.roles.map((r) => ({ ...r, holders: counts.get(r.id) ?? 0 })).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** A role by id or (case-insensitive) name, for the CLI. */
  resolveRole(idOrName: string): Role {
    const lower = idOrName.toLowerCase();
    const role = this.roles().find((r) => r.id === idOrName) ?? this.roles().find((r) => r.name.toLowerCase() === lower);
    if (!role) {
      const names = this.roles().map((r) => r.name);
      throw new RosterError('not-found', `No role is called "${idOrName}". ${names.length ? `Roles: ${names.join(', ')}.` : 'No roles exist yet.'}`);
    }
    return role;
  }

  private assertFreeName(name: string, exceptId?: string): void {
    const clash = this.ctx.store.data.roles.find((r) => r.id !== exceptId && r.name.toLowerCase() === name.toLowerCase());
    if (clash) throw new RosterError('conflict', `A role called "${clash.name}" already exists.`, { field: 'name' });
  }

  private role(id: string): Role {
    const role = this.roles().find((r) => r.id === id);
    if (!role) throw new RosterError('not-found', `There is no role with id ${id}; it may have been deleted.`);
    return role;
  }

  private afterRoles(): void {
    this.ctx.events.emit('settings:changed', { what: 'roles' });
  }

  /** Creates a role. */
  async createRole(name: string): Promise<Role> {
    this.assertFreeName(name);
    const role = { id: randomUUID(), name };
    await this.ctx.store.update((data) => void data.roles.push(role));
    await this.ctx.audit.append([this.entry('role.create', `Created role ${name}.`, [{ field: 'role', before: '', after: name }])]);
    this.afterRoles();
    return { ...role, holders: 0 };
  }

  /** Renames a role (holders keep it: they hold it by id). */
  async renameRole(id: string, name: string): Promise<Role> {
    const role = this.role(id);
    if (role.name === name) return role;
    this.assertFreeName(name, id);
    await this.ctx.store.update((data) => {
      data.roles = data.roles.map((r) => (r.id === id ? { ...r, name } : r));
    });
    await this.ctx.audit.append([this.entry('role.rename', `Renamed role ${role.name} to ${name}.`, [{ field: 'role', before: role.name, after: name }])]);
    this.afterRoles();
    this.users.changed([]);
    return this.role(id);
  }

  /** Deletes a role; a role someone holds needs `force`, and is then taken from every holder (each audited). */
  async deleteRole(id: string, force: boolean): Promise<{ id: string; removedFrom: number }> {
    const role = this.role(id);
    if (role.holders > 0 && !force) {
      throw new RosterError(
        'conflict',
        `The role ${role.name} is held by ${role.holders} user${role.holders === 1 ? '' : 's'}; deleting it removes it from them. Confirm to go on.`,
        {
          holders: role.holders,
        },
      );
    }
    const { changed } =
      role.holders > 0 ? await this.users.removeRole({ query: { search: '', sort: { column: 'username', direction: 'asc' } } }, id) : { changed: 0 };
    await this.ctx.store.update((data) => {
      data.roles = data.roles.filter((r) => r.id !== id);
    });
    await this.ctx.audit.append([
      this.entry('role.delete', `Deleted role ${role.name}${changed ? `, removing it from ${changed} users` : ''}.`, [
        { field: 'role', before: role.name, after: '' },
      ]),
    ]);
    this.afterRoles();
    return { id, removedFrom: changed };
  }
}
