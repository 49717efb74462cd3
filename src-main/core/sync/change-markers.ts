import { createHash } from 'node:crypto';
import { CLOCK_OVERLAP_MS, describeMarker } from '#shared/model/change-marker';
import type { FieldDefinition } from '#shared/model/fields';
import type { ChangeMarker, RealmRecord, RealmSyncMarkers } from '#shared/model/realm';
import { normalizeDn } from '../ldap/dn';
import { wrap } from '../ldap/filter';
import { attributesToRequest, sourceMap } from './mapping';

export { CLOCK_OVERLAP_MS, describeMarker };

/** Where the server stands as a reconcile starts, read from the server itself. */
export type ServerState =
  /** Active Directory: the RootDSE's highestCommittedUSN, the DC (dsServiceName, dnsHostName) and its invocationId. */
  | { kind: 'usn'; usn: string; dsServiceName: string; dnsHostName: string; invocationId?: string; invocationProblem?: string }
  /** The naming context's contextCSN (OpenLDAP with syncprov or replication): the oldest value, one per server id. */
  | { kind: 'csn'; csn: string; server: string }
  /** Only modifyTimestamp: the marker is known once entries are read (the newest stamp seen). */
  | { kind: 'timestamp'; server: string };

/** Attributes a mapping can read that the directory changes WITHOUT marking the entry changed (back links). */
const UNMARKED_ATTRIBUTES = new Set(['memberof', 'ismemberof']);

const USN = /^\d{1,20}$/;
const GENERALIZED_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:[.,](\d+))?Z$/;
const CSN = /^(\d{14})\.(\d{6})Z#[0-9a-f]{6}#[0-9a-f]{3}#[0-9a-f]{6}$/i;

/** A GeneralizedTime in UTC (`20261201093000Z`, `20261201093000.0Z`) as epoch milliseconds, or undefined. */
export function generalizedTimeMs(value: string): number | undefined {
  const m = GENERALIZED_TIME.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, fraction] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Math.floor(Number(`0.${fraction ?? '0'}`) * 1000));
  return Number.isNaN(ms) ? undefined : ms;
}

/** Epoch milliseconds as a GeneralizedTime to the second below (`20261201093000Z`). */
export function generalizedTime(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}

/** The time a CSN (`20261201093000.123456Z#000000#000#000000`) was made, in epoch milliseconds, or undefined. */
export function csnMs(csn: string): number | undefined {
  const m = CSN.exec(csn.trim());
  return m ? generalizedTimeMs(`${m[1]}.${m[2]}Z`) : undefined;
}

/** The smallest CSN of an instant: every CSN made at or after `ms` sorts at or after it. */
export function csnAt(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.replace(/[-:T]/g, '').slice(0, 14)}.${iso.slice(20, 23)}000Z#000000#000#000000`;
}

/** Whether a stored marker is well formed (a store edited by hand must never put text into a filter). */
export function validMarker(marker: ChangeMarker): boolean {
  if (marker.kind === 'usn') return USN.test(marker.usn);
  if (marker.kind === 'csn') return csnMs(marker.csn) !== undefined;
  return generalizedTimeMs(marker.time) !== undefined;
}

/**
 * The search for entries of the realm changed since a marker: `uSNChanged` above the USN (a counter: no
 * overlap), entryCSN or modifyTimestamp from CLOCK_OVERLAP_MS (or `overlapMs`) before the marker's time.
 */
export function changedSinceFilter(userFilter: string, marker: ChangeMarker, overlapMs = CLOCK_OVERLAP_MS): string {
  if (!validMarker(marker)) throw new Error(`Unusable change marker ${JSON.stringify(marker)}`);
  const since =
    marker.kind === 'usn'
      ? `(uSNChanged>=${(BigInt(marker.usn) + 1n).toString()})`
      : marker.kind === 'csn'
        ? `(entryCSN>=${csnAt(csnMs(marker.csn)! - overlapMs)})`
        : `(modifyTimestamp>=${generalizedTime(generalizedTimeMs(marker.time)! - overlapMs)})`;
  return `(&${wrap(userFilter)}${since})`;
}

/**
 * What a realm reads and how: base, scope, filter, id attribute and every attribute and field source. Entries
 * read under another fingerprint were mapped differently, so their stored values say nothing about now.
 */
export function readingFingerprint(realm: RealmRecord, fields: readonly FieldDefinition[]): string {
  const custom = fields.filter((f) => f.custom && sourceMap(realm, fields).has(f.key)).map((f) => f.key);
  const reading = [
    realm.kind,
    normalizeDn(realm.search.baseDn),
    realm.search.scope,
    realm.search.userFilter,
    realm.idAttribute.toLowerCase(),
    realm.mapping.username ?? null,
    [...sourceMap(realm, fields)],
    custom,
    attributesToRequest(realm, fields)
      .map((a) => a.toLowerCase())
      .sort(),
  ];
  return createHash('sha256').update(JSON.stringify(reading)).digest('hex').slice(0, 32);
}

/** The decision: read everything, or only what changed since `marker`. */
export type ReconcilePlan = { mode: 'full'; reason: string } | { mode: 'incremental'; marker: ChangeMarker; reason: string };

const unmarkedAttribute = (realm: RealmRecord, fields: readonly FieldDefinition[]): string | undefined =>
  attributesToRequest(realm, fields).find((a) => UNMARKED_ATTRIBUTES.has(a.toLowerCase()));

/**
 * Whether the stored markers can be trusted against the server as it is now. Anything that could hide a
 * change (another DC, a restored database, another server, other search or mapping) means a full reconcile.
 */
export function planReconcile(
  realm: RealmRecord,
  fields: readonly FieldDefinition[],
  state: ServerState | undefined,
  options: { full?: boolean } = {},
): ReconcilePlan {
  if (realm.kind === 'ldif-file') return { mode: 'full', reason: 'an LDIF file has no change markers, so it is always read whole' };
  if (options.full) return { mode: 'full', reason: 'a full reconcile was asked for' };
  const stored: RealmSyncMarkers | undefined = realm.sync;
  if (!stored) return { mode: 'full', reason: 'first reconcile of this realm (no change markers kept from an earlier one)' };
  const unmarked = unmarkedAttribute(realm, fields);
  if (unmarked) return { mode: 'full', reason: `the mapping reads ${unmarked}, which the directory changes without marking the entry changed` };
  if (stored.fingerprint !== readingFingerprint(realm, fields))
    return { mode: 'full', reason: "the realm's search, mapping or fields changed since the last reconcile" };
  if (!validMarker(stored.marker)) return { mode: 'full', reason: 'the change markers kept from the last reconcile are unreadable' };
  const marker = stored.marker;
  if (!state) return { mode: 'full', reason: 'the server could not be asked where it stands' };
  if (marker.kind !== state.kind) return { mode: 'full', reason: `the server now keeps ${KIND_WORDS[state.kind]} instead of ${KIND_WORDS[marker.kind]}` };
  if (marker.kind === 'usn' && state.kind === 'usn') {
    if (marker.dsServiceName.toLowerCase() !== state.dsServiceName.toLowerCase())
      return {
        mode: 'full',
        reason: `another domain controller answered (${state.dnsHostName || state.dsServiceName} instead of ${marker.dnsHostName || marker.dsServiceName}); update sequence numbers are each DC's own`,
      };
    if (!state.invocationId)
      return {
        mode: 'full',
        reason: `the domain controller's invocationId could not be read (${state.invocationProblem ?? 'not returned'}), so a DC restored from a backup could not be told apart`,
      };
    if (marker.invocationId.toLowerCase() !== state.invocationId.toLowerCase())
      return {
        mode: 'full',
        reason: `the domain controller ${state.dnsHostName || state.dsServiceName} has a new invocationId (its database was restored from a backup), so its update sequence numbers were reused`,
      };
    if (BigInt(state.usn) < BigInt(marker.usn))
      return { mode: 'full', reason: `the domain controller's highestCommittedUSN went back (${state.usn} < ${marker.usn})` };
  }
  if (marker.kind !== 'usn' && state.kind !== 'usn' && marker.server !== state.server)
    return { mode: 'full', reason: `another server answered (${state.server} instead of ${marker.server})` };
  const same = marker.kind === 'usn' ? `the same domain controller and database (invocationId)` : 'the same server';
  return { mode: 'incremental', marker, reason: `the last reconcile's change markers hold: ${same}, search and mapping` };
}

const KIND_WORDS: Record<ChangeMarker['kind'], string> = {
  usn: 'update sequence numbers (uSNChanged)',
  csn: 'change sequence numbers (entryCSN)',
  timestamp: 'only modification times (modifyTimestamp)',
};

/**
 * The marker a finished reconcile leaves. AD and contextCSN: where the server stood BEFORE reading, so what
 * changed while it read is asked for next time. modifyTimestamp: the newest stamp seen less the time the read
 * took (a change the read missed was stamped after it began), never before the marker it started from.
 */
export function nextMarker(state: ServerState, previous: ChangeMarker | undefined, newestStamp: string | undefined, readMs: number): ChangeMarker | undefined {
  if (state.kind === 'usn') {
    if (!state.invocationId) return undefined;
    return { kind: 'usn', usn: state.usn, invocationId: state.invocationId, dsServiceName: state.dsServiceName, dnsHostName: state.dnsHostName };
  }
  if (state.kind === 'csn') return { kind: 'csn', csn: state.csn, server: state.server };
  const kept = previous?.kind === 'timestamp' && previous.server === state.server ? previous : undefined;
  const newest = newestStamp === undefined ? undefined : generalizedTimeMs(newestStamp);
  if (newest === undefined) return kept;
  const from = newest - (Math.ceil(readMs / 1000) + 1) * 1000;
  const keptMs = kept ? generalizedTimeMs(kept.time)! : -Infinity;
  return from > keptMs ? { kind: 'timestamp', time: generalizedTime(from), server: state.server } : kept;
}

/** The newest of two GeneralizedTime values (either may be missing). */
export function newerStamp(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return (generalizedTimeMs(b) ?? -Infinity) > (generalizedTimeMs(a) ?? -Infinity) ? b : a;
}
