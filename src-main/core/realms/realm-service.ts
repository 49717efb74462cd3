import { randomUUID } from 'node:crypto';
import { coverageWarnings, type ConnectionTestReport } from '../../../src-shared/model/connection-test';
import type { Realm, RealmInput, RealmRecord } from '../../../src-shared/model/realm';
import { RosterError } from '../../../src-shared/result';
import { effectiveFields, type FieldDefinition } from '../../../src-shared/model/fields';
import { testConnection } from '../ldap/test-connection';
import { testLdifFile } from '../ldif/test-ldif-file';
import { coverageProbe } from './mapping-coverage';
import type { LdapTarget } from '../ldap/session';
import type { AppEvents } from '../events';
import type { SecretStore } from '../secrets/secret-store';
import type { Store } from '../store/store';

/** The key under which a realm's bind password is kept in the secret store. */
export const secretKeyFor = (realmId: string): string => `realm:${realmId}:bind-password`;

/** The connection half of a realm, as the LDAP gateway wants it. */
export const targetOf = (realm: RealmInput): LdapTarget => ({ ...realm.connection });

/** Realms: create, edit, enable/disable, reorder, delete, test. Passwords go to the secret store only. */
export class RealmService {
  constructor(
    private readonly store: Store,
    private readonly secrets: SecretStore,
    private readonly events: AppEvents,
    private readonly now: () => Date = () => new Date(),
    /** The field catalogue (custom fields, required flags), for the mapping coverage of a test. */
    private readonly fields: () => readonly FieldDefinition[] = () => effectiveFields({}, []),
  ) {}

  private changed(...ids: string[]): void {
    this.events.emit('realms:changed', { ids });
  }

  private async view(record: RealmRecord): Promise<Realm> {
    return { ...record, password: await this.secrets.state(secretKeyFor(record.id)) };
  }

  private record(id: string): RealmRecord {
    const found = this.store.data.realms.find((r) => r.id === id);
    if (!found) throw new RosterError('not-found', `There is no realm with id ${id}; it may have been deleted.`);
    return found;
  }

  /** Finds a realm by id or (case-insensitive) name, for the CLI. */
  resolve(idOrName: string): RealmRecord {
    const lower = idOrName.toLowerCase();
    const found = this.store.data.realms.find((r) => r.id === idOrName) ?? this.store.data.realms.find((r) => r.name.toLowerCase() === lower);
    if (!found) {
      const names = this.store.data.realms.map((r) => r.name);
      throw new RosterError(
        'not-found',
        `No realm is called "${idOrName}". ${names.length ? `Known realms: ${names.join(', ')}.` : 'No realms exist yet: add one with `roster realm add`.'}`,
      );
    }
    return found;
  }

  private assertUniqueName(name: string, exceptId?: string): void {
    const clash = this.store.data.realms.find((r) => r.id !== exceptId && r.name.toLowerCase() === name.toLowerCase());
    if (clash) throw new RosterError('conflict', `A realm called "${clash.name}" already exists; choose another name.`, { field: 'name' });
  }

  /** All realms in display order. */
  async list(): Promise<Realm[]> {
    const sorted = [...this.store.data.realms].sort((a, b) => a.order - b.order);
    return Promise.all(sorted.map((r) => this.view(r)));
  }

  /** Adds a realm; the password (if any) goes to the secret store. */
  async create(input: RealmInput, password?: string): Promise<Realm> {
    this.assertUniqueName(input.name);
    const record: RealmRecord = { ...input, id: randomUUID(), order: Math.max(-1, ...this.store.data.realms.map((r) => r.order)) + 1 };
    if (password !== undefined) await this.secrets.set(secretKeyFor(record.id), password);
    await this.store.update((data) => void data.realms.push(record));
    this.changed(record.id);
    return this.view(record);
  }

  /** Replaces a realm's settings; keeps its id, order and history. */
  async update(id: string, input: RealmInput, password?: string, forgetPassword = false): Promise<Realm> {
    const existing = this.record(id);
    this.assertUniqueName(input.name, id);
    if (forgetPassword) await this.secrets.delete(secretKeyFor(id));
    if (password !== undefined) await this.secrets.set(secretKeyFor(id), password);
    // A changed server, bind or base invalidates the last test.
    const sameTarget = JSON.stringify([existing.connection, existing.search]) === JSON.stringify([input.connection, input.search]);
    const updated: RealmRecord = {
      ...input,
      id,
      order: existing.order,
      ...(sameTarget && password === undefined && existing.lastTest ? { lastTest: existing.lastTest } : {}),
      ...(existing.lastReconcileAt ? { lastReconcileAt: existing.lastReconcileAt } : {}),
    };
    await this.store.update((data) => {
      data.realms = data.realms.map((r) => (r.id === id ? updated : r));
    });
    this.changed(id);
    return this.view(updated);
  }

  /** Turns a realm on or off (disabled realms are skipped by imports and reconciles). */
  async setEnabled(id: string, enabled: boolean): Promise<Realm> {
    this.record(id);
    await this.store.update((data) => {
      const realm = data.realms.find((r) => r.id === id);
      if (realm) realm.enabled = enabled;
    });
    this.changed(id);
    return this.view(this.record(id));
  }

  /** Sets the display order; `ids` must name every realm exactly once. */
  async reorder(ids: string[]): Promise<Realm[]> {
    const known = new Set(this.store.data.realms.map((r) => r.id));
    if (ids.length !== known.size || new Set(ids).size !== ids.length || !ids.every((id) => known.has(id))) {
      throw new RosterError('invalid-input', 'The new order must list every realm exactly once; reload the realm list and try again.');
    }
    await this.store.update((data) => {
      for (const realm of data.realms) realm.order = ids.indexOf(realm.id);
    });
    this.changed(...ids);
    return this.list();
  }

  /** Deletes a realm and forgets its password. */
  async remove(id: string): Promise<{ id: string }> {
    this.record(id);
    await this.store.update((data) => {
      data.realms = data.realms.filter((r) => r.id !== id);
    });
    await this.secrets.delete(secretKeyFor(id));
    this.changed(id);
    return { id };
  }

  /** The bind password to use: the one given now, else the stored one. */
  async passwordFor(id: string | undefined, given?: string): Promise<string | undefined> {
    if (given !== undefined) return given;
    return id ? this.secrets.get(secretKeyFor(id)) : undefined;
  }

  /** Tests a saved realm or a draft; a saved realm remembers the outcome for the status bar. */
  async test(args: { id?: string; draft?: RealmInput; password?: string; signal?: AbortSignal }): Promise<ConnectionTestReport> {
    const saved = args.id ? this.record(args.id) : undefined;
    const realm = args.draft ?? saved;
    if (!realm) throw new RosterError('invalid-input', 'Nothing to test: give a realm id or a draft.');
    // A draft is judged by its own mapping, so the admin sees the coverage change as they edit the list.
    const coverage = coverageProbe(realm, this.fields());
    const report =
      realm.kind === 'ldif-file'
        ? await testLdifFile(realm, coverage, args.signal)
        : await testConnection({
            target: targetOf(realm),
            password: await this.passwordFor(saved?.id, args.password),
            baseDn: realm.search.baseDn,
            userFilter: realm.search.userFilter,
            scope: realm.search.scope,
            coverage,
            signal: args.signal,
          });
    if (saved && !args.draft) {
      const lastTest = { at: this.now().toISOString(), ok: report.ok, message: report.ok ? summarise(report) : (report.error?.message ?? 'Failed') };
      await this.store.update((data) => {
        const realm = data.realms.find((r) => r.id === saved.id);
        if (realm) realm.lastTest = lastTest;
      });
      this.changed(saved.id);
    }
    return report;
  }
}

/** One line for a successful test: vendor (or file), base DN, users, and how many mapping warnings. */
export function summarise(report: ConnectionTestReport): string {
  const count = report.userCount === undefined ? '' : `${report.userCountCapped ? 'at least ' : ''}${report.userCount} users`;
  const where =
    report.server || !report.steps.some((s) => s.step === 'file') ? `${report.server?.vendor ?? 'LDAP server'} at ${report.url}` : `LDIF file ${report.url}`;
  const warnings = report.coverage ? coverageWarnings(report.coverage).length : 0;
  const line = [where, report.baseDnFound ? 'base DN found' : '', count].filter(Boolean).join(', ');
  return warnings ? `${line}; mapping: ${warnings} warning${warnings === 1 ? '' : 's'}` : line;
}
