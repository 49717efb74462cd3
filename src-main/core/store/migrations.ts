import { checkLdapFilter } from '#shared/model/ldap-filter';
import { AD_USER_FILTER } from '#shared/model/realm-presets';
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

/** The filters earlier presets wrote: realms still on them move to the preset that selects only normal users. */
const OLD_AD_FILTERS = new Set([
  '(&(objectCategory=person)(objectClass=user))',
  '(&(objectCategory=person)(objectClass=user)(!(isCriticalSystemObject=TRUE)))',
  '(&(objectClass=user)(!(objectClass=computer)))',
]);

/**
 * Version 4 maps each field to an ORDERED list of attributes. A one-attribute mapping becomes a list of
 * one; a Full name still on the old preset (`displayName` alone, empty for most inetOrgPerson entries)
 * gets the preset's fallbacks, cn then givenName+sn. Realms on an old Active Directory preset filter get the
 * one that leaves out trust, computer and critical system accounts.
 */
const v3ToV4: Migration = {
  from: 3,
  describe:
    'attribute mapping as ordered lists (Full name falls back to cn), AD preset filter for normal user accounts (built-in, computer and trust accounts imported before show as not found at the next reconcile)',
  up(doc) {
    const realms = Array.isArray(doc.realms) ? doc.realms : [];
    return {
      ...doc,
      schemaVersion: 4,
      realms: realms.map((realm: unknown) => {
        if (!isRecord(realm)) return realm;
        const mapping: Record<string, string[]> = {};
        for (const [field, value] of Object.entries(isRecord(realm.mapping) ? realm.mapping : {})) {
          const list = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : [];
          const sources = list.map((v) => v.trim()).filter((v) => v !== '');
          if (sources.length) mapping[field] = sources;
        }
        if (mapping.displayName?.length === 1 && mapping.displayName[0]?.toLowerCase() === 'displayname')
          mapping.displayName = ['displayName', 'cn', 'givenName+sn'];
        const search = isRecord(realm.search) ? { ...realm.search } : realm.search;
        const kind = realm.kind;
        if (
          isRecord(search) &&
          (kind === 'active-directory' || kind === 'ldif-file') &&
          typeof search.userFilter === 'string' &&
          OLD_AD_FILTERS.has(search.userFilter)
        ) {
          search.userFilter = AD_USER_FILTER;
        }
        return { ...realm, mapping, search };
      }),
    };
  },
};

/**
 * Version 5: no TLS is only ever an explicit choice. Earlier versions defaulted to no TLS, so a realm that
 * binds with a password over ldap:// URLs without TLS was never chosen to be clear text: it moves to
 * StartTLS (a server that does not offer it then says so, and the admin may choose None knowingly).
 * Realms mixing ldaps:// and ldap:// URLs with no TLS are left for the connection check to refuse by name.
 */
const v4ToV5: Migration = {
  from: 4,
  describe: 'realms that sent the bind password without TLS by default now use StartTLS (choose None in the realm settings to keep clear text)',
  up(doc) {
    const realms = Array.isArray(doc.realms) ? doc.realms : [];
    return {
      ...doc,
      schemaVersion: 5,
      realms: realms.map((realm: unknown) => {
        if (!isRecord(realm) || !isRecord(realm.connection)) return realm;
        const { tls, urls, bindDn } = realm.connection;
        const list = Array.isArray(urls) ? urls.filter((u): u is string => typeof u === 'string') : [];
        const cleartext = (tls === undefined || tls === 'none') && typeof bindDn === 'string' && bindDn.trim() !== '';
        if (!cleartext || list.length === 0 || !list.every((u) => /^\s*ldap:\/\//i.test(u))) return realm;
        return { ...realm, connection: { ...realm.connection, tls: 'starttls' } };
      }),
    };
  },
};

/**
 * Version 6: a realm keeps the change markers of its last reconcile (`sync`), so the next one reads only what
 * changed. No realm has any yet: each realm's first reconcile after the upgrade reads it in full. A version 5
 * document cannot hold markers, so any found are dropped rather than trusted.
 */
const v5ToV6: Migration = {
  from: 5,
  describe:
    "realms remember where the directory stood at their last reconcile, so the next one reads only what changed (each realm's next reconcile is a full one)",
  up(doc) {
    const realms = Array.isArray(doc.realms) ? doc.realms : [];
    return {
      ...doc,
      schemaVersion: 6,
      realms: realms.map((realm: unknown) => {
        if (!isRecord(realm) || !('sync' in realm)) return realm;
        const { sync: _untrusted, ...rest } = realm;
        return rest;
      }),
    };
  },
};

/**
 * A user filter whose only fault is closing parentheses missing at its end, closed. Up to version 6 a filter was
 * handed to ldapts unchecked, and ldapts sends such a filter as if they were there; from version 7 Roster checks
 * filters before any connection, which would stop a realm that worked. Any other fault is left for the admin.
 */
function closedFilter(filter: string): string {
  if (checkLdapFilter(filter)?.kind !== 'unbalanced') return filter;
  for (let closers = ')'; closers.length <= 16; closers += ')') {
    if (checkLdapFilter(`${filter.trimEnd()}${closers}`) === undefined) return `${filter.trimEnd()}${closers}`;
  }
  return filter;
}

/**
 * Version 7: a realm remembers when an import from it last finished (`lastImportAt`), for its card. Imports
 * made before are not known; a version 6 document cannot hold the time, so one found is dropped, not trusted.
 * A user filter missing only its last ")" gets it (see closedFilter).
 */
const v6ToV7: Migration = {
  from: 6,
  describe:
    'realms remember when they were last imported (imports made before this version are not known); a user filter missing its closing ")" at the end, which was sent as if it were there, gets it',
  up(doc) {
    const realms = Array.isArray(doc.realms) ? doc.realms : [];
    return {
      ...doc,
      schemaVersion: 7,
      realms: realms.map((realm: unknown) => {
        if (!isRecord(realm)) return realm;
        const { lastImportAt: _untrusted, ...rest } = realm;
        const search = rest.search;
        if (!isRecord(search) || typeof search.userFilter !== 'string') return rest;
        const userFilter = closedFilter(search.userFilter);
        return userFilter === search.userFilter ? rest : { ...rest, search: { ...search, userFilter } };
      }),
    };
  },
};

const MIGRATIONS: Migration[] = [v1ToV2, v2ToV3, v3ToV4, v4ToV5, v5ToV6, v6ToV7];

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
