import { resolveDataDir } from '../../src-main/core/paths';
import { startHost } from './server';

// Manual use: `npx tsx e2e/host/run-host.ts [--data-dir DIR] [--port N]` serves the built renderer in a browser.
// `roster serve` does the same for users (and opens the browser); this stays for `npm run serve` until it runs that.
const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const host = await startHost({ dataDir: resolveDataDir(flag('--data-dir')), port: Number(flag('--port') ?? 5199) });
process.stdout.write(`Roster test host at ${host.url} (data: ${host.dataDir}); Ctrl+C to stop.\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void host.close().then(() => process.exit(0)));
