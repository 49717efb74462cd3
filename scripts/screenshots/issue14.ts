/**
 * Issue 14's before/after screenshots: the users list (1280×800 and 1440×900), the Import screen's results for a
 * 300-user OpenLDAP directory (twelve namesakes "Karim …" in every import status: new, unchanged, changed,
 * conflict, clash) and the Resynchronize dialog showing a diff with take-directory, keep-local and conflict rows.
 *
 * It sets up its own data, the same on every run, through the served app's API (as the renderer calls it) and
 * its UI only, so one script works on any version of Roster that has these channels and screens:
 *   - a private slapd (e2e/fixtures/slapd.ts) with 300 users: every 9th without displayName (the name then comes
 *     from cn, as in real directories), every 25th a "Karim" (namesakes: three "Karim Haddad", two "Karim Benali"…),
 *     fixed entryUUIDs; user 250 is `kweber`, the username of a demo user (a clash; user 1 `zangstrom` is one too);
 *   - the demo data ("demo:start"), the realm "Lab directory" on the slapd, and an import of users 1–200 only;
 *   - changes on both sides: in Roster user00050's Department, Phone and Office; in the directory
 *     user00050's departmentNumber, telephoneNumber and title, user00075's title, and user00175 deleted and
 *     created again under the same DN (a new entryUUID: the import's "conflict" status).
 * Only role, label, text and data-testid selectors present in commit a72e3a4 and later are used; the bind
 * password prompts are answered when a version shows them.
 *
 * Usage (from the checkout whose Roster you photograph):
 *   npx tsx scripts/screenshots/issue14.ts --out <dir> [--repo <checkout>] [--renderer <built renderer dir>]
 *   npx tsx scripts/screenshots/issue14.ts --out <dir> --url 'http://127.0.0.1:PORT/?token=…'
 * Without --url it starts the server itself on a fresh temp data folder: `<repo>/bin/roster.mjs serve --no-open
 * --port 0` (which serves <repo>/out/renderer), or, with --renderer, the same web server (<repo>/src-main/web/
 * server.ts) on that renderer folder (`roster serve` has no renderer option). --repo defaults to this checkout.
 * With --url the server's data folder must be empty (a fresh --data-dir). The temp data folder is always
 * $TMPDIR/roster-issue14-shots (the status bar shows it): one run at a time. Two runs of one version give
 * byte-identical PNGs here. When a step fails, <out>/failure.png shows the page as it was.
 *
 * BEFORE (taken; commit a72e3a4, in a worktree with its own build):
 *   git worktree add /tmp/wt a72e3a4 && ln -s "$PWD/node_modules" /tmp/wt/node_modules
 *   (cd /tmp/wt && npx electron-vite build)
 *   npx tsx scripts/screenshots/issue14.ts --repo /tmp/wt --out docs/screenshots/issue-14/before
 * AFTER (once issue 14 is done, from this checkout, with its main code run from source as `roster serve` does):
 *   npm run build && npx tsx scripts/screenshots/issue14.ts --out docs/screenshots/issue-14/after
 * or, without touching out/ (other work may be serving it), a renderer built elsewhere:
 *   OUT=/tmp/shots-renderer <vite build of src-renderer into $OUT>
 *   npx tsx scripts/screenshots/issue14.ts --renderer /tmp/shots-renderer --out docs/screenshots/issue-14/after
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS } from '../../e2e/fixtures/app';
import { generateUsers, ldapModify, startSlapd, type LdifEntry, type SlapdServer } from '../../e2e/fixtures/slapd';

const USERS = 300;
const IMPORTED = 200;
const KARIM_EVERY = 25;
const NO_DISPLAY_NAME_EVERY = 9;
const KARIM_SURNAMES = ['Haddad', 'Benali', 'Haddad', 'Mansour', 'Haddad', 'Benali', 'Saidi', 'Amrani', 'Khelifi', 'Tazi', 'Bouzid', 'Cherif'];
const CONFLICT_USER = 'user00050';
const CHANGED_USER = 'user00075';
/** Directory user 250 has the username of a demo user (another realm's): a username clash. */
const CLASH_INDEX = 250;
const CLASH_USERNAME = 'kweber';
/** Directory user 175 is deleted and created again under the same DN (a new entryUUID): an import conflict. */
const RECREATED_USER = 'user00175';
const REALM_NAME = 'Lab directory';
const TIMEOUT = 60_000;

/** The directory: generated users with namesakes and missing display names, as real directories have. */
function directoryUsers(peopleDn: string): LdifEntry[] {
  return generateUsers(USERS, 'openldap', peopleDn).map((entry, i) => {
    const index = i + 1;
    const attributes = { ...entry.attributes };
    let dn = entry.dn;
    if (index % KARIM_EVERY === 0) {
      const sn = KARIM_SURNAMES[index / KARIM_EVERY - 1] ?? 'Haddad';
      Object.assign(attributes, { givenName: 'Karim', sn, cn: `Karim ${sn}`, displayName: `Karim ${sn}` });
    }
    if (index === CLASH_INDEX) {
      Object.assign(attributes, { uid: CLASH_USERNAME, mail: `${CLASH_USERNAME}@example.org` });
      dn = `uid=${CLASH_USERNAME},${peopleDn}`;
    }
    if (index % NO_DISPLAY_NAME_EVERY === 0) delete attributes.displayName;
    // A fixed entryUUID (slapadd keeps one it is given), so the ids Roster shows are the same on every run.
    attributes.entryUUID = `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
    return { dn, attributes };
  });
}

/** An LDIF add record (base64 for values that are not plain ASCII). */
function addRecord(entry: LdifEntry): string {
  const lines = [`dn: ${entry.dn}`, 'changetype: add'];
  for (const [attribute, value] of Object.entries(entry.attributes)) {
    // The server gives the new entry its own entryUUID (an add may not set it).
    if (attribute === 'entryUUID') continue;
    for (const one of Array.isArray(value) ? value : [value]) {
      const text = String(one);
      lines.push(
        /^[\x20-\x7e]*$/.test(text) && !text.startsWith(' ') && !text.startsWith(':')
          ? `${attribute}: ${text}`
          : `${attribute}:: ${Buffer.from(text).toString('base64')}`,
      );
    }
  }
  return `${lines.join('\n')}\n\n`;
}

/** The realm as the OpenLDAP preset makes it (the same input every version since a72e3a4 accepts). */
function labRealm(ldap: SlapdServer) {
  return {
    name: REALM_NAME,
    kind: 'openldap',
    enabled: true,
    connection: { urls: [ldap.url], tls: 'none', verifyCertificate: true, bindDn: ldap.readerDn, connectTimeoutMs: 5000, operationTimeoutMs: 30000 },
    search: { baseDn: ldap.baseDn, userFilter: '(objectClass=inetOrgPerson)', scope: 'sub', pageSize: 500 },
    idAttribute: 'entryUUID',
    mapping: {
      username: ['uid'],
      displayName: ['displayName', 'cn', 'givenName+sn'],
      givenName: ['givenName'],
      surname: ['sn'],
      email: ['mail'],
      department: ['departmentNumber'],
      title: ['title'],
      phone: ['telephoneNumber'],
      mobile: ['mobile'],
      office: ['roomNumber'],
      company: ['o'],
      manager: ['manager'],
      employeeId: ['employeeNumber'],
    },
  };
}

/** One call of the served app's API, as the renderer makes it (same origin, the run's token). */
function rpc<T>(appUrl: string, channel: string, input: unknown = {}): Promise<T> {
  const url = new URL(appUrl);
  const token = url.searchParams.get('token') ?? '';
  const body = JSON.stringify(input);
  return new Promise((done, failed) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: `/__rpc/${channel}`,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-roster-token': token, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          if (res.statusCode !== 200) return failed(new Error(`${channel}: HTTP ${res.statusCode ?? '?'} ${text}`));
          const result = JSON.parse(text) as { ok: boolean; value?: T; error?: { message: string } };
          if (!result.ok) return failed(new Error(`${channel} failed: ${result.error?.message ?? text}`));
          done(result.value as T);
        });
      },
    );
    req.on('error', failed);
    req.end(body);
  });
}

interface Job {
  id: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  summary?: { created?: number; conflicts?: number };
  error?: { message: string };
}

/** Waits for a job to end (polling the API: the script keeps no event stream open). */
async function finished(appUrl: string, job: Job): Promise<Job> {
  for (let current = job; ; current = await rpc<Job>(appUrl, 'jobs:get', { id: job.id })) {
    if (current.state === 'done') return current;
    if (current.state !== 'running') throw new Error(`Job ${current.id} ${current.state}: ${current.error?.message ?? ''}`);
    await new Promise((next) => setTimeout(next, 200));
  }
}

const replace = (server: SlapdServer, user: string, changes: Record<string, string>) =>
  `dn: uid=${user},${server.peopleDn}\nchangetype: modify\n${Object.entries(changes)
    .map(([attribute, value]) => `replace: ${attribute}\n${attribute}: ${value}\n-\n`)
    .join('')}\n`;

/** Everything the screenshots show, set up through the API of a fresh Roster. */
async function setUp(appUrl: string, ldap: SlapdServer): Promise<void> {
  const realms = await rpc<unknown[]>(appUrl, 'realms:list');
  const users = await rpc<{ total: number }>(appUrl, 'users:query', { limit: 1 });
  if (realms.length || users.total) throw new Error('This Roster already holds data: serve it on a fresh, empty --data-dir.');

  const demo = await rpc<{ job: Job }>(appUrl, 'demo:start');
  await finished(appUrl, demo.job);
  const realm = await rpc<{ id: string }>(appUrl, 'realms:create', { realm: labRealm(ldap) });
  await rpc(appUrl, 'realms:set-session-password', { realmId: realm.id, password: ldap.readerPassword, remember: false });
  const search = await rpc<{ searchId: string }>(appUrl, 'import:search', { realmId: realm.id, query: '*' });
  // Users 1–200 (user 1 is zangstrom, the others user00002…).
  const dns = directoryUsers(ldap.peopleDn)
    .slice(0, IMPORTED)
    .map((entry) => entry.dn);
  const imported = await finished(appUrl, await rpc<Job>(appUrl, 'import:run', { searchId: search.searchId, dns }));
  // zangstrom is also a demo user: that one is a username clash, skipped.
  const { created, conflicts } = imported.summary ?? {};
  console.log(`Imported users 1–${IMPORTED}: ${JSON.stringify({ created, conflicts })}`);
  if (!imported.summary?.created) throw new Error('The import created no user.');

  // Roster's side: a conflict (Department, Phone: both sides change) and a keep-local (Office: Roster only).
  const page = await rpc<{ rows: { id: string; username: string }[] }>(appUrl, 'users:query', { query: { search: CONFLICT_USER }, limit: 5 });
  const user = page.rows.find((row) => row.username === CONFLICT_USER);
  if (!user) throw new Error(`${CONFLICT_USER} was not imported.`);
  await rpc(appUrl, 'users:update', { id: user.id, fields: { department: 'Field research', phone: '+1 555 0000 512', office: 'Room 4.12' } });
  // The directory's side: take-directory rows (Job title) and the same fields as above; an entry deleted and
  // created again under its DN (the Import screen's conflict).
  const recreated = directoryUsers(ldap.peopleDn).find((entry) => entry.dn === `uid=${RECREATED_USER},${ldap.peopleDn}`);
  if (!recreated) throw new Error(`No ${RECREATED_USER} in the directory.`);
  await ldapModify(
    ldap,
    replace(ldap, CONFLICT_USER, { departmentNumber: 'Directory research', telephoneNumber: '+1 555 9990050', title: 'Principal Engineer' }) +
      replace(ldap, CHANGED_USER, { title: 'Head of Widgets' }) +
      `dn: ${recreated.dn}\nchangetype: delete\n\n` +
      addRecord(recreated),
  );
}

/** Answers a bind password prompt if this version shows one (nothing is kept across a restart in some). */
async function answerPassword(page: Page, scope: ReturnType<Page['locator']> | Page, password: string): Promise<void> {
  const field = scope.getByLabel(/^(Bind )?password$/i).first();
  if (await field.isVisible()) {
    await field.fill(password);
    const next = scope.getByRole('button', { name: /^(Continue|OK|Use password)$/ }).first();
    if (await next.isVisible()) await next.click();
    else await field.press('Enter');
  }
}

const goTo = (page: Page, screen: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: screen }).click();

/** Settles the page before a shot: no pending fonts, no caret, no animation. */
async function shoot(page: Page, path: string): Promise<void> {
  await page.evaluate('document.fonts.ready.then(() => true)');
  await page.mouse.move(0, 0);
  await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
  console.log(`  ${path}`);
}

async function photograph(appUrl: string, ldap: SlapdServer, out: string): Promise<void> {
  const browser = await chromium.launch({ executablePath: process.env.ROSTER_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      deviceScaleFactor: 1,
      locale: 'en-US',
      timezoneId: 'UTC',
      reducedMotion: 'reduce',
    });
    context.setDefaultTimeout(TIMEOUT);
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error(`renderer error: ${error.message}`));
    await page.goto(appUrl);

    // (1) The users list, at both sizes.
    await goTo(page, 'Users');
    await page.getByTestId('user-row').first().waitFor();
    await page.getByTestId('users-total').waitFor();
    await shoot(page, join(out, 'users-list-1280.png'));
    await page.setViewportSize({ width: 1440, height: 900 });
    await shoot(page, join(out, 'users-list-1440.png'));
    await page.setViewportSize({ width: 1280, height: 800 });

    // (2) The Import screen's results: the twelve Karims, in every status.
    await goTo(page, 'Import');
    await page.getByRole('heading', { name: 'Import LDAP users' }).waitFor();
    const realm = page.getByLabel('Realm', { exact: true });
    const option = await realm.locator('option', { hasText: REALM_NAME }).first().getAttribute('value');
    if (option !== null) await realm.selectOption(option);
    const query = page.getByLabel('Query', { exact: true });
    await query.fill('Karim');
    await query.press('Enter');
    const prompt = page.getByRole('dialog', { name: 'Bind password' });
    const count = page.getByTestId('import-count');
    await prompt
      .or(count.filter({ hasText: /entr/ }))
      .first()
      .waitFor();
    if (await prompt.isVisible()) await answerPassword(page, prompt, ldap.readerPassword);
    await count.filter({ hasText: /^12 entries/ }).waitFor();
    // The conflict and the clash come last in the directory's order: scroll the list to them.
    const conflict = page.locator('[data-testid="import-row"][data-status="conflict"]').first();
    await conflict.waitFor();
    await page.locator('[data-testid="import-row"][data-status="clash"]').first().scrollIntoViewIfNeeded();
    await conflict.scrollIntoViewIfNeeded();
    await shoot(page, join(out, 'import-results-1280.png'));

    // (3) The Resynchronize dialog on the user changed on both sides.
    await goTo(page, 'Users');
    const search = page.getByRole('searchbox', { name: 'Search users' });
    await search.fill(CONFLICT_USER);
    const rows = page.getByTestId('user-row');
    await page.locator(`[data-testid="user-row"][data-username="${CONFLICT_USER}"]`).waitFor();
    await waitForCount(page, rows, 1);
    await rows.first().click();
    await page.keyboard.press('Enter');
    const detail = page.getByTestId('user-detail');
    await detail.getByRole('heading', { name: CONFLICT_USER }).waitFor();
    await detail.getByRole('button', { name: 'Resynchronize…' }).click();
    const dialog = page.getByRole('dialog', { name: `Resynchronize ${CONFLICT_USER}` });
    const candidate = dialog.getByRole('radio', { name: `uid=${CONFLICT_USER},${ldap.peopleDn}` });
    await dialog.getByLabel('Bind password').or(candidate).first().waitFor();
    await answerPassword(page, dialog, ldap.readerPassword);
    await candidate.waitFor();
    if (!(await candidate.isChecked())) await candidate.check();
    await dialog.getByRole('button', { name: 'Start' }).click();
    await dialog.locator('[data-testid="diff-row"][data-outcome="conflict"]').first().waitFor();
    await dialog.locator('[data-testid="diff-row"][data-outcome="take-directory"]').first().waitFor();
    await shoot(page, join(out, 'resync-dialog-1280.png'));
    await context.close();
  } catch (error) {
    // What the page showed when a step failed, to see which selector or state differed.
    for (const context of browser.contexts())
      for (const page of context.pages()) await page.screenshot({ path: join(out, 'failure.png') }).catch(() => undefined);
    console.error(`A step failed; the page as it was: ${join(out, 'failure.png')}`);
    throw error;
  } finally {
    await browser.close();
  }
}

/** Waits until a locator matches exactly n elements (the list's search applies after a short pause). */
async function waitForCount(page: Page, locator: ReturnType<Page['locator']>, n: number): Promise<void> {
  const deadline = Date.now() + TIMEOUT;
  while ((await locator.count()) !== n) {
    if (Date.now() > deadline) throw new Error(`Expected ${n} rows, found ${await locator.count()}.`);
    await page.waitForTimeout(100);
  }
}

/** Starts Roster on a fresh data folder; resolves with its address once it printed it. */
async function serve(repo: string, dataDir: string, renderer: string | undefined): Promise<{ url: string; child: ChildProcess }> {
  let child: ChildProcess;
  if (renderer) {
    const file = join(dataDir, '..', 'serve-renderer.mts');
    await writeFile(
      file,
      [
        `import { startWebServer } from ${JSON.stringify(join(repo, 'src-main/web/server.ts'))};`,
        `const web = await startWebServer({ dataDir: ${JSON.stringify(dataDir)}, rendererDir: ${JSON.stringify(renderer)}, port: 0 });`,
        'console.log(`Roster is running at ${web.appUrl}; Ctrl+C to stop.`);',
        "for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void web.close().then(() => process.exit(0)));",
      ].join('\n'),
    );
    child = spawn(process.execPath, ['--import', 'tsx', file], { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'] });
  } else {
    child = spawn(process.execPath, [join(repo, 'bin/roster.mjs'), '--data-dir', dataDir, 'serve', '--no-open', '--port', '0'], {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
  }
  const url = await new Promise<string>((found, failed) => {
    let text = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      text += chunk;
      const match = /Roster is running at (\S+?);/.exec(text);
      if (match?.[1]) found(match[1]);
    });
    child.once('exit', (code) => failed(new Error(`Roster's server exited (${code ?? 'signal'}) before it printed its address:\n${text}`)));
  });
  return { url, child };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { url: { type: 'string' }, out: { type: 'string' }, repo: { type: 'string' }, renderer: { type: 'string' } } });
  if (!values.out) throw new Error('Give --out <folder> (and --url <address with ?token=…>, or --repo/--renderer to start Roster here).');
  const out = resolve(values.out);
  await mkdir(out, { recursive: true });
  const repo = resolve(values.repo ?? join(import.meta.dirname, '../..'));
  // A fixed folder: the status bar shows the data folder, and both runs should show the same one.
  const temp = join(tmpdir(), 'roster-issue14-shots');
  try {
    await mkdir(temp);
  } catch {
    throw new Error(`${temp} exists: another run is under way, or one was killed (remove the folder then).`);
  }
  let server: ChildProcess | undefined;
  let ldap: SlapdServer | undefined;
  try {
    ldap = await startSlapd({ flavor: 'openldap', users: 0, extraEntries: directoryUsers('ou=people,dc=example,dc=org') });
    let appUrl = values.url;
    if (!appUrl) {
      const dataDir = join(temp, 'data');
      await mkdir(dataDir);
      const started = await serve(repo, dataDir, values.renderer && resolve(values.renderer));
      server = started.child;
      appUrl = started.url;
    }
    console.log(`Setting up data on ${new URL(appUrl).origin} (slapd ${ldap.url}) …`);
    await setUp(appUrl, ldap);
    console.log(`Screenshots into ${out}:`);
    await photograph(appUrl, ldap, out);
  } finally {
    if (server && server.exitCode === null) {
      const exited = new Promise((done) => server?.once('exit', done));
      server.kill('SIGTERM');
      await exited;
    }
    await ldap?.stop();
    await rm(temp, { recursive: true, force: true });
  }
}

await main();
