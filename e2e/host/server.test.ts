import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realmFromPreset } from '../../src-shared/model/realm-presets';
import { startHost, type Host } from './server';

let host: Host;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-host-'));
  host = await startHost({ dataDir: dir, rendererDir: join(import.meta.dirname, '../../src-renderer') });
});
afterAll(async () => {
  await host?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('e2e HTTP host', () => {
  it('serves index.html with the bridge before the app script', async () => {
    const html = await (await fetch(host.url)).text();
    expect(html.indexOf('<script src="/__roster-bridge.js"></script>')).toBeGreaterThan(0);
    expect(html.indexOf('/__roster-bridge.js')).toBeLessThan(html.indexOf('./src/main.tsx'));
  });

  it('refuses RPC calls without the page token, and answers with a Result when given it', async () => {
    expect((await fetch(`${host.url}/__rpc/realms:list`, { method: 'POST', body: '{}' })).status).toBe(403);
    const bridge = await (await fetch(`${host.url}/__roster-bridge.js`)).text();
    const token = /const token = "([0-9a-f]{32})"/.exec(bridge)?.[1];
    const answer = await fetch(`${host.url}/__rpc/realms:list`, { method: 'POST', headers: { 'x-roster-token': token ?? '' }, body: '{}' });
    expect(await answer.json()).toEqual({ ok: true, value: [] });
  });

  it('pushes realms:changed to the page when a realm is created', async () => {
    const bridge = await (await fetch(`${host.url}/__roster-bridge.js`)).text();
    const token = /const token = "([0-9a-f]{32})"/.exec(bridge)?.[1] ?? '';
    const events = await fetch(`${host.url}/__events?token=${token}`);
    const reader = events.body!.getReader();
    await reader.read(); // the ": connected" comment
    const created = await host.services.realms.create(realmFromPreset('openldap', { name: 'Pushed', urls: ['ldap://h'], bindDn: '', baseDn: 'dc=x' }));
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toBe(`data: ${JSON.stringify({ event: 'realms:changed', payload: { ids: [created.id] } })}\n\n`);
    await reader.cancel();
  });

  it('does not serve files outside the renderer folder', async () => {
    expect((await fetch(`${host.url}/..%2F..%2Fpackage.json`)).status).toBe(403);
  });
});
