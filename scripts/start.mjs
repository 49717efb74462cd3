// `npm start` (after `electron-vite build`): opens Roster. With an Electron binary and a display, the desktop window;
// without either, one line saying why, then the same built renderer and handler table in the default browser, served
// on loopback by `roster serve` (which prints the address). Arguments after `npm start --` go to either one
// (`--data-dir DIR`; `--port N` and `--no-open` in the browser).
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronStatus } from './electron-status.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

/** Why the desktop window cannot open here, or undefined when it can. */
export function whyNoWindow(status, env = process.env, platform = process.platform) {
  if (status.state !== 'ready') return `no Electron binary (${status.reason})`;
  const needsDisplay = platform !== 'win32' && platform !== 'darwin';
  if (needsDisplay && !env.DISPLAY && !env.WAYLAND_DISPLAY) return 'no display (DISPLAY and WAYLAND_DISPLAY are not set)';
  return undefined;
}

/** Runs a child with this terminal, passing on the signals that end it, and exits with its code. */
function runAndExit(command, commandArgs, env) {
  const child = spawn(command, commandArgs, { cwd: root, env, stdio: 'inherit' });
  // Ctrl+C reaches the whole process group; the child ends itself cleanly, and this process waits for it.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    console.error(`Roster: could not start ${command}: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const status = electronStatus(root);
  const why = whyNoWindow(status);
  if (why === undefined) {
    const env = { ...process.env };
    delete env.ELECTRON_RUN_AS_NODE;
    runAndExit(status.binary, [root, ...args], env);
  } else {
    console.log(`Roster: ${why}, so Roster opens in your browser instead.`);
    runAndExit(process.execPath, [resolve(root, 'bin/roster.mjs'), 'serve', ...args], process.env);
  }
}
