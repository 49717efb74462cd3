/** Error codes that cross process boundaries; each maps to a message a person can act on. */
export type ErrorCode =
  | 'invalid-input'
  | 'not-found'
  | 'conflict'
  | 'forbidden'
  | 'invalid-credentials'
  | 'host-unreachable'
  | 'connection-refused'
  | 'timeout'
  | 'tls-untrusted'
  | 'tls-hostname'
  | 'tls-expired'
  | 'tls-failed'
  | 'no-such-base'
  | 'size-limit'
  | 'insufficient-access'
  | 'invalid-filter'
  | 'ldap-error'
  | 'password-required'
  | 'store-corrupt'
  | 'store-locked'
  | 'cancelled'
  /** A file could not be read or written (permissions, disk full, a folder that is gone). */
  | 'io'
  | 'internal';

/** Plain, serialisable error: crosses IPC, HTTP and the CLI unchanged. */
export interface AppError {
  code: ErrorCode;
  message: string;
  /** Optional machine-readable details (e.g. the AD data code, the field that failed validation). */
  details?: Record<string, string | number | boolean>;
}

/** The only shape a handler ever returns: handlers never throw across a transport. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

/** Wraps a value as a successful result. */
export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

/** Wraps an error as a failed result. */
export const fail = <T = never>(code: ErrorCode, message: string, details?: AppError['details']): Result<T> => ({
  ok: false,
  error: details ? { code, message, details } : { code, message },
});

/** An Error carrying an ErrorCode, thrown inside services and turned into a Result at the edge. */
export class RosterError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: AppError['details'],
  ) {
    super(message);
    this.name = 'RosterError';
  }

  /** The plain form of this error. */
  toAppError(): AppError {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }
}
