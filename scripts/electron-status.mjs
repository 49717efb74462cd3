// Where Roster's Electron stands on this machine: the `electron` package (its JavaScript and type definitions) and
// the binary its install step downloads. `electron` is an OPTIONAL dependency, so `npm install` carries on when the
// download fails (a locked-down or offline workstation); npm then removes the package, and scripts/postinstall.mjs
// puts it back without the binary so typecheck, lint and build work the same either way.
// Used by scripts/postinstall.mjs, scripts/get-electron.mjs and scripts/start.mjs. Plain Node, no dependencies
// (`tar` is imported only when the package has to be put back).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The electron version and integrity the lock file pins (package.json's exact version when there is no lock). */
export function pinnedElectron(root) {
  try {
    const entry = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')).packages?.['node_modules/electron'];
    if (entry?.version) return { version: entry.version, integrity: entry.integrity };
  } catch {
    // No lock file: fall back to package.json.
  }
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return { version: pkg.optionalDependencies?.electron ?? pkg.devDependencies?.electron, integrity: undefined };
}

const readText = (file) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

/**
 * What `npm start` can use: `ready` (with the binary's path), `no-binary` (the package is there, the binary is not,
 * with the reason) or `no-package` (npm removed it after its download failed).
 */
export function electronStatus(root, env = process.env) {
  const dir = join(root, 'node_modules', 'electron');
  const pinned = pinnedElectron(root);
  const manifest = readText(join(dir, 'package.json'));
  if (manifest === undefined) return { state: 'no-package', dir, ...pinned, reason: 'its download failed' };
  const version = JSON.parse(manifest).version;
  const executable = readText(join(dir, 'path.txt'));
  // The same lookup as the electron package's index.js.
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const binary = join(env.ELECTRON_OVERRIDE_DIST_PATH, executable || 'electron');
    if (existsSync(binary)) return { state: 'ready', dir, version, binary };
    return { state: 'no-binary', dir, version, reason: `ELECTRON_OVERRIDE_DIST_PATH is set, but ${binary} does not exist` };
  }
  if (executable && existsSync(join(dir, 'dist', executable))) return { state: 'ready', dir, version, binary: join(dir, 'dist', executable) };
  const reason = env.ELECTRON_SKIP_BINARY_DOWNLOAD ? 'its download was skipped: ELECTRON_SKIP_BINARY_DOWNLOAD is set' : 'its download did not complete';
  return { state: 'no-binary', dir, version, reason };
}

/** The one line `npm install` prints when there is no binary: why, what happens instead, and the ways to get one. */
export function noticeLine(status) {
  return (
    `Roster: no Electron binary (${status.reason}), so \`npm start\` opens Roster in your browser instead. ` +
    `For the desktop window, set ELECTRON_MIRROR (a mirror of Electron's releases) or ELECTRON_GET_USE_PROXY=1 with GLOBAL_AGENT_HTTPS_PROXY (a proxy) ` +
    `and run \`npm run get-electron\`, or set ELECTRON_OVERRIDE_DIST_PATH to a folder holding Electron ${status.version}.`
  );
}

/** Runs npm: the same npm that runs this script when there is one (npm_execpath), else the one on PATH. */
export function runNpm(args, options = {}) {
  const cli = process.env.npm_execpath;
  if (cli && /\.[cm]?js$/.test(cli)) return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', ...options });
  return spawnSync('npm', args, { encoding: 'utf8', shell: process.platform === 'win32', ...options });
}

/**
 * Puts the electron package back without its binary: the tarball npm just fetched (from npm's cache, so this works
 * offline) is checked against the lock file's integrity and unpacked into node_modules/electron.
 */
export async function restoreElectronPackage(root, pinned = pinnedElectron(root)) {
  const dir = join(root, 'node_modules', 'electron');
  const work = mkdtempSync(join(tmpdir(), 'roster-electron-'));
  try {
    const packed = runNpm(['pack', `electron@${pinned.version}`, '--pack-destination', work, '--prefer-offline', '--silent'], { cwd: work });
    const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
    if (packed.status !== 0 || !tarball) {
      const said = `${packed.stderr ?? ''}${packed.error?.message ?? ''}`.trim().split('\n').pop();
      throw new Error(`npm pack electron@${pinned.version} failed${said ? `: ${said}` : ''}`);
    }
    const bytes = readFileSync(join(work, tarball));
    const expected = (pinned.integrity ?? '').split(/\s+/).find((entry) => entry.startsWith('sha512-'));
    if (expected && `sha512-${createHash('sha512').update(bytes).digest('base64')}` !== expected) {
      throw new Error(`electron@${pinned.version} from npm does not match the integrity in package-lock.json`);
    }
    const { x } = await import('tar');
    mkdirSync(dir, { recursive: true });
    await x({ file: join(work, tarball), cwd: dir, strip: 1 });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
