import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The per-user data folder the app and the CLI share by default (Electron's userData for "Roster"). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Roster');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Roster');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'Roster');
}

/** Roster's version from package.json, for processes run from source (the CLI, the e2e host); the app asks Electron. */
export const packageVersion = (): string => (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** `--data-dir` wins, then ROSTER_DATA_DIR, then the app's data folder. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return resolve(flag);
  if (env.ROSTER_DATA_DIR) return resolve(env.ROSTER_DATA_DIR);
  return defaultDataDir(env);
}

/** Reads `--data-dir DIR` / `--data-dir=DIR` from raw argv (the Electron shell has no CLI parser). */
export function dataDirFlag(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--data-dir') return argv[i + 1];
    if (arg.startsWith('--data-dir=')) return arg.slice('--data-dir='.length);
  }
  return undefined;
}
