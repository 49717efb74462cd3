import type { UserQueryInput } from './user';

/** The data-quality reports: each is a count and the user list filter that shows who it counts. */
export const REPORT_IDS = ['missing', 'unexported', 'stale', 'disabled', 'orphans', 'conflicts'] as const;
export type ReportId = (typeof REPORT_IDS)[number];

/** Reports the CLI names (`roster report …`): the list above plus the completeness chart. */
export const CLI_REPORTS = ['completeness', ...REPORT_IDS] as const;
export type CliReport = (typeof CLI_REPORTS)[number];

export const DEFAULT_STALE_DAYS = 30;

/** Completeness of one field over the users: the chart's bar. */
export interface FieldCompleteness {
  key: string;
  label: string;
  required: boolean;
  /** Users the field applies to (all users). */
  total: number;
  missing: number;
  /** The list filter of the users missing it. */
  query: UserQueryInput;
}

export interface ReportSummary {
  id: ReportId;
  title: string;
  description: string;
  count: number;
  query: UserQueryInput;
}

/** Completeness within one realm (or among internal users): where the missing values of each field come from. */
export interface RealmCompleteness {
  /** The realm, or null for internal users (who have none). */
  realmId: string | null;
  /** The realm's name, or "Internal users". */
  name: string;
  users: number;
  /** Users of this realm missing each field, by field key (every field of the chart). */
  missing: Record<string, number>;
}

/** The Users list filter of one realm's users missing one field: a cell of the per-realm breakdown. */
export const realmMissingQuery = (realmId: string | null, field: string): UserQueryInput =>
  realmId === null ? { missingField: field, kind: 'internal' } : { missingField: field, realmId };

/** Everything the Reports screen shows. */
export interface ReportsOverview {
  at: string;
  users: number;
  staleDays: number;
  completeness: FieldCompleteness[];
  /** The same counts per realm (internal users last), realms with the most users first. */
  completenessByRealm: RealmCompleteness[];
  reports: ReportSummary[];
}

/** One user in a report's CLI listing. */
export interface ReportUser {
  id: string;
  username: string;
  displayName: string;
  realm?: string;
  detail: string;
}
