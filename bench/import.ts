import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realmFromPreset } from '../src-shared/model/realm-presets';
import { startSlapd } from '../e2e/fixtures/slapd';
import { addRealm } from '../e2e/fixtures/users';
import { SessionSecretStore } from '../src-main/core/secrets/secret-store';
import { openServices } from '../src-main/core/services';
import { timeLdapsearch } from './ldap-search';

/** A whole-realm import against ldapsearch's paged search of the same server, filter and (mapped) attributes. */
export interface ImportBenchResult {
  flavor: 'openldap' | 'ad';
  entries: number;
  importMs: number;
  readMs: number;
  ldapsearchMs: number;
  ratio: number;
}

/**
 * Times `roster import --query '*'` end to end in-process (read every entry, map, match, write the users
 * and their audit entries durably in batches) on a private slapd, and ldapsearch -E pr=1000 in the same run.
 */
export async function benchImport(flavor: 'openldap' | 'ad', entries: number): Promise<ImportBenchResult> {
  const server = await startSlapd({ flavor, users: entries });
  const dataDir = await mkdtemp(join(tmpdir(), 'roster-bench-import-'));
  try {
    const reference = await timeLdapsearch(server, flavor);
    if (reference.count !== entries) throw new Error(`ldapsearch saw ${reference.count} entries, expected ${entries}`);
    const services = await openServices({
      dataDir,
      owner: 'bench',
      transport: 'cli',
      secrets: new SessionSecretStore('bench'),
      version: 'bench',
      actor: 'bench',
    });
    try {
      const input = realmFromPreset(flavor === 'ad' ? 'active-directory' : 'openldap', {
        name: 'bench',
        urls: [server.url],
        bindDn: server.readerDn,
        baseDn: server.baseDn,
        tls: 'none',
      });
      input.search.pageSize = 1000;
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
      return {
        flavor,
        entries,
        importMs: Math.round(importMs),
        readMs: Math.round(readMs),
        ldapsearchMs: Math.round(reference.ms),
        ratio: Math.round((importMs / reference.ms) * 100) / 100,
      };
    } finally {
      await services.close();
    }
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
