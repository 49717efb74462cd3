import { CURRENT_SCHEMA_VERSION, type StoreData } from './schema';

type Doc = Record<string, unknown>;

/** One step: takes a document of version `from` and returns one of version `from + 1`. */
interface Migration {
  from: number;
  describe: string;
  up(doc: Doc): Doc;
}

const isRecord = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Version 1 (the first preview) kept one `connection.url` per realm and ordered realms by array position.
 * Version 2 keeps a list of URLs (failover) and an explicit `order`.
 */
const v1ToV2: Migration = {
  from: 1,
  describe: 'realm connection.url -> connection.urls[], explicit realm order',
  up(doc) {
    const realms = Array.isArray(doc.realms) ? doc.realms : [];
    return {
      ...doc,
      schemaVersion: 2,
      realms: realms.map((realm: unknown, index) => {
        if (!isRecord(realm)) return realm;
        const connection = isRecord(realm.connection) ? { ...realm.connection } : {};
        if (!Array.isArray(connection.urls)) {
          connection.urls = typeof connection.url === 'string' ? [connection.url] : [];
        }
        delete connection.url;
        return { ...realm, connection, order: typeof realm.order === 'number' ? realm.order : index };
      }),
      settings: isRecord(doc.settings) ? doc.settings : {},
    };
  },
};

/** Version 3 adds roles, the field policy (attribute locks, custom fields) and remembered preferences. */
const v2ToV3: Migration = {
  from: 2,
  describe: 'roles, field policy and preferences',
  up(doc) {
    return {
      ...doc,
      schemaVersion: 3,
      roles: Array.isArray(doc.roles) ? doc.roles : [],
      fields: isRecord(doc.fields) ? doc.fields : { overrides: {}, custom: [] },
      prefs: isRecord(doc.prefs) ? doc.prefs : {},
    };
  },
};

const MIGRATIONS: Migration[] = [v1ToV2, v2ToV3];

/** Applies every migration from the document's version up to the current one. */
export function migrate(doc: Doc): { data: StoreData; applied: string[] } {
  let current = doc;
  const applied: string[] = [];
  let version = typeof current.schemaVersion === 'number' ? current.schemaVersion : 1;
  while (version < CURRENT_SCHEMA_VERSION) {
    const step = MIGRATIONS.find((m) => m.from === version);
    if (!step) throw new Error(`No migration from schema version ${version}`);
    current = step.up(current);
    applied.push(`v${version}→v${version + 1}: ${step.describe}`);
    version += 1;
  }
  return { data: current as unknown as StoreData, applied };
}
