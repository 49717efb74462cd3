import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { RosterError } from '#shared/result';
import { resolveDataDir } from '../core/paths';
import { startWebServer, type WebServer } from '../web/server';
import type { GlobalOptions } from './context';
import type { Output } from './output';

/** The built renderer `npm run build` writes, relative to this file in the repository (or package). */
export const BUILT_RENDERER = join(import.meta.dirname, '../../out/renderer');

/** What stops the server: Ctrl+C, a kill, the terminal closing. A second one ends the process at once (Node's default). */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** What a test may replace; the command line itself never sets these. */
export interface ServeDeps {
  rendererDir?: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

/** `--port N`: 0 (a free port) to 65535. */
export function parsePort(value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw new InvalidArgumentError('Give a port number from 0 to 65535 (0 picks a free one).');
  return Number(value);
}

/** Whether a browser window can be shown: Windows and macOS always; elsewhere only under X11 or Wayland. */
export const hasDisplay = (env: NodeJS.ProcessEnv, platform: NodeJS.Platform): boolean =>
  platform === 'win32' || platform === 'darwin' || Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);

/**
 * The system's own "open this address" command. The address is checked to be a plain loopback URL first,
 * so nothing in it means anything to cmd.exe (whose `start` would otherwise read `&` and `^`).
 */
export function browserOpener(url: string, platform: NodeJS.Platform): { command: string; args: string[]; verbatim: boolean } {
  if (!/^http:\/\/127\.0\.0\.1:\d{1,5}\/\?token=[A-Za-z0-9_-]+$/.test(url)) throw new Error(`Refusing to hand ${JSON.stringify(url)} to a shell.`);
  if (platform === 'win32') return { command: 'cmd.exe', args: ['/d', '/c', 'start', '""', url], verbatim: true };
  if (platform === 'darwin') return { command: 'open', args: [url], verbatim: false };
  return { command: 'xdg-open', args: [url], verbatim: false };
}

/** Starts the browser on the address, detached and silent; a failure is reported in one line, never fatal. */
function openBrowser(url: string, platform: NodeJS.Platform, env: NodeJS.ProcessEnv, output: Output): void {
  const { command, args, verbatim } = browserOpener(url, platform);
  const child = spawn(command, args, { detached: true, stdio: 'ignore', env, windowsHide: true, windowsVerbatimArguments: verbatim });
  child.once('error', (error: NodeJS.ErrnoException) =>
    output.err(`Could not open a browser (${command}: ${error.code === 'ENOENT' ? 'not found' : error.message}): open the address above in one.`),
  );
  child.unref();
}

/**
 * Waits for the first stop signal; from then on the signals are Node's again, so a second Ctrl+C ends at once.
 * `release` gives them back without waiting (the server did not start).
 */
function stopSignals(): { first: Promise<NodeJS.Signals>; release: () => void } {
  let release: () => void = () => undefined;
  const first = new Promise<NodeJS.Signals>((stop) => {
    const onSignal = (signal: NodeJS.Signals) => {
      release();
      stop(signal);
    };
    release = () => {
      for (const name of STOP_SIGNALS) process.removeListener(name, onSignal);
    };
    for (const name of STOP_SIGNALS) process.on(name, onSignal);
  });
  return { first, release };
}

/** `roster serve`: Roster in the default browser, on 127.0.0.1, until Ctrl+C. */
export function serveCommand(global: () => GlobalOptions, output: Output, deps: ServeDeps = {}): Command {
  return new Command('serve')
    .summary('run Roster in your browser, on 127.0.0.1, until Ctrl+C')
    .description('run Roster in your browser: serve the built app on 127.0.0.1 behind a per-run access key, until Ctrl+C')
    .option('--port <N>', 'port on 127.0.0.1; 0 picks a free one', parsePort, 0)
    .option('--no-open', 'do not open a browser; only print the address')
    .action(async (flags: { port: number; open: boolean }) => {
      const rendererDir = deps.rendererDir ?? BUILT_RENDERER;
      const env = deps.env ?? process.env;
      const platform = deps.platform ?? process.platform;
      if (!existsSync(join(rendererDir, 'index.html'))) {
        throw new RosterError('not-found', `The app is not built (${join(rendererDir, 'index.html')} is missing): run npm run build, then roster serve again.`);
      }
      const dataDir = resolveDataDir(global().dataDir);
      // Listening for the signals before the address is printed: a stop right after it is a clean stop.
      const signals = stopSignals();
      let web: WebServer;
      let quiet = false;
      try {
        web = await startWebServer({ dataDir, rendererDir, port: flags.port });
      } catch (error) {
        signals.release();
        throw error;
      }
      try {
        output.out(`Data folder: ${dataDir}`);
        // The one line holding the token: nothing else printed, logged or served ever does.
        output.out(`Roster is running at ${web.appUrl}; Ctrl+C to stop.`);
        if (flags.open) {
          if (hasDisplay(env, platform)) openBrowser(web.appUrl, platform, env, output);
          else output.out('No display: open the address above in a browser.');
        }
        // After a hang-up the terminal is gone: nothing more is written to it.
        quiet = (await signals.first) === 'SIGHUP';
        if (!quiet) output.out('Stopping Roster…');
      } finally {
        await web.close();
      }
      if (!quiet) output.out('Roster stopped.');
    });
}
