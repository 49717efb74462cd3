import { DN_AS_ID, type LdifFlavour, type LdifInspection } from '#shared/model/realm';
import { LDIF_FLAVOUR_PRESETS } from '#shared/model/realm-presets';
import type { LdapEntry } from '../ldap/search';
import { validateFilter } from '../ldap/filter';
import { compileFilter } from './filter-match';
import { loadLdifFile } from './ldif-source';

const has = (entry: LdapEntry, attribute: string): boolean => Boolean(entry.text[attribute]?.length || entry.binary[attribute]?.length);

/** Id attributes an OpenLDAP-like export may carry, best first: OpenLDAP's entryUUID, 389-ds's nsUniqueId. */
const TEXT_IDS = [
  ['entryuuid', 'entryUUID'],
  ['nsuniqueid', 'nsUniqueId'],
] as const;

/**
 * What directory an LDIF export came from, and which id its users carry. Any entry with objectGUID or
 * sAMAccountName makes it an Active Directory export (ldifde, or ldapsearch against a DC); otherwise it is
 * read as OpenLDAP's (slapcat, ldapsearch, 389-ds), with entryUUID or nsUniqueId when the users carry it —
 * and the DN when they carry neither (ldapsearch without `+`), which the realm's status then says.
 */
export function inspectEntries(entries: readonly LdapEntry[], chosen?: LdifFlavour, userFilter?: string): Omit<LdifInspection, 'path'> {
  const adEvidence = entries.find((e) => has(e, 'objectguid') || has(e, 'samaccountname'));
  const detected: LdifFlavour = adEvidence ? 'active-directory' : 'openldap';
  const flavour = chosen ?? detected;
  const matches = compileFilter(userFilter ?? LDIF_FLAVOUR_PRESETS[flavour].userFilter);
  const users = entries.filter((e) => matches(e));
  let idAttribute = LDIF_FLAVOUR_PRESETS[flavour].idAttribute;
  // The id the users carry; when the filter selects no one yet, the one every entry of the file carries.
  const carriers = users.length > 0 ? users : entries;
  if (flavour === 'openldap') idAttribute = TEXT_IDS.find(([key]) => carriers.length > 0 && carriers.every((u) => has(u, key)))?.[1] ?? DN_AS_ID;
  const reason = adEvidence
    ? `${adEvidence.dn} has ${has(adEvidence, 'objectguid') ? 'objectGUID' : 'sAMAccountName'}, as Active Directory entries do`
    : 'no entry has objectGUID or sAMAccountName, so it is read as an OpenLDAP export';
  return { flavour, detected, reason, entries: entries.length, users: users.length, idAttribute };
}

/** Reads an LDIF file and says what it is (see inspectEntries); `chosen` overrides the detected flavour, `userFilter` the preset's. */
export async function inspectLdif(path: string, chosen?: LdifFlavour, userFilter?: string): Promise<LdifInspection> {
  const directory = await loadLdifFile(path);
  return { path, ...inspectEntries(directory.entries, chosen, userFilter === undefined ? undefined : validateFilter(userFilter)) };
}
