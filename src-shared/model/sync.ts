import type { AppError } from '../result';
import type { AuditChange } from './audit';
import type { ExportResult } from './export';
import type { UsernameClashChoice } from './username-clash';

/** What the three-way merge decided for one field. */
export const FIELD_OUTCOMES = ['unchanged', 'take-directory', 'keep-local', 'converged', 'conflict'] as const;
export type FieldOutcome = (typeof FIELD_OUTCOMES)[number];

/** One field of a three-way diff: base (last synced), local (Roster), directory (now). */
export interface FieldDiff {
  field: string;
  label: string;
  owner: 'directory' | 'local';
  base: string;
  local: string;
  directory: string;
  outcome: FieldOutcome;
  /** Which value wins; for conflicts the default follows the field's owner and the admin may change it. */
  choice: 'directory' | 'local';
}

/** The diff of one Roster user against one directory entry. */
export interface UserDiff {
  userId: string;
  username: string;
  realmId: string;
  dn: string;
  externalId: string;
  /** Every mapped field, in catalogue order (unchanged ones included so the dialog can show them). */
  fields: FieldDiff[];
  /** The directory renamed the account (username) or moved it (DN). */
  username_change?: { from: string; to: string };
  dn_change?: { from: string; to: string };
  directoryEnabled: boolean;
  conflicts: number;
  changes: number;
}

/**
 * How an import search result relates to the store. `clash`: its username belongs to an external user of
 * another realm, which the admin may link to this entry, import under another username, or skip.
 */
export const IMPORT_STATUSES = ['new', 'unchanged', 'changed', 'conflict', 'clash'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** One directory entry found by an import search. */
export interface ImportRow {
  dn: string;
  externalId: string;
  username: string;
  displayName: string;
  email: string;
  /** Department and job title as mapped, so people of the same name can be told apart. */
  department: string;
  title: string;
  enabled: boolean;
  status: ImportStatus;
  /** The Roster user it matches, if any. */
  userId?: string;
  /** Fields whose directory value differs from what Roster last synced (status `changed`). */
  changedFields: string[];
  /** Why it is a conflict ("username taken by an internal user…") or a clash. */
  note?: string;
  /** For `clash` rows: the user holding the username (`userId`) is this one, of this realm. */
  clash?: { username: string; realmId: string; realmName: string };
}

/** Clashing entries of a search, per realm whose users hold their usernames. */
export interface ClashRealm {
  realmId: string;
  realmName: string;
  count: number;
}

/** A finished import search kept in main so the page can scroll through all of it. */
export interface ImportSearch {
  searchId: string;
  realmId: string;
  filter: string;
  total: number;
  counts: Record<ImportStatus, number>;
  /** Where the `clash` entries' usernames are held, most first. */
  clashRealms: ClashRealm[];
}

/** Per-user outcome of an import, resync or reconcile. */
export interface SyncChange {
  userId?: string;
  username: string;
  dn: string;
  action: 'created' | 'updated' | 'unchanged' | 'conflict' | 'not-found' | 'skipped';
  changes: AuditChange[];
  note?: string;
  /** The entry's username belonged to a user of another realm: what was done about it. */
  clash?: UsernameClashChoice;
}

/** How a reconcile read the directory, and why. */
export interface ReconcileMode {
  /** `incremental`: only entries changed since the last reconcile, plus an id-only sweep; `full`: every entry. */
  mode: 'incremental' | 'full';
  /** Why, in words: "first reconcile of this realm", "another domain controller answered (…)", … */
  reason: string;
  /** Entries read with every mapped attribute. */
  entriesRead: number;
  /** Incremental: entries the id-only sweep listed (to find deleted and moved ones). */
  idsSwept?: number;
  /** Incremental: users whose entry moved (or who were synced outside a reconcile) and were read again. */
  reread?: number;
  /** Where the directory stood, in its own terms ("USN 123456 on dc1.corp.example"). */
  since?: string;
}

/** The report of an import, resync or reconcile. */
export interface SyncSummary {
  realmId: string;
  matched: number;
  created: number;
  updated: number;
  unchanged: number;
  conflicts: number;
  notFound: number;
  disabledUpstream: number;
  /** Per-user changes (capped for very large runs; `changesTruncated` says so). */
  changes: SyncChange[];
  changesTruncated?: boolean;
  dryRun?: boolean;
  /** Entries whose username belonged to a user of another realm: linked, imported under another name, skipped. */
  usernameClashes?: Record<UsernameClashChoice, number>;
  /** Reconciles: incremental or full, and why. */
  reconcile?: ReconcileMode;
  /** Reconciles: entries of the realm that no Roster user is linked to (by id or DN) — not imported yet. */
  newInDirectory?: number;
}

export const JOB_KINDS = ['import', 'resync', 'reconcile', 'export'] as const;
export type JobKind = (typeof JOB_KINDS)[number];
export type JobState = 'running' | 'done' | 'failed' | 'cancelled';

/** Long work running in main: progress is pushed as `jobs:progress`, state changes as `jobs:changed`. */
export interface Job {
  id: string;
  kind: JobKind;
  realmId: string;
  state: JobState;
  done: number;
  total: number;
  phase: string;
  startedAt: string;
  finishedAt?: string;
  summary?: SyncSummary;
  /** Export jobs: what was written. */
  export?: ExportResult;
  error?: AppError;
  /** For failed or cancelled jobs: what the store holds now ("the first 3 batches (3,000 users) were saved"). */
  consistency?: string;
}
