// A test child for lock.test.ts: takes and releases a data folder's lock when told to on stdin, one line each
// ("take DIR", "release"), and answers on stdout, so several processes can race for the same folder.
import { createInterface } from 'node:readline';
import { RosterError } from '#shared/result';
import { DataDirLock } from './lock';

let held: DataDirLock | undefined;
process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) {
  const [command, dir] = line.split(' ');
  if (command === 'take' && dir) {
    try {
      held = DataDirLock.acquire(dir, `racer ${process.pid}`);
      process.stdout.write('won\n');
    } catch (error) {
      process.stdout.write(`lost ${error instanceof RosterError ? error.code : 'unexpected'} ${(error as Error).message}\n`);
    }
  } else if (command === 'release') {
    held?.release();
    held = undefined;
    process.stdout.write('released\n');
  }
}
