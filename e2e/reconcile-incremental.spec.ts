import { expect, test as base } from './fixtures/app';
import { startSlapd, type SlapdServer } from './fixtures/slapd';
import { importLdapRealm, withServices } from './fixtures/users';
import { goTo } from './fixtures/ui';

// A server with contextCSN (syncprov): its change markers are exact, so a second reconcile is incremental.
const test = base.extend<{ ldap: SlapdServer }>({
  ldap: async ({}, use) => {
    const server = await startSlapd({ flavor: 'openldap', users: 12, syncprov: true });
    try {
      await use(server);
    } finally {
      await server.stop();
    }
  },
});

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
