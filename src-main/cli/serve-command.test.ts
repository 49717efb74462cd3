import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../core/store/lock';
import { startWebServer } from '../web/server';
import { browserOpener, hasDisplay, parsePort } from './serve-command';
import { runWithServe } from './serve-testing';

const ROOT = resolve(import.meta.dirname, '../..');
const RENDERER = join(ROOT, 'src-renderer');
const LINE = /^Roster is running at (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]{43})); Ctrl\+C to stop\.$/;

let dir: string;
/** A fake xdg-open on PATH that writes the address it was given to a file. */
let fakeBin: string;
let openedFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-serve-'));
  fakeBin = join(dir, 'bin');
  openedFile = join(dir, 'opened.txt');
  await mkdir(fakeBin);
  await writeFile(join(fakeBin, 'xdg-open'), `#!/bin/sh\nprintf '%s' "$1" > "${openedFile}.part" && mv "${openedFile}.part" "${openedFile}"\n`);
  await chmod(join(fakeBin, 'xdg-open'), 0o755);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs the command in this process (for what never starts a server) and captures its output. */
async function serveHere(args: string[], rendererDir = RENDERER) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runWithServe(['node', 'roster', 'serve', ...args], { out: (t) => out.push(t), err: (t) => err.push(t) }, { rendererDir });
  return { code, out, err };
}

/** `roster serve` as a process of its own; `line` resolves with the address line once printed. */
function serveChild(args: string[], env: NodeJS.ProcessEnv = {}) {
  const base = { ...process.env };
  delete base.DISPLAY;
  delete base.WAYLAND_DISPLAY;
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'serve.child.ts'), 'serve', ...args], {
    cwd: ROOT,
    env: { ...base, SERVE_CHILD_RENDERER: RENDERER, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let found: (match: RegExpExecArray) => void;
  const line = new Promise<RegExpExecArray>((done) => (found = done));
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    for (const text of out.split('\n')) {
      const match = LINE.exec(text);
      if (match) found(match);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const exit = new Promise<{ code: number | null; out: string[]; err: string }>((done) =>
    child.on('close', (code) => done({ code, out: out.split('\n').filter(Boolean), err })),
  );
  return { child, line, exit };
}

const listening = async (): Promise<{ server: Server; port: number }> => {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, port: (server.address() as { port: number }).port };
};

describe('roster serve, its command line', () => {
  it('takes --port from 0 to 65535 and refuses anything else as a usage error (exit 2)', async () => {
    expect([parsePort('0'), parsePort('5199'), parsePort('65535')]).toEqual([0, 5199, 65535]);
    for (const port of ['abc', '65536', '-1', '1.5', '', '0x10', '99999', ' 80']) {
      const { code, err } = await serveHere(['--port', port, '--data-dir', join(dir, 'never')]);
      expect([port, code, err[0]]).toEqual([
        port,
        2,
        `error: option '--port <N>' argument '${port}' is invalid. Give a port number from 0 to 65535 (0 picks a free one).`,
      ]);
    }
    await expect(stat(join(dir, 'never'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('says to run npm run build when the app is not built (exit 1), before touching the data folder', async () => {
    const empty = join(dir, 'not-built');
    await mkdir(empty);
    const { code, out, err } = await serveHere(['--no-open', '--data-dir', join(dir, 'unused')], empty);
    expect([code, out, err]).toEqual([
      1,
      [],
      [`roster: The app is not built (${join(empty, 'index.html')} is missing): run npm run build, then roster serve again.`],
    ]);
    await expect(stat(join(dir, 'unused'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('knows when there is no display to open a browser on', () => {
    expect(hasDisplay({}, 'linux')).toBe(false);
    expect(hasDisplay({ DISPLAY: '' }, 'freebsd')).toBe(false);
    expect(hasDisplay({ DISPLAY: ':0' }, 'linux')).toBe(true);
    expect(hasDisplay({ WAYLAND_DISPLAY: 'wayland-0' }, 'openbsd')).toBe(true);
    expect(hasDisplay({}, 'darwin')).toBe(true);
    expect(hasDisplay({}, 'win32')).toBe(true);
  });

  it('hands the system opener nothing but a plain loopback address', () => {
    const url = `http://127.0.0.1:5199/?token=${'a'.repeat(43)}`;
    expect(browserOpener(url, 'linux')).toEqual({ command: 'xdg-open', args: [url], verbatim: false });
    expect(browserOpener(url, 'darwin')).toEqual({ command: 'open', args: [url], verbatim: false });
    expect(browserOpener(url, 'win32')).toEqual({ command: 'cmd.exe', args: ['/d', '/c', 'start', '""', url], verbatim: true });
    for (const bad of [`${url}&calc`, `${url}"`, 'http://evil.example/?token=a', `${url} x`, 'file:///etc/passwd']) {
      expect(() => browserOpener(bad, 'win32')).toThrow('Refusing to hand');
    }
  });
});

describe('roster serve, running', () => {
  it('prints the address with the token on exactly one line, serves the app there, and stops cleanly on SIGTERM (exit 0)', async () => {
    const dataDir = join(dir, 'running');
    const run = serveChild(['--no-open', '--data-dir', dataDir]);
    const [, appUrl, port, token] = await run.line;
    const page = await fetch(appUrl!);
    expect([page.status, (await page.text()).includes('<script src="/__roster-bridge.js"></script>')]).toEqual([200, true]);
    const api = await fetch(`http://127.0.0.1:${port}/__rpc/app:info`, { method: 'POST', headers: { 'x-roster-token': token! }, body: '{}' });
    expect(((await api.json()) as { value: { dataDir: string } }).value.dataDir).toBe(dataDir);
    await stat(join(dataDir, LOCK_FILE));
    run.child.kill('SIGTERM');
    const { code, out, err } = await run.exit;
    expect({ code, out, err }).toEqual({
      code: 0,
      out: [`Data folder: ${dataDir}`, `Roster is running at ${appUrl}; Ctrl+C to stop.`, 'Stopping Roster…', 'Roster stopped.'],
      err: '',
    });
    expect(out.filter((text) => text.includes(token!))).toHaveLength(1);
    await expect(stat(join(dataDir, LOCK_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(fetch(appUrl!)).rejects.toThrow();
  });

  it('stops cleanly on Ctrl+C (SIGINT) too, and on a hang-up (SIGHUP) without writing to the closed terminal', async () => {
    const interrupted = serveChild(['--no-open', '--port', '0', '--data-dir', join(dir, 'interrupted')]);
    await interrupted.line;
    interrupted.child.kill('SIGINT');
    const { code, out } = await interrupted.exit;
    expect([code, out.at(-1)]).toEqual([0, 'Roster stopped.']);
    const hungUp = serveChild(['--no-open', '--data-dir', join(dir, 'hung-up')]);
    await hungUp.line;
    hungUp.child.kill('SIGHUP');
    const after = await hungUp.exit;
    expect([after.code, after.out.length, after.err]).toEqual([0, 2, '']);
    await expect(stat(join(dir, 'hung-up', LOCK_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('opens the default browser on the address when there is a display', async () => {
    const run = serveChild(['--data-dir', join(dir, 'opened')], { DISPLAY: ':99', PATH: `${fakeBin}:${process.env.PATH}` });
    const [, appUrl] = await run.line;
    await expect.poll(() => readFile(openedFile, 'utf8').catch(() => ''), { timeout: 30_000 }).toBe(appUrl);
    run.child.kill('SIGTERM');
    const { code, out } = await run.exit;
    expect(code).toBe(0);
    expect(out.some((text) => text.startsWith('No display'))).toBe(false);
    await rm(openedFile);
  });

  it('says so instead of opening a browser when there is no display', async () => {
    const run = serveChild(['--data-dir', join(dir, 'headless')], { PATH: `${fakeBin}:${process.env.PATH}` });
    await run.line;
    run.child.kill('SIGTERM');
    const { code, out } = await run.exit;
    expect([code, out[2]]).toEqual([0, 'No display: open the address above in a browser.']);
    await expect(stat(openedFile)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('fails with exit 1 and a clear message when the port is taken, without opening the data folder', async () => {
    const { server, port } = await listening();
    try {
      const run = serveChild(['--no-open', '--port', String(port), '--data-dir', join(dir, 'port-taken')]);
      expect(await run.exit).toEqual({
        code: 1,
        out: [],
        err: `roster: Port ${port} on 127.0.0.1 is already in use by another program: choose another with --port, or --port 0 for a free one.\n`,
      });
      await expect(stat(join(dir, 'port-taken'))).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      server.close();
    }
  });

  it('fails with exit 1 and names who has the data folder when another Roster holds it', async () => {
    const dataDir = join(dir, 'held');
    const holder = await startWebServer({ dataDir, rendererDir: RENDERER });
    try {
      const { code, out, err } = await serveChild(['--no-open', '--data-dir', dataDir]).exit;
      expect([code, out]).toEqual([1, []]);
      expect(err).toMatch(
        new RegExp(
          `^roster: Roster in the browser \\(pid ${process.pid}, since [^)]+\\) has the data folder ${dataDir} open\\. Close it and try again, or use another --data-dir\\.\\n$`,
        ),
      );
    } finally {
      await holder.close();
    }
  });
});
