import type { RealmRecord } from '../../../src-shared/model/realm';

/** The schema version this build reads and writes. */
export const CURRENT_SCHEMA_VERSION = 2;

/** Remembered UI and CLI preferences. */
export interface Settings {
  /** Ids of realms in their display order is kept on the realms themselves; this holds everything else. */
  [key: string]: unknown;
}

/** The whole lowdb document (the audit journal lives beside it as JSON lines). */
export interface StoreData {
  schemaVersion: typeof CURRENT_SCHEMA_VERSION;
  realms: RealmRecord[];
  settings: Settings;
}

/** A fresh, empty store. */
export function emptyStore(): StoreData {
  return { schemaVersion: CURRENT_SCHEMA_VERSION, realms: [], settings: {} };
}
