import { EqualityFilter, type Filter } from 'ldapts';
import type { FieldDefinition } from '#shared/model/fields';
import type { RealmRecord } from '#shared/model/realm';
import { RosterError } from '#shared/result';
import { guidToBytes } from '../ldap/guid';
import { BINARY_ATTRIBUTES, searchPages, type LdapEntry } from '../ldap/search';
import { openSession } from '../ldap/session';
import { targetOf } from '../realms/realm-service';
import { attributesToRequest, directoryMapper, type DirectoryUser } from './mapping';
import { readInWorker } from './reader-thread';

/**
 * Where directory entries come from: a live LDAP server, or an LDIF export read offline. The sync engine
 * sees only this, so import, resync and reconcile work the same against both.
 */
export interface DirectorySource {
  /** Pages of the realm's entries matching a (validated) filter, within the realm's base DN and scope. */
  search(filter: string, signal?: AbortSignal): AsyncIterable<LdapEntry[]>;
  /** One entry by DN, or undefined when there is none. */
  readDn(dn: string, signal?: AbortSignal): Promise<LdapEntry | undefined>;
  /** Entries whose immutable id (as Roster writes it: canonical GUID string, entryUUID) equals `externalId`. */
  findById(externalId: string, signal?: AbortSignal): Promise<LdapEntry[]>;
  close(): Promise<void>;
}

const isBinary = (attribute: string) => BINARY_ATTRIBUTES.some((a) => a.toLowerCase() === attribute.toLowerCase());

/** An equality filter on the id attribute; a binary GUID goes as bytes (ldapts garbles bytes >= 0x80 in filter strings). */
export function idFilter(idAttribute: string, externalId: string): Filter | string {
  if (isBinary(idAttribute)) {
    try {
      return new EqualityFilter({ attribute: idAttribute, value: guidToBytes(externalId) });
    } catch {
      throw new RosterError('invalid-input', `"${externalId}" is not a GUID; it cannot be looked up as ${idAttribute}.`);
    }
  }
  return new EqualityFilter({ attribute: idAttribute, value: externalId });
}

/** A live LDAP realm: one bound session for the whole run, unbound on close. */
export async function openLdapSource(realm: RealmRecord, password: string | undefined, attributes: string[], signal?: AbortSignal): Promise<DirectorySource> {
  const session = await openSession(targetOf(realm), password, signal);
  const pageSize = realm.search.pageSize;
  const pages = (baseDn: string, filter: string | Filter, scope: 'base' | 'one' | 'sub', s?: AbortSignal) =>
    searchPages(session, { baseDn, filter: filter as string, scope, attributes, pageSize, signal: s });
  const first = async (iterable: AsyncIterable<LdapEntry[]>): Promise<LdapEntry[]> => {
    const out: LdapEntry[] = [];
    for await (const page of iterable) out.push(...page);
    return out;
  };
  return {
    search: (filter, s) => pages(realm.search.baseDn, filter, realm.search.scope, s),
    async readDn(dn, s) {
      try {
        return (await first(pages(dn, '(objectClass=*)', 'base', s)))[0];
      } catch (error) {
        if (error instanceof RosterError && error.code === 'no-such-base') return undefined;
        throw error;
      }
    },
    findById: (externalId, s) => first(pages(realm.search.baseDn, idFilter(realm.idAttribute, externalId), realm.search.scope, s)),
    close: () => session.close(),
  };
}

/**
 * A whole-realm read of a live directory, mapped to DirectoryUsers page by page: in a worker thread, which binds
 * a connection of its own (the same servers in the same order, then the paged search), or in this thread the
 * same way when no worker can start. Same requests, same errors either way.
 */
export function readDirectoryUsers(
  realm: RealmRecord,
  password: string | undefined,
  fields: readonly FieldDefinition[],
  filter: string,
  signal?: AbortSignal,
): AsyncIterable<DirectoryUser[]> {
  const target = targetOf(realm);
  const request = {
    baseDn: realm.search.baseDn,
    filter,
    scope: realm.search.scope,
    attributes: attributesToRequest(realm, fields),
    pageSize: realm.search.pageSize,
  };
  const inThisThread = async function* () {
    const session = await openSession(target, password, signal);
    try {
      const map = directoryMapper(realm, fields);
      for await (const page of searchPages(session, { ...request, signal })) yield page.map(map);
    } finally {
      await session.close();
    }
  };
  return readInWorker({ target, password, request, realm, fields }, inThisThread, signal);
}
