// A newcomer's first minutes, for real and slowly: a fresh copy of the project (the files git knows, no node_modules),
// `npm install` on a machine where Electron's binary cannot be downloaded, then build, typecheck and lint in that copy.
// The download is made to fail by pointing ELECTRON_MIRROR at a closed loopback port (and an empty download cache),
// so the test means the same on a workstation with network as on this machine without.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
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
