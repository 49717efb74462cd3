import type { Page, TestInfo } from '@playwright/test';
import { Attribute, Change, Client } from 'ldapts';
import { expect } from './fixtures/app';
import { testWithSlapd } from './fixtures/slapd-per-test';
import { importLdapRealm, withServices } from './fixtures/users';
import { goTo } from './fixtures/ui';

// A server with contextCSN (syncprov): its change markers are exact, so a second reconcile is incremental.
const test = testWithSlapd({ flavor: 'openldap', users: 12, syncprov: true });

test.use({
  seed: async ({ ldap }, use) => {
    await use(async (dataDir) => {
      await withServices(dataDir, async (call, services) => {
        await importLdapRealm(call, services, ldap, 12);
        const realm = (await call('realms:list', {}))[0]!;
        // The first reconcile, done before the app opens, leaves the realm's change markers.
        await services.resync.reconcileNow(realm.id);
      });
    });
  },
});

test('the Reconcile dialog says a reconcile will read only what changed, and its report says it did', async ({ app, ldap }) => {
  await goTo(app, 'Realms');
  const row = app.getByTestId('realm-row').filter({ hasText: 'Lab directory' });
  await row.getByRole('button', { name: 'Reconcile…' }).click();
  const dialog = app.getByRole('dialog', { name: 'Reconcile Lab directory' });
  await expect(dialog).toContainText(`reads only the entries changed since the last reconcile (entryCSN`);
  await expect(dialog).toContainText(`on ${ldap.url})`);
  await expect(dialog.getByLabel('Read the whole directory (full reconcile)')).not.toBeChecked();
  await dialog.getByLabel('Bind password').fill(ldap.readerPassword);
  await dialog.getByRole('button', { name: 'Continue' }).click();

  const report = dialog.getByTestId('job-report');
  await expect(report).toHaveAttribute('data-state', 'done');
  const mode = dialog.getByTestId('reconcile-mode');
  await expect(mode).toHaveAttribute('data-mode', 'incremental');
  await expect(mode).toContainText("Incremental reconcile (the last reconcile's change markers hold: the same server, search and mapping)");
  await expect(mode).toContainText('12 ids swept for deleted and moved entries.');
  await expect(report.getByTestId('report-unchanged').locator('dd')).toHaveText('12');
});

test('ticking "Read the whole directory" runs a full reconcile, and the report says it was asked for', async ({ app, ldap }) => {
  await goTo(app, 'Realms');
  const row = app.getByTestId('realm-row').filter({ hasText: 'Lab directory' });
  await row.getByRole('button', { name: 'Reconcile…' }).click();
  const dialog = app.getByRole('dialog', { name: 'Reconcile Lab directory' });
  await dialog.getByLabel('Read the whole directory (full reconcile)').check();
  await dialog.getByLabel('Bind password').fill(ldap.readerPassword);
  await dialog.getByRole('button', { name: 'Continue' }).click();

  const report = dialog.getByTestId('job-report');
  await expect(report).toHaveAttribute('data-state', 'done');
  const mode = dialog.getByTestId('reconcile-mode');
  await expect(mode).toHaveAttribute('data-mode', 'full');
  await expect(mode).toContainText('a full reconcile was asked for');
  await expect(report.getByTestId('report-unchanged').locator('dd')).toHaveText('12');
});

/** A screenshot kept with the test's results and attached to its report. */
async function shot(app: Page, testInfo: TestInfo, name: string) {
  const path = testInfo.outputPath(`${name}.png`);
  await app.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

/** Runs "Reconcile…" on the Lab directory's row and returns the dialog once its report is there. */
async function reconcileLab(app: Page, password?: string) {
  await goTo(app, 'Realms');
  const row = app.getByTestId('realm-row').filter({ hasText: 'Lab directory' });
  await row.getByRole('button', { name: 'Reconcile…' }).click();
  const dialog = app.getByRole('dialog', { name: 'Reconcile Lab directory' });
  // With the password to type it says Continue; once main keeps it, Reconcile.
  if (password) await dialog.getByLabel('Bind password').fill(password);
  await dialog.getByRole('button', { name: password ? 'Continue' : 'Reconcile', exact: true }).click();
  await expect(dialog.getByTestId('job-report')).toHaveAttribute('data-state', 'done');
  return dialog;
}

test('the report says how many entries are new in the directory and leads to them; its usernames open the user', async ({ app, ldap }, testInfo) => {
  // The directory's owner adds three people and changes one job title, after the last reconcile.
  const client = new Client({ url: ldap.url });
  try {
    await client.bind(ldap.rootDn, ldap.rootPassword);
    for (const uid of ['newhire1', 'newhire2', 'newhire3'])
      await client.add(`uid=${uid},${ldap.peopleDn}`, { objectClass: ['inetOrgPerson'], uid, cn: `New Hire ${uid.slice(-1)}`, sn: 'Hire' });
    await client.modify(`uid=user00003,${ldap.peopleDn}`, new Change({ operation: 'replace', modification: new Attribute({ type: 'title', values: ['Chief Tester'] }) }));
  } finally {
    await client.unbind();
  }

  let dialog = await reconcileLab(app, ldap.readerPassword);
  await expect(dialog.getByTestId('reconcile-mode')).toHaveAttribute('data-mode', 'incremental');
  const fresh = dialog.getByTestId('report-new-in-directory');
  await expect(fresh).toHaveAttribute('data-count', '3');
  await expect(fresh).toContainText('3 new in the directory');
  await expect(fresh.getByRole('button', { name: 'Import them' })).toBeVisible();
  await dialog.getByText(/Changes per user/).click();
  const link = dialog.getByTestId('job-report-change').filter({ hasText: 'user00003' }).getByTestId('report-user-link');
  await expect(link).toHaveAccessibleName('user00003 (open the user)');
  await shot(app, testInfo, 'reconcile-report-new-in-directory');

  // The username opens the user; the dialog goes.
  await link.click();
  await expect(dialog).toBeHidden();
  const detail = app.getByTestId('user-detail');
  await expect(detail.getByRole('heading', { name: 'user00003' })).toBeVisible();
  await expect(detail.getByLabel('Job title', { exact: true })).toHaveValue('Chief Tester');
  await shot(app, testInfo, 'report-username-opens-user');

  // Again: "Import them" opens Import on everyone in the realm, on the New chip, showing the three.
  dialog = await reconcileLab(app);
  await expect(dialog.getByTestId('report-new-in-directory')).toHaveAttribute('data-count', '3');
  await dialog.getByRole('button', { name: 'Import them' }).click();
  await expect(dialog).toBeHidden();
  await expect(app.getByRole('heading', { name: 'Import LDAP users' })).toBeVisible();
  await expect(app.getByLabel('Query', { exact: true })).toHaveValue('*');
  await expect(app.getByTestId('import-count')).toHaveText('3 of 15 entries');
  const chips = app.getByRole('group', { name: 'Show entries by status' });
  await expect(chips.getByRole('button', { name: /^New/ })).toHaveAttribute('aria-pressed', 'true');
  await expect(app.getByTestId('import-row')).toHaveCount(3);
  await expect(app.getByTestId('import-run-all')).toHaveText('Import all new (3)');
  await shot(app, testInfo, 'reconcile-import-them');
});
