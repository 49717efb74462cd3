import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realmFromPreset } from '#shared/model/realm-presets';
import { CHROMIUM_ARGS } from '../../e2e/fixtures/app';
import { NO_TOKEN_MESSAGE, REFUSED_TOKEN_MESSAGE } from './bridge';
import { startWebServer, type WebServer } from './server';

// The built renderer, as `roster serve` serves it (`npm test` builds first; the source page cannot run in a browser).
const BUILT = join(import.meta.dirname, '../../out/renderer');
const built = existsSync(join(BUILT, 'index.html'));

let browser: Browser;
let web: WebServer;
let dir: string;

beforeAll(async () => {
  if (!built) return;
  dir = await mkdtemp(join(tmpdir(), 'roster-web-browser-'));
  web = await startWebServer({ dataDir: dir, rendererDir: BUILT });
  browser = await chromium.launch({ executablePath: process.env.ROSTER_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
  await web?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A fresh tab (own sessionStorage) failing on any page error. */
async function tab(): Promise<{ page: Page; errors: string[] }> {
  const page = await (await browser.newContext()).newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, errors };
}

const statusBar = (page: Page) => page.getByTestId('status-bar');
/** Waits until the status bar shows the data folder: `app:info` answered through the bridge. */
const dataFolderShown = (page: Page) => statusBar(page).getByText(web.services.info.dataDir).waitFor();

describe.skipIf(!built)('Roster in a real browser (Chromium), from the printed address', () => {
  it('opens the app, takes the token out of the address bar at once, and still works after a reload', async () => {
    const { page, errors } = await tab();
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    await page.goto(web.appUrl);
    await page.getByRole('heading', { name: 'Realms', level: 1 }).waitFor();
    await dataFolderShown(page);
    expect(page.url()).toBe(`${web.url}/`);
    await page.reload();
    expect(page.url()).toBe(`${web.url}/`);
    await dataFolderShown(page);
    // The entry was replaced, not added to: going back leaves the app for the blank tab, no tokened entry between.
    await page.goBack();
    expect(page.url()).toBe('about:blank');
    // Only the first load carried the token in its address: API calls and the event stream carry it in a header.
    expect(requested.filter((url) => url.includes(web.token))).toEqual([web.appUrl]);
    expect(requested.filter((url) => url.includes('/__rpc/')).length).toBeGreaterThan(2);
    expect(requested).toContain(`${web.url}/__events`);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('keeps the rest of the address: other query parameters and the hash', async () => {
    const { page } = await tab();
    await page.goto(`${web.url}/?keep=1&token=${web.token}&also=2#section`);
    await dataFolderShown(page);
    expect(page.url()).toBe(`${web.url}/?keep=1&also=2#section`);
    await page.context().close();
  });

  it('tells a page opened without the token, or with an old one, what to open', async () => {
    const { page } = await tab();
    await page.goto(`${web.url}/`);
    await statusBar(page).getByText(`App info unavailable: ${NO_TOKEN_MESSAGE}`).waitFor();
    await page.goto(`${web.url}/?token=${'A'.repeat(43)}`);
    await statusBar(page).getByText(`App info unavailable: ${REFUSED_TOKEN_MESSAGE}`).waitFor();
    expect(page.url()).toBe(`${web.url}/`);
    await page.context().close();
  });

  it('delivers events through the header-carrying stream, and reconnects when the connection drops', async () => {
    const { page } = await tab();
    await page.goto(web.appUrl);
    await dataFolderShown(page);
    await page.evaluate("window.__seen = []; window.roster.on('realms:changed', (payload) => window.__seen.push(payload.ids[0]))");
    const create = (name: string) => web.services.realms.create(realmFromPreset('openldap', { name, urls: ['ldap://h'], bindDn: '', baseDn: 'dc=x' }));
    const first = await create('First');
    await expect.poll(() => page.evaluate('window.__seen')).toEqual([first.id]);

    // Every connection dropped, as when a proxy or the OS cuts them: the page opens the stream again by itself.
    const reopened = new Promise<void>((done) => web.server.on('request', (req) => req.url === '/__events' && done()));
    web.server.closeAllConnections();
    await reopened;
    const second = await create('Second');
    await expect.poll(() => page.evaluate('window.__seen')).toEqual([first.id, second.id]);
    await page.context().close();
  });

  it('gives nothing to a page reaching it through another name (DNS rebinding), even holding the token', async () => {
    // This Chromium resolves evil.example to 127.0.0.1, as a rebinding attacker's DNS would, and lets a page of
    // unknown address space call loopback, as browsers without Private Network Access checks (Firefox) do:
    // what stops the call is then the server's Host check alone.
    const rebound = await chromium.launch({
      executablePath: process.env.ROSTER_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        ...CHROMIUM_ARGS,
        '--host-resolver-rules=MAP evil.example 127.0.0.1',
        '--disable-features=BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights,PrivateNetworkAccessRespectPreflightResults,LocalNetworkAccessChecks',
      ],
    });
    try {
      const page = await rebound.newPage();
      const response = await page.goto(`http://evil.example:${web.port}/?token=${web.token}`);
      expect(response?.status()).toBe(403);
      expect(await page.content()).not.toContain('__roster-bridge.js');
      // The attacker's own page, served before the name was rebound (here by the browser itself), then calling
      // "its own" server, which now is Roster: refused, token or not.
      await page.route(`http://evil.example:${web.port}/attack`, (route) => route.fulfill({ contentType: 'text/html', body: '<title>attack</title>' }));
      await page.goto(`http://evil.example:${web.port}/attack`);
      const call = `fetch('/__rpc/app:info', { method: 'POST', headers: { 'x-roster-token': ${JSON.stringify(web.token)} }, body: '{}' }).then((r) => r.status)`;
      expect(await page.evaluate(call)).toBe(403);
      expect(await page.evaluate("fetch('/').then((r) => r.status)")).toBe(403);
    } finally {
      await rebound.close();
    }
  });
});
