import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { EventName } from '../../src-shared/ipc/contract';
import { packageVersion } from '../../src-main/core/paths';
import { SessionSecretStore } from '../../src-main/core/secrets/secret-store';
import { openServices, type Services } from '../../src-main/core/services';
import { createHandlers, dispatch } from '../../src-main/handlers';
import { bridgeScript } from './bridge';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** A running test host. */
export interface Host {
  url: string;
  dataDir: string;
  services: Services;
  close(): Promise<void>;
}

/** Where to find things. */
export interface HostOptions {
  dataDir: string;
  rendererDir?: string;
  port?: number;
}

const readBody = async (req: IncomingMessage): Promise<unknown> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
};

/**
 * Serves the BUILT renderer plus the real handler table over loopback HTTP, so Playwright can drive the
 * real UI in Debian Chromium where no Electron binary exists. Only the transport differs from the app.
 */
export async function startHost(options: HostOptions): Promise<Host> {
  const rendererDir = resolve(options.rendererDir ?? join(import.meta.dirname, '../../out/renderer'));
  const services = await openServices({
    dataDir: options.dataDir,
    owner: 'the Roster e2e host',
    transport: 'http',
    secrets: new SessionSecretStore('This test host has no system keyring, so bind passwords are kept for this session only.'),
    version: packageVersion(),
  });
  const table = createHandlers(services);
  const token = randomBytes(16).toString('hex');
  const streams = new Set<ServerResponse>();
  let origin = '';

  const serveStatic = async (path: string, res: ServerResponse) => {
    const file = normalize(join(rendererDir, path === '/' ? 'index.html' : decodeURIComponent(path)));
    if (!file.startsWith(rendererDir + sep)) return void res.writeHead(403).end();
    try {
      let body: Buffer | string = await readFile(file);
      if (file.endsWith('index.html')) {
        // The bridge must define window.roster before the app's module script runs.
        body = body.toString('utf8').replace('<head>', '<head>\n    <script src="/__roster-bridge.js"></script>');
      }
      res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', origin || 'http://127.0.0.1');
      if (req.method === 'POST' && url.pathname.startsWith('/__rpc/')) {
        // Same job as the sender check over IPC: only the page this host served may call.
        if (req.headers['x-roster-token'] !== token || (req.headers.origin && req.headers.origin !== origin)) {
          return void res.writeHead(403).end();
        }
        const channel = decodeURIComponent(url.pathname.slice('/__rpc/'.length));
        let input: unknown;
        try {
          input = await readBody(req);
        } catch {
          return void res.writeHead(400).end();
        }
        const result = await dispatch(table, channel, input);
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
      }
      if (req.method === 'GET' && url.pathname === '/__events') {
        if (url.searchParams.get('token') !== token) return void res.writeHead(403).end();
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
        res.write(': connected\n\n');
        streams.add(res);
        req.on('close', () => streams.delete(res));
        return;
      }
      if (req.method === 'GET' && url.pathname === '/__roster-bridge.js') {
        return void res.writeHead(200, { 'content-type': MIME['.js']! }).end(bridgeScript(token));
      }
      if (req.method === 'GET') return serveStatic(url.pathname, res);
      res.writeHead(405).end();
    })();
  });
  const send = (event: EventName, payload: unknown) => {
    for (const stream of streams) stream.write(`data: ${JSON.stringify({ event, payload })}\n\n`);
  };
  const stopForwarding = services.events.onAny(send);
  await new Promise<void>((ready) => server.listen(options.port ?? 0, '127.0.0.1', ready));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    dataDir: options.dataDir,
    services,
    close: async () => {
      stopForwarding();
      for (const stream of streams) stream.end();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await services.close();
    },
  };
}
