import type { Locator, Page, TestInfo } from '@playwright/test';
import { expect } from './fixtures/app';
import { testWithSlapd } from './fixtures/slapd-per-test';
import { ldapModify, type SlapdServer } from './fixtures/slapd';
import { importLdapRealm, withServices } from './fixtures/users';
import { openUser } from './fixtures/ui';

// Where focus goes on the user detail and in its Resynchronize dialog, what the keyboard does there, and what
// the diff says Save will do. Each test gets its own slapd: the resync test changes the directory.
const test = testWithSlapd({ flavor: 'openldap', users: 12 });

// An OpenLDAP realm with its 12 users imported; user00007's department and job title edited in Roster,
// so that a directory change to both makes two conflicts.
test.use({
  seed: async ({ ldap }, use) => {
    await use(async (dataDir) => {
      await withServices(dataDir, async (call, services) => {
        await importLdapRealm(call, services, ldap, 12);
        const page = await call('users:query', { query: { search: 'user00007' }, limit: 1 });
        await call('users:update', { id: page.rows[0]!.id, fields: { department: 'Roster research', title: 'Roster title' } });
      });
    });
  },
});

const dnOf = (server: SlapdServer, uid: string) => `uid=${uid},${server.peopleDn}`;

/** The Users list is showing (the detail is gone). */
async function expectList(app: Page) {
  await expect(app.getByTestId('user-detail')).toHaveCount(0);
  await expect(app.getByRole('searchbox', { name: 'Search users' })).toBeVisible();
}

/** A screenshot kept beside the test's results and attached to its report. */
async function snap(app: Page, testInfo: TestInfo, name: string) {
  const path = testInfo.outputPath(`${name}.png`);
  await app.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

const width = async (input: Locator) => (await input.boundingBox())!.width;

test('a user opens with focus on its heading; locked and local inputs are as wide; required fields are marked; Escape and Alt+← go back', async ({
  app,
}, testInfo) => {
  const detail = await openUser(app, 'user00002');
  // A screen reader hears whose record this is first; Tab then reaches the header's actions and the fields.
  await expect(detail.getByRole('heading', { name: 'user00002', level: 1 })).toBeFocused();

  const fullName = detail.getByLabel('Full name', { exact: true });
  const department = detail.getByLabel('Department', { exact: true });
  const phone = detail.getByLabel('Phone', { exact: true });
  await expect(fullName).toHaveAttribute('readonly', '');
  await expect(department).not.toHaveAttribute('readonly', '');
  expect(await width(fullName)).toBe(await width(department));
  expect(await width(detail.getByLabel('Username', { exact: true }))).toBe(await width(phone));

  // Required fields are marked while they hold a value, not only once empty.
  const row = (key: string) => detail.locator(`[data-testid="field-row"][data-field="${key}"]`);
  await expect(department).not.toHaveValue('');
  await expect(row('department').getByTestId('required-marker')).toBeVisible();
  await expect(row('displayName').getByTestId('required-marker')).toBeVisible();
  await expect(row('phone').getByTestId('required-marker')).toHaveCount(0);
  await expect(department).toHaveAttribute('aria-required', 'true');
  await expect(phone).not.toHaveAttribute('aria-required', 'true');
  await expect(detail.getByTestId('missing-marker')).toHaveCount(0);
  await snap(app, testInfo, 'user-detail-fields');

  // Escape inside a text field belongs to the field; with a dialog open it closes the dialog only.
  await department.focus();
  await app.keyboard.press('Escape');
  await expect(detail).toBeVisible();
  await detail.getByRole('button', { name: 'Delete user…' }).click();
  const dialog = app.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await app.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(detail).toBeVisible();

  // Elsewhere, Escape goes back to the list…
  await detail.getByRole('heading', { name: 'user00002' }).focus();
  await app.keyboard.press('Escape');
  await expectList(app);

  // …and so does Alt+←.
  const again = await openUser(app, 'user00003');
  await expect(again.getByRole('heading', { name: 'user00003', level: 1 })).toBeFocused();
  await app.keyboard.press('Alt+ArrowLeft');
  await expectList(app);
});

test('Resynchronize: focus never falls to the page, the summary says what Save will do, take-all and keep-all', async ({ app, ldap }, testInfo) => {
  await ldapModify(
    ldap,
    `dn: ${dnOf(ldap, 'user00007')}\nchangetype: modify\nreplace: departmentNumber\ndepartmentNumber: Directory research\n-\nreplace: title\ntitle: Directory title\n-\nreplace: telephoneNumber\ntelephoneNumber: +44 20 7946 0007\n\n`,
  );
  const detail = await openUser(app, 'user00007');
  const opener = detail.getByRole('button', { name: 'Resynchronize…' });
  await opener.click();
  const dialog = app.getByRole('dialog', { name: 'Resynchronize user00007' });
  const cancel = dialog.getByRole('button', { name: 'Cancel' });
  // The host keeps no bind password across starts: the dialog asks once.
  await dialog.getByLabel('Bind password').fill(ldap.readerPassword);
  await dialog.getByRole('button', { name: 'Continue' }).click();
  await expect(dialog.getByRole('radio', { name: dnOf(ldap, 'user00007') })).toBeChecked();
  await cancel.click();
  await expect(dialog).toHaveCount(0);
  await expect(opener).toBeFocused();

  // Opened from the keyboard: focus is on the realm picker, not on Cancel, once the candidates are in.
  await app.keyboard.press('Enter');
  await expect(dialog.getByRole('radio', { name: dnOf(ldap, 'user00007') })).toBeChecked();
  await expect(dialog.getByLabel('Realm')).toBeFocused();
  await expect(cancel).not.toBeFocused();

  // Start: focus goes to the first decision (the first conflict's preset side).
  await dialog.getByRole('button', { name: 'Start' }).focus();
  await app.keyboard.press('Enter');
  const first = dialog.getByTestId('diff-row').first();
  await expect(first).toHaveAttribute('data-outcome', 'conflict');
  await expect(first).toHaveAttribute('data-field', 'department');
  await expect(first.getByRole('radio', { name: 'Keep Roster’s' })).toBeFocused();

  // Defaults are chosen and Save is enabled: the summary says what Save will do, by field labels.
  const summary = dialog.getByTestId('diff-summary');
  await expect(summary).toHaveText('1 field changes in Roster · 2 conflicts — Roster’s value is kept unless you choose otherwise');
  await expect(dialog.getByRole('button', { name: 'Save' })).toBeEnabled();
  // Phone changed only in the directory: taken on its own, and still open to the other choice.
  const phoneRow = dialog.locator('[data-testid="diff-row"][data-field="phone"]');
  await expect(phoneRow).toHaveAttribute('data-outcome', 'take-directory');
  await expect(phoneRow.getByRole('radio', { name: 'Take directory’s' })).toBeChecked();
  await snap(app, testInfo, 'resync-dialog-conflicts');

  await dialog.getByRole('button', { name: 'Take all directory values' }).click();
  await expect(summary).toHaveText('3 fields change in Roster · 2 conflicts — the directory’s value is taken unless you choose otherwise');
  await expect(dialog.locator('[data-testid="diff-row"][data-field="title"]').getByRole('radio', { name: 'Take directory’s' })).toBeChecked();
  await dialog.getByRole('button', { name: 'Keep all Roster’s' }).click();
  await expect(summary).toHaveText(
    'No field changes in Roster · 2 conflicts — Roster’s value is kept unless you choose otherwise · your choice replaces the automatic result for Phone',
  );
  await expect(phoneRow).toHaveAttribute('data-overridden', 'true');
  await expect(phoneRow).toContainText('Your choice');
  await phoneRow.getByRole('radio', { name: 'Take directory’s' }).check();
  await expect(phoneRow).not.toHaveAttribute('data-overridden', 'true');
  await dialog.locator('[data-testid="diff-row"][data-field="title"]').getByRole('radio', { name: 'Take directory’s' }).check();
  await expect(summary).toContainText('Roster’s value is kept for Department and the directory’s value is taken for Job title');

  // Save: the dialog closes, focus is back on the button that opened it, and the values are what the summary said.
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(opener).toBeFocused();
  await expect(detail.getByLabel('Job title', { exact: true })).toHaveValue('Directory title');
  await expect(detail.getByLabel('Department', { exact: true })).toHaveValue('Roster research');
  await expect(detail.getByLabel('Phone', { exact: true })).toHaveValue('+44 20 7946 0007');

  // A user with nothing to decide: after Start, focus goes to Save.
  await app.keyboard.press('Escape');
  await expectList(app);
  const plain = await openUser(app, 'user00003');
  const plainOpener = plain.getByRole('button', { name: 'Resynchronize…' });
  await plainOpener.click();
  const plainDialog = app.getByRole('dialog', { name: 'Resynchronize user00003' });
  await expect(plainDialog.getByRole('radio', { name: dnOf(ldap, 'user00003') })).toBeChecked();
  await plainDialog.getByRole('button', { name: 'Start' }).click();
  await expect(plainDialog.getByTestId('diff-summary')).toHaveText('No field changes in Roster');
  await expect(plainDialog.getByRole('button', { name: 'Save' })).toBeFocused();
  // Back to the candidates: focus goes to Start, which replaced Back.
  await app.keyboard.press('Shift+Tab');
  await expect(plainDialog.getByRole('button', { name: 'Back' })).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(plainDialog.getByRole('button', { name: 'Start' })).toBeFocused();
  await plainDialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(plainOpener).toBeFocused();
});
