/**
 * Switches and variables that open a running Roster to a debugger: with them, anyone at the desk could read
 * the bind passwords a session keeps in main's memory. A packaged app refuses to start with any of them;
 * in development they are the developer's tools. (Electron fuses, set when installers are built, close the
 * same doors before any of Roster's code runs; this check is the app's own second lock.)
 */
const SWITCHES = ['--inspect', '--inspect-brk', '--inspect-port', '--remote-debugging-port', '--remote-debugging-pipe', '--js-flags'];
const VARIABLES = ['NODE_OPTIONS', 'ELECTRON_RUN_AS_NODE', 'ELECTRON_ENABLE_LOGGING'];

/** The debugging switches and variables present, when the app is packaged (none are refused otherwise). */
export function forbiddenDebugAccess(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, packaged: boolean): string[] {
  if (!packaged) return [];
  const switches = argv.filter((arg) => SWITCHES.some((name) => arg === name || arg.startsWith(`${name}=`))).map((arg) => arg.split('=')[0]!);
  const variables = VARIABLES.filter((name) => (env[name] ?? '') !== '');
  return [...new Set([...switches, ...variables])];
}

/** What Roster says when it refuses to start, naming what it found. */
export const debugAccessMessage = (found: readonly string[]): string =>
  `Roster does not start with debugging access (${found.join(', ')}): it would expose the directory passwords it holds. Start it without ${found.length === 1 ? 'it' : 'them'}.`;
