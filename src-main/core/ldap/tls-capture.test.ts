import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Channel, ChannelOutput, ParsedInput } from '#shared/ipc/contract';
import type { TlsMode } from '#shared/model/realm';
import { realmFromPreset } from '#shared/model/realm-presets';
import type { AppError } from '#shared/result';
import { startSlapd, type SlapdServer } from '../../../e2e/fixtures/slapd';
import { LDAP_OP, passwordLeaks, plainLdapMessages, STARTTLS_OID, startTcpRelay, type RelayedConnection, type TcpRelay } from '../../../e2e/fixtures/tcp-relay';
import { createHandlers, dispatch, type HandlerTable } from '../../handlers';
import { SessionSecretStore } from '../secrets/secret-store';
import { openServices, type Services } from '../services';
import { clientFor, startTls, type LdapTarget } from './session';

/**
 * Every byte Roster sends to a directory passes a relay that logs it. With StartTLS or LDAPS, a Test connection,
 * an import, a resync and a reconcile never put the bind password on the wire in clear; a server that refuses
 * StartTLS gets no bind at all; with no TLS the same relay does see the password, so the checks can fail.
 */

const USERS = 20;
let secure: SlapdServer;
let plain: SlapdServer;
let dir: string;
let services: Services;
let table: HandlerTable;

beforeAll(async () => {
  [secure, plain] = await Promise.all([startSlapd({ flavor: 'openldap', users: USERS, tls: true }), startSlapd({ flavor: 'openldap', users: USERS })]);
}, 120_000);
afterAll(async () => {
  await Promise.all([secure?.stop(), plain?.stop()]);
});
// Each test imports the same people: a data folder of its own keeps them from clashing with another realm's.
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-tls-capture-'));
  services = await openServices({ dataDir: dir, owner: 'test', transport: 'cli', secrets: new SessionSecretStore('test'), version: 'test', actor: 'alice' });
  table = createHandlers(services);
});
afterEach(async () => {
  await services.close();
  await rm(dir, { recursive: true, force: true });
});

type Outcome<C extends Channel> = { ok: true; value: ChannelOutput<C> } | { ok: false; error: AppError };

/** Calls the handler table as every transport does. */
const attempt = <C extends Channel>(channel: C, input: ParsedInput<C> | Record<string, unknown>) => dispatch(table, channel, input) as Promise<Outcome<C>>;
async function call<C extends Channel>(channel: C, input: ParsedInput<C> | Record<string, unknown>): Promise<ChannelOutput<C>> {
  const result = await attempt(channel, input);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** A realm on the relay, with the reader's password given for this session the way the app gives it. */
async function addRealm(name: string, url: string, tls: TlsMode): Promise<string> {
  const realm = realmFromPreset('openldap', { name, urls: [url], bindDn: secure.readerDn, baseDn: secure.baseDn, tls });
  realm.connection.caCertPem = secure.caPem;
  const created = await call('realms:create', { realm });
  await call('realms:set-session-password', { realmId: created.id, password: secure.readerPassword });
  return created.id;
}

/**
 * What one connection carried, as far as the relay can tell: `tcp only` (a reachability probe), `TLS` (ldaps:
 * a handshake from the first byte), `StartTLS, then TLS`, or the plain LDAP operations it carried by name.
 */
function shape(connection: RelayedConnection): string {
  const sent = connection.sent();
  if (sent.length === 0) return 'tcp only';
  const { messages, rest } = plainLdapMessages(sent);
  const names = messages.map(({ op, bytes }) => {
    if (op === LDAP_OP.extendedRequest && bytes.includes(Buffer.from(STARTTLS_OID))) return 'StartTLS';
    return Object.entries(LDAP_OP).find(([, tag]) => tag === op)?.[0] ?? `op 0x${op.toString(16)}`;
  });
  // 0x16 0x03: a TLS handshake record (the ClientHello).
  const tls = rest.length > 1 && rest[0] === 0x16 && rest[1] === 0x03;
  if (!tls && rest.length > 0) return `${names.join(', ')}, then ${rest.length} unparsed bytes`;
  return [...names, ...(tls ? ['TLS'] : [])].join(', then ');
}

/** Runs `work` and returns the connections it made through the relay, once each is closed. */
async function captured(relay: TcpRelay, work: () => Promise<void>): Promise<RelayedConnection[]> {
  const before = relay.connections.length;
  await work();
  const made = relay.connections.slice(before);
  await Promise.all(made.map((c) => c.closed));
  return made;
}

const allBytes = (connections: RelayedConnection[]) => Buffer.concat(connections.map((c) => c.sent()));

/** The four operations that bind: Test connection, an import of everyone, a resync of one user, a reconcile. */
async function everyOperation(realmId: string): Promise<Array<[string, () => Promise<void>]>> {
  return [
    [
      'test connection',
      async () => {
        const report = await call('realms:test', { id: realmId });
        expect(report.error).toBeUndefined();
        expect(report.userCount).toBe(USERS);
      },
    ],
    [
      'import',
      async () => {
        const search = await call('import:search', { realmId, query: '*' });
        expect(search.total).toBe(USERS);
        const job = await services.jobs.wait((await call('import:run', { searchId: search.searchId })).id);
        expect(job.state).toBe('done');
      },
    ],
    [
      'resync',
      async () => {
        const user = [...services.userStore.all()].find((u) => u.origin?.realmId === realmId);
        if (!user) throw new Error('nothing imported');
        const [candidate] = await call('sync:candidates', { userId: user.id, realmId });
        if (!candidate) throw new Error('no candidate');
        await call('sync:preview', { userId: user.id, realmId, dn: candidate.dn });
        await call('sync:apply', { userId: user.id, realmId, dn: candidate.dn });
      },
    ],
    [
      'reconcile',
      async () => {
        const job = await services.jobs.wait((await call('realms:reconcile', { realmId })).id);
        expect(job.state).toBe('done');
        expect(job.summary).toMatchObject({ unchanged: USERS });
      },
    ],
  ];
}

describe('the bind password on the wire', () => {
  it('StartTLS: every connection of a test, an import, a resync and a reconcile starts TLS before anything else; the password is never in the capture', async () => {
    const relay = await startTcpRelay(secure.port);
    try {
      const realmId = await addRealm('StartTLS', `ldap://127.0.0.1:${relay.port}`, 'starttls');
      for (const [operation, work] of await everyOperation(realmId)) {
        const connections = await captured(relay, work);
        const shapes = connections.map(shape).filter((s) => s !== 'tcp only');
        expect(shapes.length, operation).toBeGreaterThan(0);
        expect(new Set(shapes), operation).toEqual(new Set(['StartTLS, then TLS']));
        expect(passwordLeaks(allBytes(connections), secure.readerPassword), operation).toEqual([]);
      }
    } finally {
      await relay.close();
    }
  }, 60_000);

  it('LDAPS: every connection speaks TLS from its first byte; the password is never in the capture', async () => {
    const relay = await startTcpRelay(secure.ldapsPort!);
    try {
      const realmId = await addRealm('LDAPS', `ldaps://127.0.0.1:${relay.port}`, 'ldaps');
      for (const [operation, work] of await everyOperation(realmId)) {
        const connections = await captured(relay, work);
        const shapes = connections.map(shape).filter((s) => s !== 'tcp only');
        expect(shapes.length, operation).toBeGreaterThan(0);
        expect(new Set(shapes), operation).toEqual(new Set(['TLS']));
        expect(passwordLeaks(allBytes(connections), secure.readerPassword), operation).toEqual([]);
      }
    } finally {
      await relay.close();
    }
  }, 60_000);

  it('no TLS (chosen explicitly): the same relay captures the BindRequest with the password, and Test connection warns', async () => {
    const relay = await startTcpRelay(secure.port);
    try {
      const realmId = await addRealm('Clear text', `ldap://127.0.0.1:${relay.port}`, 'none');
      for (const [operation, work] of await everyOperation(realmId)) {
        const connections = await captured(relay, work);
        const binds = connections.flatMap((c) => plainLdapMessages(c.sent()).messages.filter((m) => m.op === LDAP_OP.bindRequest));
        expect(binds.length, operation).toBeGreaterThan(0);
        for (const bind of binds) expect(passwordLeaks(bind.bytes, secure.readerPassword), operation).toEqual(['utf8']);
      }
      const report = await call('realms:test', { id: realmId });
      expect(report.steps.find((s) => s.step === 'tls')).toMatchObject({
        status: 'warning',
        detail: `No TLS: the bind password of ${secure.readerDn} crosses the network unencrypted, readable by anyone on the way. Choose StartTLS or LDAPS unless this network is trusted.`,
      });
      expect(report.ok).toBe(true);
    } finally {
      await relay.close();
    }
  }, 60_000);

  it('a server that refuses StartTLS: every operation fails with tls-failed and the capture holds no BindRequest, only the StartTLS request', async () => {
    const relay = await startTcpRelay(secure.port);
    try {
      const realmId = await addRealm('Downgraded', `ldap://127.0.0.1:${relay.port}`, 'starttls');
      await captured(relay, async () => {
        const search = await call('import:search', { realmId, query: '*' });
        await services.jobs.wait((await call('import:run', { searchId: search.searchId })).id);
      });
      const user = [...services.userStore.all()].find((u) => u.origin?.realmId === realmId)!;
      // The same address now answers with a server that has no TLS: slapd refuses the StartTLS request.
      relay.upstreamPort = plain.port;
      const refused = `127.0.0.1:${relay.port} refused StartTLS (LDAP error 2: unsupported extended operation Code: 0x2). Roster does not fall back to a clear-text connection: enable TLS on the server, use an ldaps:// URL, or — only on a network you trust — choose no TLS for this realm.`;
      const expected = { code: 'tls-failed', message: refused, details: { ldapCode: 2 } };
      const operations: Array<[string, () => Promise<void>]> = [
        [
          'test connection',
          async () => {
            const report = await call('realms:test', { id: realmId });
            expect(report.error).toEqual(expected);
            expect(report.steps.map((s) => [s.step, s.status])).toEqual([
              ['reach', 'ok'],
              ['tls', 'failed'],
              ['bind', 'skipped'],
              ['rootdse', 'skipped'],
              ['base', 'skipped'],
              ['users', 'skipped'],
              ['coverage', 'skipped'],
            ]);
          },
        ],
        ['import', async () => expect(await attempt('import:search', { realmId, query: '*' })).toEqual({ ok: false, error: expected })],
        ['resync', async () => expect(await attempt('sync:candidates', { userId: user.id, realmId })).toEqual({ ok: false, error: expected })],
        [
          'reconcile',
          async () => {
            const job = await services.jobs.wait((await call('realms:reconcile', { realmId })).id);
            expect(job).toMatchObject({ state: 'failed', error: expected });
          },
        ],
      ];
      for (const [operation, work] of operations) {
        const connections = await captured(relay, work);
        const shapes = connections.map(shape).filter((s) => s !== 'tcp only');
        expect(shapes.length, operation).toBeGreaterThan(0);
        // The request, and the unbind that closes the refused connection: no bind, nothing else.
        expect(new Set(shapes), operation).toEqual(new Set(['StartTLS, then unbindRequest']));
        expect(passwordLeaks(allBytes(connections), secure.readerPassword), operation).toEqual([]);
      }
    } finally {
      await relay.close();
    }
  }, 60_000);

  it('a realm saved before the TLS check, with LDAPS over an ldap:// URL, still loads, but nothing connects with it; none over ldaps:// still works, in TLS', async () => {
    const relay = await startTcpRelay(secure.port);
    const ldapsRelay = await startTcpRelay(secure.ldapsPort!);
    try {
      // Written straight into the store, as an earlier version of Roster could save them.
      const old = (name: string, url: string, tls: TlsMode) => ({
        ...realmFromPreset('openldap', { name, urls: [url], bindDn: secure.readerDn, baseDn: secure.baseDn, tls }),
        id: `old-${tls}`,
        order: 0,
      });
      const plainUrl = `ldap://127.0.0.1:${relay.port}`;
      await services.store.update((data) => {
        data.realms.push(old('Old LDAPS', plainUrl, 'ldaps'), { ...old('Old none', `ldaps://127.0.0.1:${ldapsRelay.port}`, 'none'), order: 1 });
        data.realms[1]!.connection.caCertPem = secure.caPem;
      });
      expect((await call('realms:list', {})).map((r) => [r.name, r.connection.tls])).toEqual([
        ['Old LDAPS', 'ldaps'],
        ['Old none', 'none'],
      ]);
      for (const realmId of ['old-ldaps', 'old-none']) await call('realms:set-session-password', { realmId, password: secure.readerPassword });

      const mismatch = `TLS mode LDAPS needs ldaps:// URLs, but ${plainUrl} is ldap://, which would connect in clear text: change the URL to ldaps:// (port 636), or choose StartTLS.`;
      const refused = { code: 'invalid-input', message: `The realm's TLS setting does not match its server URLs: ${mismatch}` };
      const connections = await captured(relay, async () => {
        const report = await call('realms:test', { id: 'old-ldaps' });
        expect(report.error).toEqual(refused);
        expect(report.steps.find((s) => s.step === 'tls')).toMatchObject({ status: 'failed', detail: refused.message });
        expect(await attempt('import:search', { realmId: 'old-ldaps', query: '*' })).toEqual({ ok: false, error: refused });
        const job = await services.jobs.wait((await call('realms:reconcile', { realmId: 'old-ldaps' })).id);
        expect(job).toMatchObject({ state: 'failed', error: refused });
      });
      // The reachability probe alone: not one byte.
      expect(connections.map(shape)).toEqual(['tcp only']);
      // Saving it as it is: the form shows the message by the TLS field.
      const { id: _id, order: _order, ...input } = old('Old LDAPS', plainUrl, 'ldaps');
      expect(await attempt('realms:update', { id: 'old-ldaps', realm: input })).toEqual({
        ok: false,
        error: { code: 'invalid-input', message: `realm.connection.tls: ${mismatch}` },
      });

      const tlsAnyway = await captured(ldapsRelay, async () => expect((await call('realms:test', { id: 'old-none' })).ok).toBe(true));
      expect(new Set(tlsAnyway.map(shape))).toEqual(new Set(['tcp only', 'TLS']));
      expect(passwordLeaks(allBytes(tlsAnyway), secure.readerPassword)).toEqual([]);
    } finally {
      await relay.close();
      await ldapsRelay.close();
    }
  });

  it('a StartTLS client never opens a second connection: once a timeout dropped the upgraded one, the next bind fails instead of going out in clear', async () => {
    const relay = await startTcpRelay(secure.port);
    const url = `ldap://127.0.0.1:${relay.port}`;
    const target: LdapTarget = {
      urls: [url],
      tls: 'starttls',
      caCertPem: secure.caPem,
      verifyCertificate: true,
      bindDn: secure.readerDn,
      connectTimeoutMs: 5_000,
      operationTimeoutMs: 1_000,
    };
    const client = clientFor(url, target);
    try {
      await startTls(client, target, url);
      await client.bind(secure.readerDn, secure.readerPassword);
      // The server stops answering: ldapts times the search out and drops the connection…
      relay.holding = true;
      await expect(client.search(secure.baseDn, { scope: 'base' })).rejects.toThrow('SearchRequest: Operation timed out');
      relay.holding = false;
      // …and would open a new, plain one for the next request.
      await expect(client.bind(secure.readerDn, secure.readerPassword)).rejects.toMatchObject({
        code: 'tls-failed',
        message: `The StartTLS connection to 127.0.0.1:${relay.port} was closed; Roster does not go on over a new connection without TLS. Try again.`,
      });
      expect(relay.connections).toHaveLength(1);
      expect(passwordLeaks(allBytes(relay.connections), secure.readerPassword)).toEqual([]);
    } finally {
      await client.unbind().catch(() => undefined);
      await relay.close();
    }
  });
});
