import { z } from 'zod';
import { fieldKeySchema, type FieldOwner, type FieldType } from './fields';

export const USER_KINDS = ['internal', 'external'] as const;
export type UserKind = (typeof USER_KINDS)[number];

/** Field values by field key. An empty or absent value means "not set". */
export type FieldValues = Record<string, string>;

/** Where an external user comes from: the BASE of the three-way merge is `base`, the values as last synced. */
export interface UserOrigin {
  realmId: string;
  /** The immutable id (objectGUID canonical string, entryUUID, nsUniqueId). */
  externalId: string;
  dn: string;
  syncedAt: string;
  /** Field values as the directory had them at the last sync. */
  base: FieldValues;
  /** The username as the directory had it at the last sync. */
  baseUsername: string;
  /** Whether the directory account is enabled (AD userAccountControl bit 0x2 clear). */
  directoryEnabled: boolean;
  /** When the directory account expires (ISO), if it does. */
  expiresAt?: string;
  /** Active Directory's userPrincipalName, kept as the directory has it. */
  userPrincipalName?: string;
  /** Set when a reconcile no longer found the entry in the directory. */
  missingSince?: string;
}

/** A field where the local value and the directory both moved away from the last synced value. */
export interface FieldConflict {
  field: string;
  base: string;
  local: string;
  directory: string;
  detectedAt: string;
}

/** A user as kept in the store. */
export interface UserRecord {
  id: string;
  username: string;
  kind: UserKind;
  /** Login allowed in Roster's downstream systems. */
  enabled: boolean;
  /** Role ids. */
  roles: string[];
  fields: FieldValues;
  origin?: UserOrigin;
  conflicts?: FieldConflict[];
  /** The changed values last handed to directory owners in an export (field -> value), and when. */
  exported?: { at: string; values: FieldValues };
  createdAt: string;
  updatedAt: string;
}

/** Columns the user list can sort by. */
export const USER_SORT_COLUMNS = ['username', 'displayName', 'email', 'department', 'title', 'kind', 'enabled', 'syncedAt'] as const;
export type UserSortColumn = (typeof USER_SORT_COLUMNS)[number];

export const userSortSchema = z.object({
  column: z.enum(USER_SORT_COLUMNS).default('username'),
  direction: z.enum(['asc', 'desc']).default('asc'),
});
export type UserSort = z.infer<typeof userSortSchema>;

/** The list's search, filters and sort. Absent filters do not filter. */
export const userQuerySchema = z
  .object({
    search: z.string().max(200).default(''),
    kind: z.enum(USER_KINDS).optional(),
    realmId: z.string().min(1).max(64).optional(),
    enabled: z.boolean().optional(),
    incomplete: z.boolean().optional(),
    completions: z.boolean().optional(),
    conflicts: z.boolean().optional(),
    /** Users whose field (key) is empty: a bar of the completeness chart. */
    missingField: fieldKeySchema.optional(),
    /** External users with changes no export has carried yet. */
    unexported: z.boolean().optional(),
    /** External users not synced for at least this many days. */
    staleDays: z.number().int().min(1).max(36_500).optional(),
    /** External users whose directory account is enabled (true) or disabled (false). */
    directoryEnabled: z.boolean().optional(),
    /** External users a reconcile no longer found in their realm. */
    notFound: z.boolean().optional(),
    sort: userSortSchema.default({ column: 'username', direction: 'asc' }),
  })
  .strict();
export type UserQuery = z.infer<typeof userQuerySchema>;
export type UserQueryInput = z.input<typeof userQuerySchema>;

/** Which users a bulk action applies to: explicit ids, or everything a query matches ("select all in filter"). */
export const userTargetSchema = z.union([
  z.object({ ids: z.array(z.string().min(1).max(64)).min(1).max(200_000) }).strict(),
  z.object({ query: userQuerySchema }).strict(),
]);
export type UserTarget = z.input<typeof userTargetSchema>;

/** One line of the user list: only what the table shows. */
export interface UserRow {
  id: string;
  username: string;
  displayName: string;
  email: string;
  department: string;
  title: string;
  kind: UserKind;
  realmId?: string;
  realmName?: string;
  enabled: boolean;
  syncedAt?: string;
  incomplete: boolean;
  /** When incomplete: the labels of the required fields that are empty ("Email", "Department"). */
  missing?: string[];
  completions: boolean;
  conflicts: boolean;
}

/** Counts beside each filter, over the users matching the search text. */
export interface UserFacets {
  all: number;
  internal: number;
  external: number;
  enabled: number;
  disabled: number;
  incomplete: number;
  completions: number;
  conflicts: number;
  realms: Record<string, number>;
}

/** A window of the list. */
export interface UserPage {
  total: number;
  offset: number;
  rows: UserRow[];
  facets: UserFacets;
}

/** One field of one user, with where its value comes from. */
export interface FieldState {
  key: string;
  label: string;
  type: FieldType;
  owner: FieldOwner;
  required: boolean;
  value: string;
  /** Internal users and local fields are editable; directory-owned fields on external users are not. */
  readOnly: boolean;
  /** `internal`: typed in Roster; `directory`: as synced; `local`: kept in Roster over the directory's value. */
  source: 'internal' | 'directory' | 'local';
  /** The directory's value at the last sync (external users). */
  directoryValue?: string;
  /** A local value that the directory lacks or differs from: what exports hand to directory owners. */
  completion: boolean;
  missing: boolean;
  conflict?: FieldConflict;
}

/** A user with every field explained, for the detail screen and `roster users show`. */
export interface UserDetail {
  user: UserRecord;
  realmName?: string;
  fields: FieldState[];
  roleNames: string[];
}

/** A role users can hold. */
export interface Role {
  id: string;
  name: string;
  /** How many users hold it. */
  holders: number;
}

/** A directory entry offered as the match for converting an internal user. */
export interface DirectoryCandidate {
  dn: string;
  externalId: string;
  username: string;
  email: string;
  displayName: string;
  enabled: boolean;
  /** How it was matched to the Roster user (resync candidates): immutable id, DN, or username. */
  match?: 'id' | 'dn' | 'username';
}
