import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'ldapts';
import type { SlapdServer } from '../../../e2e/fixtures/slapd';
import { exportRequestSchema, type ExportRequestInput } from '#shared/model/export';
import { SessionSecretStore } from '../secrets/secret-store';
import { openServices, type Services } from '../services';

/** Shared by the export service's tests: a store per test, requests, and a slapd's entries before and after. */

const run = promisify(execFile);

const open = (dataDir: string) =>
  openServices({ dataDir, owner: 'test', transport: 'cli', secrets: new SessionSecretStore('t'), version: 't', actor: 'alice' });

/** Runs `work` on services over a fresh data folder (seeded first, when asked), then closes and removes it. */
export async function withStore<T>(work: (services: Services, dir: string) => Promise<T>, seed?: (dir: string) => Promise<unknown>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'roster-export-'));
  await seed?.(dir);
  const services = await open(dir);
  try {
    return await work(services, dir);
  } finally {
    await services.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

/** An export request with the schema's defaults. */
export const request = (input: ExportRequestInput) => exportRequestSchema.parse(input);

/** Every attribute of every user entry, as the directory holds it (operational attributes left out). */
export async function snapshot(server: SlapdServer): Promise<Map<string, Record<string, string[]>>> {
  const client = new Client({ url: server.url });
  try {
    await client.bind(server.rootDn, server.rootPassword);
    const { searchEntries } = await client.search(server.peopleDn, { scope: 'one', filter: '(objectClass=inetOrgPerson)' });
    const entries = new Map<string, Record<string, string[]>>();
    for (const entry of searchEntries) {
      const attributes: Record<string, string[]> = {};
      for (const [name, value] of Object.entries(entry)) {
        if (name === 'dn') continue;
        attributes[name] = (Array.isArray(value) ? value : [value]).map(String).sort();
      }
      entries.set(entry.dn, attributes);
    }
    return entries;
  } finally {
    await client.unbind();
  }
}

/** Applies an LDIF change set to a test slapd with `ldapmodify`, as its administrator would. */
export async function ldapmodify(server: SlapdServer, file: string): Promise<void> {
  await run('ldapmodify', ['-x', '-H', server.url, '-D', server.rootDn, '-w', server.rootPassword, '-f', file], {
    env: { ...process.env, LDAPNOINIT: '1' },
  });
}

/** The entries `before` with some attributes set (values) or removed (undefined): what a change set should make. */
export function expectedAfter(
  before: ReadonlyMap<string, Record<string, string[]>>,
  changes: readonly { dn: string; attribute: string; values: string[] | undefined }[],
): Map<string, Record<string, string[]>> {
  const expected = new Map(before);
  for (const { dn, attribute, values } of changes) {
    const entry = { ...expected.get(dn)! };
    if (values) entry[attribute] = values;
    else delete entry[attribute];
    expected.set(dn, entry);
  }
  return expected;
}
