// A test child for kill-nine.test.ts: opens the real services on a data folder and makes changes in a loop
// through the handler table, printing each one's number on stdout only after its call returned (so every
// printed change is acknowledged). The parent kills it with SIGKILL at random moments.
//   node kill-nine-child.mjs DATA_DIR FIRST_NUMBER EDITED_USER_ID
import { createHandlers, dispatch } from '../../handlers';
import type { Channel, ChannelInput } from '#shared/ipc/contract';
import { SessionSecretStore } from '../secrets/secret-store';
import { openServices } from '../services';

const [dataDir, first, edited] = process.argv.slice(2);
if (!dataDir || !first || !edited) throw new Error('usage: kill-nine-child DATA_DIR FIRST_NUMBER EDITED_USER_ID');

const services = await openServices({
  dataDir,
  owner: 'a kill -9 child',
  transport: 'cli',
  secrets: new SessionSecretStore('kill -9'),
  version: 'test',
  actor: 'kill-nine',
  // Rewrite the users snapshot often, so kills land in the middle of that too.
  compactAfter: 5,
});
const table = createHandlers(services);
const call = async <C extends Channel>(channel: C, input: ChannelInput<C>): Promise<void> => {
  const result = await dispatch(table, channel, input);
  if (!result.ok) {
    process.stderr.write(`${channel} failed: ${result.error.code}: ${result.error.message}\n`);
    process.exit(2);
  }
};

process.stdout.write('open\n');
for (let n = Number(first); ; n += 1) {
  // Four kinds of change: two on the users journal, two on the lowdb document (one with an audit append).
  if (n % 4 === 0) await call('users:create', { username: `k${n}`, fields: { department: `d${n}` } });
  else if (n % 4 === 1) await call('users:update', { id: edited, fields: { title: `t${n}` } });
  else if (n % 4 === 2) await call('prefs:set', { prefs: { staleDays: n } });
  else await call('roles:create', { name: `r${n}` });
  process.stdout.write(`${n}\n`);
}
