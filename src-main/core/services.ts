import { userInfo } from 'node:os';
import type { AppInfo, EventMap } from '#shared/ipc/contract';
import { AuditLog } from './audit/audit-log';
import { AuditService } from './audit/audit-service';
import { AppEvents } from './events';
import { RealmService } from './realms/realm-service';
import type { SecretStore } from './secrets/secret-store';
import { Store } from './store/store';
import type { StoreFs } from './store/store-fs';
import { JobRunner } from './jobs/job-runner';
import { ExportService } from './export/export-service';
import { ReportService } from './reports/report-service';
import { SheetService } from './sheets/sheet-service';
import { ImportService } from './sync/import-service';
import { ResyncService } from './sync/resync-service';
import { ConversionService } from './users/conversion';
import { SettingsService } from './users/settings-service';
import { UserService } from './users/user-service';
import { UserStore } from './users/user-store';

/** Everything a handler may use; built once per process, whatever the transport. */
export interface Services {
  store: Store;
  secrets: SecretStore;
  realms: RealmService;
  users: UserService;
  userStore: UserStore;
  conversion: ConversionService;
  settings: SettingsService;
  audit: AuditLog;
  auditor: AuditService;
  jobs: JobRunner;
  importer: ImportService;
  resync: ResyncService;
  exporter: ExportService;
  reports: ReportService;
  sheets: SheetService;
  /** Where bundled resources (the demo directory) are; undefined when not found. */
  resourcesDir?: string;
  events: AppEvents;
  info: AppInfo;
  close(): Promise<void>;
}

/** How to build the services: the caller decides paths, clock, secrets and who it is. */
export interface ServiceOptions {
  dataDir: string;
  owner: string;
  transport: AppInfo['transport'];
  secrets: SecretStore;
  version: string;
  readOnly?: boolean;
  now?: () => Date;
  /** Who acts, for the audit journal (default: the OS user). */
  actor?: string;
  /** The folder holding `demo/directory.ldif` (default: found by walking up from this module). */
  resourcesDir?: string;
  /** The file operations the store's writers go through (tests inject disk-full and read-only failures). */
  fs?: StoreFs;
  /** User changes after which the users snapshot is rewritten (tests; default: see UserStore). */
  compactAfter?: number;
}

/** The OS user running Roster: the "who" of audit entries. */
export function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}

/** Opens the store and wires the services over it. */
export async function openServices(options: ServiceOptions): Promise<Services> {
  const store = await Store.open({ dataDir: options.dataDir, owner: options.owner, readOnly: options.readOnly, now: options.now, fs: options.fs });
  const now = options.now ?? (() => new Date());
  let audit: AuditLog | undefined;
  let userStore: UserStore | undefined;
  try {
    audit = await AuditLog.open(options.dataDir, options.readOnly, options.fs);
    userStore = await UserStore.open({ dataDir: options.dataDir, audit, readOnly: options.readOnly, now, fs: options.fs, compactAfter: options.compactAfter });
  } catch (error) {
    await audit?.close();
    await store.close();
    throw error;
  }
  const events = new AppEvents();
  // The catalogue is read when a test runs (custom fields may change meanwhile), by then `users` exists.
  const realms = new RealmService(store, options.secrets, events, options.now, () => users.fields());
  const context = { store, users: userStore, audit, events, actor: options.actor ?? osUser(), now };
  const users = new UserService(context);
  events.onAny((event, payload) => {
    if (event === 'realms:changed') users.engine.realmsChanged();
    // Realm cards show when each realm was last imported and reconciled (a store that cannot write keeps the old time).
    if (event === 'jobs:changed') void realms.jobFinished((payload as EventMap['jobs:changed']).job).catch(() => undefined);
  });
  const jobs = new JobRunner(events, now);
  const deps = { ctx: context, users, realms };
  return {
    store,
    secrets: options.secrets,
    realms,
    users,
    userStore,
    conversion: new ConversionService(context, users, realms),
    settings: new SettingsService(context, users),
    audit,
    auditor: new AuditService(audit, (id) => users.realmName(id), context.actor, now),
    jobs,
    importer: new ImportService(deps, jobs),
    resync: new ResyncService(deps, jobs),
    exporter: new ExportService(context, users, jobs, options.version),
    reports: new ReportService(users, now),
    sheets: new SheetService(context, users),
    ...(options.resourcesDir ? { resourcesDir: options.resourcesDir } : {}),
    events,
    info: {
      version: options.version,
      dataDir: options.dataDir,
      transport: options.transport,
      secrets: { persistent: options.secrets.persistent, ...(options.secrets.reason ? { reason: options.secrets.reason } : {}) },
      notices: [...store.notices, ...userStore.notices],
    },
    async close() {
      try {
        await jobs.stopAll();
        await userStore.close();
        await audit.close();
      } finally {
        await store.close();
      }
    },
  };
}
