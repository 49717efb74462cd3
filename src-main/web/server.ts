import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RosterError } from '#shared/result';
import type { EventName } from '#shared/ipc/contract';
import { packageVersion } from '../core/paths';
import { SessionSecretStore } from '../core/secrets/secret-store';
import { openServices, type Services } from '../core/services';
import { createHandlers, dispatch } from '../handlers';
import { bridgeScript } from './bridge';
import { PAGE_CSP, SECURITY_HEADERS, newToken, refusal } from './security';
import { staticFile } from './static-files';

/** Who holds the data folder's lock while the browser mode runs: named in "in use by" errors. */
export const WEB_OWNER = 'Roster in the browser';
/** Why bind passwords do not survive a restart in the browser mode (the app shows it where passwords are asked). */
export const WEB_SECRETS_REASON =
  'Roster in the browser does not use the system keyring, so bind passwords are kept in memory for this session only: enter them again after each start.';
/** The largest request body accepted (a generous bound: inputs are paths, filters and records, not files). */
export const MAX_BODY_BYTES = 256 * 1024 * 1024;

/** What to serve, and from where. */
export interface WebServerOptions {
  dataDir: string;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The lock owner named to a second Roster (default: {@link WEB_OWNER}). */
  owner?: string;
  /** Why passwords are kept for the session only (default: {@link WEB_SECRETS_REASON}). */
  secretsReason?: string;
  /** The largest request body (default: {@link MAX_BODY_BYTES}; tests lower it). */
  maxBodyBytes?: number;
}

/** A running loopback server. */
export interface WebServer {
  /** http://127.0.0.1:PORT, without the token. */
  url: string;
  /** The address to open once: `url` + `/?token=…`. */
  appUrl: string;
  token: string;
  port: number;
  /** The listening Node server (bound to 127.0.0.1 only). */
  server: Server;
  services: Services;
  /** Ends the event streams, stops the server and closes the services; safe to call more than once. */
  close(): Promise<void>;
}

type BodyResult = { ok: true; value: unknown } | { ok: false; status: 400 | 413 };

/** Reads a JSON body of at most `maxBytes`; an empty body is `{}`. */
async function readJson(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) return { ok: false, status: 413 };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return { ok: false, status: 413 };
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return { ok: true, value: text ? (JSON.parse(text) as unknown) : {} };
  } catch {
    return { ok: false, status: 400 };
  }
}

const PLAIN = 'text/plain; charset=utf-8';
const answer = (res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}) =>
  void res.writeHead(status, { 'content-type': PLAIN, ...headers }).end(`${text}\n`);

/** Turns a failed listen into an error a person can act on. */
function listenError(error: NodeJS.ErrnoException, port: number): RosterError {
  if (error.code === 'EADDRINUSE') {
    return new RosterError(
      'conflict',
      `Port ${port} on 127.0.0.1 is already in use by another program: choose another with --port, or --port 0 for a free one.`,
    );
  }
  if (error.code === 'EACCES')
    return new RosterError('forbidden', `This user may not listen on port ${port}: choose a port above 1023, or --port 0 for a free one.`);
  return new RosterError('io', `Could not listen on 127.0.0.1:${port}: ${error.message}`);
}

/**
 * Serves the built renderer and the real handler table to a browser on 127.0.0.1 only. Every API call and
 * the event stream need the per-run token in a header; every request needs this server's own Host (against
 * DNS rebinding) and, when it says where it comes from, this server's own origin. See security.ts.
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = newToken();
  // Requests are answered from the start: 503 until the services are open, then by `route` below.
  const ready: { handle?: (req: IncomingMessage, res: ServerResponse) => void } = {};
  const server = createServer((req, res) => {
    if (ready.handle) return ready.handle(req, res);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    answer(res, 503, 'Roster is starting: try again in a moment.');
  });
  // Bound first: a port in use is reported before the data folder is opened (and locked).
  await new Promise<void>((listening, failed) => {
    server.once('error', (error: NodeJS.ErrnoException) => failed(listenError(error, options.port ?? 0)));
    server.listen({ port: options.port ?? 0, host: '127.0.0.1', exclusive: true }, () => listening());
  });
  const port = (server.address() as AddressInfo).port;
  let services: Services;
  try {
    services = await openServices({
      dataDir: options.dataDir,
      owner: options.owner ?? WEB_OWNER,
      transport: 'http',
      secrets: new SessionSecretStore(options.secretsReason ?? WEB_SECRETS_REASON),
      version: packageVersion(),
    });
  } catch (error) {
    await new Promise<void>((done) => server.close(() => done()));
    throw error;
  }
  // The list's first query (slots, markers, the saved sort) is done ahead, while the browser loads the page.
  const opened = services;
  setImmediate(() => opened.users.engine.warm(opened.store.data.prefs.usersSort));
  const table = createHandlers(services);
  const bridge = bridgeScript();
  const streams = new Set<ServerResponse>();
  const calls = new Map<Promise<unknown>, AbortController>();
  const maxBody = options.maxBodyBytes ?? MAX_BODY_BYTES;
  let closing: Promise<void> | undefined;

  const call = async (req: IncomingMessage, res: ServerResponse, channel: string) => {
    const body = await readJson(req, maxBody);
    if (!body.ok) {
      const text = body.status === 413 ? `The request is larger than ${maxBody.toLocaleString('en-US')} bytes.` : 'The request body is not JSON.';
      // The rest of an oversized body is not read: the connection goes with the answer.
      return answer(res, body.status, text, body.status === 413 ? { connection: 'close' } : {});
    }
    // A page closed or reloaded mid-call cancels what can be cancelled (a directory search, a test).
    const controller = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    const running = dispatch(table, channel, body.value, { signal: controller.signal });
    calls.set(running, controller);
    try {
      const result = await running;
      if (!res.destroyed) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
    } finally {
      calls.delete(running);
    }
  };

  const openStream = (req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
    res.write(': connected\n\n');
    streams.add(res);
    res.once('close', () => streams.delete(res));
  };

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    if (closing) return answer(res, 503, 'Roster is stopping.', { connection: 'close' });
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const api = path.startsWith('/__rpc/') || path === '/__events';
    const refused = refusal(req.headers, port, token, api);
    if (refused) return answer(res, 403, refused);
    const wanted = path.startsWith('/__rpc/') ? 'POST' : 'GET';
    if (req.method !== wanted) return answer(res, 405, `Only ${wanted} is served here.`, { allow: wanted });
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return answer(res, 400, 'The address is not valid.');
    }
    if (path.startsWith('/__rpc/')) return call(req, res, decoded.slice('/__rpc/'.length));
    if (path === '/__events') return openStream(req, res);
    if (path === '/__roster-bridge.js') return void res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(bridge);
    const file = await staticFile(options.rendererDir, decoded);
    if (file.status !== 200) return file.status === 403 ? answer(res, 403, 'Only the files of the app are served.') : answer(res, 404, 'Not found.');
    if (file.page) res.setHeader('content-security-policy', PAGE_CSP);
    res.writeHead(200, { 'content-type': file.type }).end(file.body);
  };

  ready.handle = (req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) answer(res, 500, `Roster could not answer: ${error instanceof Error ? error.message : String(error)}`);
      else res.destroy();
    });
  };
  const send = (event: EventName, payload: unknown) => {
    const frame = `data: ${JSON.stringify({ event, payload })}\n\n`;
    for (const stream of streams) stream.write(frame);
  };
  const stopForwarding = services.events.onAny(send);

  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    appUrl: `${url}/?token=${token}`,
    token,
    port,
    server,
    services,
    close: () =>
      (closing ??= (async () => {
        stopForwarding();
        const stopped = new Promise<void>((done) => server.close(() => done()));
        for (const stream of streams) stream.end();
        for (const controller of calls.values()) controller.abort();
        // Calls under way finish (or give up, cancelled) before the store under them closes.
        await Promise.allSettled(calls.keys());
        server.closeAllConnections();
        await stopped;
        await services.close();
      })()),
  };
}
