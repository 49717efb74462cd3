import { AndFilter, FilterParser, OrFilter, type Entry, type Filter } from 'ldapts';
import type { RealmRecord } from '#shared/model/realm';
import { RosterError } from '#shared/result';
import { normalizeDn } from '../ldap/dn';
import { translateLdapError } from '../ldap/errors';
import { wrap } from '../ldap/filter';
import { guidToString } from '../ldap/guid';
import { searchPages, type LdapEntry } from '../ldap/search';
import { abortable, openSession, type LdapSession } from '../ldap/session';
import { targetOf } from '../realms/realm-service';
import type { ServerState } from './change-markers';
import { idFilter } from './source';

/** How many ids one re-read search asks for: a short OR filter, well inside any server's filter limits. */
export const REREAD_CHUNK = 100;

/**
 * A live LDAP realm as a reconcile reads it: where the server stands (RootDSE, the DC's invocationId, the
 * naming context's contextCSN), searches with the attributes each step needs (everything mapped, or the id
 * alone for the sweep), and re-reads of entries by id. One bound session for the whole run.
 */
export interface ReconcileReader {
  /** The URL that answered. */
  readonly server: string;
  serverState(signal?: AbortSignal): Promise<ServerState>;
  /** Pages of the realm's entries matching `filter` within its base and scope, with exactly `attributes`. */
  search(filter: string, attributes: string[], signal?: AbortSignal): AsyncIterable<LdapEntry[]>;
  /** Entries of the realm (within its user filter) whose id is one of `externalIds` (id-keyed realms). */
  readByIds(externalIds: readonly string[], attributes: string[], signal?: AbortSignal): Promise<LdapEntry[]>;
  /** One entry by DN if it matches the realm's user filter (DN-keyed realms, and ids that moved to a DN). */
  readDn(dn: string, attributes: string[], signal?: AbortSignal): Promise<LdapEntry | undefined>;
  /** The DN of the entry named `dn`, as the server spells it, whatever its class; undefined when there is none. */
  spelling(dn: string, signal?: AbortSignal): Promise<string | undefined>;
  close(): Promise<void>;
}

const first = (entry: Entry, name: string): string | undefined => {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === name.toLowerCase());
  const raw = key === undefined ? undefined : entry[key];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value === undefined ? undefined : Buffer.isBuffer(value) ? value.toString('utf8') : value;
};

/** A plain (unpaged) base search: the RootDSE and single configuration entries answer without paging. */
async function readBase(session: LdapSession, dn: string, attributes: string[], binary: string[], signal?: AbortSignal): Promise<Entry | undefined> {
  try {
    const result = await abortable(
      session.client.search(dn, { scope: 'base', filter: '(objectClass=*)', attributes, explicitBufferAttributes: binary }),
      session.client,
      signal,
    );
    return result.searchEntries[0];
  } catch (error) {
    const translated = translateLdapError(error, { url: session.url, baseDn: dn, operationTimeoutMs: session.operationTimeoutMs });
    if (translated.code === 'no-such-base' || translated.code === 'insufficient-access') return undefined;
    throw translated;
  }
}

/** Where the server stands: AD's USN and DC identity, else a naming context's contextCSN, else modifyTimestamp alone. */
export async function readServerState(session: LdapSession, baseDn: string, signal?: AbortSignal): Promise<ServerState> {
  const root = await readBase(session, '', ['highestCommittedUSN', 'dsServiceName', 'dnsHostName', 'namingContexts'], [], signal);
  const usn = root && first(root, 'highestCommittedUSN');
  const dsServiceName = root && first(root, 'dsServiceName');
  if (usn && /^\d+$/.test(usn) && dsServiceName) {
    const dnsHostName = (root && first(root, 'dnsHostName')) ?? '';
    // The NTDS Settings object of the DC: its invocationId changes when the DC's database is restored.
    const settings = await readBase(session, dsServiceName, ['invocationId'], ['invocationId'], signal);
    const raw = settings?.invocationId ?? settings?.invocationID;
    const bytes = Array.isArray(raw) ? raw[0] : raw;
    if (Buffer.isBuffer(bytes) && bytes.length === 16) return { kind: 'usn', usn, dsServiceName, dnsHostName, invocationId: guidToString(bytes) };
    return {
      kind: 'usn',
      usn,
      dsServiceName,
      dnsHostName,
      invocationProblem: settings ? `${dsServiceName} has no 16-byte invocationId` : `${dsServiceName} could not be read`,
    };
  }
  const base = normalizeDn(baseDn);
  const contexts = (root ? ([] as Array<string | Buffer>).concat(root.namingContexts ?? root.namingcontexts ?? []) : []).map(String);
  const context = contexts.filter((c) => base === normalizeDn(c) || base.endsWith(`,${normalizeDn(c)}`)).sort((a, b) => b.length - a.length)[0];
  if (context !== undefined) {
    const entry = await readBase(session, context, ['contextCSN'], [], signal);
    const raw = entry && Object.entries(entry).find(([k]) => k.toLowerCase() === 'contextcsn')?.[1];
    // One value per server id: the oldest is where every server's changes are known to be included.
    const values = ([] as unknown[])
      .concat(raw ?? [])
      .map(String)
      .filter((v) => v !== '');
    if (values.length) return { kind: 'csn', csn: values.sort()[0]!, server: session.url };
  }
  return { kind: 'timestamp', server: session.url };
}

/** Opens a realm's server for a reconcile (the bind password is the caller's to find and check). */
export async function openReconcileReader(realm: RealmRecord, password: string | undefined, signal?: AbortSignal): Promise<ReconcileReader> {
  const session = await openSession(targetOf(realm), password, signal);
  const { baseDn, scope, pageSize, userFilter } = realm.search;
  const pages = (base: string, filter: string | Filter, s: 'base' | 'one' | 'sub', attributes: string[], sig?: AbortSignal) =>
    // ldapts takes a Filter object where a string is typed: binary ids must travel as bytes (see idFilter).
    searchPages(session, { baseDn: base, filter: filter as string, scope: s, attributes, pageSize, signal: sig });
  const all = async (iterable: AsyncIterable<LdapEntry[]>): Promise<LdapEntry[]> => {
    const out: LdapEntry[] = [];
    for await (const page of iterable) out.push(...page);
    return out;
  };
  return {
    server: session.url,
    serverState: (signal2) => readServerState(session, baseDn, signal2),
    search: (filter, attributes, signal2) => pages(baseDn, filter, scope, attributes, signal2),
    async readByIds(externalIds, attributes, signal2) {
      if (externalIds.length === 0) return [];
      if (externalIds.length > REREAD_CHUNK) throw new RosterError('invalid-input', `At most ${REREAD_CHUNK} ids per re-read.`);
      const ids = externalIds.map((id) => idFilter(realm.idAttribute, id));
      const within = new AndFilter({
        filters: [
          FilterParser.parseString(wrap(userFilter)),
          new OrFilter({ filters: ids.map((f) => (typeof f === 'string' ? FilterParser.parseString(f) : f)) }),
        ],
      });
      return all(pages(baseDn, within, scope, attributes, signal2));
    },
    async readDn(dn, attributes, signal2) {
      try {
        return (await all(pages(dn, wrap(userFilter), 'base', attributes, signal2)))[0];
      } catch (error) {
        if (error instanceof RosterError && error.code === 'no-such-base') return undefined;
        throw error;
      }
    },
    spelling: async (dn, signal2) => (await readBase(session, dn, ['1.1'], [], signal2))?.dn,
    close: () => session.close(),
  };
}
