import { randomUUID } from 'node:crypto';
import { checkLdapFilter } from '#shared/model/ldap-filter';
import { coverageWarnings, type ConnectionTestReport } from '#shared/model/connection-test';
import type { Realm, RealmInput, RealmRecord, RealmTestStatus } from '#shared/model/realm';
import type { Job } from '#shared/model/sync';
import { RosterError } from '#shared/result';
import { effectiveFields, type FieldDefinition } from '#shared/model/fields';
import { testConnection } from '../ldap/test-connection';
import { testLdifFile } from '../ldif/test-ldif-file';
import { coverageProbe } from './mapping-coverage';
import type { LdapTarget } from '../ldap/session';
import type { AppEvents } from '../events';
import { RealmPasswords, targetFingerprint, type PasswordKeys, type PasswordLookup } from '../secrets/realm-passwords';
import type { SecretStore } from '../secrets/secret-store';
import type { Store } from '../store/store';

/** The connection half of a realm, as the LDAP gateway wants it. */
export const targetOf = (realm: RealmInput): LdapTarget => ({ ...realm.connection });

/** Whether two connections send a bind password to the same place (the timeouts aside). */
const sameBindTarget = (a: RealmInput['connection'], b: RealmInput['connection']): boolean => targetFingerprint(a) === targetFingerprint(b);

/** Realms: create, edit, enable/disable, reorder, delete, test. Passwords go to the secret store only, each bound to its target. */
/** Whether two versions of a realm read the same things from the same entries (kind, id attribute, mapping). */
const sameReading = (a: RealmInput, b: RealmInput): boolean =>
  JSON.stringify([a.kind, a.idAttribute, a.mapping, a.ldif]) === JSON.stringify([b.kind, b.idAttribute, b.mapping, b.ldif]);

/** What a test checked: the connection and the search (the same measure that keeps or drops a saved realm's last test). */
const testedSettings = (realm: RealmInput): string => JSON.stringify([realm.connection, realm.search]);

export class RealmService {
  private readonly passwords: RealmPasswords;
  /**
   * The last test of each form this session ("realm:<id>" for a saved realm, "draft:<draftId>" for a new one)
   * and the settings it tested: Save adopts it when it saves those very settings, so a realm tested in its
   * form and then saved does not say "Never tested".
   */
  private readonly formTests = new Map<string, { settings: string; lastTest: RealmTestStatus }>();

  constructor(
    private readonly store: Store,
    secrets: SecretStore,
    private readonly events: AppEvents,
    private readonly now: () => Date = () => new Date(),
    /** The field catalogue (custom fields, required flags), for the mapping coverage of a test. */
    private readonly fields: () => readonly FieldDefinition[] = () => effectiveFields({}, []),
  ) {
    this.passwords = new RealmPasswords(secrets);
  }

  private changed(...ids: string[]): void {
    this.events.emit('realms:changed', { ids });
  }

  private async view(record: RealmRecord): Promise<Realm> {
    const { state, note } = await this.passwords.state(record.id, record.connection);
    return { ...record, password: state, ...(note ? { passwordNote: note } : {}) };
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

  /**
   * Adds a realm. `draftId` names the form it was drafted in: a password given there for the same target
   * becomes the realm's, and `rememberPassword` saves it (when the secret store can).
   */
  async create(input: RealmInput, options: { draftId?: string; rememberPassword?: boolean } = {}): Promise<Realm> {
    this.assertUniqueName(input.name);
    const tested = options.draftId ? this.formTests.get(`draft:${options.draftId}`) : undefined;
    const record: RealmRecord = {
      ...input,
      id: randomUUID(),
      order: Math.max(-1, ...this.store.data.realms.map((r) => r.order)) + 1,
      ...(tested && tested.settings === testedSettings(input) ? { lastTest: tested.lastTest } : {}),
    };
    // The password is saved before the realm is written: a failed save refuses the create, and the form's
    // draft keeps its password for the next attempt.
    const saved = options.rememberPassword ? await this.passwords.remember(record.id, record.connection, options.draftId) : false;
    try {
      await this.store.update((data) => void data.realms.push(record));
    } catch (error) {
      if (saved) await this.passwords.forget(record.id).catch(() => undefined);
      throw error;
    }
    if (options.draftId) {
      this.formTests.delete(`draft:${options.draftId}`);
      await this.passwords.adopt(options.draftId, record.id, record.connection, saved);
    }
    this.changed(record.id);
    return this.view(record);
  }

  /**
   * Replaces a realm's settings; keeps its id, order and history. A changed target (URLs, TLS, CA,
   * verification, bind DN) forgets every password given for the old one; `rememberPassword` saves the
   * password given this session for the new settings; `forgetPassword` forgets them all.
   */
  async update(id: string, input: RealmInput, options: { rememberPassword?: boolean; forgetPassword?: boolean } = {}): Promise<Realm> {
    const existing = this.record(id);
    this.assertUniqueName(input.name, id);
    // A changed server, bind or base invalidates the last test.
    const sameTarget = testedSettings(existing) === testedSettings(input);
    // A test run in the form this session of exactly what is saved now (with the password saved now) stands.
    const tested = this.formTests.get(`realm:${id}`);
    const lastTest =
      tested && tested.settings === testedSettings(input) && !options.forgetPassword
        ? tested.lastTest
        : sameTarget && !options.rememberPassword && !options.forgetPassword
          ? existing.lastTest
          : undefined;
    const updated: RealmRecord = {
      ...input,
      id,
      order: existing.order,
      ...(lastTest ? { lastTest } : {}),
      ...(existing.lastImportAt ? { lastImportAt: existing.lastImportAt } : {}),
      ...(existing.lastReconcileAt ? { lastReconcileAt: existing.lastReconcileAt } : {}),
      // What the last reconcile read stays a valid starting point only for the same server, account (what it may
      // see), search and mapping; anything else and the next reconcile reads the whole realm.
      ...(existing.sync && sameTarget && sameReading(existing, input) ? { sync: existing.sync } : {}),
    };
    // Passwords change before the realm does: forgetting one is always safe, and a failure to forget refuses
    // the update, so a realm never moves to a new target while the old target's password stays saved.
    try {
      if (options.forgetPassword) await this.passwords.forget(id);
      else if (!sameBindTarget(existing.connection, input.connection)) await this.passwords.retarget(id, input.connection);
      if (options.rememberPassword) await this.passwords.remember(id, input.connection);
      await this.store.update((data) => {
        data.realms = data.realms.map((r) => (r.id === id ? updated : r));
      });
    } finally {
      // Even a refused update may have forgotten a password: the list shows it.
      this.changed(id);
    }
    return this.view(updated);
  }

  /**
   * The one way a bind password enters Roster: kept for a saved realm or for a realm form's draft, bound
   * to the target it is given for (the realm's saved connection, or the draft's `connection`).
   * `remember` saves it durably when the secret store can, for the realm's saved target only.
   */
  async setPassword(args: {
    realmId?: string;
    draftId?: string;
    connection?: RealmInput['connection'];
    password: string;
    remember?: boolean;
  }): Promise<{ kept: 'saved' | 'session' }> {
    const saved = args.realmId ? this.record(args.realmId) : undefined;
    const target = args.connection ?? saved?.connection;
    if (!target || (saved ? args.draftId !== undefined : args.draftId === undefined)) {
      throw new RosterError('invalid-input', "Give the password for a saved realm (realmId) or for a new realm's draft (draftId with its connection).");
    }
    if (args.remember && (!saved || !sameBindTarget(saved.connection, target))) {
      throw new RosterError('invalid-input', 'A password is saved only for the server and bind DN a realm is saved with: save the realm first.');
    }
    const keys: PasswordKeys = saved ? { realmId: saved.id } : { draftId: args.draftId! };
    const kept = await this.passwords.keep(keys, target, args.password, args.remember ?? false);
    // A test made with another password no longer says how this one fares.
    this.formTests.delete(saved ? `realm:${saved.id}` : `draft:${args.draftId}`);
    if (saved) this.changed(saved.id);
    return { kept };
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
    // Forgotten first: when it cannot be, the delete is refused and the realm stays as it was.
    try {
      await this.passwords.forget(id);
      await this.store.update((data) => {
        data.realms = data.realms.filter((r) => r.id !== id);
      });
      this.formTests.delete(`realm:${id}`);
    } finally {
      this.changed(id);
    }
    return { id };
  }

  /** The bind password kept for a realm's target (typed this session, else saved), or why a kept one is not used. */
  passwordFor(realm: Pick<RealmRecord, 'id' | 'connection'>): Promise<PasswordLookup> {
    return this.passwords.lookup({ realmId: realm.id }, realm.connection);
  }

  /** The server refused a password: a typed one is forgotten so the next use asks again. */
  passwordRefused(realmId: string, lookup: PasswordLookup, draftId?: string): Promise<void> {
    if (lookup.kept !== 'session') return Promise.resolve();
    return this.passwords.refused({ realmId, ...(draftId ? { draftId } : {}) }, lookup.password);
  }

  /**
   * A job ended: a finished import stamps the realm's last import; a finished reconcile (which stamped its own
   * time) is announced too, so realm cards show both without a reload.
   */
  async jobFinished(job: Job): Promise<void> {
    if (job.state !== 'done' || job.summary?.dryRun || (job.kind !== 'import' && job.kind !== 'reconcile')) return;
    if (!this.store.data.realms.some((r) => r.id === job.realmId)) return;
    if (job.kind === 'import') {
      const at = job.finishedAt ?? this.now().toISOString();
      await this.store.update((data) => {
        const realm = data.realms.find((r) => r.id === job.realmId);
        if (realm) realm.lastImportAt = at;
      });
    }
    this.changed(job.realmId);
  }

  /**
   * Tests a saved realm or a draft; a saved realm remembers the outcome for the status bar. The password is
   * the one kept for the tested target only: a draft that changes the server, TLS or bind DN does not get
   * the saved realm's password (the test stops at the bind with `password-required`, saying why).
   */
  async test(args: { id?: string; draft?: RealmInput; draftId?: string; signal?: AbortSignal }): Promise<ConnectionTestReport> {
    const saved = args.id ? this.record(args.id) : undefined;
    const realm = args.draft ?? saved;
    if (!realm) throw new RosterError('invalid-input', 'Nothing to test: give a realm id or a draft.');
    // A saved realm's filter may predate the check (a draft's passed it in the handler): Roster's own typo is
    // said as such, before any connection, never as the server's failure.
    const filterProblem = checkLdapFilter(realm.search.userFilter);
    if (filterProblem) {
      throw new RosterError('invalid-filter', `The user filter is not valid: ${filterProblem.message} Fix it in the realm's settings.`, {
        field: 'search.userFilter',
      });
    }
    // A draft is judged by its own mapping, so the admin sees the coverage change as they edit the list.
    const coverage = coverageProbe(realm, this.fields());
    const keys: PasswordKeys = { ...(saved ? { realmId: saved.id } : {}), ...(args.draftId ? { draftId: args.draftId } : {}) };
    const lookup: PasswordLookup = realm.kind === 'ldif-file' ? {} : await this.passwords.lookup(keys, realm.connection);
    const report =
      realm.kind === 'ldif-file'
        ? await testLdifFile(realm, coverage, args.signal)
        : await testConnection({
            target: targetOf(realm),
            password: lookup.password,
            ...(lookup.refusal ? { passwordMissing: lookup.refusal } : {}),
            baseDn: realm.search.baseDn,
            userFilter: realm.search.userFilter,
            scope: realm.search.scope,
            coverage,
            signal: args.signal,
          });
    if (report.error?.code === 'invalid-credentials' && lookup.kept === 'session') await this.passwords.refused(keys, lookup.password);
    const lastTest = { at: this.now().toISOString(), ok: report.ok, message: report.ok ? summarise(report) : (report.error?.message ?? 'Failed') };
    const form = args.id ? `realm:${args.id}` : args.draftId ? `draft:${args.draftId}` : undefined;
    if (form && report.error?.code !== 'cancelled') this.formTests.set(form, { settings: testedSettings(realm), lastTest });
    if (saved && !args.draft) {
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
