import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startSlapd, toLdif, type SlapdServer } from './fixtures/slapd';
import { expect, test } from './fixtures/app';
import { cnOnlyPeople } from './fixtures/ldif';

// Plain inetOrgPerson entries as OpenLDAP directories hold them: cn, no displayName.
const cnOnly = (peopleDn: string, n: number) => cnOnlyPeople(peopleDn, n);

let server: SlapdServer;

test.beforeAll(async () => {
  server = await startSlapd({ flavor: 'openldap', users: 0, extraEntries: cnOnly('ou=people,dc=example,dc=org', 5) });
});
test.afterAll(async () => server?.stop());

test('Test connection shows the mapping coverage per field, warns while Full name reads displayName only, and follows the edited list', async ({ app }, testInfo) => {
  await app.getByRole('button', { name: 'Add realm' }).click();
  await app.getByLabel('Name', { exact: true }).fill('Plain OpenLDAP');
  await app.getByLabel('Kind').selectOption('openldap');
  // This slapd has no TLS: clear text is chosen explicitly (the default is StartTLS).
  await app.getByLabel('TLS').selectOption('none');
  await app.getByLabel('Server URL', { exact: true }).fill(server.url);
  await app.getByLabel('Bind DN').fill(server.readerDn);
  await app.getByLabel('Bind password').fill(server.readerPassword);
  await app.getByLabel('Base DN').fill(server.baseDn);
  await app.getByTestId('mapping-displayName').fill('displayName');
  await app.getByRole('button', { name: 'Save' }).click();
  await expect(app.getByTestId('realm-row')).toHaveCount(1);

  await app.getByRole('button', { name: 'Test connection' }).click();
  const report = app.getByTestId('connection-test');
  const step = report.getByTestId('test-step-coverage');
  await expect(step).toHaveAttribute('data-status', 'warning');
  await expect(report).toHaveAttribute('data-state', 'warning');
  await expect(report.getByRole('heading', { name: 'Connection works, with 1 mapping warning' })).toBeVisible();
  await expect(step).toContainText('Full name would be empty for 5 of 5 users: none has displayName; map another attribute under Attribute mapping.');
  await expect(step).toContainText('Check the attribute mapping on a sample of users passed with a warning');
  const table = step.getByRole('table', { name: 'Attribute mapping over 5 users' });
  const fullName = table.getByRole('row', { name: /Full name/ });
  await expect(fullName).toHaveAttribute('data-warning', 'true');
  await expect(fullName.getByRole('rowheader')).toHaveText('⚠ Full name (required): needs attention');
  await expect(fullName.getByRole('cell')).toHaveText('0 of 5 have displayName; 5 stay empty');
  await expect(table.getByRole('row', { name: /Username/ }).getByRole('cell')).toHaveText('5 of 5 have uid');
  await expect(table.getByRole('row', { name: /Phone/ })).toHaveAttribute('data-warning', 'false');
  await step.scrollIntoViewIfNeeded();
  await app.screenshot({ path: testInfo.outputPath('coverage-warning.png') });

  // Editing the list says the shown coverage is out of date; testing the draft measures the new list.
  await app.getByTestId('mapping-displayName').fill('displayName, cn');
  await expect(report.getByTestId('coverage-stale')).toHaveText(
    'The attribute mapping changed since this test: test the connection again to see what it gives.',
  );
  await app.getByRole('button', { name: 'Test connection' }).click();
  await expect(step).toHaveAttribute('data-status', 'ok');
  await expect(report.getByRole('heading', { name: 'Connection works' })).toBeVisible();
  await expect(report.getByTestId('coverage-stale')).toHaveCount(0);
  await expect(step.getByTestId('coverage-displayName')).toHaveAttribute('data-warning', 'false');
  await expect(step.getByTestId('coverage-displayName').getByRole('cell')).toHaveText('0 of 5 have displayName; cn gives 5');
  await app.screenshot({ path: testInfo.outputPath('coverage-ok.png') });
});

test('an LDIF realm is checked from its file, with the same coverage', async ({ app, dataDir }) => {
  const file = join(dataDir, 'people.ldif');
  const base = 'dc=offline,dc=example';
  await writeFile(
    file,
    toLdif([{ dn: base, attributes: { objectClass: ['top', 'dcObject', 'organization'], dc: 'offline', o: 'Offline' } }, ...cnOnly(`ou=people,${base}`, 3)]),
  );
  await app.getByRole('button', { name: 'Add realm' }).click();
  await app.getByLabel('Name', { exact: true }).fill('Offline people');
  await app.getByLabel('Kind').selectOption('ldif-file');
  await app.getByLabel('LDIF file').fill(file);
  await app.getByLabel('LDIF file').blur();
  await expect(app.getByTestId('ldif-file-status')).toContainText('OpenLDAP export detected');
  await expect(app.getByRole('button', { name: 'Test connection' })).toHaveCount(0);
  await app.getByRole('button', { name: 'Check file' }).click();
  const report = app.getByTestId('connection-test');
  await expect(report.getByRole('heading', { name: 'File read' })).toBeVisible();
  await expect(report.getByTestId('test-step-file')).toContainText(`${file}: 4 entries.`);
  await expect(report.getByTestId('test-step-users')).toContainText('3 users match (objectClass=inetOrgPerson).');
  await expect(report.getByTestId('test-step-coverage')).toHaveAttribute('data-status', 'ok');
  await expect(report.getByTestId('coverage-displayName').getByRole('cell')).toHaveText('0 of 3 have displayName; cn gives 3');
});
