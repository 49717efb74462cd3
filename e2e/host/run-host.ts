import { resolveDataDir } from '../../src-main/core/paths';
import { startHost } from './server';

// Manual use: `npx tsx e2e/host/run-host.ts [--data-dir DIR] [--port N]` serves the built renderer in a browser.
const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const host = await startHost({ dataDir: resolveDataDir(flag('--data-dir')), port: Number(flag('--port') ?? 5199) });
process.stdout.write(`Roster test host on ${host.url} (data: ${host.dataDir}); Ctrl+C to stop.\n`);
process.on('SIGINT', () => void host.close().then(() => process.exit(0)));
