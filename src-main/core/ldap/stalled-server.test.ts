import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { realmFromPreset } from '#shared/model/realm-presets';
import type { Realm } from '#shared/model/realm';
import type { Job } from '#shared/model/sync';
import type { Result } from '#shared/result';
import { startFakeLdap, type FakeLdapBehaviour, type FakeLdapServer } from '../../../e2e/fixtures/fake-ldap';
import { SessionSecretStore } from '../secrets/secret-store';
import { openServices, type Services } from '../services';
import { createHandlers, dispatch, type HandlerTable } from '../../handlers';

/*
 * Servers that stop answering, through the real jobs and the real handler table: a fake LDAP server on
 * loopback that accepts the bind and then never answers the search, or drops the connection mid-bind.
 * No test waits for a duration: each waits for the job's end (or for what the server received). The
 * "Cancel ends it at once" tests use an operation timeout of 10 minutes and a test timeout of 30 s.
 */

let dir: string;
let services: Services;
let table: HandlerTable;
let fake: FakeLdapServer | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-stalled-'));
  services = await openServices({ dataDir: dir, owner: 'test', transport: 'cli', secrets: new SessionSecretStore('test'), version: 'test' });
  table = createHandlers(services);
});
afterEach(async () => {
  await services.close();
  await fake?.stop();
  fake = undefined;
  await rm(dir, { recursive: true, force: true });
});

const value = <T>(result: Result<unknown>): T => {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
};

/** A realm on the fake server: anonymous bind, no TLS (the fake speaks plain LDAP), the given operation timeout. */
async function realmOn(behaviour: FakeLdapBehaviour, operationTimeoutMs: number, name = 'Stalled'): Promise<{ realm: Realm; host: string }> {
  fake = await startFakeLdap(behaviour);
  const input = realmFromPreset('openldap', { name, urls: [fake.url], bindDn: '', baseDn: 'dc=example,dc=org', tls: 'none' });
  input.connection.operationTimeoutMs = operationTimeoutMs;
  input.connection.connectTimeoutMs = 5_000;
  const realm = value<Realm>(await dispatch(table, 'realms:create', { realm: input }));
  return { realm, host: `127.0.0.1:${fake.port}` };
}

/** The jobs that read a directory, started through the handler table where a channel starts them. */
const JOBS: [string, (realm: Realm) => Promise<Job>][] = [
  ['reconcile (realms:reconcile)', async (realm) => value<Job>(await dispatch(table, 'realms:reconcile', { realmId: realm.id }))],
  // The CLI's `roster import` and the demo start this one; it is cancelled through the handler table below.
  ['import (search and import in one pass)', async (realm) => services.importer.searchAndImport(realm.id, '*', undefined)],
];

/** Waits for the job's end through the handler table's own record of it. */
const ended = async (job: Job): Promise<Job> => {
  await services.jobs.wait(job.id);
  return value<Job>(await dispatch(table, 'jobs:get', { id: job.id }));
};

describe('a server that accepts the bind and never answers the search', () => {
  it.each(JOBS)('fails the %s job within the operation timeout, saying so', async (_, start) => {
    const { realm, host } = await realmOn('stall-search', 1_000);
    const job = await ended(await start(realm));
    expect(fake!.received.slice(0, 2)).toEqual(['bind', 'search']);
    expect(job.state).toBe('failed');
    expect(job.error).toEqual({
      code: 'timeout',
      message: `${host} accepted the connection but did not answer the search within the realm's operation timeout (1 s). The server may be overloaded or hung: try again later, narrow the search, or raise the operation timeout in the realm's connection settings.`,
    });
  });

  it.each(JOBS)('ends the %s job at once on Cancel, with a 10-minute operation timeout', { timeout: 30_000 }, async (_, start) => {
    const { realm } = await realmOn('stall-search', 600_000);
    const job = await start(realm);
    await fake!.receivedOp('search');
    expect(value<Job>(await dispatch(table, 'jobs:cancel', { id: job.id })).id).toBe(job.id);
    const done = await ended(job);
    expect(done.state).toBe('cancelled');
    expect(done.error?.code).toBe('cancelled');
    // The connection is torn down, not left waiting on the server.
    await fake!.allClosed();
  });

  it('import:search fails within the operation timeout, and a caller that goes away ends it at once', { timeout: 30_000 }, async () => {
    const { realm, host } = await realmOn('stall-search', 1_000);
    expect(await dispatch(table, 'import:search', { realmId: realm.id, query: '*' })).toEqual({
      ok: false,
      error: {
        code: 'timeout',
        message: `${host} accepted the connection but did not answer the search within the realm's operation timeout (1 s). The server may be overloaded or hung: try again later, narrow the search, or raise the operation timeout in the realm's connection settings.`,
      },
    });
    await fake!.stop();

    const slow = await realmOn('stall-search', 600_000, 'Stalled for long');
    const controller = new AbortController();
    const pending = dispatch(table, 'import:search', { realmId: slow.realm.id, query: '*' }, { signal: controller.signal });
    await fake!.receivedOp('search');
    controller.abort();
    expect(await pending).toEqual({ ok: false, error: { code: 'cancelled', message: 'Cancelled.' } });
    await fake!.allClosed();
  });
});

describe('a server that goes away in the middle of the bind', () => {
  it.each([
    ['closes', 'close-on-bind'],
    ['resets', 'reset-on-bind'],
  ] as const)('%s the connection: the job fails with a clear error', async (verb, behaviour) => {
    const { realm, host } = await realmOn(behaviour, 600_000);
    const job = await ended(value<Job>(await dispatch(table, 'realms:reconcile', { realmId: realm.id })));
    expect(fake!.received).toEqual(['bind']);
    expect(job.state).toBe('failed');
    // Dropped at the first request, a connection looks like a port that does not speak LDAP: both are said.
    expect(job.error).toMatchObject({
      code: 'host-unreachable',
      message: `Something answers at ${host}, but it does not speak LDAP: it ${verb === 'closes' ? 'closed' : 'reset'} the connection at the bind without an LDAP answer. Check the port (389 for ldap://, 636 for ldaps://) and the scheme: a server that expects TLS from the first byte needs an ldaps:// URL. If it is the directory server, check that its LDAP service runs.`,
    });
  });
});
