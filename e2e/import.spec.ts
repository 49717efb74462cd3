import type { Page, TestInfo } from '@playwright/test';
import { realmFromPreset } from '#shared/model/realm-presets';
import { expect, test as base } from './fixtures/app';
import { Client } from 'ldapts';
import { generateUsers, startSlapd, type LdifEntry, type SlapdServer } from './fixtures/slapd';
import { createRealm, withServices } from './fixtures/users';
import { goTo, openUser } from './fixtures/ui';

/** More than AD's 1,000-entry page and more than any "first 1000" shortcut would show. */
const USERS = 1500;

// One slapd for the file: the tests only read it.
const test = base.extend<object, { ldap: SlapdServer }>({
  ldap: [
    async ({}, use) => {
      const server = await startSlapd({ flavor: 'openldap', users: USERS });
      try {
        await use(server);
      } finally {
        await server.stop();
      }
    },
    { scope: 'worker', timeout: 120_000 },
  ],
});

// An OpenLDAP realm on the slapd, nothing imported. The seed's secret store lives for the seed only,
// so the app starts without the bind password and has to ask for it.
test.use({
  seed: async ({ ldap }, use) => {
    await use(async (dataDir) => {
      await withServices(dataDir, async (call) => {
        const realm = await createRealm(
          call,
          realmFromPreset('openldap', { name: 'Lab directory', urls: [ldap.url], bindDn: ldap.readerDn, baseDn: ldap.baseDn, tls: 'none' }),
          ldap.readerPassword,
        );
        if (realm.password === 'saved') throw new Error('The seed saved the password; the prompt would not be exercised.');
      });
    });
  },
});

async function openImport(app: Page) {
  await goTo(app, 'Import');
  await expect(app.getByRole('heading', { name: 'Import LDAP users' })).toBeVisible();
  await expect(app.getByLabel('Realm', { exact: true })).toHaveValue(/.+/);
}

async function search(app: Page, query: string) {
  const box = app.getByLabel('Query', { exact: true });
  await box.fill(query);
  await box.press('Enter');
}

/** A screenshot kept with the test's results and attached to its report. */
async function shot(app: Page, testInfo: TestInfo, name: string) {
  const path = testInfo.outputPath(`${name}.png`);
  await app.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

/** Waits for the import's report and returns it. */
async function finishedReport(app: Page) {
  const report = app.getByTestId('job-report');
  await expect(report).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  return report;
}

test('import by keyword, then everyone: honest counts beyond 1,000, statuses, the report and the users list', async ({ app, ldap }, testInfo) => {
  test.setTimeout(180_000);
  await openImport(app);
  await expect(app.getByText('* lists everyone')).toBeVisible();

  // The bind password is not saved: the search asks for it first.
  await search(app, 'Ångström');
  const dialog = app.getByRole('dialog', { name: 'Bind password' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(ldap.readerDn);
  await dialog.getByLabel('Password').fill(ldap.readerPassword);
  await dialog.getByLabel('Password').press('Enter');
  await expect(dialog).toBeHidden();

  const count = app.getByTestId('import-count');
  await expect(count).toHaveText('1 entry found');
  const rows = app.getByTestId('import-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-username', 'zangstrom');
  await expect(rows.first()).toHaveAttribute('data-status', 'new');
  await expect(rows.first()).toContainText('Zoë Ångström');
  await expect(rows.first()).toContainText(`uid=zangstrom,${ldap.peopleDn}`);

  // Select it and import the selection.
  await rows.first().click();
  await app.getByRole('button', { name: 'Import selected (1)' }).click();
  let report = await finishedReport(app);
  await expect(report.getByTestId('report-created')).toContainText('1');
  await report.getByText(/Changes per user/).click();
  await expect(report.getByTestId('job-report-change')).toHaveAttribute('data-username', 'zangstrom');
  await app.screenshot({ path: testInfo.outputPath('import-report.png') });
  // The search ran again by itself: the entry is imported now.
  await expect(rows.first()).toHaveAttribute('data-status', 'unchanged');
  await expect(rows.first()).toContainText('Already imported');

  // The Users list has the user; the Import screen keeps its state across the visit.
  await goTo(app, 'Users');
  await expect(app.getByTestId('users-total')).toHaveAttribute('data-count', '1');
  await expect(app.getByTestId('user-row').first()).toHaveAttribute('data-username', 'zangstrom');
  await openImport(app);
  await expect(count).toHaveText('1 entry found');
  await expect(app.getByTestId('job-report')).toBeVisible();

  // Everyone: the whole count, not a capped one, with statuses per entry.
  await search(app, '*');
  await expect(count).toHaveText('1,500 entries found');
  await expect(app.getByTestId('job-report')).toBeHidden();
  const chips = app.getByRole('group', { name: 'Show entries by status' });
  await expect(chips.getByRole('button', { name: /^New/ })).toContainText('1,499');
  await expect(chips.getByRole('button', { name: /^Already imported/ })).toContainText('1');
  await expect(rows.first()).toBeVisible();
  await app.screenshot({ path: testInfo.outputPath('import-results.png') });

  // Far down the list, past row 1,000: the rows are there, paged from main.
  const grid = app.getByTestId('import-grid');
  await grid.focus();
  await app.keyboard.press('End');
  await expect(app.locator('[data-testid="import-row"][aria-rowindex="1500"]')).toBeVisible();
  await expect(app.locator('[data-testid="import-row"][aria-rowindex="1500"]')).toHaveAttribute('data-status', 'new');
  // Space selects the focused row, Shift+Up extends the range.
  await app.keyboard.press('Space');
  await app.keyboard.press('Shift+ArrowUp');
  await app.keyboard.press('Shift+ArrowUp');
  await expect(app.getByRole('button', { name: /selected \(3\)$/ })).toBeVisible();

  // The chip narrows to the imported entry.
  await chips.getByRole('button', { name: /^Already imported/ }).click();
  await expect(count).toHaveText('1 of 1,500 entries');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-username', 'zangstrom');
  await chips.getByRole('button', { name: /^All/ }).click();

  // Import everyone: one created per new entry, the imported one left as it was.
  await app.getByRole('button', { name: 'Import / Resync all (1,500)' }).click();
  report = await finishedReport(app);
  await expect(report.getByTestId('report-created')).toContainText('1,499');
  await expect(report.getByTestId('report-unchanged')).toContainText('1');
  await expect(chips.getByRole('button', { name: /^Already imported/ })).toContainText('1,500');
  await expect(chips.getByRole('button', { name: /^New/ })).toBeDisabled();

  await goTo(app, 'Users');
  await expect(app.getByTestId('users-total')).toHaveAttribute('data-count', String(USERS));
});

test('a malformed LDAP filter is said by its field as it is typed, and nothing is searched until it is put right', async ({ app, ldap }, testInfo) => {
  // What the page asks of Roster's core (the channel is URI-encoded in the path).
  const searches: string[] = [];
  app.on('request', (request) => {
    const channel = /^\/__rpc\/(.+)$/.exec(decodeURIComponent(new URL(request.url()).pathname))?.[1];
    if (channel === 'import:search' || channel === 'realms:set-session-password') searches.push(channel);
  });
  await openImport(app);
  await app.getByText('Advanced: LDAP filter').click();
  const filter = app.getByLabel('LDAP filter');
  const message = app.locator('#import-filter-error');
  // Roster's own RFC 4515 check, as the filter is typed: the message by the field, which it describes.
  await filter.pressSequentially('(uid=zang*');
  await expect(message).toHaveText('The "(" at character 1 is never closed: a ")" is missing.');
  await expect(filter).toHaveAttribute('aria-invalid', 'true');
  await expect(filter).toHaveAttribute('aria-describedby', /(^| )import-filter-error( |$)/);
  await expect(message).not.toHaveAttribute('role', 'alert');

  // Search refuses it: focus goes to the filter, no password is asked for, nothing reaches the directory.
  await app.getByRole('button', { name: 'Search' }).click();
  await expect(filter).toBeFocused();
  await expect(app.getByText('The "(" at character 1 is never closed', { exact: false })).toHaveCount(1);
  await expect(app.getByRole('dialog', { name: 'Bind password' })).toHaveCount(0);
  await expect(app.getByTestId('import-count')).toHaveCount(0);
  // Enter in the field refuses it the same way.
  await filter.press('Enter');
  await expect(filter).toBeFocused();
  await expect(app.getByRole('dialog', { name: 'Bind password' })).toHaveCount(0);
  expect(searches).toEqual([]);
  await shot(app, testInfo, 'import-filter-malformed');

  // Put right, the message goes as it is typed, and the search finds the entry.
  await filter.press('End');
  await filter.press(')');
  await expect(message).toBeHidden();
  await expect(filter).not.toHaveAttribute('aria-invalid', 'true');
  await filter.press('Enter');
  const dialog = app.getByRole('dialog', { name: 'Bind password' });
  await dialog.getByLabel('Password').fill(ldap.readerPassword);
  await dialog.getByRole('button', { name: 'Search' }).click();
  await expect(app.getByTestId('import-count')).toHaveText('1 entry found');
  expect(searches).toEqual(['realms:set-session-password', 'import:search']);
});

// A domain migration: Lab's zangstrom (completed in Roster) meets Acme Corp's zangstrom on the Import page.
const migration = test.extend<object, { acme: SlapdServer }>({
  acme: [
    async ({}, use) => {
      const server = await startSlapd({ flavor: 'ad', users: 3 });
      try {
        await use(server);
      } finally {
        await server.stop();
      }
    },
    { scope: 'worker', timeout: 120_000 },
  ],
});

migration.describe('a username held by a user of another realm', () => {
  migration.use({
    seed: async ({ ldap, acme }, use) => {
      await use(async (dataDir) => {
        await withServices(dataDir, async (call, services) => {
          const lab = await createRealm(
            call,
            realmFromPreset('openldap', { name: 'Lab directory', urls: [ldap.url], bindDn: ldap.readerDn, baseDn: ldap.baseDn, tls: 'none' }),
            ldap.readerPassword,
          );
          const found = await call('import:search', { realmId: lab.id, query: 'zangstrom' });
          const job = await services.jobs.wait((await call('import:run', { searchId: found.searchId })).id);
          if (job.summary?.created !== 1) throw new Error(`The seed imported ${job.summary?.created} users, not zangstrom alone.`);
          await call('users:update', { id: services.users.resolve('zangstrom').id, fields: { mobile: '+44 7700 900001' } });
          await createRealm(
            call,
            realmFromPreset('active-directory', { name: 'Acme Corp', urls: [acme.url], bindDn: acme.readerDn, baseDn: acme.baseDn, tls: 'none' }),
            acme.readerPassword,
          );
        });
      });
    },
  });

  migration('is linked to the new realm from the Import page, with the keyboard, keeping the user', async ({ app, acme, ldap }, testInfo) => {
    test.setTimeout(120_000);
    await openImport(app);
    await app.getByLabel('Realm', { exact: true }).selectOption({ label: 'Acme Corp' });
    await search(app, '*');
    const dialog = app.getByRole('dialog', { name: 'Bind password' });
    await dialog.getByLabel('Password').fill(acme.readerPassword);
    await dialog.getByLabel('Password').press('Enter');

    await expect(app.getByTestId('import-count')).toHaveText('3 entries found');
    const chips = app.getByRole('group', { name: 'Show entries by status' });
    await expect(chips.getByRole('button', { name: /^Username taken/ })).toContainText('1');
    const bar = app.getByTestId('clash-bar');
    await expect(bar.getByRole('heading')).toHaveText('1 username already belongs to a user of realm Lab directory:');
    await expect(bar.getByLabel('Rename rule')).toHaveValue('{username}.{realm}');
    await expect(bar).toContainText('jdoe becomes jdoe.acme-corp');
    await expect(bar.getByRole('button', { name: 'Skip all' })).toHaveAttribute('aria-pressed', 'true');
    await expect(app.getByTestId('clash-tally')).toHaveText(
      'When you import: 0 linked (Roster id, local fields, roles and history kept), 0 imported under another username, 1 skipped.',
    );

    // The clashing entry: its reason in full, and its own choice, made with the keyboard from the grid.
    const row = app.locator('[data-testid="import-row"][data-username="zangstrom"]');
    await expect(row).toHaveAttribute('data-status', 'clash');
    const grid = app.getByTestId('import-grid');
    await grid.focus();
    const index = Number(await row.getAttribute('aria-rowindex')) - 1;
    for (let i = 0; i < index; i++) await grid.press('ArrowDown');
    const panel = app.getByTestId('clash-row');
    await expect(panel.getByRole('heading')).toContainText('Username taken: zangstrom');
    await expect(panel).toContainText(
      `The username zangstrom belongs to zangstrom, an external user of realm "Lab directory" (uid=zangstrom,${ldap.peopleDn}); Roster does not merge users across realms unless told to`,
    );
    await expect(panel.getByRole('radio', { name: 'Skip' })).toBeChecked();
    await expect(panel.getByRole('textbox', { name: 'Username to import zangstrom under' })).toHaveValue('zangstrom.acme-corp');
    await grid.press('l');
    await expect(panel.getByRole('radio', { name: 'Link zangstrom of realm Lab directory to this entry' })).toBeChecked();
    await expect(row.getByTestId('clash-decision')).toHaveText('Will link');
    await expect(app.getByTestId('clash-tally')).toHaveText(
      'When you import: 1 linked (Roster id, local fields, roles and history kept), 0 imported under another username, 0 skipped.',
    );
    await app.screenshot({ path: testInfo.outputPath('import-clash.png') });

    await app.getByRole('button', { name: /^Import \/ Resync all \(3\)$/ }).click();
    const report = await finishedReport(app);
    await expect(report.getByTestId('report-updated')).toContainText('1');
    await expect(report.getByTestId('report-created')).toContainText('2');
    await expect(report.getByTestId('report-username-clashes')).toHaveText(
      'Usernames held in another realm: 1 linked, 0 imported under another username, 0 skipped.',
    );
    // Searched again: zangstrom is Acme's own now, and no username is taken any more.
    await expect(row).toHaveAttribute('data-status', 'unchanged');
    await expect(bar).toBeHidden();

    // The same user, moved: its completion kept, Acme's mail, and the move in its history.
    await goTo(app, 'Users');
    await expect(app.getByTestId('users-total')).toHaveAttribute('data-count', '3');
    const detail = await openUser(app, 'zangstrom');
    await expect(detail.getByLabel('Mobile', { exact: true })).toHaveValue('+44 7700 900001');
    await expect(detail.getByLabel('Email', { exact: true })).toHaveValue('zangstrom@corp.example');
    await detail.getByRole('tab', { name: 'History' }).click();
    const moved = detail.locator('[data-testid="history-entry"][data-action="user.relink"]');
    await expect(moved).toContainText('Linked to another realm');
    await expect(moved).toContainText('Moved from realm "Lab directory"');
    await expect(detail.locator('[data-testid="history-entry"][data-action="user.import"]')).toHaveCount(1);
  });
});

// Three people called Karim Haddad, told apart only by job title and department; the seed imported two
// entries, then the directory deleted and recreated one of them (same DN, another entryUUID): a conflict.
const KARIMS = [
  ['khaddad', 'Engineer', 'Engineering'],
  ['khaddad2', 'Analyst', 'Finance'],
  ['khaddad3', 'Director', 'Sales'],
] as const;
const karim = (peopleDn: string, [uid, title, department]: (typeof KARIMS)[number]): LdifEntry => ({
  dn: `uid=${uid},${peopleDn}`,
  attributes: {
    objectClass: ['top', 'person', 'organizationalPerson', 'inetOrgPerson'],
    uid,
    cn: 'Karim Haddad',
    sn: 'Haddad',
    givenName: 'Karim',
    displayName: 'Karim Haddad',
    mail: `${uid}@example.org`,
    title,
    departmentNumber: department,
  },
});
const namesakes = test.extend<object, { people: SlapdServer }>({
  people: [
    async ({}, use) => {
      const peopleDn = 'ou=people,dc=example,dc=org';
      const server = await startSlapd({ flavor: 'openldap', users: 4, extraEntries: KARIMS.map((k) => karim(peopleDn, k)) });
      if (server.peopleDn !== peopleDn) throw new Error(`The people OU is ${server.peopleDn}, not ${peopleDn}.`);
      try {
        await use(server);
      } finally {
        await server.stop();
      }
    },
    { scope: 'worker', timeout: 120_000 },
  ],
});

namesakes.describe('results that tell people apart', () => {
  namesakes.use({
    seed: async ({ people }, use) => {
      await use(async (dataDir) => {
        await withServices(dataDir, async (call, services) => {
          const realm = await createRealm(
            call,
            realmFromPreset('openldap', { name: 'Lab directory', urls: [people.url], bindDn: people.readerDn, baseDn: people.baseDn, tls: 'none' }),
            people.readerPassword,
          );
          const found = await call('import:search', { realmId: realm.id, query: '', filter: '(|(uid=user00002)(uid=user00003))' });
          const job = await services.jobs.wait((await call('import:run', { searchId: found.searchId })).id);
          if (job.summary?.created !== 2) throw new Error(`The seed imported ${job.summary?.created} users, not 2.`);
        });
        // The directory's owner deletes user00002 and creates it again: the same DN, another object.
        const [entry] = generateUsers(1, 'openldap', people.peopleDn, 1);
        const client = new Client({ url: people.url });
        try {
          await client.bind(people.rootDn, people.rootPassword);
          await client.del(entry!.dn);
          await client.add(entry!.dn, entry!.attributes as Record<string, string | string[]>);
        } finally {
          await client.unbind();
        }
      });
    },
  });

  namesakes('name, job title and department on each entry; a conflict’s whole reason; buttons that follow the chip', async ({ app, people }, testInfo) => {
    test.setTimeout(120_000);
    await openImport(app);
    await search(app, 'Karim');
    const dialog = app.getByRole('dialog', { name: 'Bind password' });
    await dialog.getByLabel('Password').fill(people.readerPassword);
    await dialog.getByLabel('Password').press('Enter');

    // Three Karim Haddads, each with the job title and department that tell them apart.
    await expect(app.getByTestId('import-count')).toHaveText('3 entries found');
    for (const [uid, title, department] of KARIMS) {
      const row = app.locator(`[data-testid="import-row"][data-username="${uid}"]`);
      await expect(row.getByTestId('import-row-name')).toHaveText('Karim Haddad');
      await expect(row.getByTestId('import-row-role')).toHaveText(`${title} · ${department}`);
      await expect(row).toContainText(`${uid}@example.org`);
    }
    await shot(app, testInfo, 'import-results-namesakes');

    // Everyone: one conflict (user00002 was recreated), one already imported, the rest new.
    await search(app, '*');
    await expect(app.getByTestId('import-count')).toHaveText('7 entries found');
    const chips = app.getByRole('group', { name: 'Show entries by status' });
    await expect(chips.getByRole('button', { name: /^Conflict/ })).toContainText('1');
    const runAll = app.getByTestId('import-run-all');
    await expect(runAll).toHaveText('Import / Resync all (7)');

    // The Conflict chip: the buttons name and count the conflicts only.
    await chips.getByRole('button', { name: /^Conflict/ }).click();
    await expect(app.getByTestId('import-count')).toHaveText('1 of 7 entries');
    await expect(runAll).toHaveText('Resync all conflicts (1)');
    await expect(app.getByTestId('import-run-selected')).toHaveText('Resync selected (0)');

    // The conflict's reason, whole: nothing of it cut off, with what the run will do and the user it collides with.
    const row = app.locator('[data-testid="import-row"][data-username="user00002"]');
    await expect(row).toHaveAttribute('data-status', 'conflict');
    await row.click();
    const panel = app.getByTestId('conflict-row');
    const reason = panel.getByTestId('conflict-reason');
    await expect(reason).toHaveText(
      new RegExp(
        `^The DN uid=user00002,${people.peopleDn} belonged to another directory object \\(id [0-9a-f-]{36}\\) when user00002 was last synced; the account was probably deleted and recreated\\.$`,
      ),
    );
    expect(await reason.evaluate((el) => el.scrollWidth <= el.clientWidth && el.scrollHeight <= el.clientHeight + 1)).toBe(true);
    await expect(panel.getByRole('button', { name: 'Open the Roster user it collides with' })).toBeVisible();
    await shot(app, testInfo, 'import-conflict-filter');

    // "Resync all conflicts" acts on the conflict only: nothing is created from the six other entries.
    await runAll.click();
    const report = await finishedReport(app);
    await expect(report.getByTestId('report-conflicts')).toContainText('1');
    await expect(report.getByTestId('report-created')).toContainText('0');
    await goTo(app, 'Users');
    await expect(app.getByTestId('users-total')).toHaveAttribute('data-count', '2');
  });
});
