import { startSlapd, type SlapdServer } from './fixtures/slapd';
import { expect, test } from './fixtures/app';

let server: SlapdServer;

test.beforeAll(async () => {
  server = await startSlapd({ flavor: 'openldap', users: 25 });
});
test.afterAll(async () => server?.stop());

test('add an OpenLDAP realm, test it, then see a wrong password explained', async ({ app }, testInfo) => {
  await app.getByRole('button', { name: 'Add realm' }).click();
  // The status bar starts with no realms; after the test it must say the realm was reachable.
  await app.getByLabel('Name', { exact: true }).fill('Lab directory');
  await app.getByLabel('Kind').selectOption('openldap');
  await app.getByLabel('Server URL', { exact: true }).fill(server.url);
  await app.getByLabel('Bind DN').fill(server.readerDn);
  await app.getByLabel('Bind password').fill(server.readerPassword);
  await app.getByLabel('Base DN').fill(server.baseDn);
  // The OpenLDAP preset filled in the filter and the immutable id.
  await expect(app.getByLabel('User filter')).toHaveValue('(objectClass=inetOrgPerson)');
  await expect(app.getByLabel('Unique id attribute')).toHaveValue('entryUUID');
  await app.getByRole('button', { name: 'Save' }).click();
  await expect(app.getByTestId('realm-row')).toHaveCount(1);
  await expect(app.getByTestId('realm-row')).toContainText('Lab directory');

  await app.getByRole('button', { name: 'Test connection' }).click();
  const report = app.getByTestId('connection-test');
  await expect(report.getByTestId('test-step-users')).toHaveAttribute('data-status', 'ok');
  for (const step of ['reach', 'bind', 'rootdse', 'base']) await expect(report.getByTestId(`test-step-${step}`)).toHaveAttribute('data-status', 'ok');
  await expect(report.getByTestId('test-step-tls')).toHaveAttribute('data-status', 'skipped');
  await expect(report.getByTestId('test-step-users')).toContainText('25 users match (objectClass=inetOrgPerson).');
  await expect(report.getByTestId('test-step-rootdse')).toContainText('OpenLDAP');
  await expect(app.getByTestId('status-bar').getByTestId('realm-status')).toHaveAttribute('data-state', 'ok');
  await report.scrollIntoViewIfNeeded();
  await app.screenshot({ path: testInfo.outputPath('realm-test-success.png') });

  await app.getByLabel('Bind password').fill('definitely-wrong');
  await app.getByRole('button', { name: 'Save' }).click();
  await app.getByRole('button', { name: 'Test connection' }).click();
  await expect(report.getByTestId('test-step-bind')).toHaveAttribute('data-status', 'failed');
  await expect(app.getByRole('alert')).toContainText(`Invalid credentials for ${server.readerDn}: the bind DN or password is wrong. Check both in the realm settings.`);
  await expect(app.getByTestId('status-bar').getByTestId('realm-status')).toHaveAttribute('data-state', 'failed');
  await report.scrollIntoViewIfNeeded();
  await app.screenshot({ path: testInfo.outputPath('realm-test-invalid-credentials.png') });
});
