import { parentPort, workerData } from 'node:worker_threads';
import { seedRealmUsers } from '../e2e/fixtures/users';
import { startWebServer } from '../src-main/web/server';

/** What bench/ui.ts hands the server thread. */
export interface UiServerData {
  dataDir: string;
  count: number;
  rendererDir: string;
}

// The UI benchmark's Roster server, on a thread of its own: Playwright's driver runs in the bench's own
// thread (every CDP message, evaluate and key press is handled there), and sharing that event loop would
// delay main's answers in a way the desktop app, whose main process runs nothing else, never sees.
const { dataDir, count, rendererDir } = workerData as UiServerData;
const port = parentPort;
if (!port) throw new Error('ui-server.worker.ts runs as a worker thread of bench/ui.ts.');
await seedRealmUsers(dataDir, count, { externalEvery: 1 });
const server = await startWebServer({ dataDir, rendererDir, owner: 'the Roster UI benchmark' });
port.postMessage({ appUrl: server.appUrl });
port.once('message', () => {
  void server.close().then(() => port.postMessage({ closed: true }));
});
