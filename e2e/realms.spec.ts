import { startSlapd, type SlapdServer } from './fixtures/slapd';
import { expect, test } from './fixtures/app';

let server: SlapdServer;

test.beforeAll(async () => {
  server = await startSlapd({ flavor: 'openldap', users: 25 });
});
test.afterAll(async () => server?.stop());

test('add an OpenLDAP realm, test it, then see a wrong password explained', async ({ app }, testInfo) => {
  const clearText = `No TLS: the bind password of ${server.readerDn} crosses the network unencrypted, readable by anyone on the way. Choose StartTLS or LDAPS unless this network is trusted.`;
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
  // A new realm uses StartTLS unless told otherwise; this slapd has no TLS, so it refuses and nothing is bound.
  await expect(app.getByLabel('TLS')).toHaveValue('starttls');
  await expect(app.getByTestId('tls-warning')).toHaveCount(0);
  await app.getByRole('button', { name: 'Save' }).click();
  await expect(app.getByTestId('realm-row')).toHaveCount(1);
  await expect(app.getByTestId('realm-row')).toContainText('Lab directory');
  await expect(app.getByTestId('realm-tls-warning')).toHaveCount(0);
  await app.getByRole('button', { name: 'Test connection' }).click();
  const report = app.getByTestId('connection-test');
  await expect(report.getByTestId('test-step-tls')).toHaveAttribute('data-status', 'failed');
  await expect(report.getByTestId('test-step-bind')).toHaveAttribute('data-status', 'skipped');
  await expect(app.getByRole('alert')).toContainText(
    `${server.url.replace('ldap://', '')} refused StartTLS (LDAP error 2: unsupported extended operation Code: 0x2). Roster does not fall back to a clear-text connection`,
  );

  // Clear text is an explicit choice, and it shows: on the form, on the Realms list and in Test connection.
  await app.getByLabel('TLS').selectOption('none');
  await expect(app.getByTestId('tls-warning')).toHaveText(clearText);
  await app.getByLabel('Bind password').fill(server.readerPassword);
  await app.getByRole('button', { name: 'Save' }).click();
  await expect(app.getByTestId('realm-tls-warning')).toHaveText(clearText);
  await app.getByRole('button', { name: 'Test connection' }).click();
  await expect(report.getByTestId('test-step-users')).toHaveAttribute('data-status', 'ok');
  for (const step of ['reach', 'bind', 'rootdse', 'base']) await expect(report.getByTestId(`test-step-${step}`)).toHaveAttribute('data-status', 'ok');
  await expect(report.getByTestId('test-step-tls')).toHaveAttribute('data-status', 'warning');
  await expect(report.getByTestId('test-step-tls')).toContainText(clearText);
  await expect(report.getByRole('heading', { name: 'Connection works, without TLS', exact: true })).toBeVisible();
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
