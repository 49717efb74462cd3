import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SyncSummary } from '#shared/model/sync';
import { generateUsers, startSlapd, type SlapdServer } from '../e2e/fixtures/slapd';
import { addRealm } from '../e2e/fixtures/users';
import type { Services } from '../src-main/core/services';
import { FILTER, timeLdapsearch } from './ldap-search';
import { benchRealmInput, openBenchServices } from './bench-kit';

const run = promisify(execFile);

/** ldapsearch -E pr=1000 of the whole realm asking for the id attribute only, as the sweep does; its time in ms. */
async function timeIdSweep(server: SlapdServer, flavor: 'openldap' | 'ad'): Promise<number> {
  const started = performance.now();
  await run(
    'ldapsearch',
    [
      '-x',
      '-LLL',
      '-H',
      server.url,
      '-D',
      server.readerDn,
      '-w',
      server.readerPassword,
      '-b',
      server.baseDn,
      '-E',
      'pr=1000/noprompt',
      FILTER[flavor],
      flavor === 'ad' ? 'objectGUID' : 'entryUUID',
    ],
    { maxBuffer: 1 << 30 },
  );
  return performance.now() - started;
}

/** Reconciles of a realm with 1% of it changed, against ldapsearch reading the whole realm in the same run. */
export interface ReconcileBenchResult {
  flavor: 'openldap' | 'ad';
  entries: number;
  modified: number;
  renamed: number;
  deleted: number;
  /** How the incremental reconcile knew what changed. */
  marker: string;
  incrementalMs: number;
  /** Entries the incremental reconcile read in full, and ids it swept. */
  entriesRead: number;
  idsSwept: number;
  fullMs: number;
  /** A reconcile as before this work: the whole realm read, every user through the diff and written. */
  beforeMs: number;
  ldapsearchMs: number;
  /** ldapsearch of the realm's ids only (what the sweep asks for): the floor of any reconcile that sweeps. */
  ldapsearchIdsMs: number;
  incrementalRatio: number;
  fullRatio: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
// Seeded long ago: only the changes below (and the one entry stamped before the first reconcile) are recent.
const SEED = new Date('2026-01-05T08:00:00Z');

const ldifLine = (name: string, value: string) =>
  /^[\x20-\x7e]*$/.test(value) && !/^[ :<]/.test(value) ? `${name}: ${value}` : `${name}:: ${Buffer.from(value).toString('base64')}`;

/**
 * The change set as ldapmodify applies it: `modified` users get a new title, `renamed` a new RDN, `deleted` go.
 * On the AD-like server every write also stamps uSNChanged with the DC's next USN, as a DC does.
 */
function changeSet(server: SlapdServer, flavor: 'openldap' | 'ad', entries: number, counts: { modified: number; renamed: number; deleted: number }): string {
  const users = generateUsers(entries, flavor, server.peopleDn);
  const stamp = (dn: string) =>
    server.adDc ? [ldifLine('dn', dn), 'changetype: modify', 'replace: uSNChanged', `uSNChanged: ${server.adDc.nextUsn()}`, ''] : [];
  const records: string[][] = [];
  // Spread over the realm, leaving out user 1 (a non-ASCII name) and the first hundred.
  const step = Math.floor((entries - 100) / (counts.modified + counts.renamed + counts.deleted));
  let index = 100;
  const next = () => users[(index += step) - 1]!;
  for (let i = 0; i < counts.modified; i++) {
    const user = next();
    records.push([
      ldifLine('dn', user.dn),
      'changetype: modify',
      'replace: title',
      `title: Changed ${i}`,
      '-',
      ...(server.adDc ? ['replace: uSNChanged', `uSNChanged: ${server.adDc.nextUsn()}`, '-'] : []),
      '',
    ]);
  }
  for (let i = 0; i < counts.renamed; i++) {
    const user = next();
    const rdn = flavor === 'ad' ? `CN=Renamed ${i}` : `uid=renamed${i}`;
    records.push([ldifLine('dn', user.dn), 'changetype: modrdn', ldifLine('newrdn', rdn), 'deleteoldrdn: 1', '']);
    records.push(stamp(`${rdn},${server.peopleDn}`));
  }
  for (let i = 0; i < counts.deleted; i++) records.push([ldifLine('dn', next().dn), 'changetype: delete', '']);
  return records
    .filter((r) => r.length)
    .map((r) => r.join('\n'))
    .join('\n');
}

async function reconcile(services: Services, realmId: string, full: boolean, compareEverything = false): Promise<{ ms: number; summary: SyncSummary }> {
  const started = performance.now();
  const summary = await services.resync.reconcileNow(realmId, { full, compareEverything });
  return { ms: performance.now() - started, summary };
}

/**
 * A realm of `entries` users imported and reconciled once (which leaves its change markers); then 1% of the
 * directory changes through ldapmodify, and the next reconcile runs incrementally, twice, and in full, twice
 * (medians; the second incremental finds the same changes: on AD the RootDSE's USN is the one at start, on
 * OpenLDAP the changes lie within the clock overlap). ldapsearch reads the whole realm in the same run.
 */
export async function benchReconcile(flavor: 'openldap' | 'ad', entries: number): Promise<ReconcileBenchResult> {
  const counts = {
    modified: Math.round(entries / 100),
    renamed: Math.max(1, Math.round(entries / 10_000)),
    deleted: Math.max(1, Math.round(entries / 10_000)),
  };
  const server = await startSlapd({ flavor, users: entries, seedTime: SEED, ...(flavor === 'ad' ? { adUsn: {} } : {}) });
  const dataDir = await mkdtemp(join(tmpdir(), 'roster-bench-reconcile-'));
  try {
    const services = await openBenchServices(dataDir);
    try {
      const input = benchRealmInput(server, flavor);
      const realm = await addRealm(services, input, server.readerPassword);
      const imported = await services.importer.streamImport(realm.id, services.importer.filterFor(realm.id, '*'));
      if (imported.created !== entries) throw new Error(`imported ${imported.created}, expected ${entries}`);
      const root = ['-x', '-H', server.url, '-D', server.rootDn, '-w', server.rootPassword];
      if (flavor === 'openldap') {
        // The newest modifyTimestamp is the marker: one change now puts the seeded entries out of the overlap.
        const touch = join(dataDir, 'touch.ldif');
        await writeFile(touch, `${ldifLine('dn', generateUsers(1, flavor, server.peopleDn)[0]!.dn)}\nchangetype: modify\nreplace: street\nstreet: touched\n`);
        await run('ldapmodify', [...root, '-f', touch]);
      }
      const first = await reconcile(services, realm.id, false);
      if (first.summary.reconcile?.mode !== 'full') throw new Error(`the first reconcile ran ${first.summary.reconcile?.mode}`);

      const changes = join(dataDir, 'changes.ldif');
      await writeFile(changes, changeSet(server, flavor, entries, counts));
      await run('ldapmodify', [...root, '-f', changes], { maxBuffer: 64 << 20 });

      const incremental: number[] = [];
      const full: number[] = [];
      const reference: number[] = [];
      const sweepReference: number[] = [];
      let read = { entriesRead: 0, idsSwept: 0, since: '' };
      for (let round = 0; round < 2; round++) {
        const r = await reconcile(services, realm.id, false);
        const mode = r.summary.reconcile;
        if (mode?.mode !== 'incremental') throw new Error(`expected an incremental reconcile, got ${JSON.stringify(mode)}`);
        const expected = round === 0 ? counts.modified + counts.renamed : 0;
        if (r.summary.updated !== expected || r.summary.notFound !== counts.deleted)
          throw new Error(`incremental reconcile: ${r.summary.updated} updated, ${r.summary.notFound} not found; expected ${expected} and ${counts.deleted}`);
        incremental.push(r.ms);
        read = { entriesRead: mode.entriesRead, idsSwept: mode.idsSwept ?? 0, since: mode.since ?? '' };
        const l = await timeLdapsearch(server, flavor);
        if (l.count !== entries - counts.deleted) throw new Error(`ldapsearch saw ${l.count} entries, expected ${entries - counts.deleted}`);
        reference.push(l.ms);
        sweepReference.push(await timeIdSweep(server, flavor));
      }
      for (let round = 0; round < 2; round++) {
        const r = await reconcile(services, realm.id, true);
        if (r.summary.updated !== 0 || r.summary.notFound !== counts.deleted)
          throw new Error(`full reconcile: ${r.summary.updated} updated after the incremental ones`);
        full.push(r.ms);
        reference.push((await timeLdapsearch(server, flavor)).ms);
      }
      const before = await reconcile(services, realm.id, true, true);
      const ldapsearchMs = median(reference);
      return {
        flavor,
        entries,
        ...counts,
        marker: read.since,
        incrementalMs: Math.round(median(incremental)),
        entriesRead: read.entriesRead,
        idsSwept: read.idsSwept,
        fullMs: Math.round(median(full)),
        beforeMs: Math.round(before.ms),
        ldapsearchMs: Math.round(ldapsearchMs),
        ldapsearchIdsMs: Math.round(median(sweepReference)),
        incrementalRatio: Math.round((median(incremental) / ldapsearchMs) * 100) / 100,
        fullRatio: Math.round((median(full) / ldapsearchMs) * 100) / 100,
      };
    } finally {
      await services.close();
    }
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
