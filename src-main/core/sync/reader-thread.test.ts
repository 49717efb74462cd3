import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { effectiveFields } from '#shared/model/fields';
import type { RealmRecord } from '#shared/model/realm';
import { realmFromPreset } from '#shared/model/realm-presets';
import { RosterError } from '#shared/result';
import { startSlapd, type SlapdServer } from '../../../e2e/fixtures/slapd';
import { addRealm } from '../../../e2e/fixtures/users';
import { SessionSecretStore } from '../secrets/secret-store';
import { openServices } from '../services';
import { searchAll } from '../ldap/search';
import { withSession } from '../ldap/session';
import { targetOf } from '../realms/realm-service';
import { attributesToRequest, directoryMapper, type DirectoryUser } from './mapping';
import { readersWaiting, readerStats, setReaderWorkerPath } from './reader-thread';
import { readDirectoryUsers } from './source';

const fields = effectiveFields({}, []);
const USERS = 2_500;
let server: SlapdServer;
let dir: string;
beforeAll(async () => {
  server = await startSlapd({ flavor: 'ad', users: USERS });
  dir = await mkdtemp(join(tmpdir(), 'roster-reader-'));
});
afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => setReaderWorkerPath(undefined));

const realmOn = (url: string, bindDn: string, pageSize = 1000): RealmRecord => {
  const input = realmFromPreset('active-directory', { name: 'AD', urls: [url], bindDn, baseDn: server.baseDn, tls: 'none' });
  input.search.pageSize = pageSize;
  return { ...input, id: 'r1' } as RealmRecord;
};

async function collect(pages: AsyncIterable<DirectoryUser[]>): Promise<DirectoryUser[][]> {
  const out: DirectoryUser[][] = [];
  for await (const page of pages) out.push(page);
  return out;
}

/** The same search read and mapped in this thread, the way imports read before the worker. */
async function inThisThread(realm: RealmRecord, filter: string): Promise<DirectoryUser[]> {
  const map = directoryMapper(realm, fields);
  const entries = await withSession(targetOf(realm), server.readerPassword, (session) =>
    searchAll(session, { baseDn: realm.search.baseDn, filter, scope: realm.search.scope, attributes: attributesToRequest(realm, fields), pageSize: 1000 }),
  );
  return entries.map(map);
}

describe('reading a realm in a worker thread', () => {
  it('gives exactly the users reading in this thread gives, page by page, and the worker is gone afterwards', async () => {
    const realm = realmOn(server.url, server.readerDn);
    const before = { ...readerStats };
    const pages = await collect(readDirectoryUsers(realm, server.readerPassword, fields, realm.search.userFilter));
    expect(readerStats.started).toBe(before.started + 1);
    expect(readerStats.fellBack).toBe(before.fellBack);
    expect(readerStats.running).toBe(0);
    expect(pages.map((p) => p.length)).toEqual([1000, 1000, 500]);
    const expected = await inThisThread(realm, realm.search.userFilter);
    expect(pages.flat()).toEqual(expected);
    expect(expected.find((u) => u.username === 'zangstrom')?.fields.displayName).toBe('Zoë Ångström');
  });

  it('reads in this thread when the worker cannot start, with the same result', async () => {
    const broken = join(dir, 'broken-worker.mjs');
    await writeFile(broken, "throw new Error('this worker cannot load');\n");
    setReaderWorkerPath(broken);
    const realm = realmOn(server.url, server.readerDn);
    const before = { ...readerStats };
    const users = (await collect(readDirectoryUsers(realm, server.readerPassword, fields, '(sAMAccountName=user0000*)'))).flat();
    expect(readerStats.fellBack).toBe(before.fellBack + 1);
    expect(users.map((u) => u.username).sort()).toEqual([
      'user00002',
      'user00003',
      'user00004',
      'user00005',
      'user00006',
      'user00007',
      'user00008',
      'user00009',
    ]);
    expect(users).toEqual(await inThisThread(realm, '(sAMAccountName=user0000*)'));
  });

  it("passes the directory's errors on as they are: a refused bind, a missing base", async () => {
    const realm = realmOn(server.url, server.readerDn);
    const refused = await collect(readDirectoryUsers(realm, 'wrong', fields, realm.search.userFilter)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RosterError);
    expect(refused).toMatchObject({ code: 'invalid-credentials' });
    const missing = { ...realm, search: { ...realm.search, baseDn: `ou=nowhere,${server.baseDn}` } };
    const noBase = await collect(readDirectoryUsers(missing, server.readerPassword, fields, realm.search.userFilter)).catch((e: unknown) => e);
    expect(noBase).toMatchObject({ code: 'no-such-base' });
    expect(readerStats.running).toBe(0);
  });

  it('stops the worker when the reader leaves after the first page, or cancels', async () => {
    const realm = realmOn(server.url, server.readerDn, 500);
    for await (const page of readDirectoryUsers(realm, server.readerPassword, fields, realm.search.userFilter)) {
      expect(page).toHaveLength(500);
      break;
    }
    expect(readerStats.running).toBe(0);
    const controller = new AbortController();
    let pages = 0;
    const cancelled = (async () => {
      for await (const _page of readDirectoryUsers(realm, server.readerPassword, fields, realm.search.userFilter, controller.signal)) {
        pages += 1;
        if (pages === 2) {
          // Pages read ahead are waiting in this thread by now; none of them is handed out after the cancel.
          await readersWaiting();
          controller.abort();
        }
      }
    })();
    await expect(cancelled).rejects.toMatchObject({ code: 'cancelled' });
    expect(pages).toBe(2);
    expect(readerStats.running).toBe(0);
  });
});

// The desktop app's bundle (`npm test` builds it first): main.ts hands the reader worker's own bundled file to
// setReaderWorkerPath, as electron-vite builds it from `reader-worker.ts?modulePath`.
const MAIN_BUNDLE = join(import.meta.dirname, '../../../out/main/index.js');

describe.skipIf(!existsSync(MAIN_BUNDLE))("the desktop bundle's reader worker", () => {
  it('is a file of its own that main passes to setReaderWorkerPath, needs no TypeScript loader, and reads exactly what this thread reads', async () => {
    const bundle = readFileSync(MAIN_BUNDLE, 'utf8');
    const paths = [...bundle.matchAll(/"\.\/(chunks\/reader-worker[^"]*\.js)"/g)].map((m) => m[1]!);
    expect(paths).toHaveLength(1);
    expect(bundle).toMatch(/^setReaderWorkerPath\([\w$]+\);$/m);
    const worker = join(MAIN_BUNDLE, '..', paths[0]!);
    // The packaged app has no tsx: the worker must be the compiled reader, not the source loader.
    expect(readFileSync(worker, 'utf8')).not.toMatch(/tsx|\.ts["']/);
    setReaderWorkerPath(worker);
    const realm = realmOn(server.url, server.readerDn);
    const before = { ...readerStats };
    const users = (await collect(readDirectoryUsers(realm, server.readerPassword, fields, realm.search.userFilter))).flat();
    expect(readerStats.started).toBe(before.started + 1);
    expect(readerStats.fellBack).toBe(before.fellBack);
    expect(users).toHaveLength(USERS);
    expect(users).toEqual(await inThisThread(realm, realm.search.userFilter));
  });
});

/** BER helpers for the scripted server below. */
function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  const n = body.length;
  const length = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, body]);
}
const octets = (value: string): Buffer => tlv(0x04, Buffer.from(value, 'utf8'));
const int = (value: number): Buffer => tlv(0x02, Buffer.from([value]));
const message = (id: number, op: Buffer, controls?: Buffer): Buffer => tlv(0x30, int(id), op, ...(controls ? [controls] : []));
const attribute = (type: string, value: string): Buffer => tlv(0x30, octets(type), tlv(0x31, octets(value)));

/**
 * A paged directory of `pages` pages of one entry each (sAMAccountName pN): binds succeed, and each search
 * request gets the next page with a paged-results cookie until the last. `onSearch` hears each request's number.
 */
async function pagedServer(pages: number, onSearch: (n: number) => void): Promise<{ url: string; server: Server }> {
  let searches = 0;
  const server = createServer((socket: Socket) => {
    let buffer = Buffer.alloc(0);
    socket.on('data', (data: Buffer) => {
      buffer = Buffer.concat([buffer, data]);
      for (;;) {
        if (buffer.length < 2) return;
        const first = buffer[1] as number;
        const size = first < 0x80 ? 1 : 1 + (first & 0x7f);
        const length = first < 0x80 ? first : buffer.readUIntBE(2, first & 0x7f);
        if (buffer.length < 1 + size + length) return;
        const whole = buffer.subarray(0, 1 + size + length);
        buffer = buffer.subarray(whole.length);
        const id = whole[1 + size + 2] as number;
        const op = whole[1 + size + 3] as number;
        if (op === 0x60) socket.write(message(id, tlv(0x61, tlv(0x0a, Buffer.from([0])), octets(''), octets(''))));
        else if (op === 0x42) socket.end();
        else if (op === 0x63) {
          searches += 1;
          onSearch(searches);
          const n = searches;
          const cookie = n < pages ? String(n) : '';
          const paged = tlv(0x30, octets('1.2.840.113556.1.4.319'), tlv(0x04, tlv(0x30, int(0), octets(cookie))));
          socket.write(
            Buffer.concat([
              message(id, tlv(0x64, octets(`cn=p${n},dc=x`), tlv(0x30, attribute('sAMAccountName', `p${n}`), attribute('objectGUID', '0123456789abcdef')))),
              message(id, tlv(0x65, tlv(0x0a, Buffer.from([0])), octets(''), octets('')), tlv(0xa0, paged)),
            ]),
          );
        }
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `ldap://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('the worker reads ahead only as far as the import has asked', () => {
  it('reads two pages ahead of a reader that holds its first page, no more, then delivers every page in order', async () => {
    const PAGES = 12;
    let searches = 0;
    const { url, server: scripted } = await pagedServer(PAGES, (n) => (searches = n));
    try {
      const realm = realmOn(url, '', 1);
      const seen: string[] = [];
      for await (const page of readDirectoryUsers(realm, undefined, fields, '(objectClass=*)')) {
        if (seen.length === 0) {
          // Holding page 1: the worker may fetch pages 2 and 3, and must then wait for the import.
          await readersWaiting();
          // Anything the worker wrote before it answered is in this thread's socket by now; let its handler run.
          await new Promise((resolve) => setImmediate(resolve));
          expect(searches).toBe(3);
        }
        seen.push(...page.map((u) => u.username));
      }
      expect(seen).toEqual(Array.from({ length: PAGES }, (_, i) => `p${i + 1}`));
      expect(searches).toBe(PAGES);
    } finally {
      scripted.close();
    }
  });
});

describe('an import job reading through the worker', () => {
  it('fails with the refused bind and forgets the session password the server refused, as every directory read does', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'roster-reader-job-'));
    const services = await openServices({ dataDir, owner: 'test', transport: 'cli', secrets: new SessionSecretStore('t'), version: 't', actor: 'alice' });
    try {
      const input = realmFromPreset('active-directory', { name: 'AD', urls: [server.url], bindDn: server.readerDn, baseDn: server.baseDn, tls: 'none' });
      const realm = await addRealm(services, input);
      // Typed for this session only (not remembered): the one a refusal makes Roster forget.
      await services.realms.setPassword({ realmId: realm.id, password: 'not-the-password' });
      expect((await services.realms.list()).find((r) => r.id === realm.id)?.password).toBe('session');
      const started = readerStats.started;
      const job = await services.jobs.wait(services.importer.searchAndImport(realm.id, '*', undefined).id);
      expect(readerStats.started).toBe(started + 1);
      expect(job.state).toBe('failed');
      expect(job.error).toMatchObject({ code: 'invalid-credentials', details: { realmId: realm.id } });
      expect((await services.realms.list()).find((r) => r.id === realm.id)?.password).toBe('missing');
      expect(services.userStore.size).toBe(0);
    } finally {
      await services.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('a directory that dies in the middle of an import read through the worker', () => {
  it('fails the job, and the store holds exactly the batches the job says it saved', async () => {
    const dying = await startSlapd({ flavor: 'openldap', users: 3000 });
    const dataDir = await mkdtemp(join(tmpdir(), 'roster-reader-kill-'));
    const open = () => openServices({ dataDir, owner: 'test', transport: 'cli', secrets: new SessionSecretStore('t'), version: 't', actor: 'alice' });
    let saved = 0;
    try {
      const services = await open();
      try {
        const input = realmFromPreset('openldap', { name: 'Lab', urls: [dying.url], bindDn: dying.readerDn, baseDn: dying.baseDn, tls: 'none' });
        input.search.pageSize = 200;
        const realm = await addRealm(services, input, dying.readerPassword);
        // Held once the first batch of 200 is saved: the worker has read at most a few pages ahead of it.
        const held = services.jobs.hold('import', 'batch-saved');
        const started = services.importer.searchAndImport(realm.id, '*', undefined);
        await held.reached;
        dying.kill();
        held.release();
        const job = await services.jobs.wait(started.id);
        expect(job.state).toBe('failed');
        expect(job.error?.message).toMatch(/connection|closed|reach|refused|socket/i);
        saved = Number(/^The first ([\d,]+) entries were imported and saved/.exec(job.consistency ?? '')?.[1]?.replace(/,/g, ''));
        expect(saved).toBeGreaterThanOrEqual(200);
        expect(saved).toBeLessThan(3000);
        expect(saved % 200).toBe(0);
      } finally {
        await services.close();
      }
      const reopened = await open();
      try {
        expect(reopened.userStore.size).toBe(saved);
        expect((await reopened.audit.query({ action: 'user.import' })).length).toBe(saved);
      } finally {
        await reopened.close();
      }
    } finally {
      await dying.stop().catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
