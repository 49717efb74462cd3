import { RosterError } from '#shared/result';
import { normalizeDn } from '../ldap/dn';
import { guidToBytes, guidToString } from '../ldap/guid';
import { BINARY_ATTRIBUTES, type LdapEntry } from '../ldap/search';
import type { LdifParseResult } from './parse';

const BINARY_LOWER = new Set(BINARY_ATTRIBUTES.map((a) => a.toLowerCase()));

/** Whether a normalised DN lies within a normalised base DN for a scope; the empty base holds everything. */
export function inScope(dn: string, base: string, scope: 'base' | 'one' | 'sub'): boolean {
  if (base === '') return scope === 'base' ? dn === '' : true;
  if (dn === base) return scope !== 'one';
  // Normalised DNs escape commas inside values (\2c), so every comma left is an RDN boundary.
  const cut = dn.length - base.length - 1;
  if (cut <= 0 || dn[cut] !== ',' || !dn.endsWith(base)) return false;
  return scope === 'sub' || dn.lastIndexOf(',', cut - 1) < 0;
}

/** How Roster writes an id value: a 16-byte GUID as its canonical string, other bytes as hex, text as is. */
const idKeyOfBytes = (bytes: Buffer): string => (bytes.length === 16 ? guidToString(bytes) : bytes.toString('hex')).toLowerCase();

/** The entries of one parsed LDIF file with the indexes a source needs: by DN and, built on first use, by id. */
export class LdifDirectory {
  readonly entries: readonly LdapEntry[];
  readonly skipped: number;
  readonly warnings: readonly string[];
  /** normalizeDn of each entry's DN, same order as `entries`. */
  readonly dns: readonly string[];
  private readonly byDn = new Map<string, number>();
  private readonly byId = new Map<string, Map<string, number[]>>();

  constructor(parsed: LdifParseResult) {
    this.entries = parsed.entries;
    this.skipped = parsed.skipped;
    this.warnings = parsed.warnings;
    this.dns = parsed.entries.map((entry) => normalizeDn(entry.dn));
    // The first record of a DN wins, as a server would have refused the second.
    this.dns.forEach((dn, i) => {
      if (!this.byDn.has(dn)) this.byDn.set(dn, i);
    });
  }

  /** The entry with this DN (any spelling), if any. */
  entryByDn(dn: string): LdapEntry | undefined {
    const index = this.byDn.get(normalizeDn(dn));
    return index === undefined ? undefined : this.entries[index];
  }

  /** Indexes of entries whose `attribute` holds `externalId` as Roster writes ids (GUIDs in any case or braces). */
  indexesById(attribute: string, externalId: string): number[] {
    const key = attribute.toLowerCase();
    let index = this.byId.get(key);
    if (!index) {
      index = this.buildIdIndex(key);
      this.byId.set(key, index);
    }
    return index.get(lookupKey(key, attribute, externalId)) ?? [];
  }

  private buildIdIndex(key: string): Map<string, number[]> {
    const index = new Map<string, number[]>();
    const add = (id: string, i: number) => {
      const list = index.get(id);
      if (!list) index.set(id, [i]);
      else if (list[list.length - 1] !== i) list.push(i);
    };
    this.entries.forEach((entry, i) => {
      for (const bytes of Object.hasOwn(entry.binary, key) ? (entry.binary[key] ?? []) : []) add(idKeyOfBytes(bytes), i);
      for (const text of Object.hasOwn(entry.text, key) ? (entry.text[key] ?? []) : []) add(text.toLowerCase(), i);
    });
    return index;
  }
}

function lookupKey(key: string, attribute: string, externalId: string): string {
  if (!BINARY_LOWER.has(key)) return externalId.toLowerCase();
  try {
    return guidToString(guidToBytes(externalId.trim())).toLowerCase();
  } catch {
    if (/^(?:[0-9a-f]{2})+$/i.test(externalId)) return externalId.toLowerCase();
    // The same answer a live directory search gives (idFilter in sync/source.ts).
    throw new RosterError('invalid-input', `"${externalId}" is not a GUID; it cannot be looked up as ${attribute}.`);
  }
}
