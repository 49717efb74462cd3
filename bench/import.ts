import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSlapd, type SlapdServer } from '../e2e/fixtures/slapd';
import { addRealm } from '../e2e/fixtures/users';
import { timeLdapsearch } from './ldap-search';
import { benchRealmInput, openBenchServices } from './bench-kit';

/** A whole-realm import against ldapsearch's paged search of the same server, filter and (mapped) attributes. */
export interface ImportBenchResult {
  flavor: 'openldap' | 'ad';
  entries: number;
  /** Medians over the rounds. */
  importMs: number;
  readMs: number;
  ldapsearchMs: number;
  /** Median of each round's import / ldapsearch (both measured in that round). */
  ratio: number;
  rounds: Array<{ importMs: number; readMs: number; ldapsearchMs: number }>;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** One round: ldapsearch, then Roster reading alone, then the import into a fresh data folder. */
async function round(server: SlapdServer, flavor: 'openldap' | 'ad', entries: number): Promise<{ importMs: number; readMs: number; ldapsearchMs: number }> {
  const reference = await timeLdapsearch(server, flavor);
  if (reference.count !== entries) throw new Error(`ldapsearch saw ${reference.count} entries, expected ${entries}`);
  const dataDir = await mkdtemp(join(tmpdir(), 'roster-bench-import-'));
  try {
    const services = await openBenchServices(dataDir);
    try {
      const input = benchRealmInput(server, flavor);
      const realm = await addRealm(services, input, server.readerPassword);
      const filter = services.importer.filterFor(realm.id, '*');
      // Reading alone, for the breakdown; then the import as `roster import --query '*'` runs it.
      let started = performance.now();
      await services.importer.read(realm.id, filter);
      const readMs = performance.now() - started;
      started = performance.now();
      const summary = await services.importer.streamImport(realm.id, filter);
      const importMs = performance.now() - started;
      if (summary.created !== entries) throw new Error(`imported ${summary.created}, expected ${entries}`);
      return { importMs: Math.round(importMs), readMs: Math.round(readMs), ldapsearchMs: Math.round(reference.ms) };
    } finally {
      await services.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * Times `roster import --query '*'` end to end in-process (read every entry, map, match, write the users
 * and their audit entries durably in batches, and the snapshot rewrite that follows) on a private slapd,
 * against ldapsearch -E pr=1000 in the same round; `rounds` rounds, each into a fresh data folder.
 */
export async function benchImport(flavor: 'openldap' | 'ad', entries: number, rounds = 3): Promise<ImportBenchResult> {
  const server = await startSlapd({ flavor, users: entries });
  try {
    const results: ImportBenchResult['rounds'] = [];
    for (let i = 0; i < rounds; i += 1) results.push(await round(server, flavor, entries));
    return {
      flavor,
      entries,
      importMs: median(results.map((r) => r.importMs)),
      readMs: median(results.map((r) => r.readMs)),
      ldapsearchMs: median(results.map((r) => r.ldapsearchMs)),
      ratio: Math.round(median(results.map((r) => r.importMs / r.ldapsearchMs)) * 100) / 100,
      rounds: results,
    };
  } finally {
    await server.stop();
  }
}
