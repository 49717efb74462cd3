import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realmFromPreset } from '#shared/model/realm-presets';
import { startHost, type Host } from './server';

let host: Host;
let dir: string;
let token: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-host-'));
  host = await startHost({ dataDir: dir, rendererDir: join(import.meta.dirname, '../../src-renderer') });
  token = new URL(host.url).searchParams.get('token') ?? '';
});
afterAll(async () => {
  await host?.close();
  await rm(dir, { recursive: true, force: true });
});

// The e2e host is the browser mode with a test data folder; src-main/web/server.test.ts tests its protections.
describe('e2e HTTP host', () => {
  it('opens at the server origin with the per-run token, which the bridge script does not hold', async () => {
    expect(host.url).toBe(`${host.origin}/?token=${token}`);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await (await fetch(`${host.origin}/__roster-bridge.js`)).text()).not.toContain(token);
  });

  it('serves index.html with the bridge before the app script', async () => {
    const html = await (await fetch(host.url)).text();
    expect(html.indexOf('<script src="/__roster-bridge.js"></script>')).toBeGreaterThan(0);
    expect(html.indexOf('/__roster-bridge.js')).toBeLessThan(html.indexOf('./src/main.tsx'));
  });

  it('refuses RPC calls without the token, and answers with a Result when given it', async () => {
    expect((await fetch(`${host.origin}/__rpc/realms:list`, { method: 'POST', body: '{}' })).status).toBe(403);
    const answer = await fetch(`${host.origin}/__rpc/realms:list`, { method: 'POST', headers: { 'x-roster-token': token }, body: '{}' });
    expect(await answer.json()).toEqual({ ok: true, value: [] });
  });

  it('pushes realms:changed to the page when a realm is created', async () => {
    const events = await fetch(`${host.origin}/__events`, { headers: { 'x-roster-token': token } });
    const reader = events.body!.getReader();
    await reader.read(); // the ": connected" comment
    const created = await host.services.realms.create(realmFromPreset('openldap', { name: 'Pushed', urls: ['ldap://h'], bindDn: '', baseDn: 'dc=x' }));
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toBe(`data: ${JSON.stringify({ event: 'realms:changed', payload: { ids: [created.id] } })}\n\n`);
    await reader.cancel();
  });

  it('does not serve files outside the renderer folder', async () => {
    expect((await fetch(`${host.origin}/..%2F..%2Fpackage.json`)).status).toBe(403);
  });
});
