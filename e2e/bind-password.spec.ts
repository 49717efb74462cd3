import { createServer, type AddressInfo, type Server } from 'node:net';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/app';
import { startSlapd, type SlapdServer } from './fixtures/slapd';
import { goTo } from './fixtures/ui';
import { createRealm, withServices } from './fixtures/users';
import { realmFromPreset } from '#shared/model/realm-presets';

// Distinctive and ASCII, so a search of the window's memory can only find the password itself.
const PASSWORD = 'Kx9WindowPasswd8812q';
const SVC = 'cn=svc-window,ou=people,dc=example,dc=org';

// Tracing snapshots the DOM after each action and caches what inputs held (the typed password too) in the
// page's heap; the heap must hold only what Roster keeps, so this file runs without a trace.
test.use({ trace: 'off' });

let server: SlapdServer;
let listener: Server;
let listenerUrl: string;
const received: Buffer[] = [];

test.beforeAll(async () => {
  server = await startSlapd({
    flavor: 'openldap',
    users: 5,
    extraEntries: [
      { dn: 'cn=svc-window', attributes: { objectClass: ['top', 'organizationalRole', 'simpleSecurityObject'], cn: 'svc-window', userPassword: PASSWORD } },
    ],
  });
  // A look-alike host: records what it is sent, answers nothing.
  listener = createServer((socket) => {
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  listenerUrl = `ldap://127.0.0.1:${(listener.address() as AddressInfo).port}`;
});
test.afterAll(async () => {
  await server?.stop();
  await new Promise((resolve) => listener?.close(resolve));
});

interface HeapSnapshot {
  snapshot: { meta: { node_fields: string[]; edge_fields: string[]; edge_types: [string[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/** Whether a string holding `secret` is reachable in a heap snapshot (from its roots, weak references aside). */
function heapHolds(snapshot: HeapSnapshot, secret: string): boolean {
  const { meta } = snapshot.snapshot;
  const [nodeLength, edgeLength] = [meta.node_fields.length, meta.edge_fields.length];
  const [nameField, edgeCountField] = [meta.node_fields.indexOf('name'), meta.node_fields.indexOf('edge_count')];
  const [edgeTypeField, toField] = [meta.edge_fields.indexOf('type'), meta.edge_fields.indexOf('to_node')];
  const edgeTypes = meta.edge_types[0];
  const { nodes, edges, strings } = snapshot;
  const count = nodes.length / nodeLength;
  const firstEdge = new Uint32Array(count + 1);
  for (let n = 0, e = 0; n < count; n++) {
    firstEdge[n] = e;
    e += nodes[n * nodeLength + edgeCountField]! * edgeLength;
  }
  firstEdge[count] = edges.length;
  const seen = new Uint8Array(count);
  const queue = [0];
  seen[0] = 1;
  while (queue.length > 0) {
    const node = queue.pop()!;
    if (String(strings[nodes[node * nodeLength + nameField]!]).includes(secret)) return true;
    for (let e = firstEdge[node]!; e < firstEdge[node + 1]!; e += edgeLength) {
      const type = edgeTypes[edges[e + edgeTypeField]!];
      if (type === 'weak') continue;
      const to = edges[e + toField]! / nodeLength;
      if (!seen[to]) {
        seen[to] = 1;
        queue.push(to);
      }
    }
  }
  return false;
}

/** Whether the window's JavaScript memory holds the password anywhere, after a full garbage collection. */
async function windowHolds(app: Page, secret: string): Promise<boolean> {
  const cdp = await app.context().newCDPSession(app);
  try {
    const chunks: string[] = [];
    cdp.on('HeapProfiler.addHeapSnapshotChunk', ({ chunk }) => chunks.push(chunk));
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    return heapHolds(JSON.parse(chunks.join('')) as HeapSnapshot, secret);
  } finally {
    await cdp.detach();
  }
}

test('a typed bind password goes to main and leaves the window; the form asks for it again, saying why, once the server changes', async ({
  app,
  transport,
}) => {
  test.skip(transport !== 'http', 'Reads the window memory through the Chromium DevTools protocol.');
  await app.getByRole('button', { name: 'Add realm' }).click();
  await app.getByLabel('Name', { exact: true }).fill('Lab directory');
  await app.getByLabel('Kind').selectOption('openldap');
  // This slapd has no TLS: clear text is chosen explicitly.
  await app.getByLabel('TLS').selectOption('none');
  await app.getByLabel('Server URL', { exact: true }).fill(server.url);
  await app.getByLabel('Bind DN').fill(SVC);
  await app.getByLabel('Base DN').fill(server.baseDn);
  const password = app.getByLabel('Bind password');
  await password.fill(PASSWORD);
  // While typed and not yet handed over, the window holds it (so the search below can find it).
  expect(await windowHolds(app, PASSWORD)).toBe(true);

  // Test connection hands it to main for these settings and empties the field; main binds with it.
  await app.getByRole('button', { name: 'Test connection' }).click();
  const report = app.getByTestId('connection-test');
  await expect(report.getByTestId('test-step-bind')).toHaveAttribute('data-status', 'ok');
  await expect(password).toHaveValue('');
  await expect(app.getByText('The password you entered is kept for this session; Save saves it with these settings.')).toBeVisible();
  await app.getByRole('button', { name: 'Save' }).click();
  await expect(app.getByTestId('realm-row')).toHaveCount(1);
  // The test host has no keyring: main keeps it for the session.
  await expect(app.getByTestId('password-state')).toHaveAttribute('data-state', 'session');
  expect(await windowHolds(app, PASSWORD)).toBe(false);

  // The server changes (a typo, a look-alike host): the form says the kept password is not sent there…
  await app.getByLabel('Server URL', { exact: true }).fill(listenerUrl);
  await expect(
    app.getByText(
      'The server, TLS settings or bind DN changed, so the saved password will not be sent there: enter the password again. Saving without one forgets it.',
    ),
  ).toBeVisible();
  // …and main does not send it: Test connection stops at the bind, saying what it was given for.
  await app.getByRole('button', { name: 'Test connection' }).click();
  const why = `The password given this session was given for ${server.url}, bind DN ${SVC}; the server or bind DN changed, so enter the password again.`;
  await expect(report.getByTestId('test-step-bind')).toHaveAttribute('data-status', 'failed');
  await expect(report.getByTestId('test-step-bind')).toContainText(why);
  expect(Buffer.concat(received).length).toBe(0);

  // Saved with the new server and no password: main forgets the old one, and the form says it is missing.
  await app.getByRole('button', { name: 'Save' }).click();
  await expect(app.getByTestId('password-state')).toHaveAttribute('data-state', 'missing');
  // Back to the real server: the forgotten password does not come back.
  await app.getByLabel('Server URL', { exact: true }).fill(server.url);
  await app.getByRole('button', { name: 'Save' }).click();
  await expect(app.getByTestId('password-state')).toHaveAttribute('data-state', 'missing');
  await app.getByRole('button', { name: 'Test connection' }).click();
  await expect(report.getByTestId('test-step-bind')).toHaveAttribute('data-status', 'failed');
  expect(Buffer.concat(received).includes(Buffer.from(PASSWORD))).toBe(false);
});

test.describe('the Import screen’s password prompt', () => {
  // A realm whose password the app has not got: the seed's own secret store ends with the seed.
  test.use({
    seed: async ({}, use) => {
      await use(async (dataDir) => {
        await withServices(dataDir, async (call) => {
          await createRealm(call, realmFromPreset('openldap', { name: 'Lab directory', urls: [server.url], bindDn: SVC, baseDn: server.baseDn, tls: 'none' }));
        });
      });
    },
  });

  test('hands the typed password to main, then searches; the window keeps none of it', async ({ app, transport }) => {
    test.skip(transport !== 'http', 'Reads the window memory through the Chromium DevTools protocol.');
    await goTo(app, 'Import');
    const query = app.getByLabel('Query', { exact: true });
    await query.fill('*');
    await query.press('Enter');
    const dialog = app.getByRole('dialog', { name: 'Bind password' });
    await dialog.getByLabel('Password').fill(PASSWORD);
    expect(await windowHolds(app, PASSWORD)).toBe(true);
    await dialog.getByLabel('Password').press('Enter');
    await expect(dialog).toBeHidden();
    await expect(app.getByTestId('import-count')).toHaveText('5 entries found');
    expect(await windowHolds(app, PASSWORD)).toBe(false);
    // Main keeps it for the session: the next search asks nothing.
    await query.fill('user');
    await query.press('Enter');
    // user00001 is Zoë Ångström (zangstrom): the other four match.
    await expect(app.getByTestId('import-count')).toHaveText('4 entries found');
    await expect(dialog).toHaveCount(0);
  });
});
