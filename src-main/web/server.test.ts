import { request, type IncomingHttpHeaders } from 'node:http';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realmFromPreset } from '#shared/model/realm-presets';
import { RosterError } from '#shared/result';
import { startWebServer, WEB_SECRETS_REASON, type WebServer } from './server';

const RENDERER = join(import.meta.dirname, '../../src-renderer');

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Ask {
  path: string;
  method?: string;
  /** Sent as they are; `host` defaults to the server's own 127.0.0.1:PORT, null sends no Host at all. */
  headers?: Record<string, string>;
  host?: string | null;
  body?: string;
  port?: number;
}

let web: WebServer;
let dir: string;
/** Every answer any test got, checked for the token at the end. */
const seen: Answer[] = [];

/** One real HTTP request (node:http, so the Host header can be anything, even missing). */
function ask(options: Ask): Promise<Answer> {
  const port = options.port ?? web.port;
  const host = options.host === undefined ? `127.0.0.1:${port}` : options.host;
  return new Promise((done, failed) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: options.path,
        method: options.method ?? 'GET',
        setHost: false,
        headers: { ...(host === null ? {} : { host }), ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const answer = { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') };
          seen.push(answer);
          done(answer);
        });
      },
    );
    req.on('error', failed);
    req.end(options.body);
  });
}

const rpc = (channel: string, headers: Record<string, string> = {}, extra: Partial<Ask> = {}) =>
  ask({ path: `/__rpc/${channel}`, method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}', ...extra });
const withToken = () => ({ 'x-roster-token': web.token });

/** Opens the event stream and hands back its status and a way to read frames; `close` ends it. */
function events(headers: Record<string, string>, host = `127.0.0.1:${web.port}`) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; next: () => Promise<string>; close: () => void; ended: Promise<void> }>((done, failed) => {
    const req = request({ host: '127.0.0.1', port: web.port, path: '/__events', setHost: false, headers: { host, ...headers } }, (res) => {
      const frames: string[] = [];
      const waiting: ((frame: string) => void)[] = [];
      let text = '';
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        for (let end = text.indexOf('\n\n'); end >= 0; end = text.indexOf('\n\n')) {
          const frame = text.slice(0, end);
          text = text.slice(end + 2);
          const reader = waiting.shift();
          if (reader) reader(frame);
          else frames.push(frame);
        }
      });
      const ended = new Promise<void>((over) => res.on('close', () => over()));
      done({
        status: res.statusCode ?? 0,
        headers: res.headers,
        next: () => (frames.length ? Promise.resolve(frames.shift()!) : new Promise((got) => waiting.push(got))),
        close: () => req.destroy(),
        ended,
      });
    });
    req.on('error', failed);
    req.end();
  });
}

/** Whether a TCP connection to address:port is accepted. */
const connects = (address: string, port: number) =>
  new Promise<boolean>((done) => {
    const socket = connect({ host: address, port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-web-'));
  web = await startWebServer({ dataDir: join(dir, 'data'), rendererDir: RENDERER });
});
afterAll(async () => {
  await web?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the address it prints', () => {
  it('is 127.0.0.1 with the port, plus a token of 256 random bits, and answers with the app page', async () => {
    expect(web.url).toBe(`http://127.0.0.1:${web.port}`);
    expect(web.appUrl).toBe(`${web.url}/?token=${web.token}`);
    expect(web.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const page = await ask({ path: `/?token=${web.token}` });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<title>Roster</title>');
    expect(page.body.indexOf('<script src="/__roster-bridge.js"></script>')).toBeLessThan(page.body.indexOf('./src/main.tsx'));
  });

  it('is bound to 127.0.0.1 only: no other local address, loopback or not, takes a connection', async () => {
    expect(web.server.address()).toEqual({ address: '127.0.0.1', family: 'IPv4', port: web.port });
    expect(await connects('127.0.0.1', web.port)).toBe(true);
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a !== undefined && a.address !== '127.0.0.1' && !a.address.startsWith('fe80'))
      .map((a) => a!.address);
    // On Linux the whole of 127/8 is this machine: an all-addresses bind would answer 127.0.0.2 too.
    if (process.platform === 'linux') others.push('127.0.0.2');
    expect(others.length).toBeGreaterThan(0);
    for (const address of others) expect([address, await connects(address, web.port)]).toEqual([address, false]);
  });

  it('gives each run its own token', async () => {
    const other = await startWebServer({ dataDir: join(dir, 'other'), rendererDir: RENDERER });
    try {
      expect(other.token).not.toBe(web.token);
      expect((await rpc('realms:list', { 'x-roster-token': web.token }, { port: other.port })).status).toBe(403);
    } finally {
      await other.close();
    }
  });
});

describe('the API and the event stream need the token, in a header', () => {
  it('refuses a call without the token, with a wrong one, or with the token in the address', async () => {
    expect((await rpc('realms:list')).status).toBe(403);
    const wrong = `${web.token.slice(0, -1)}${web.token.endsWith('A') ? 'B' : 'A'}`;
    expect((await rpc('realms:list', { 'x-roster-token': wrong })).status).toBe(403);
    expect((await rpc('realms:list', { 'x-roster-token': '' })).status).toBe(403);
    expect((await rpc('realms:list', { 'x-roster-token': `${web.token}x` })).status).toBe(403);
    expect((await ask({ path: `/__rpc/realms:list?token=${web.token}`, method: 'POST', body: '{}' })).status).toBe(403);
    const refused = await rpc('realms:list');
    expect(refused.body).toContain('open the address printed by roster serve');
  });

  it('answers with a Result given the token', async () => {
    const answer = await rpc('realms:list', withToken());
    expect([answer.status, answer.headers['content-type'], JSON.parse(answer.body)]).toEqual([200, 'application/json', { ok: true, value: [] }]);
    expect(JSON.parse((await rpc('no:such', withToken())).body)).toEqual({ ok: false, error: { code: 'invalid-input', message: 'Unknown channel no:such.' } });
  });

  it('keeps bind passwords for the session only, and says so', async () => {
    const info = JSON.parse((await rpc('app:info', withToken())).body) as { value: { transport: string; secrets: unknown } };
    expect(info.value.transport).toBe('http');
    expect(info.value.secrets).toEqual({ persistent: false, reason: WEB_SECRETS_REASON });
  });

  it('streams events only to a request carrying the token in a header', async () => {
    expect((await events({})).status).toBe(403);
    expect((await events({ 'x-roster-token': 'nope' })).status).toBe(403);
    expect((await ask({ path: `/__events?token=${web.token}` })).status).toBe(403);
    const stream = await events(withToken());
    try {
      expect([stream.status, stream.headers['content-type']]).toEqual([200, 'text/event-stream; charset=utf-8']);
      expect(await stream.next()).toBe(': connected');
      const created = await web.services.realms.create(realmFromPreset('openldap', { name: 'Pushed', urls: ['ldap://h'], bindDn: '', baseDn: 'dc=x' }));
      expect(await stream.next()).toBe(`data: ${JSON.stringify({ event: 'realms:changed', payload: { ids: [created.id] } })}`);
    } finally {
      stream.close();
    }
  });
});

describe('only this server, from its own page', () => {
  const port = () => web.port;
  const foreignHosts = () => [
    'evil.example',
    `evil.example:${port()}`,
    `127.0.0.1:${port() + 1}`,
    '127.0.0.1',
    `localhost:${port() + 1}`,
    `127.0.0.1.evil.example:${port()}`,
  ];

  it('refuses any other Host (DNS rebinding) on the page, the bridge, the assets, the API and the events', async () => {
    for (const host of foreignHosts()) {
      for (const path of ['/', '/index.html', '/__roster-bridge.js', '/src/styles.css', '/no-such-file']) {
        expect([host, path, (await ask({ path, host })).status]).toEqual([host, path, 403]);
      }
      expect([host, (await rpc('realms:list', withToken(), { host })).status]).toEqual([host, 403]);
      expect([host, (await events(withToken(), host)).status]).toEqual([host, 403]);
    }
  });

  it('refuses a request without a Host (Node answers 400 for HTTP/1.1, the server 403 for HTTP/1.0)', async () => {
    expect((await ask({ path: '/', host: null })).status).toBe(400);
    expect((await rpc('realms:list', withToken(), { host: null })).status).toBe(400);
    const old = await new Promise<string>((done, failed) => {
      const socket = connect({ host: '127.0.0.1', port: web.port }, () => socket.end('GET / HTTP/1.0\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      socket.on('end', () => done(text));
      socket.on('error', failed);
    });
    expect(old.split('\r\n')[0]).toBe('HTTP/1.1 403 Forbidden');
  });

  it('answers at localhost:PORT as well as 127.0.0.1:PORT', async () => {
    expect((await ask({ path: '/', host: `localhost:${port()}` })).status).toBe(200);
    expect((await rpc('realms:list', { ...withToken(), origin: `http://localhost:${port()}` }, { host: `localhost:${port()}` })).status).toBe(200);
  });

  it('refuses a request from another origin, even with the token', async () => {
    const origins = ['http://evil.example', 'null', `http://127.0.0.1:${port() + 1}`, `https://127.0.0.1:${port()}`, `http://localhost:${port()}`];
    for (const origin of origins) {
      expect([origin, (await rpc('realms:list', { ...withToken(), origin })).status]).toEqual([origin, 403]);
      expect([origin, (await events({ ...withToken(), origin })).status]).toEqual([origin, 403]);
      expect([origin, (await ask({ path: '/', headers: { origin } })).status]).toEqual([origin, 403]);
    }
    expect((await rpc('realms:list', { ...withToken(), origin: `http://127.0.0.1:${port()}` })).status).toBe(200);
  });

  it('refuses API and event requests a browser marks as not same-origin', async () => {
    for (const site of ['cross-site', 'same-site', 'none']) {
      expect([site, (await rpc('realms:list', { ...withToken(), 'sec-fetch-site': site })).status]).toEqual([site, 403]);
      expect([site, (await events({ ...withToken(), 'sec-fetch-site': site })).status]).toEqual([site, 403]);
    }
    expect((await rpc('realms:list', { ...withToken(), 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    const stream = await events({ ...withToken(), 'sec-fetch-site': 'same-origin' });
    stream.close();
    expect(stream.status).toBe(200);
  });

  it('has no CORS: a preflight is refused and no answer carries an Access-Control header', async () => {
    const preflight = await ask({
      path: '/__rpc/realms:list',
      method: 'OPTIONS',
      headers: { origin: `http://127.0.0.1:${port()}`, 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-roster-token' },
    });
    // A preflight never carries the token: refused before its method is even looked at.
    expect(preflight.status).toBe(403);
    for (const [method, path] of [
      ['OPTIONS', '/'],
      ['PUT', '/__rpc/realms:list'],
      ['DELETE', '/'],
      ['HEAD', '/'],
      ['GET', '/__rpc/realms:list'],
      ['POST', '/'],
      ['POST', '/__events'],
    ] as const) {
      expect([method, path, (await ask({ method, path, headers: withToken() })).status]).toEqual([method, path, 405]);
    }
    for (const answer of seen) expect(Object.keys(answer.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
  });
});

describe('answers', () => {
  it('carry the protective headers, errors included', async () => {
    const answers = {
      page: await ask({ path: '/' }),
      bridge: await ask({ path: '/__roster-bridge.js' }),
      asset: await ask({ path: '/src/styles.css' }),
      api: await rpc('realms:list', withToken()),
      forbidden: await rpc('realms:list'),
      missing: await ask({ path: '/missing.js' }),
      wrongMethod: await ask({ path: '/', method: 'OPTIONS' }),
    };
    for (const [name, answer] of Object.entries(answers)) {
      expect([name, answer.headers]).toMatchObject([
        name,
        {
          'x-content-type-options': 'nosniff',
          'referrer-policy': 'no-referrer',
          'cache-control': 'no-store',
          'x-frame-options': 'DENY',
          'cross-origin-opener-policy': 'same-origin',
          'cross-origin-resource-policy': 'same-origin',
        },
      ]);
      expect(answer.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    }
    expect(answers.page.headers['content-security-policy']).not.toContain('default-src');
    expect(answers.missing.headers['content-security-policy']).toContain("default-src 'none'");
  });

  it('serve the bridge script as JavaScript, without the token', async () => {
    const bridge = await ask({ path: '/__roster-bridge.js' });
    expect([bridge.status, bridge.headers['content-type']]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect(bridge.body).toContain('window.roster = Object.freeze(');
    expect(bridge.body).not.toContain(web.token);
  });

  it('refuse bad requests: unknown paths, bad JSON, oversized bodies, paths outside the app', async () => {
    expect((await ask({ path: '/nothing/here' })).status).toBe(404);
    expect((await ask({ path: '/src' })).status).toBe(404);
    expect((await rpc('realms:list', withToken(), { body: '{"not json' })).status).toBe(400);
    expect((await ask({ path: '/%E0%A4%A' })).status).toBe(400);
    const huge = await ask({ path: '/__rpc/realms:list', method: 'POST', headers: { ...withToken(), 'content-length': String(256 * 1024 * 1024 + 1) } });
    expect([huge.status, huge.body]).toEqual([413, 'The request is larger than 268,435,456 bytes.\n']);
    for (const path of ['/..%2Fpackage.json', '/..%2F..%2Fpackage.json', '/%2e%2e/package.json', '/src/..%2F..%2Fpackage.json', '/..%5Cpackage.json']) {
      const answer = await ask({ path });
      expect([path, answer.status === 403 || answer.status === 404, answer.body]).toEqual([path, true, expect.not.stringContaining('"name"')]);
    }
    expect((await ask({ path: '/..%2Fpackage.json' })).status).toBe(403);
  });

  it('refuse a streamed body past the limit, and a file linked from outside the app', async () => {
    const renderer = join(dir, 'renderer');
    await mkdir(renderer);
    await writeFile(join(renderer, 'index.html'), '<html><head></head><body></body></html>');
    await writeFile(join(dir, 'secret.txt'), 'outside');
    await symlink(join(dir, 'secret.txt'), join(renderer, 'linked.txt'));
    const small = await startWebServer({ dataDir: join(dir, 'small'), rendererDir: renderer, maxBodyBytes: 1024 });
    try {
      const at = (extra: Partial<Ask>) => ask({ port: small.port, host: `127.0.0.1:${small.port}`, path: '/', ...extra });
      // Chunked: no Content-Length to refuse it by, the body is counted as it comes.
      const post = (body: string) =>
        at({ path: '/__rpc/realms:list', method: 'POST', headers: { 'x-roster-token': small.token, 'transfer-encoding': 'chunked' }, body });
      expect((await post(`{"pad":"${'x'.repeat(1015)}"}`)).status).toBe(413);
      expect((await post(`{"pad":"${'x'.repeat(1014)}"}`)).status).toBe(200);
      expect((await at({ path: '/linked.txt' })).status).toBe(403);
    } finally {
      await small.close();
    }
  });

  it('never hold the token, in a body or a header, except the API answers that carry data (none of them holds it)', async () => {
    await ask({ path: '/' });
    await ask({ path: `/?token=${web.token}` });
    await ask({ path: '/__roster-bridge.js' });
    await ask({ path: '/src/styles.css' });
    await ask({ path: '/src/main.tsx' });
    await ask({ path: '/missing' });
    await ask({ path: '/', host: 'evil.example' });
    await rpc('realms:list', { 'x-roster-token': 'wrong' });
    await rpc('realms:list', withToken());
    await rpc('app:info', withToken());
    expect(seen.length).toBeGreaterThanOrEqual(10);
    for (const answer of seen) {
      expect(answer.body).not.toContain(web.token);
      expect(JSON.stringify(answer.headers)).not.toContain(web.token);
    }
  });
});

describe('the data folder', () => {
  it('is locked in the name of Roster in the browser: a second server is told who has it', async () => {
    const second = startWebServer({ dataDir: join(dir, 'data'), rendererDir: RENDERER });
    await expect(second).rejects.toThrow(RosterError);
    await expect(second).rejects.toMatchObject({
      code: 'store-locked',
      message: expect.stringMatching(/^Roster in the browser \(pid \d+, since .*\) has the data folder /),
    });
  });

  it('is not opened when the port is taken, and the error says so', async () => {
    const taken = startWebServer({ dataDir: join(dir, 'unopened'), rendererDir: RENDERER, port: web.port });
    await expect(taken).rejects.toMatchObject({
      code: 'conflict',
      message: `Port ${web.port} on 127.0.0.1 is already in use by another program: choose another with --port, or --port 0 for a free one.`,
    });
    await expect(rm(join(dir, 'unopened'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('close()', () => {
  it('ends the event streams, stops listening and releases the data folder', async () => {
    const dataDir = join(dir, 'closing');
    const server = await startWebServer({ dataDir, rendererDir: RENDERER });
    const stream = await new Promise<{ ended: Promise<void>; status: number }>((done, failed) => {
      const req = request({ host: '127.0.0.1', port: server.port, path: '/__events', headers: { 'x-roster-token': server.token } }, (res) => {
        done({ status: res.statusCode ?? 0, ended: new Promise((over) => res.on('close', () => over())) });
        res.resume();
      });
      req.on('error', failed);
      req.end();
    });
    expect(stream.status).toBe(200);
    await Promise.all([server.close(), server.close()]);
    await stream.ended;
    expect(await connects('127.0.0.1', server.port)).toBe(false);
    const again = await startWebServer({ dataDir, rendererDir: RENDERER });
    await again.close();
  });

  it('cancels a call under way (a directory that never answers) rather than wait for it, then releases the data folder', async () => {
    const silent = createServer((socket) => accepted(socket));
    let accepted: (socket: Socket) => void = () => undefined;
    const connected = new Promise<Socket>((done) => (accepted = done));
    await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
    const dataDir = join(dir, 'busy');
    const server = await startWebServer({ dataDir, rendererDir: RENDERER });
    try {
      const realm = realmFromPreset('openldap', {
        name: 'Silent',
        urls: [`ldap://127.0.0.1:${(silent.address() as AddressInfo).port}`],
        bindDn: '',
        baseDn: 'dc=x',
      });
      // 10 minutes: only a cancelled test ends before the test's own timeout.
      const created = await server.services.realms.create({ ...realm, connection: { ...realm.connection, operationTimeoutMs: 600_000 } });
      const pending = ask({
        port: server.port,
        path: '/__rpc/realms:test',
        method: 'POST',
        headers: { 'x-roster-token': server.token },
        body: JSON.stringify({ id: created.id }),
      }).catch((error: Error) => error);
      const socket = await connected;
      const hungUp = new Promise<void>((done) => socket.on('close', () => done()));
      await server.close();
      await hungUp;
      const answered = await pending;
      // Answered as cancelled when the answer left before the connections were closed; otherwise cut off.
      if (!(answered instanceof Error)) expect(JSON.stringify(JSON.parse(answered.body))).toContain('"status":"failed","detail":"Cancelled."');
    } finally {
      await server.close();
      silent.close();
    }
    const again = await startWebServer({ dataDir, rendererDir: RENDERER });
    await again.close();
  });
});
