import { z } from 'zod';
import type { ConnectionTestReport } from '../model/connection-test';
import { auditFilterSchema, type AuditEntry, type AuditPage } from '../model/audit';
import { customFieldInputSchema, FIELD_OWNERS, fieldKeySchema, type FieldDefinition } from '../model/fields';
import { exportPrefsSchema, exportRequestSchema, type ExportColumn, type ExportPlan, type ExportPrefs, type ExportPreset } from '../model/export';
import { LDIF_FLAVOURS, realmInputSchema, type LdifInspection, type Realm } from '../model/realm';
import type { ReportsOverview } from '../model/report';
import { SHEET_ROW_STATUSES, sheetOptionsSchema, type SheetApplyReport, type SheetOpened, type SheetPreview, type SheetRowResult } from '../model/sheet';
import { IMPORT_STATUSES, type ImportRow, type ImportSearch, type Job, type UserDiff } from '../model/sync';
import { usernameClashSchema } from '../model/username-clash';
import {
  userQuerySchema,
  userSortSchema,
  userTargetSchema,
  type DirectoryCandidate,
  type Role,
  type UserDetail,
  type UserPage,
  type UserSort,
} from '../model/user';
import { CHANNEL_NAMES, type ChannelName, type EventName } from './channels';

export { isChannel, isEventName, EVENT_NAMES, type EventName } from './channels';

/** Declares a channel: its zod input schema and (type-only) output. */
const channel =
  <Output>() =>
  <Input extends z.ZodType>(input: Input) => ({ input, output: undefined as unknown as Output });

const empty = z.object({}).strict().default({});
const id = z.string().min(1).max(64);
/** Bind passwords enter main on `realms:set-session-password` only; they are never sent back. */
const password = z.string().min(1).max(1024);

/** Facts about the running back end the UI shows in its status bar and settings. */
export interface AppInfo {
  version: string;
  dataDir: string;
  transport: 'electron' | 'http' | 'cli';
  secrets: { persistent: boolean; reason?: string };
  /** Things about the data folder the user should know (migrations, damaged files set aside). */
  notices: string[];
}

/** Field values as typed: key -> value ('' clears). */
const fieldValues = z.record(fieldKeySchema, z.string().max(1024));
const roleName = z.string().trim().min(1, 'Give the role a name').max(80);

/** The user list's columns as the admin arranged them: order, hidden ones and widths (px), by column key. */
export const userColumnPrefsSchema = z
  .object({
    order: z.array(z.string().regex(/^[A-Za-z]{1,32}$/)).max(32),
    hidden: z.array(z.string().regex(/^[A-Za-z]{1,32}$/)).max(32),
    widths: z.record(z.string().regex(/^[A-Za-z]{1,32}$/), z.number().int().min(40).max(1200)),
  })
  .strict();
export type UserColumnPrefs = z.infer<typeof userColumnPrefsSchema>;

/** Preferences remembered across restarts (window-independent). */
export interface Prefs {
  usersSort: UserSort;
  /** Absent until the admin changes a column (stores from before it lack it): the list's defaults. */
  usersColumns?: UserColumnPrefs;
  export: ExportPrefs;
  /** The "not synced for N days" report's N. */
  staleDays: number;
}
export const prefsSchema = z
  .object({ usersSort: userSortSchema, usersColumns: userColumnPrefsSchema, export: exportPrefsSchema, staleDays: z.number().int().min(1).max(36_500) })
  .partial()
  .strict();

/** The export screen's choices: every column, the presets, and where files go by default. */
export interface ExportCatalogue {
  columns: ExportColumn[];
  presets: ExportPreset[];
  /** The folder exports are saved in unless the admin picks another (their Downloads folder, if any). */
  defaultFolder: string;
}

/** How many users a bulk action changed (users already in the wanted state are left alone). */
export interface BulkResult {
  matched: number;
  changed: number;
  /** The users changed (login changes only), so the list can offer Undo: setting them back is one more bulk change. */
  changedIds?: string[];
}

/** What a bulk login change would touch, asked before it runs: how many, and which are disabled in their directory. */
export interface BulkPreview {
  count: number;
  /** External users whose directory account is disabled. */
  directoryDisabled: number;
  /** The first few of them, by username. */
  directoryDisabledNames: string[];
}

/** Every request/response channel: `domain:action` -> input schema and output type. */
export const contract = {
  'app:info': channel<AppInfo>()(empty),
  'realms:list': channel<Realm[]>()(empty),
  /**
   * Adds a realm. `draftId` is the form it was drafted in: a password given there (set-session-password) for
   * the same target becomes the realm's; `rememberPassword` saves it, when the secret store can.
   */
  'realms:create': channel<Realm>()(z.object({ realm: realmInputSchema, draftId: id.optional(), rememberPassword: z.boolean().optional() }).strict()),
  /**
   * Replaces a realm's settings. Changing its target (URLs, TLS, CA, verification, bind DN) forgets the
   * passwords given for the old one; `rememberPassword` saves the one given this session for the new settings.
   */
  'realms:update': channel<Realm>()(
    z.object({ id, realm: realmInputSchema, rememberPassword: z.boolean().optional(), forgetPassword: z.boolean().optional() }).strict(),
  ),
  /**
   * The ONLY channel that carries a bind password. Main keeps it for a saved realm (`realmId`) or a new
   * realm's form (`draftId`), bound to the target it is for: the realm's saved connection, or `connection`
   * (a form's draft). Kept in memory until Roster quits or the realm's target changes; `remember` saves it
   * durably (when the secret store can) for the realm's saved target.
   */
  'realms:set-session-password': channel<{ kept: 'saved' | 'session' }>()(
    z
      .object({
        realmId: id.optional(),
        draftId: id.optional(),
        connection: realmInputSchema.shape.connection.optional(),
        password,
        remember: z.boolean().optional(),
      })
      .strict()
      .refine((v) => (v.realmId === undefined) !== (v.draftId === undefined), 'Give either a realm id or a draft id')
      .refine((v) => v.draftId === undefined || v.connection !== undefined, { path: ['connection'], message: 'A draft needs the connection the password is for' }),
  ),
  'realms:set-enabled': channel<Realm>()(z.object({ id, enabled: z.boolean() }).strict()),
  'realms:reorder': channel<Realm[]>()(z.object({ ids: z.array(id).min(1).max(10_000) }).strict()),
  'realms:delete': channel<{ id: string }>()(z.object({ id }).strict()),
  /** Reads an LDIF file and says which directory it came from (or reads it as `flavour`) and which id its users carry. */
  'realms:inspect-ldif': channel<LdifInspection>()(
    z
      .object({ path: z.string().trim().min(1).max(4096), flavour: z.enum(LDIF_FLAVOURS).optional(), userFilter: z.string().trim().min(1).max(4000).optional() })
      .strict(),
  ),
  /** Tests a saved realm (by id) or an unsaved draft; a saved realm's result is remembered for the status bar. */
  'realms:test': channel<ConnectionTestReport>()(
    z
      .object({ id: id.optional(), draft: realmInputSchema.optional(), draftId: id.optional() })
      .strict()
      .refine((v) => v.id !== undefined || v.draft !== undefined, 'Give a realm id or a draft realm to test'),
  ),
  /**
   * A window of the user list for a search, filters and sort; `facets` count every filter's matches. With
   * `savedSort`, main sorts as the user last chose (the saved preference) instead of by `query.sort`, so the
   * list's first call needs no `prefs:get` before it; `sort` says which order the answer is in.
   */
  'users:query': channel<UserPage & { sort: UserSort }>()(
    z
      .object({
        query: userQuerySchema.prefault({}),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(100),
        savedSort: z.boolean().optional(),
      })
      .strict(),
  ),
  'users:get': channel<UserDetail>()(z.object({ id }).strict()),
  'users:create': channel<UserDetail>()(
    z
      .object({ username: z.string().trim().max(200), fields: fieldValues.default({}), enabled: z.boolean().default(true), roles: z.array(id).default([]) })
      .strict(),
  ),
  /** Edits a user's username (internal users) and fields; directory-owned fields of external users are refused. */
  'users:update': channel<UserDetail>()(z.object({ id, username: z.string().trim().max(200).optional(), fields: fieldValues.default({}) }).strict()),
  'users:delete': channel<{ id: string }>()(z.object({ id }).strict()),
  'users:bulk-preview': channel<BulkPreview>()(z.object({ target: userTargetSchema }).strict()),
  'users:set-enabled': channel<BulkResult>()(z.object({ target: userTargetSchema, enabled: z.boolean() }).strict()),
  'users:assign-role': channel<BulkResult>()(z.object({ target: userTargetSchema, roleId: id }).strict()),
  'users:remove-role': channel<BulkResult>()(z.object({ target: userTargetSchema, roleId: id }).strict()),
  /** Gives a user the same roles as another (replacing theirs). */
  'users:copy-roles': channel<UserDetail>()(z.object({ id, fromId: id }).strict()),
  /** External -> internal: keeps the values, drops the link to the directory. */
  'users:to-internal': channel<UserDetail>()(z.object({ id }).strict()),
  /** Directory entries in a realm that could be this internal user (matched by username). */
  'users:find-in-realm': channel<DirectoryCandidate[]>()(z.object({ id, realmId: id }).strict()),
  /** Internal -> external: links the user to a directory entry found by `users:find-in-realm`. */
  'users:to-external': channel<UserDetail>()(z.object({ id, realmId: id, dn: z.string().min(1).max(2048) }).strict()),
  /** The audit entries about one user, newest first. */
  'users:history': channel<AuditEntry[]>()(z.object({ id }).strict()),
  'fields:list': channel<FieldDefinition[]>()(empty),
  'fields:set-policy': channel<FieldDefinition[]>()(
    z.object({ key: fieldKeySchema, owner: z.enum(FIELD_OWNERS).optional(), required: z.boolean().optional() }).strict(),
  ),
  'fields:add': channel<FieldDefinition[]>()(z.object({ field: customFieldInputSchema }).strict()),
  'fields:remove': channel<FieldDefinition[]>()(z.object({ key: fieldKeySchema }).strict()),
  'roles:list': channel<Role[]>()(empty),
  'roles:create': channel<Role>()(z.object({ name: roleName }).strict()),
  'roles:rename': channel<Role>()(z.object({ id, name: roleName }).strict()),
  /** Deleting a role someone holds needs `force` (the UI asks first, naming how many hold it). */
  'roles:delete': channel<{ id: string; removedFrom: number }>()(z.object({ id, force: z.boolean().default(false) }).strict()),
  'audit:list': channel<AuditPage>()(
    z
      .object({ filter: auditFilterSchema.prefault({}), offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(1000).default(200) })
      .strict(),
  ),
  /** The filtered journal as CSV text (UTF-8, RFC 4180, formula-looking cells neutralised). */
  'audit:csv': channel<{ filename: string; csv: string; count: number }>()(z.object({ filter: auditFilterSchema.prefault({}) }).strict()),
  /**
   * Searches a realm for users to import: `query` is a keyword (substring of username, name or mail) or
   * `*` for everyone; `filter`, when given, is a raw LDAP filter (validated before it is sent) used instead.
   * The whole result stays in main; page through it with `import:page`.
   */
  'import:search': channel<ImportSearch>()(
    z.object({ realmId: id, query: z.string().max(200).default(''), filter: z.string().max(4000).optional() }).strict(),
  ),
  'import:page': channel<{ total: number; offset: number; rows: ImportRow[] }>()(
    z
      .object({
        searchId: id,
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(200),
        status: z.enum(IMPORT_STATUSES).optional(),
      })
      .strict(),
  ),
  /**
   * Imports (or resyncs) the chosen entries of a search, or all of them: a job. `clash` settles entries whose
   * username belongs to a user of another realm: link, rename (rule + per-DN names) or skip (the default).
   */
  'import:run': channel<Job>()(
    z
      .object({
        searchId: id,
        dns: z.array(z.string().min(1).max(2048)).max(200_000).optional(),
        clash: usernameClashSchema.optional(),
      })
      .strict(),
  ),
  /** Directory entries that could be this user in a realm (by id, DN, then username), best first. */
  'sync:candidates': channel<DirectoryCandidate[]>()(z.object({ userId: id, realmId: id.optional() }).strict()),
  /** The three-way diff of a user against one directory entry. */
  'sync:preview': channel<UserDiff>()(z.object({ userId: id, realmId: id, dn: z.string().min(1).max(2048) }).strict()),
  /** Applies a diff with the admin's per-field choices (fields not named take their default). */
  'sync:apply': channel<UserDetail>()(
    z
      .object({
        userId: id,
        realmId: id,
        dn: z.string().min(1).max(2048),
        choices: z.record(fieldKeySchema, z.enum(['directory', 'local'])).default({}),
      })
      .strict(),
  ),
  /** Resolves conflicts a reconcile queued, from the values it recorded (no directory call). */
  'sync:resolve': channel<UserDetail>()(z.object({ userId: id, choices: z.record(fieldKeySchema, z.enum(['directory', 'local'])) }).strict()),
  /** Resyncs the selected external users against their realms: a job. */
  'sync:resync-users': channel<Job>()(z.object({ target: userTargetSchema }).strict()),
  /**
   * Reconciles every user of a realm with the directory: a job with a report. Incremental (only what changed
   * since the last reconcile) when the realm's change markers hold, unless `full` asks to read the whole realm.
   */
  'realms:reconcile': channel<Job>()(z.object({ realmId: id, full: z.boolean().optional() }).strict()),
  'jobs:list': channel<Job[]>()(empty),
  'jobs:get': channel<Job>()(z.object({ id }).strict()),
  /** Cancels a running job; it stops at the next batch boundary and says what was saved. */
  'jobs:cancel': channel<Job>()(z.object({ id }).strict()),
  /** "Try with demo data": adds the bundled demo directory as an LDIF realm and imports it (a job). */
  'demo:start': channel<{ realm: Realm; job: Job }>()(empty),
  'prefs:get': channel<Prefs>()(empty),
  'prefs:set': channel<Prefs>()(z.object({ prefs: prefsSchema }).strict()),
  /** Opens the file manager at a file; `shown` is false where the transport has no desktop (the folder is returned to show). */
  'app:show-in-folder': channel<{ shown: boolean; folder: string }>()(z.object({ path: z.string().min(1).max(4096) }).strict()),
  /** A native Save or Open dialog (Electron); elsewhere `unavailable` says why and the path is typed instead. */
  'app:choose-path': channel<{ path?: string; unavailable?: string }>()(
    z
      .object({
        mode: z.enum(['save', 'open']),
        defaultPath: z.string().max(4096).optional(),
        extensions: z.array(z.string().regex(/^[a-z0-9]{1,8}$/)).max(10).default([]),
      })
      .strict(),
  ),
  'export:columns': channel<ExportCatalogue>()(empty),
  /** How many users an export would write, what it skips, and which files exist already. */
  'export:plan': channel<ExportPlan>()(exportRequestSchema),
  /** Writes an export as a job (progress, cancel); an existing file is refused unless `overwrite`. */
  'export:start': channel<Job>()(exportRequestSchema),
  /** Reads a returned sheet (XLSX or CSV) and maps its columns by header. */
  'sheets:open': channel<SheetOpened>()(z.object({ path: z.string().trim().min(1, 'Choose the sheet to read').max(4096) }).strict()),
  /** Matches every row to a user and works out what it would change, under a mapping. */
  'sheets:preview': channel<SheetPreview>()(sheetOptionsSchema),
  /** A window of the last preview's rows. */
  'sheets:page': channel<{ total: number; offset: number; rows: SheetRowResult[] }>()(
    z
      .object({
        sheetId: id,
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(200),
        status: z.enum(SHEET_ROW_STATUSES).optional(),
      })
      .strict(),
  ),
  /** Applies the valid rows to local fields (locks respected), with audit entries; refused rows are reported. */
  'sheets:apply': channel<SheetApplyReport>()(sheetOptionsSchema),
  /** The Reports screen: completeness per field and the counts of each data-quality report. */
  'reports:overview': channel<ReportsOverview>()(z.object({ staleDays: z.number().int().min(1).max(36_500).optional() }).strict().default({})),
} as const satisfies Record<ChannelName, { input: z.ZodType; output: unknown }>;

export type Contract = typeof contract;
export type Channel = keyof Contract;
/** What a caller passes (before defaults are applied). */
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>;
/** What a handler receives (after zod parsing and defaults). */
export type ParsedInput<C extends Channel> = z.output<Contract[C]['input']>;
export type ChannelOutput<C extends Channel> = Contract[C]['output'];

/** All channel names, for allow-lists in main and the HTTP host. */
export const CHANNELS: readonly Channel[] = CHANNEL_NAMES;

/** Push events main sends to the window: name -> payload. */
export interface EventMap {
  'jobs:progress': { jobId: string; done: number; total: number; phase: string };
  'realms:changed': { ids: string[] };
  /** Users were created, changed or deleted; `ids` empty means "many: reload". */
  'users:changed': { ids: string[] };
  /** A job started, finished, failed or was cancelled. */
  'jobs:changed': { job: Job };
  /** Field policy, custom fields or roles changed. */
  'settings:changed': { what: 'fields' | 'roles' };
}
// Fails to compile when an event in the map has no name in the list, or the other way round.
const _everyEventMapped: Record<EventName, true> = {
  'jobs:progress': true,
  'realms:changed': true,
  'users:changed': true,
  'settings:changed': true,
  'jobs:changed': true,
} satisfies Record<keyof EventMap, true>;
void _everyEventMapped;
