import { readFile } from 'node:fs/promises';
import { realmFromPreset } from '#shared/model/realm-presets';
import { expect, test } from './fixtures/app';
import { startSlapd, type SlapdServer } from './fixtures/slapd';
import { createRealm, seedUsers, withServices } from './fixtures/users';
import { goTo } from './fixtures/ui';

let server: SlapdServer;

// Before the host opens the data folder: a dozen users (user 1 is the internal `zangstrom`, who also exists
// in slapd), an OpenLDAP realm on the private slapd, the roles VPN and Payroll, and `mentor`, who holds both.
test.use({
  seed: async ({}, use) => {
    await use(async (dataDir) => {
      await seedUsers(dataDir, 12);
      await withServices(dataDir, async (call) => {
        await createRealm(
          call,
          realmFromPreset('openldap', { name: 'Lab directory', urls: [server.url], bindDn: server.readerDn, baseDn: server.baseDn, tls: 'none' }),
          server.readerPassword,
        );
        const vpn = await call('roles:create', { name: 'VPN' });
        const payroll = await call('roles:create', { name: 'Payroll' });
        await call('users:create', { username: 'mentor', fields: { displayName: 'Maja Mentor', email: 'mentor@example.org' }, roles: [vpn.id, payroll.id] });
      });
    });
  },
});

test.beforeAll(async () => {
  server = await startSlapd({ flavor: 'openldap', users: 25 });
});
test.afterAll(async () => server?.stop());

test('convert, complete, lock, disable and copy roles on one user, then read it all in History', async ({ app }, testInfo) => {
  // Find the user by typing in the list, open it.
  await app.getByRole('searchbox', { name: 'Search users' }).fill('zang');
  const rows = app.getByTestId('user-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-username', 'zangstrom');
  await rows.first().click();
  await app.keyboard.press('Enter');
  const detail = app.getByTestId('user-detail');
  await expect(detail.getByRole('heading', { name: 'zangstrom' })).toBeVisible();
  await expect(detail.getByTestId('user-kind')).toHaveText('Internal');

  // An internal user's username is editable: a bad one is flagged while typing, a taken one refused by main.
  const username = detail.getByLabel('Username', { exact: true });
  await username.fill('zang strom');
  await expect(detail.getByText(/^Username "zang strom" may contain only letters/)).toBeVisible();
  await username.fill('Mentor');
  await detail.getByRole('button', { name: 'Save' }).click();
  await expect(detail.getByRole('alert')).toContainText('The username "Mentor" is already taken by mentor');
  await expect(username).toHaveValue('Mentor');
  await detail.getByRole('button', { name: 'Discard' }).click();
  await expect(username).toHaveValue('zangstrom');
  await expect(detail.getByRole('alert')).toHaveCount(0);

  // Internal -> external through the UI: realm, bind password (the test host keeps none across starts), Find, tick, Convert.
  await detail.getByRole('button', { name: 'Convert to external…' }).click();
  const convert = app.getByRole('dialog', { name: 'Convert zangstrom to an external user' });
  await expect(convert.getByLabel('Realm')).toHaveValue(/.+/);
  await convert.getByLabel('Bind password').fill(server.readerPassword);
  await convert.getByRole('button', { name: 'Find' }).click();
  const candidate = convert.getByTestId('directory-candidate');
  await expect(candidate).toHaveCount(1);
  await expect(candidate).toContainText(`uid=zangstrom,${server.peopleDn}`);
  await candidate.getByRole('radio').check();
  await convert.getByRole('button', { name: 'Convert', exact: true }).click();
  await expect(convert).toBeHidden();
  await expect(detail.getByTestId('user-kind')).toHaveText('External · Lab directory');
  // Names belong to the directory by default: locked.
  const fullName = detail.getByTestId('field-row').filter({ has: app.getByLabel('Full name', { exact: true }) });
  await expect(fullName.getByRole('img', { name: 'Locked: owned by the directory' })).toBeVisible();
  await expect(detail.getByLabel('Full name', { exact: true })).not.toBeEditable();

  // Local fields edited (the typing survives a tab switch) and saved with Ctrl+S become completions.
  const department = detail.getByLabel('Department', { exact: true });
  await expect(department).toBeEditable();
  await department.fill('Research');
  await expect(detail.getByText('Unsaved changes', { exact: true })).toBeVisible();
  await detail.getByRole('tab', { name: 'Roles' }).click();
  await expect(detail.getByTestId('no-roles')).toBeVisible();
  await detail.getByRole('tab', { name: 'Fields' }).click();
  await expect(department).toHaveValue('Research');
  await department.press('Control+s');
  const departmentRow = detail.locator('[data-testid="field-row"][data-field="department"]');
  await expect(departmentRow.getByTestId('completion-marker')).toHaveText('Completion');
  await expect(departmentRow).toContainText('has “Sales”');
  await expect(detail.getByText('Unsaved changes', { exact: true })).toBeHidden();
  await app.screenshot({ path: testInfo.outputPath('user-detail.png') });

  // Lock Department in Settings: the directory owns it from now on.
  await goTo(app, 'Settings');
  const owner = app.getByLabel('Owner of Department', { exact: true });
  await owner.selectOption('directory');
  await expect(app.locator('[data-testid="field-policy"][data-field="department"]')).toHaveAttribute('data-owner', 'directory');
  await expect(app.locator('[data-testid="field-policy"][data-field="department"]').getByRole('status')).toHaveText('Saved');

  // Back on the user (Users in the sidebar shows the list, as it was searched): Department is read-only with
  // the lock, and no longer a completion.
  await goTo(app, 'Users');
  await expect(rows).toHaveCount(1);
  await rows.first().click();
  await app.keyboard.press('Enter');
  await expect(detail.getByRole('heading', { name: 'zangstrom' })).toBeVisible();
  await expect(departmentRow.getByRole('img', { name: 'Locked: owned by the directory' })).toBeVisible();
  await expect(detail.getByLabel('Department', { exact: true })).not.toBeEditable();
  await expect(departmentRow.getByTestId('completion-marker')).toHaveCount(0);

  // Disable login.
  await detail.getByRole('button', { name: 'Disable login' }).click();
  await expect(detail.getByTestId('login-status')).toHaveText('Login disabled');
  await expect(detail.getByRole('button', { name: 'Enable login' })).toBeVisible();

  // Copy roles from mentor.
  await detail.getByRole('tab', { name: 'Roles' }).click();
  await expect(detail.getByTestId('no-roles')).toBeVisible();
  await detail.getByRole('button', { name: 'Copy roles from another user…' }).click();
  const copy = app.getByRole('dialog', { name: 'Copy roles from another user' });
  await copy.getByLabel('Search users').fill('mentor');
  const mentor = copy.getByTestId('copy-roles-candidate').filter({ hasText: 'mentor' });
  await expect(copy.getByTestId('copy-roles-candidate')).toHaveCount(1);
  await mentor.getByRole('radio').check();
  await copy.getByRole('button', { name: 'Copy roles' }).click();
  await expect(copy).toBeHidden();
  await expect(detail.getByTestId('held-role')).toHaveText(['VPN', 'Payroll'].map((name) => new RegExp(`^${name}`)));

  // History, newest first: the role copy, the disable, the edit and the conversion.
  await detail.getByRole('tab', { name: 'History' }).click();
  const entries = detail.getByTestId('history-entry');
  await expect(entries.first()).toHaveAttribute('data-action', 'user.role-assign');
  const actions = await entries.evaluateAll((els) => els.map((el) => el.getAttribute('data-action')));
  expect(actions.slice(0, 4)).toEqual(['user.role-assign', 'user.disable', 'user.update', 'user.to-external']);
  const edit = detail.locator('[data-testid="history-entry"][data-action="user.update"]');
  await expect(edit.locator('tr[data-field="department"]')).toContainText('Sales');
  await expect(edit.locator('tr[data-field="department"]')).toContainText('Research');
  await expect(entries.first()).toContainText('Copied roles from mentor');
  await app.screenshot({ path: testInfo.outputPath('user-history.png') });
});

test('add and remove a custom field, delete a held role after being told who holds it, then find it in Audit and export the journal as CSV', async ({
  app,
  transport,
}, testInfo) => {
  await goTo(app, 'Settings');
  // A custom field: refused until its key is valid, then listed with its attribute, then removed.
  await app.getByRole('button', { name: 'Add custom field…' }).click();
  const form = app.getByRole('form', { name: 'Add custom field' });
  await form.getByLabel('Label', { exact: true }).fill('Cost center');
  await form.getByLabel('Key', { exact: true }).fill('cost center');
  await form.getByLabel('LDAP attribute', { exact: true }).fill('extensionAttribute1');
  await form.getByRole('button', { name: 'Add field' }).click();
  await expect(form.getByLabel('Key', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await form.getByLabel('Key', { exact: true }).fill('costCenter');
  await form.getByRole('button', { name: 'Add field' }).click();
  const costCenter = app.locator('[data-testid="field-policy"][data-field="costCenter"]');
  await expect(costCenter).toContainText('extensionAttribute1');
  await costCenter.getByRole('button', { name: 'Remove Cost center' }).click();
  const removeField = app.getByRole('dialog', { name: 'Remove the field “Cost center”?' });
  // The field by its label, never its key; the LDAP attribute is what imports read.
  await expect(removeField).toContainText('Users no longer show their Cost center, and imports stop reading extensionAttribute1.');
  await expect(removeField).not.toContainText('costCenter');
  await removeField.getByRole('button', { name: 'Remove field' }).click();
  await expect(costCenter).toHaveCount(0);

  const vpn = app.locator('[data-testid="role-row"][data-role="VPN"]');
  await expect(vpn).toContainText('1 user');
  await vpn.getByRole('button', { name: 'Delete VPN' }).click();
  const confirm = app.getByRole('dialog', { name: 'Delete the role “VPN”?' });
  await expect(confirm).toContainText('VPN is held by 1 user; deleting it removes it from them.');
  await app.screenshot({ path: testInfo.outputPath('settings-delete-role.png') });
  await confirm.getByRole('button', { name: 'Delete role' }).click();
  await expect(confirm).toBeHidden();
  await expect(vpn).toHaveCount(0);

  await goTo(app, 'Audit');
  await app.getByLabel('Action', { exact: true }).selectOption('role.delete');
  const entries = app.getByTestId('audit-entry');
  await expect(entries).toHaveCount(1);
  await expect(entries.first()).toHaveAttribute('data-action', 'role.delete');
  await app.getByLabel('Action', { exact: true }).selectOption('');
  await app.getByLabel('User', { exact: true }).fill('mentor');
  // Creating mentor (with VPN and Payroll), then losing VPN with the role.
  await expect(entries.first()).toHaveAttribute('data-action', 'user.role-remove');
  await expect(entries.last()).toHaveAttribute('data-action', 'user.create');
  await entries.last().getByRole('button', { name: 'Show changes' }).click();
  await expect(app.getByTestId('changes').first()).toContainText('Maja Mentor');
  await app.screenshot({ path: testInfo.outputPath('audit.png') });

  // Electron answers a download with its native save dialog, which no page automation can drive.
  if (transport === 'electron') return;
  const download = app.waitForEvent('download');
  await app.getByRole('button', { name: 'Export CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.csv$/);
  const csv = await readFile(await file.path(), 'utf8');
  expect(csv).toContain('mentor');
  expect(csv).not.toContain('zangstrom');
  await expect(app.getByRole('status').filter({ hasText: /^Exported/ })).toContainText(file.suggestedFilename());
});
