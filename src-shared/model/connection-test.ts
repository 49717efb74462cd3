import type { AppError } from '../result';

/** The stages of "Test connection", in the order they run. */
export const CONNECTION_STEPS = ['reach', 'tls', 'bind', 'rootdse', 'base', 'users'] as const;
export type ConnectionStep = (typeof CONNECTION_STEPS)[number];

/** What happened at one stage; `skipped` when an earlier one failed or it does not apply. */
export interface ConnectionStepResult {
  step: ConnectionStep;
  label: string;
  status: 'ok' | 'failed' | 'skipped';
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

/** The full outcome of a connection test; `error` holds the actionable message when `ok` is false. */
export interface ConnectionTestReport {
  ok: boolean;
  url: string;
  steps: ConnectionStepResult[];
  server?: ServerInfo;
  baseDnFound?: boolean;
  /** Users matching the realm's filter, counted up to `userCountCap`. */
  userCount?: number;
  userCountCapped?: boolean;
  error?: AppError;
}
