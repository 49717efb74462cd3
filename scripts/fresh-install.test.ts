// A newcomer's first minutes, for real and slowly: a fresh copy of the project (the files git knows, no node_modules),
// `npm install` on a machine where Electron's binary cannot be downloaded, then build, typecheck and lint in that copy,
// and `npm start` with no display, which must serve Roster to the browser on loopback behind its token.
// The download is made to fail by pointing ELECTRON_MIRROR at a closed loopback port (and an empty download cache),
// so the test means the same on a workstation with network as on this machine without.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const SLOW = 15 * 60_000;

interface Run {
  code: number | null;
  output: string;
}
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((done) => {
    execFile(command, args, { cwd, env, maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
      done({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, output: `${stdout}\n${stderr}` }),
    );
  });
}

/** npm's settings that say where packages come from are kept; the rest of what the outer npm run exported is not. */
const KEPT_NPM = /^npm_config_(cache|registry|userconfig|globalconfig|proxy|https_proxy|noproxy|no_proxy|strict_ssl|cafile|ca)$/i;

/** A port on loopback that nothing listens on: connecting to it is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

let copy: string;
let env: NodeJS.ProcessEnv;
let install: Run;

beforeAll(async () => {
  copy = await mkdtemp(join(tmpdir(), 'roster-fresh-'));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file && existsSync(join(ROOT, file)));
  for (const file of files) {
    await mkdir(dirname(join(copy, file)), { recursive: true });
    await writeFile(join(copy, file), readFileSync(join(ROOT, file)));
  }
  const cache = join(copy, '.empty-electron-cache');
  await mkdir(cache);
  env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(npm_|INIT_CWD$|ELECTRON_)/i.test(name) || KEPT_NPM.test(name)));
  Object.assign(env, {
    ELECTRON_MIRROR: `http://127.0.0.1:${await closedPort()}/`,
    electron_config_cache: cache,
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
  });
  install = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], copy, env);
}, SLOW);

afterAll(async () => {
  if (copy) await rm(copy, { recursive: true, force: true });
});

describe('a fresh copy of the project on a machine that cannot download Electron', () => {
  it('npm install exits 0 and says once, in one line, why there is no binary and how to get one', () => {
    expect(install.code, install.output).toBe(0);
    const notices = install.output.split('\n').filter((line) => line.includes('Electron binary'));
    expect(notices, install.output).toHaveLength(1);
    const [notice] = notices as [string];
    expect(notice).toMatch(/^Roster: no Electron binary \(its download failed\), so `npm start` opens Roster in your browser instead\./);
    for (const way of ['ELECTRON_MIRROR', 'ELECTRON_GET_USE_PROXY=1', 'GLOBAL_AGENT_HTTPS_PROXY', 'npm run get-electron', 'ELECTRON_OVERRIDE_DIST_PATH']) {
      expect(notice).toContain(way);
    }
    // npm dropped the optional package after its download failed; postinstall put back its JavaScript and types, not a binary.
    const electron = join(copy, 'node_modules/electron');
    expect(JSON.parse(readFileSync(join(electron, 'package.json'), 'utf8')).version).toBe(
      JSON.parse(readFileSync(join(copy, 'package-lock.json'), 'utf8')).packages['node_modules/electron'].version,
    );
    expect(existsSync(join(electron, 'electron.d.ts'))).toBe(true);
    expect(existsSync(join(electron, 'path.txt'))).toBe(false);
    expect(existsSync(join(electron, 'dist'))).toBe(false);
  });

  it(
    'npm run build, npm run typecheck and npm run lint succeed in that copy',
    async () => {
      expect(install.code).toBe(0);
      const build = await run('npm', ['run', 'build'], copy, env);
      expect(build.code, build.output).toBe(0);
      expect(existsSync(join(copy, 'out/main/index.js'))).toBe(true);
      expect(existsSync(join(copy, 'out/renderer/index.html'))).toBe(true);
      const typecheck = await run('npm', ['run', 'typecheck'], copy, env);
      expect(typecheck.code, typecheck.output).toBe(0);
      const lint = await run('npm', ['run', 'lint'], copy, env);
      expect(lint.code, lint.output).toBe(0);
    },
    SLOW,
  );
});

/** An HTTP request with whatever Host and Origin headers a test wants (fetch cannot set Host). */
function call(
  url: URL,
  options: { path: string; method?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const req = request({ host: url.hostname, port: url.port, path: options.path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', fail);
    req.end(options.body);
  });
}

/** Whether anything accepts a TCP connection at host:port. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

describe('npm start in that copy, with no Electron binary and no display', () => {
  let start: ChildProcess | undefined;
  afterAll(() => {
    // Whatever is left of the process group after a failure (none of it after a pass: npm may end by the signal).
    if (start?.pid && start.exitCode === null && start.signalCode === null) {
      try {
        process.kill(-start.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  });

  it(
    'says why in one line, then serves the app on 127.0.0.1 only, refusing calls without the token or from a foreign Host or Origin',
    async () => {
      expect(install.code).toBe(0);
      const startEnv: NodeJS.ProcessEnv = { ...env, ROSTER_DATA_DIR: join(copy, '.roster-data') };
      delete startEnv.DISPLAY;
      delete startEnv.WAYLAND_DISPLAY;
      // Its own process group, so the whole tree (npm, the shell, start.mjs, roster serve) can be signalled at once.
      const child = spawn('npm', ['start'], { cwd: copy, env: startEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      start = child;
      let output = '';
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      const address = await new Promise<URL>((found, fail) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString('utf8');
          const match = /Roster is running at (http:\/\/\S+); Ctrl\+C to stop\./.exec(output);
          if (match) found(new URL(match[1]!));
        });
        child.once('exit', (code) => fail(new Error(`npm start ended (${code}) before printing an address:\n${output}`)));
      });

      expect(output).toMatch(/^Roster: no Electron binary \(its download did not complete\), so Roster opens in your browser instead\.$/m);
      expect(address.hostname).toBe('127.0.0.1');
      const token = address.searchParams.get('token') ?? '';
      expect(token.length).toBeGreaterThanOrEqual(32);
      expect(output.split('\n').filter((line) => line.includes(token))).toHaveLength(1);

      const host = `127.0.0.1:${address.port}`;
      const origin = `http://${host}`;
      const page = await call(address, { path: `${address.pathname}${address.search}`, headers: { host } });
      expect(page.status).toBe(200);
      expect(page.body).toContain('<script src="/__roster-bridge.js"></script>');
      expect(page.body).not.toContain(token);

      const rpc = (headers: Record<string, string>) =>
        call(address, { path: '/__rpc/realms:list', method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
      const allowed = await rpc({ host, origin, 'x-roster-token': token });
      expect(allowed.status).toBe(200);
      expect(JSON.parse(allowed.body)).toEqual({ ok: true, value: [] });
      expect((await rpc({ host, origin })).status).toBe(403);
      expect((await rpc({ host, origin, 'x-roster-token': 'f'.repeat(token.length) })).status).toBe(403);
      expect((await rpc({ host: `evil.example:${address.port}`, origin, 'x-roster-token': token })).status).toBe(403);
      expect((await rpc({ host, origin: 'http://evil.example', 'x-roster-token': token })).status).toBe(403);
      expect((await call(address, { path: '/', headers: { host: `evil.example:${address.port}` } })).status).toBe(403);

      // Bound to 127.0.0.1 only: the same port on another loopback address (all of 127/8 reaches this machine) is closed.
      expect(await accepts('127.0.0.1', Number(address.port))).toBe(true);
      expect(await accepts('127.0.0.2', Number(address.port))).toBe(false);

      const ended = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
      process.kill(-child.pid!, 'SIGINT');
      await ended;
      expect(await accepts('127.0.0.1', Number(address.port))).toBe(false);
    },
    SLOW,
  );
});
