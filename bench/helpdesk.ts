import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DirectoryCandidate } from '#shared/model/user';
import type { UserDiff } from '#shared/model/sync';
import { startSlapd, type SlapdServer } from '../e2e/fixtures/slapd';
import { addRealm } from '../e2e/fixtures/users';
import { createHandlers, dispatch, type HandlerTable } from '../src-main/handlers';
import { equalityWithin } from '../src-main/core/ldap/filter';
import { attributesToRequest } from '../src-main/core/sync/mapping';
import { benchRealmInput, openBenchServices } from './bench-kit';

/** The help-desk path for one user against one ldapsearch for that user, on the same server, in the same run. */
export interface HelpdeskBenchResult {
  flavor: 'openldap' | 'ad';
  /** StartTLS for both Roster and ldapsearch (-ZZ), verifying the server against the test CA. */
  startTls: boolean;
  entries: number;
  /** Medians over the rounds: the whole flow, and its three calls. */
  flowMs: number;
  openMs: number;
  candidatesMs: number;
  previewMs: number;
  ldapsearchMs: number;
  /** Median of each round's flow / ldapsearch. */
  ratio: number;
  rounds: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round1 = (n: number) => Math.round(n * 10) / 10;

/** One `ldapsearch` for the user, as an admin would type it: the realm's filter and the user, the mapped attributes. */
function timeLdapsearch(server: SlapdServer, filter: string, attributes: string[], startTls: boolean): Promise<{ ms: number; entries: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const tls = startTls ? ['-ZZ'] : [];
    // LDAPNOINIT would also ignore LDAPTLS_CACERT.
    const env = { ...process.env, ...(startTls ? { LDAPTLS_CACERT: server.caFile } : {}) };
    const args = ['-x', ...tls, '-LLL', '-H', server.url, '-D', server.readerDn, '-w', server.readerPassword, '-b', server.baseDn, filter, ...attributes];
    const child = spawn('ldapsearch', args, { env });
    let out = '';
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('latin1')));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code !== 0) return reject(new Error(`ldapsearch exited ${code}: ${err.trim()}`));
      resolve({ ms, entries: (out.match(/^dn:/gm) ?? []).length });
    });
  });
}

async function call<T>(table: HandlerTable, channel: string, input: unknown): Promise<T> {
  const result = await dispatch(table, channel, input);
  if (!result.ok) throw new Error(`${channel} failed: ${result.error.message}`);
  return result.value as T;
}

/**
 * Opening the user (`users:get`), then the Resynchronize dialog as the renderer drives it: `sync:candidates` (find the entry by
 * immutable id, by DN and by username: one connection and bind, three searches), then Start,
 * `sync:preview` for the best candidate (a connection and bind, one read, the three-way diff). Each
 * through `dispatch` on the real handler table, connection set-up included, as Electron's ipcMain calls it.
 */
async function flow(table: HandlerTable, userId: string, realmId: string): Promise<{ openMs: number; candidatesMs: number; previewMs: number }> {
  const opened = performance.now();
  await call(table, 'users:get', { id: userId });
  const t0 = performance.now();
  const candidates = await call<DirectoryCandidate[]>(table, 'sync:candidates', { userId, realmId });
  const t1 = performance.now();
  const best = candidates.find((c) => c.match === 'id') ?? candidates[0];
  if (!best) throw new Error('No candidate found for the user.');
  const diff = await call<UserDiff>(table, 'sync:preview', { userId, realmId, dn: best.dn });
  const t2 = performance.now();
  if (diff.fields.length === 0) throw new Error('The preview has no fields.');
  return { openMs: t0 - opened, candidatesMs: t1 - t0, previewMs: t2 - t1 };
}

/**
 * A private slapd holding `entries` users (slapadd), a store with ONE of them imported, then `rounds`
 * alternating rounds of one `ldapsearch` for that user and the help-desk flow through the handler table.
 */
export async function benchHelpdesk(
  flavor: 'openldap' | 'ad',
  entries: number,
  options: { startTls?: boolean; rounds?: number } = {},
): Promise<HelpdeskBenchResult> {
  const startTls = options.startTls ?? false;
  const rounds = options.rounds ?? 15;
  const server = await startSlapd({ flavor, users: entries, tls: startTls });
  const dataDir = await mkdtemp(join(tmpdir(), 'roster-bench-helpdesk-'));
  try {
    const services = await openBenchServices(dataDir);
    try {
      const input = benchRealmInput(server, flavor, startTls ? 'starttls' : 'none');
      if (startTls) input.connection.caCertPem = server.caPem;
      const realm = await addRealm(services, input, server.readerPassword);
      // A user in the middle of the directory: not the first entry a scan would meet.
      const username = `user${String(Math.floor(entries / 2)).padStart(5, '0')}`;
      const attribute = flavor === 'ad' ? 'sAMAccountName' : 'uid';
      const filter = equalityWithin(input.search.userFilter, attribute, username);
      const imported = await services.importer.streamImport(realm.id, services.importer.filterFor(realm.id, '', filter));
      if (imported.created !== 1) throw new Error(`imported ${imported.created} users, expected 1`);
      const user = services.userStore.findByUsername(username);
      if (!user) throw new Error(`${username} is not in the store`);
      const attributes = attributesToRequest(input, services.users.fields());
      const table = createHandlers(services);

      // Once each to warm slapd's caches and the JIT.
      await timeLdapsearch(server, filter, attributes, startTls);
      await flow(table, user.id, realm.id);
      const measured: Array<{ flowMs: number; openMs: number; candidatesMs: number; previewMs: number; ldapsearchMs: number }> = [];
      for (let i = 0; i < rounds; i += 1) {
        const reference = await timeLdapsearch(server, filter, attributes, startTls);
        if (reference.entries !== 1) throw new Error(`ldapsearch found ${reference.entries} entries, expected 1`);
        const { openMs, candidatesMs, previewMs } = await flow(table, user.id, realm.id);
        measured.push({ flowMs: openMs + candidatesMs + previewMs, openMs, candidatesMs, previewMs, ldapsearchMs: reference.ms });
      }
      return {
        flavor,
        startTls,
        entries,
        flowMs: round1(median(measured.map((m) => m.flowMs))),
        openMs: round1(median(measured.map((m) => m.openMs))),
        candidatesMs: round1(median(measured.map((m) => m.candidatesMs))),
        previewMs: round1(median(measured.map((m) => m.previewMs))),
        ldapsearchMs: round1(median(measured.map((m) => m.ldapsearchMs))),
        ratio: Math.round(median(measured.map((m) => m.flowMs / m.ldapsearchMs)) * 100) / 100,
        rounds,
      };
    } finally {
      await services.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
    await server.stop();
  }
}
