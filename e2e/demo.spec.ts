import { expect, test } from './fixtures/app';
import { goTo } from './fixtures/ui';

test('a fresh data folder offers "Try with demo data", which imports the demo directory and shows its users', async ({ app }, testInfo) => {
  // An empty store opens Realms, with the offer where the realm form would be.
  const realmsOffer = app.getByTestId('first-run');
  await expect(app.getByRole('heading', { name: 'Realms', level: 1 })).toBeVisible();
  await expect(realmsOffer).toContainText('an LDIF file shipped with Roster');
  await expect(realmsOffer.getByRole('button', { name: 'Try with demo data' })).toBeVisible();

  // The empty Users list offers it too; start it from there.
  await goTo(app, 'Users');
  const usersOffer = app.getByTestId('users-empty').getByTestId('first-run');
  await expect(usersOffer).toBeVisible();
  await app.screenshot({ path: testInfo.outputPath('first-run.png') });
  await usersOffer.getByRole('button', { name: 'Try with demo data' }).click();

  // When the import is done the Users list shows the users, with the report beside it.
  const report = app.getByRole('complementary', { name: 'Demo data imported' }).getByTestId('job-report');
  await expect(report).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  const created = Number((await report.getByTestId('report-created').locator('dd').innerText()).replace(/\D/g, ''));
  expect(created).toBeGreaterThan(0);
  await expect(app.getByTestId('users-total')).toHaveAttribute('data-count', String(created));
  await expect(app.getByTestId('user-row').first()).toBeVisible();
  await expect(app.getByTestId('status-bar')).toContainText('Demo directory (offline)');
  await app.screenshot({ path: testInfo.outputPath('demo.png') });

  await report.getByRole('button', { name: 'Close report' }).click();
  await expect(report).toBeHidden();

  // The demo realm reads a file: its form asks for the file, not for a server, a bind or a connection test.
  await goTo(app, 'Realms');
  await expect(app.getByLabel('Kind')).toHaveValue('ldif-file');
  await expect(app.getByLabel('LDIF file')).toHaveValue(/directory\.ldif$/);
  await expect(app.getByText('an export from ldifde, slapcat or ldapsearch')).toBeVisible();
  await expect(app.getByLabel('Bind DN')).toHaveCount(0);
  await expect(app.getByRole('button', { name: 'Test connection' })).toHaveCount(0);
  await expect(app.getByTestId('realm-row')).toContainText('directory.ldif');
});
