import { z } from 'zod';
import { checkLdapFilter } from './ldap-filter';
import { ATTRIBUTE_SOURCE_PATTERN } from './realm-mapping';
import { tlsMismatch } from './realm-tls';

/** Kinds of directory a realm can point at. */
export const REALM_KINDS = ['active-directory', 'openldap', 'ldap', 'ldif-file'] as const;
export type RealmKind = (typeof REALM_KINDS)[number];

export const TLS_MODES = ['none', 'ldaps', 'starttls'] as const;
export type TlsMode = (typeof TLS_MODES)[number];

/** What directory an LDIF export came from: it decides the mapping, the user filter and the id attribute. */
export const LDIF_FLAVOURS = ['active-directory', 'openldap'] as const;
export type LdifFlavour = (typeof LDIF_FLAVOURS)[number];

/** The id attribute that means "no id in the data: match by DN" (LDIF exports without entryUUID). */
export const DN_AS_ID = 'dn';

/** The most entries a server page may carry: AD refuses more (MaxPageSize). */
export const MAX_PAGE_SIZE = 1000;

/** Roster fields a realm can map to LDAP attributes. */
export const MAPPABLE_FIELDS = [
  'username',
  'displayName',
  'givenName',
  'surname',
  'email',
  'department',
  'title',
  'phone',
  'mobile',
  'office',
  'company',
  'manager',
  'employeeId',
] as const;
export type MappableField = (typeof MAPPABLE_FIELDS)[number];

/** Whether a URL names a host and a port that exist (1–65535), as the connection will parse it. */
function usableServerUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    const port = parsed.port === '' ? 389 : Number(parsed.port);
    return parsed.hostname !== '' && port >= 1 && port <= 65535;
  } catch {
    return false;
  }
}

const ldapUrl = z
  .string()
  .trim()
  .max(2048)
  .regex(/^ldaps?:\/\/[^\s/]+(:\d{1,5})?\/?$/i, 'Use a URL such as ldap://dc1.corp.example:389 or ldaps://dc1.corp.example:636')
  // The shape alone lets through ldap://host:70000 or ldap://[zz], which no connection can use.
  .refine(usableServerUrl, 'This is not a usable server address: check the host name, and that the port is between 1 and 65535.');

/**
 * The cross-field checks below run even when fields are invalid (so a form shows every problem at once), but
 * only on an object: a missing or non-object realm is reported by the object check alone, never crashes them.
 */
const whenObject = ({ value }: { value: unknown }): boolean => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether a value, however malformed, is a server realm with a connection object whose TLS mode can be checked. */
const isServerRealm = (value: unknown): value is { connection: { tls?: unknown; urls?: unknown } } =>
  typeof value === 'object' &&
  value !== null &&
  (value as { kind?: unknown }).kind !== 'ldif-file' &&
  typeof (value as { connection?: unknown }).connection === 'object' &&
  (value as { connection?: unknown }).connection !== null;

/** What a person edits about a realm; the password travels separately and is never stored here. */
export const realmInputSchema = z
  .object({
    name: z.string().trim().min(1, 'Give the realm a name').max(80),
    kind: z.enum(REALM_KINDS),
    enabled: z.boolean().default(true),
    connection: z.object({
      urls: z.array(ldapUrl).max(20),
      // Clear text is only ever an explicit choice.
      tls: z.enum(TLS_MODES).default('starttls'),
      caCertPem: z.string().max(1_000_000).optional(),
      verifyCertificate: z.boolean().default(true),
      bindDn: z.string().trim().max(2048).default(''),
      connectTimeoutMs: z.number().int().min(500).max(120_000).default(5_000),
      operationTimeoutMs: z.number().int().min(1_000).max(600_000).default(30_000),
    }),
    /** For `ldif-file` realms: the LDIF export (ldifde, slapcat, ldapsearch) Roster reads instead of a server. */
    ldif: z
      .object({
        path: z.string().trim().min(1, 'Choose the LDIF file to read').max(4096),
        /** The directory the export came from, detected from the file or chosen by the admin. */
        flavour: z.enum(LDIF_FLAVOURS).optional(),
      })
      .optional(),
    search: z.object({
      baseDn: z.string().trim().max(2048),
      // Roster's own RFC 4515 check, here so the form (as typed), every handler and the CLI apply the same one.
      userFilter: z
        .string()
        .trim()
        .max(4000)
        .superRefine((filter, ctx) => {
          const problem = checkLdapFilter(filter);
          if (problem) ctx.addIssue({ code: 'custom', message: problem.message, params: { kind: problem.kind, position: problem.position } });
        }),
      scope: z.enum(['sub', 'one']).default('sub'),
      pageSize: z.number().int().min(1).max(MAX_PAGE_SIZE, `Page size is at most ${MAX_PAGE_SIZE} (Active Directory's MaxPageSize)`).default(500),
    }),
    idAttribute: z.string().trim().min(1).max(200),
    /** Per field, the attributes to read in order (`displayName`, `cn`, `givenName+sn`): the first non-empty wins. */
    mapping: z.partialRecord(
      z.enum(MAPPABLE_FIELDS),
      z
        .array(z.string().trim().max(400).regex(ATTRIBUTE_SOURCE_PATTERN, 'List attribute names separated by commas, e.g. displayName, cn, givenName+sn'))
        .min(1)
        .max(20),
    ),
  })
  // `when` runs these even when other fields are invalid too, so a form shows every problem at once.
  .refine((realm) => realm.kind !== 'ldif-file' || realm.ldif !== undefined, {
    path: ['ldif', 'path'],
    message: 'Choose the LDIF file to read',
    when: whenObject,
  })
  .refine((realm) => realm.kind === 'ldif-file' || (realm.connection?.urls?.length ?? 0) > 0, {
    path: ['connection', 'urls'],
    message: 'At least one server URL is needed',
    when: whenObject,
  })
  .refine((realm) => realm.kind === 'ldif-file' || (realm.search?.baseDn ?? '') !== '', {
    path: ['search', 'baseDn'],
    message: 'The base DN is required, e.g. DC=corp,DC=example',
    when: whenObject,
  })
  // Shown by the TLS field. The connection may be missing or malformed here: the guard keeps this from throwing.
  .refine((realm: unknown) => !isServerRealm(realm) || tlsMismatch(realm.connection.tls, realm.connection.urls) === undefined, {
    path: ['connection', 'tls'],
    error: (issue) => (isServerRealm(issue.input) ? tlsMismatch(issue.input.connection.tls, issue.input.connection.urls) : undefined),
    when: whenObject,
  });
export type RealmInput = z.infer<typeof realmInputSchema>;

/** What an LDIF file holds, as Roster reads it: the directory it came from and the id its users carry. */
export interface LdifInspection {
  path: string;
  /** The flavour used: the one chosen, else the detected one. */
  flavour: LdifFlavour;
  /** The flavour the file's entries point to. */
  detected: LdifFlavour;
  /** Why the file was taken for that flavour, in words. */
  reason: string;
  entries: number;
  /** Entries the flavour's preset filter selects. */
  users: number;
  /** The id attribute those users carry; DN_AS_ID when they carry none. */
  idAttribute: string;
}

/** Outcome of the last "Test connection", kept so the status bar can tell reachability. */
export interface RealmTestStatus {
  at: string;
  ok: boolean;
  message: string;
}

/**
 * Where the directory stood when a reconcile read it, in the directory's own terms, so the next reconcile asks
 * only for what changed since. Never the workstation's clock: a counter or a time the server itself wrote.
 * - `usn`: Active Directory. The DC's highestCommittedUSN, valid only on that DC (dsServiceName) and that copy
 *   of its database (invocationId changes when it is restored from a backup).
 * - `csn`: OpenLDAP with a contextCSN on the naming context (syncprov, replication): entryCSN is compared.
 * - `timestamp`: any LDAPv3 server: modifyTimestamp is compared.
 * The last two are clock values: the next reconcile asks from an overlap before them (a server clock stepped
 * back, a replica behind).
 */
export type ChangeMarker =
  | { kind: 'usn'; usn: string; invocationId: string; dsServiceName: string; dnsHostName: string }
  | { kind: 'csn'; csn: string; server: string }
  | { kind: 'timestamp'; time: string; server: string };

/** What a finished reconcile leaves for the next one. */
export interface RealmSyncMarkers {
  marker: ChangeMarker;
  /** The realm's search and mapping when it was read: a different one needs a full reconcile. */
  fingerprint: string;
  /** When the reconcile finished (Roster's clock, like every time in the store): users synced later are read in full. */
  at: string;
}

/** A realm as kept in the store: the secret is only referenced, never embedded. */
export interface RealmRecord extends RealmInput {
  id: string;
  order: number;
  lastTest?: RealmTestStatus;
  /** When an import from this realm last finished (schema 7; earlier imports are not known). */
  lastImportAt?: string;
  lastReconcileAt?: string;
  /** Change markers from the last complete reconcile (absent: the next one reads the whole realm). */
  sync?: RealmSyncMarkers;
}

/** Where a realm's bind password lives, as far as anyone outside main may know. */
export type PasswordState = 'saved' | 'session' | 'missing';

/** A realm as shown to the renderer and the CLI. */
export interface Realm extends RealmRecord {
  /** Where the password for the realm's current target is ('missing' when only one for another target is kept). */
  password: PasswordState;
  /** Why a kept password is not used: it was given for another server, TLS setting or bind DN. */
  passwordNote?: string;
}
