import { once } from 'node:events';
import { createServer, type AddressInfo, type Server } from 'node:net';
import type { Locator, TestInfo } from '@playwright/test';
import { startSlapd, type SlapdServer } from './fixtures/slapd';
import { expect, test } from './fixtures/app';

/*
 * The realm form and card as an admin meets them: a malformed user filter is said by its field as it is typed,
 * a port where something that is not LDAP answers is named as such, each message appears once beside what it
 * is about, and the card shows the last test and the last import.
 */

let server: SlapdServer;
let web: Server;
let webHost: string;

test.beforeAll(async () => {
  server = await startSlapd({ flavor: 'openldap', users: 12 });
  // A web server on a port an admin might take for the directory's: it answers, in HTTP.
  web = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'));
  });
  web.listen(0, '127.0.0.1');
  await once(web, 'listening');
  webHost = `127.0.0.1:${(web.address() as AddressInfo).port}`;
});
test.afterAll(async () => {
  web?.close();
  await server?.stop();
});

/** A screenshot of `what` into the test's output folder (test-results), attached to the report. */
async function shoot(testInfo: TestInfo, name: string, what: Locator): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await what.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

test('filter checked as typed, a non-LDAP port named, and the card shows the last test and import', async ({ app, hostRef, transport }, testInfo) => {
  test.skip(transport === 'electron', 'The import is started through the in-process host.');
  await app.getByRole('button', { name: 'Add realm' }).click();
  await app.getByLabel('Name', { exact: true }).fill('Lab directory');
  await app.getByLabel('Kind').selectOption('openldap');
  await app.getByLabel('Server URL', { exact: true }).fill(`ldap://${webHost}`);
  await app.getByLabel('TLS').selectOption('none');
  await app.getByLabel('Bind DN').fill(server.readerDn);
  await app.getByLabel('Base DN').fill(server.baseDn);

  // The session-password note says "session only" once.
  await expect(app.getByTestId('secrets-banner')).toHaveText(
    'Bind passwords are not saved on this computer. This test host has no system keyring, so bind passwords are kept for this session only.',
  );

  // A malformed filter: said by the field as it is typed, before any save or test, and only there.
  const filter = app.getByLabel('User filter');
  await filter.fill('(&(objectClass=inetOrgPerson)(uid=a');
  const filterError = 'The "(" at character 30 is never closed: a ")" is missing.';
  await expect(app.locator('#realm-user-filter-error')).toHaveText(filterError);
  await expect(filter).toHaveAttribute('aria-invalid', 'true');
  await expect(filter).toHaveAttribute('aria-describedby', /(^| )realm-user-filter-error( |$)/);
  await expect(app.getByText(filterError)).toHaveCount(1);
  await shoot(testInfo, 'user-filter-error', app.locator('.field', { has: filter }));
  // Test connection sends nothing: focus goes to the field that says why, and no test panel repeats it.
  await app.getByRole('button', { name: 'Test connection' }).click();
  await expect(filter).toBeFocused();
  await expect(app.getByTestId('connection-test')).toHaveCount(0);
  await filter.fill('(objectClass=inetOrgPerson)');
  await expect(filter).not.toHaveAttribute('aria-invalid');
  await expect(app.locator('#realm-user-filter-error')).toHaveCount(0);

  // Something answers on that port, but not in LDAP: said once, in the failed step, and the URL is highlighted.
  await app.getByLabel('Bind password').fill(server.readerPassword);
  await app.getByRole('button', { name: 'Test connection' }).click();
  const report = app.getByTestId('connection-test');
  await expect(report.getByTestId('test-step-bind')).toHaveAttribute('data-status', 'failed');
  const notLdap = `Something answers at ${webHost}, but it does not speak LDAP: it closed the connection at the bind without an LDAP answer.`;
  await expect(app.getByRole('alert')).toHaveText(
    `${notLdap} Check the port (389 for ldap://, 636 for ldaps://) and the scheme: a server that expects TLS from the first byte needs an ldaps:// URL. If it is the directory server, check that its LDAP service runs.`,
  );
  await expect(app.getByText(notLdap)).toHaveCount(1);
  const url = app.getByLabel('Server URL', { exact: true });
  await expect(url).toHaveAttribute('aria-invalid', 'true');
  await expect(url).toHaveAttribute('aria-describedby', /(^| )test-step-bind-detail( |$)/);
  await shoot(testInfo, 'not-ldap-port', report);

  // The right port, tested in the form before the first save: Save keeps that test, and the card shows it.
  await url.fill(server.url);
  // A password is sent only where it was given: for the new URL it is typed again.
  await app.getByLabel('Bind password').fill(server.readerPassword);
  await app.getByRole('button', { name: 'Test connection' }).click();
  await expect(report.getByTestId('test-step-users')).toContainText('12 users match (objectClass=inetOrgPerson).');
  await expect(url).not.toHaveAttribute('aria-invalid');
  await app.getByRole('button', { name: 'Save' }).click();
  // Saved with its password for this session: the banner says "session only", and nothing says it again.
  await expect(app.getByTestId('password-state')).toHaveText('Password entered this session');
  await expect(app.getByText(/session only/)).toHaveCount(1);
  const card = app.getByTestId('realm-row').filter({ hasText: 'Lab directory' });
  await expect(card.getByTestId('realm-test-status')).toHaveText('✓ Tested OK · just now');
  await expect(card.getByTestId('realm-test-status')).toHaveAttribute('title', /\nOpenLDAP at ldap:\/\/127\.0\.0\.1:\d+, base DN found, 12 users$/);
  await expect(card.getByTestId('realm-import-status')).toHaveText('Not imported yet');

  // An import (started as the CLI and the demo start one): the card says when it finished, without a reload.
  const services = hostRef.current!.services;
  const realm = services.store.data.realms.find((r) => r.name === 'Lab directory')!;
  const job = services.importer.searchAndImport(realm.id, '*', undefined);
  expect((await services.jobs.wait(job.id)).state).toBe('done');
  await expect(card.getByTestId('realm-import-status')).toHaveText('Imported just now');
  await expect(card.getByTestId('realm-test-status')).toHaveText('✓ Tested OK · just now');
  await expect(card.getByTestId('reconcile-status')).toContainText('Never reconciled');
  await shoot(testInfo, 'realm-card', card);
});
