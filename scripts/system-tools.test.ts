// scripts/system-tools.sh: the check `npm test` and `.ci/run` start with. Run for real: bash with a PATH and a root
// pointed at temporary folders stands for a machine without the tools; the real machine has them all.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const SCRIPT = join(ROOT, 'scripts/system-tools.sh');
const which = (name: string): string => execFileSync('/bin/sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
const BASH = which('bash');
const SUDO = process.getuid?.() === 0 ? '' : 'sudo ';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}
function run(file: string, args: string[], env: NodeJS.ProcessEnv, cwd = ROOT): Promise<Run> {
  return new Promise((done) => {
    execFile(file, args, { env, cwd, maxBuffer: 16 << 20 }, (error, stdout, stderr) =>
      done({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

/** The environment with ROSTER_CHROMIUM and ROSTER_SYSTEM_ROOT removed, then `extra` applied. */
function envWith(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.ROSTER_CHROMIUM;
  delete env.ROSTER_SYSTEM_ROOT;
  return { ...env, ...extra };
}

let dir: string;
let empty: string;
/** A PATH folder holding sh, bash, node, ldapmodify and openssl (the real ones) but no ldapsearch and no npm. */
let withoutLdapsearch: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-system-tools-'));
  empty = join(dir, 'empty');
  withoutLdapsearch = join(dir, 'bin');
  execFileSync('mkdir', [empty, withoutLdapsearch]);
  for (const tool of ['sh', 'bash', 'node', 'ldapmodify', 'openssl']) await symlink(which(tool), join(withoutLdapsearch, tool));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('scripts/system-tools.sh', () => {
  it('on this machine, where every tool is present, exits 0 and prints nothing', async () => {
    expect(await run(BASH, [SCRIPT, 'check'], process.env)).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('on a machine with none of the tools, names each one and the exact command that installs them, and exits 1', async () => {
    const result = await run(BASH, [SCRIPT, 'check'], envWith({ PATH: empty, ROSTER_SYSTEM_ROOT: empty }));
    const at = (path: string) => `${empty}${path}`;
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr:
        `The tests need system tools that are missing: ${at('/usr/sbin/slapd')} ${at('/usr/sbin/slapadd')} ${at('/usr/sbin/slapcat')} ` +
        `ldapsearch ldapmodify openssl ${at('/usr/bin/chromium')} ${at('/usr/sbin/samba')} ${at('/usr/bin/samba-tool')} ` +
        `${at('/usr/share/samba/setup/provision.ldif')}\n` +
        'Install them, then run npm test again:\n' +
        `  ${SUDO}apt-get update && ${SUDO}apt-get install -y --no-install-recommends slapd ldap-utils openssl chromium samba-ad-dc samba-ad-provision\n`,
    });
  });

  it('install mode cannot install without apt-get on PATH, so it stops with the same message', async () => {
    const result = await run(BASH, [SCRIPT, 'install'], envWith({ PATH: withoutLdapsearch }));
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'The tests need system tools that are missing: ldapsearch\n' +
        'Install them, then run npm test again:\n' +
        `  ${SUDO}apt-get update && ${SUDO}apt-get install -y --no-install-recommends ldap-utils\n`,
    });
  });

  it('checks the Chromium that ROSTER_CHROMIUM names when it is set', async () => {
    const chromium = join(empty, 'my-chromium');
    const result = await run(BASH, [SCRIPT, 'check'], envWith({ ROSTER_CHROMIUM: chromium }));
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr:
        `The tests need system tools that are missing: ${chromium} (ROSTER_CHROMIUM)\n` +
        'Install them, then run npm test again:\n' +
        `  ${SUDO}apt-get update && ${SUDO}apt-get install -y --no-install-recommends chromium\n`,
    });
  });

  it('refuses an unknown mode', async () => {
    expect(await run(BASH, [SCRIPT, 'instal'], process.env)).toEqual({ code: 2, stdout: '', stderr: 'usage: bash scripts/system-tools.sh check|install\n' });
  });
});

describe('npm test', () => {
  it('with ldapsearch hidden from PATH, stops before building or running any test, naming the tool and the command', async () => {
    // npm is started by its script path and is not on PATH: had the check let it through, the next step
    // (`npm run build`) would fail at once with "npm: not found" (exit 127) instead of building.
    const npmCli = realpathSync(which('npm'));
    const result = await run(which('node'), [npmCli, 'test'], envWith({ PATH: withoutLdapsearch, npm_config_update_notifier: 'false' }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'The tests need system tools that are missing: ldapsearch\n' +
        'Install them, then run npm test again:\n' +
        `  ${SUDO}apt-get update && ${SUDO}apt-get install -y --no-install-recommends ldap-utils\n`,
    );
    expect(result.stderr).not.toContain('not found');
    expect(result.stdout).not.toContain('vite');
  });
});
