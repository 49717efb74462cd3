import type { Prefs } from '#shared/ipc/contract';
import type { CustomField, FieldPolicyOverride } from '#shared/model/fields';
import type { RealmRecord } from '#shared/model/realm';

/** The schema version this build reads and writes. */
export const CURRENT_SCHEMA_VERSION = 7;

/** A role as stored; who holds it is on the users. */
export interface RoleRecord {
  id: string;
  name: string;
}

/** The admin's field policy: overrides of the built-in defaults, and custom fields. */
export interface FieldSettings {
  overrides: Record<string, FieldPolicyOverride>;
  custom: CustomField[];
}

/** Remembered UI and CLI preferences. */
export interface Settings {
  /** Ids of realms in their display order is kept on the realms themselves; this holds everything else. */
  [key: string]: unknown;
}

/**
 * The lowdb document: small, rarely written things. Users live beside it in their own snapshot + journal
 * (users.json, users.journal) and the audit trail in audit.jsonl, so that one edit never rewrites 100k users.
 */
export interface StoreData {
  schemaVersion: typeof CURRENT_SCHEMA_VERSION;
  realms: RealmRecord[];
  roles: RoleRecord[];
  fields: FieldSettings;
  prefs: Partial<Prefs>;
  settings: Settings;
}

/** A fresh, empty store. */
export function emptyStore(): StoreData {
  return { schemaVersion: CURRENT_SCHEMA_VERSION, realms: [], roles: [], fields: { overrides: {}, custom: [] }, prefs: {}, settings: {} };
}
