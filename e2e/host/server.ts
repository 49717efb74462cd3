import { join, resolve } from 'node:path';
import type { Services } from '../../src-main/core/services';
import { startWebServer } from '../../src-main/web/server';

/** A running test host. */
export interface Host {
  /** The address the page opens: the server's origin with the per-run token (`/?token=…`). */
  url: string;
  /** http://127.0.0.1:PORT, without the token. */
  origin: string;
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

/**
 * The e2e host is Roster's browser mode (src-main/web/server.ts) with the test's data folder: Playwright
 * drives the BUILT renderer in Debian Chromium, where no Electron binary exists, over the same secured
 * loopback server `roster serve` runs. Only the transport differs from the app.
 */
export async function startHost(options: HostOptions): Promise<Host> {
  const server = await startWebServer({
    dataDir: options.dataDir,
    // ROSTER_E2E_RENDERER_DIR: a renderer built elsewhere, so one run need not rebuild the out/ another run is serving.
    rendererDir: resolve(options.rendererDir ?? process.env.ROSTER_E2E_RENDERER_DIR ?? join(import.meta.dirname, '../../out/renderer')),
    ...(options.port === undefined ? {} : { port: options.port }),
    owner: 'the Roster e2e host',
    secretsReason: 'This test host has no system keyring, so bind passwords are kept for this session only.',
  });
  return { url: server.appUrl, origin: server.url, dataDir: options.dataDir, services: server.services, close: () => server.close() };
}
