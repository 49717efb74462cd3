import { basename, dirname, extname, join } from 'node:path';
import { EXPORT_EXTENSIONS, type ExportFormat, type ExportRequest } from '#shared/model/export';
import type { RealmKind, RealmRecord } from '#shared/model/realm';
import { realmSlug as slugOf } from '#shared/model/username-clash';
import type { ExportUser } from './columns';
import type { ExportDirectory } from './document';

/** One file of an export (PS1: the script and its CSV) with the rows it carries and, per realm, whose they are. */
export interface PartPlan {
  realm?: RealmRecord;
  rows: ExportUser[];
  files: string[];
}

/** Formats that are applied to a directory: one file is for ONE directory, so they are written per realm. */
export const isPerDirectory = (format: ExportFormat): boolean => format === 'ldif' || format === 'ps1';

/** The longest realm slug in a file name: enough to tell realms apart, short enough for any file system. */
const SLUG_LIMIT = 40;

/** A realm's name as a file-name part: "Corp AD (Zürich)" -> "corp-ad-zurich" (the slug rename rules use), "realm" when nothing is left. */
export function realmSlug(name: string): string {
  return slugOf(name).slice(0, SLUG_LIMIT).replace(/-+$/, '') || 'realm';
}

/**
 * The files a request writes: the path itself (its extension added when missing), and for PowerShell the CSV
 * beside the script. With a slug, `-<slug>` goes before the extension: `changes.ldif` -> `changes-lab.ldif`.
 */
export function exportFiles(request: Pick<ExportRequest, 'format' | 'path'>, slug?: string): string[] {
  const ext = EXPORT_EXTENSIONS[request.format];
  const given = extname(request.path).toLowerCase() === ext ? request.path : `${request.path}${ext}`;
  const stem = basename(given, extname(given)) + (slug ? `-${slug}` : '');
  const path = join(dirname(given), `${stem}${ext}`);
  if (request.format !== 'ps1') return [slug ? path : given];
  return [slug ? path : given, join(dirname(given), `${stem}.csv`)];
}

/**
 * Splits the rows into the files they go to. XLSX and CSV: one file for everyone. LDIF and PS1: one file per
 * realm (ordered by realm name) when the rows span several, each named with the realm's slug (made unique when
 * two names give the same one); with a single realm, the file keeps the name asked for.
 */
export function planParts(request: Pick<ExportRequest, 'format' | 'path'>, rows: ExportUser[]): PartPlan[] {
  if (!isPerDirectory(request.format)) return [{ rows, files: exportFiles(request) }];
  const groups = new Map<string, { realm?: RealmRecord; rows: ExportUser[] }>();
  for (const row of rows) {
    const key = row.realm?.id ?? '';
    const group = groups.get(key) ?? { ...(row.realm ? { realm: row.realm } : {}), rows: [] };
    group.rows.push(row);
    groups.set(key, group);
  }
  const sorted = [...groups.values()].sort(
    (a, b) => (a.realm?.name ?? '').localeCompare(b.realm?.name ?? '', 'en') || (a.realm?.id ?? '').localeCompare(b.realm?.id ?? ''),
  );
  const only = sorted[0];
  if (sorted.length <= 1) return [{ ...(only?.realm ? { realm: only.realm } : {}), rows, files: exportFiles(request) }];
  const taken = new Set<string>();
  return sorted.map((group) => {
    const base = group.realm ? realmSlug(group.realm.name) : 'no-realm';
    let slug = base;
    for (let n = 2; taken.has(slug); n += 1) slug = `${base}-${n}`;
    taken.add(slug);
    return { ...group, files: exportFiles(request, slug) };
  });
}

/** Splits a DN into its RDNs at the commas that are not escaped. */
function rdns(dn: string): string[] {
  return (dn.match(/(?:\\.|[^,])+/g) ?? []).map((rdn) => rdn.trim());
}

/** The RDN as compared: case and spaces around `=` do not matter. */
const comparable = (rdn: string): string => rdn.toLowerCase().replace(/\s*=\s*/, '=');

/**
 * The entry every DN is under: the longest suffix their parents share (`ou=people,dc=example,dc=org` for
 * `uid=a,ou=people,…` and `uid=b,ou=people,…`, and for one of them alone), or '' when they share none.
 */
export function commonParent(dns: readonly string[]): string {
  const [first, ...rest] = dns.map((dn) => rdns(dn).slice(1));
  if (!first) return '';
  let length = first.length;
  for (const other of rest) {
    let same = 0;
    while (same < length && same < other.length && comparable(first[first.length - 1 - same]!) === comparable(other[other.length - 1 - same]!)) same += 1;
    length = same;
  }
  return first.slice(first.length - length).join(',');
}

/** How each kind of realm is called in the files' headers. */
export const KIND_NAMES: Record<RealmKind, string> = {
  'active-directory': 'Active Directory',
  openldap: 'OpenLDAP',
  ldap: 'LDAP',
  'ldif-file': 'LDIF file',
};

/** Where a realm's directory is, for the headers: its servers (or the LDIF file standing for it) and base DN. */
export function directoryOf(realm: RealmRecord, rows: readonly ExportUser[]): ExportDirectory {
  // Only a realm without a base DN needs every row's DN (a pass over 100k rows otherwise spent for nothing).
  const dns = () => rows.map((r) => r.user.origin?.dn).filter((dn): dn is string => Boolean(dn));
  return {
    realm: realm.name,
    kind: realm.kind,
    urls: realm.kind === 'ldif-file' ? [] : realm.connection.urls,
    ...(realm.kind === 'ldif-file' && realm.ldif ? { ldifFile: realm.ldif.path } : {}),
    baseDn: realm.search.baseDn || commonParent(dns()),
    users: rows.length,
  };
}

/** The directories of the rows' realms, by realm name. */
export function directoriesOf(rows: readonly ExportUser[]): ExportDirectory[] {
  const byRealm = new Map<string, { realm: RealmRecord; rows: ExportUser[] }>();
  for (const row of rows) {
    if (!row.realm) continue;
    const group = byRealm.get(row.realm.id) ?? { realm: row.realm, rows: [] };
    group.rows.push(row);
    byRealm.set(row.realm.id, group);
  }
  return [...byRealm.values()].map((g) => directoryOf(g.realm, g.rows)).sort((a, b) => a.realm.localeCompare(b.realm, 'en'));
}

/** The directory in one sentence: "Lab (OpenLDAP) at ldap://dc1:389, base DN dc=example,dc=org". */
export function describeDirectory(directory: ExportDirectory): string {
  const where =
    directory.kind === 'ldif-file'
      ? `read from the LDIF file ${directory.ldifFile ?? '(not set)'}`
      : `at ${directory.urls.length > 0 ? directory.urls.join(' ') : '(no server set)'}`;
  return `${directory.realm} (${KIND_NAMES[directory.kind]}) ${where}, base DN ${directory.baseDn || '(not known)'}`;
}
