import type { AppError } from '../result';

/** The stages of "Test connection" for a server, in the order they run. */
export const CONNECTION_STEPS = ['reach', 'tls', 'bind', 'rootdse', 'base', 'users', 'coverage'] as const;
/** The stages of testing an offline realm: its LDIF file stands in for the server. */
export const FILE_TEST_STEPS = ['file', 'users', 'coverage'] as const;
export type ConnectionStep = (typeof CONNECTION_STEPS)[number] | (typeof FILE_TEST_STEPS)[number];

/**
 * What happened at one stage; `skipped` when an earlier one failed or it does not apply. `warning` means the
 * stage ran and the connection works, but something needs the admin's attention (e.g. the mapping).
 */
export interface ConnectionStepResult {
  step: ConnectionStep;
  label: string;
  status: 'ok' | 'warning' | 'failed' | 'skipped';
  detail: string;
  ms: number;
}

/** What the server said about itself in its RootDSE. */
export interface ServerInfo {
  vendor: string;
  vendorVersion?: string;
  namingContexts: string[];
  defaultNamingContext?: string;
  pagedResults: boolean;
}

/** How many sampled users one attribute source gave the field's value to. */
export interface SourceCount {
  source: string;
  count: number;
}

/** One field over the sample: which source filled it for how many users, and how many stay empty. */
export interface FieldCoverage {
  /** The field key (`username` for the username). */
  field: string;
  label: string;
  required: boolean;
  /** The field's ordered attribute sources; empty when the field is not mapped. */
  sources: string[];
  /** In list order, each source that was tried for at least one user (every earlier one was empty for it). */
  counts: SourceCount[];
  /** Users for whom no source had a value. */
  empty: number;
  /** Why this field needs attention, when it does. */
  warning?: string;
}

/** The mapping applied to a sample of the realm's users, before anyone imports. */
export interface MappingCoverage {
  /** Users read: the first the search returned, at most `cap`. */
  sampled: number;
  cap: number;
  /** Whether more users match the filter than were sampled. */
  more: boolean;
  /** The username first, then the field catalogue in its order. */
  fields: FieldCoverage[];
}

/** The full outcome of a connection test; `error` holds the actionable message when `ok` is false. */
export interface ConnectionTestReport {
  ok: boolean;
  /** The server URL that answered (or was tried last); for an offline realm, its LDIF file. */
  url: string;
  steps: ConnectionStepResult[];
  server?: ServerInfo;
  baseDnFound?: boolean;
  /** Users matching the realm's filter, counted up to `userCountCap`. */
  userCount?: number;
  userCountCapped?: boolean;
  /** The mapping over a sample of users, when the test got that far and users matched. */
  coverage?: MappingCoverage;
  error?: AppError;
}

/** One field's coverage as a phrase: `0 of 200 have displayName; cn gives 180; 20 stay empty`. */
export function coverageText(field: FieldCoverage, sampled: number): string {
  if (field.sources.length === 0) return 'not mapped';
  const parts = field.counts.map(({ source, count }, i) =>
    i === 0 ? `${count} of ${sampled} ${count === 1 ? 'has' : 'have'} ${source}` : `${source} gives ${count}`,
  );
  if (field.empty > 0) parts.push(`${field.empty} ${field.empty === 1 ? 'stays' : 'stay'} empty`);
  return parts.join('; ');
}

/** One field's coverage as a line: `Full name: 0 of 200 have displayName; cn gives 200`. */
export const coverageLine = (field: FieldCoverage, sampled: number): string => `${field.label}: ${coverageText(field, sampled)}`;

/** The warnings of a coverage, in field order. */
export const coverageWarnings = (coverage: MappingCoverage): string[] => coverage.fields.flatMap((f) => (f.warning ? [f.warning] : []));
