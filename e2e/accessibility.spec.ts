import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page, TestInfo } from '@playwright/test';
import { Client } from 'ldapts';
import { expect } from './fixtures/app';
import { testWithSlapd } from './fixtures/slapd-per-test';
import { expectNoSeriousViolations } from './fixtures/axe';
import { generateUsers, type SlapdServer } from './fixtures/slapd';
import { goTo, openUser } from './fixtures/ui';
import { importLdapRealm, withServices } from './fixtures/users';

// Every screen and dialog, each scanned by axe-core as a person sees it (its dialog open): no serious or
// critical violation of WCAG 2 A/AA or of axe's best practices. Scans are soft: one run lists them all.

/** Scans the page now, as `name`; `alsoFail`: rule ids that fail it whatever their impact. */
const scan = (app: Page, testInfo: TestInfo, name: string, alsoFail: readonly string[] = []) =>
  test.step(`axe: ${name}`, () => expectNoSeriousViolations(app, testInfo, name, alsoFail));

/** The Export screen's headings go h1 → h2 → h3: its scans fail on a skipped level too (a moderate rule). */
const EXPORT_RULES = ['heading-order'];

const test = testWithSlapd({ flavor: 'openldap', users: 12 });

const dnOf = (server: SlapdServer, uid: string) => `uid=${uid},${server.peopleDn}`;

test('first run, the demo offer and its report', async ({ app }, testInfo) => {
  // An empty store opens Realms with the demo offer where the form would be.
  await expect(app.getByTestId('first-run')).toBeVisible();
  await scan(app, testInfo, 'realms-first-run');
  await goTo(app, 'Users');
  const offer = app.getByTestId('users-empty').getByTestId('first-run');
  await expect(offer).toBeVisible();
  await scan(app, testInfo, 'users-first-run');
  await offer.getByRole('button', { name: 'Try with demo data' }).click();
  const report = app.getByRole('complementary', { name: 'Demo data imported' }).getByTestId('job-report');
  await expect(report).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await scan(app, testInfo, 'demo-done');
  await report.getByRole('button', { name: 'Close report' }).click();
  await expect(app.getByTestId('user-row').first()).toBeVisible();
  await scan(app, testInfo, 'users-list-demo');
  // The demo realm's form: a file, not a server.
  await goTo(app, 'Realms');
  await expect(app.getByLabel('LDIF file')).toHaveValue(/directory\.ldif$/);
  await scan(app, testInfo, 'realm-form-ldif');
});

test.describe('with an OpenLDAP realm of 12 imported users', () => {
  // Before the host opens the data folder: the realm and its users (the bind password is not kept across the
  // start, so each dialog that reaches the directory asks for it), a local edit for a conflict, an internal
  // user, a role, a notice (a change torn off at the end of the journal), and a directory entry recreated
  // after the import (a conflict on the Import screen).
  test.use({
    seed: async ({ ldap }, use) => {
      await use(async (dataDir) => {
        await withServices(dataDir, async (call, services) => {
          await importLdapRealm(call, services, ldap, 12);
          const page = await call('users:query', { query: { search: 'user00007' }, limit: 1 });
          await call('users:update', { id: page.rows[0]!.id, fields: { department: 'Roster research' } });
          await call('users:create', { username: 'intern1', fields: { displayName: 'Ines Intern', givenName: 'Ines', surname: 'Intern' } });
          const role = await call('roles:create', { name: 'Helpdesk' });
          await call('users:assign-role', { target: { ids: [page.rows[0]!.id] }, roleId: role.id });
          await call('fields:add', { field: { key: 'costCenter', label: 'Cost center', ldapAttribute: 'employeeType' } });
        });
        await writeFile(join(dataDir, 'users.journal'), '{"seq":', { flag: 'a' });
        const [entry] = generateUsers(1, 'openldap', ldap.peopleDn, 1);
        const client = new Client({ url: ldap.url });
        try {
          await client.bind(ldap.rootDn, ldap.rootPassword);
          await client.del(entry!.dn);
          await client.add(entry!.dn, entry!.attributes as Record<string, string | string[]>);
        } finally {
          await client.unbind();
        }
      });
    },
  });

  test('users list, notices, bulk bar, user detail and its dialogs, resync at each step', async ({ app, ldap }, testInfo) => {
    test.setTimeout(180_000);
    await expect(app.getByTestId('user-row').first()).toBeVisible();
    await scan(app, testInfo, 'users-list');
    const columns = app.getByTestId('columns-menu');
    await columns.getByText('Columns', { exact: true }).click();
    await expect(columns.getByRole('group', { name: 'Columns' })).toBeVisible();
    await scan(app, testInfo, 'users-columns-menu');
    await columns.getByText('Columns', { exact: true }).click();
    await expect(columns.getByRole('group', { name: 'Columns' })).toBeHidden();

    await app.getByRole('button', { name: 'New user' }).click();
    const newUser = app.getByRole('dialog', { name: 'New user' });
    await expect(newUser.getByLabel('Username')).toBeVisible();
    await scan(app, testInfo, 'new-user-dialog');
    await newUser.getByRole('button', { name: 'Cancel' }).click();
    await expect(newUser).toBeHidden();

    const notices = app.getByTestId('status-bar').getByRole('button', { name: /notice/ });
    await notices.click();
    await expect(app.getByRole('dialog', { name: 'Notices about the data folder' })).toBeVisible();
    await scan(app, testInfo, 'notices-dialog');
    await app.keyboard.press('Escape');

    // An external user: Fields, Roles, History, Delete.
    const detail = await openUser(app, 'user00003');
    await scan(app, testInfo, 'user-detail-external');
    await detail.getByRole('button', { name: 'Convert to internal…' }).click();
    const toInternal = app.getByRole('dialog', { name: 'Convert user00003 to an internal user?' });
    await expect(toInternal).toBeVisible();
    await scan(app, testInfo, 'convert-to-internal-dialog');
    await toInternal.getByRole('button', { name: 'Cancel' }).click();
    await expect(toInternal).toBeHidden();
    await detail.getByRole('tab', { name: 'Roles' }).click();
    await scan(app, testInfo, 'user-detail-roles');
    await detail.getByRole('button', { name: 'Copy roles from another user…' }).click();
    const copy = app.getByRole('dialog', { name: 'Copy roles from another user' });
    await expect(copy.getByTestId('copy-roles-candidate').first()).toBeVisible();
    await scan(app, testInfo, 'copy-roles-dialog');
    await copy.getByRole('button', { name: 'Cancel' }).click();
    await expect(copy).toBeHidden();
    await detail.getByRole('tab', { name: 'History' }).click();
    await expect(detail.getByTestId('history-entry').first()).toBeVisible();
    await scan(app, testInfo, 'user-detail-history');
    await detail.getByRole('tab', { name: 'Fields' }).click();
    await detail.getByRole('button', { name: 'Delete user…' }).click();
    await expect(app.getByRole('dialog')).toBeVisible();
    await scan(app, testInfo, 'delete-user-dialog');
    await app.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

    // Resynchronize: the bind password, the candidates, the diff.
    await detail.getByRole('button', { name: 'Resynchronize…' }).click();
    const dialog = app.getByRole('dialog', { name: 'Resynchronize user00003' });
    await expect(dialog.getByLabel('Bind password')).toBeVisible();
    await scan(app, testInfo, 'resync-password');
    await dialog.getByLabel('Bind password').fill(ldap.readerPassword);
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await expect(dialog.getByRole('radio', { name: dnOf(ldap, 'user00003') })).toBeChecked();
    await scan(app, testInfo, 'resync-pick');
    await dialog.getByRole('button', { name: 'Start' }).click();
    await expect(dialog.getByTestId('diff-summary')).toBeVisible();
    await dialog.getByRole('button', { name: /Show unchanged fields/ }).click();
    await scan(app, testInfo, 'resync-diff');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();

    // user00007 has a local edit: its resync diff has a conflict to decide.
    await app.getByRole('button', { name: 'Back to users' }).click();
    const conflicted = await openUser(app, 'user00007');
    await conflicted.getByRole('button', { name: 'Resynchronize…' }).click();
    const dialog7 = app.getByRole('dialog', { name: 'Resynchronize user00007' });
    await dialog7.getByRole('button', { name: 'Start' }).click();
    await expect(dialog7.getByTestId('diff-summary')).toBeVisible();
    await scan(app, testInfo, 'resync-diff-conflict');
    await dialog7.getByRole('button', { name: 'Cancel' }).click();

    // The bulk bar and its resync.
    await app.getByRole('button', { name: 'Back to users' }).click();
    await app.getByRole('searchbox', { name: 'Search users' }).fill('');
    await app.locator('[data-testid="user-row"][data-username="user00004"]').click();
    await expect(app.getByTestId('bulk-bar')).toBeVisible();
    await scan(app, testInfo, 'users-list-selection');
    await app.getByTestId('bulk-bar').getByRole('button', { name: 'Disable login' }).click();
    const confirmBulk = app.getByRole('dialog', { name: 'Disable login for 1 user?' });
    await expect(confirmBulk).toBeVisible();
    await scan(app, testInfo, 'bulk-login-confirm');
    await confirmBulk.getByRole('button', { name: 'Cancel' }).click();
    await expect(confirmBulk).toBeHidden();
    await app.getByTestId('bulk-bar').getByRole('button', { name: 'Assign role…' }).click();
    const picker = app.getByRole('dialog', { name: 'Assign a role to 1 user' });
    await expect(picker.getByLabel('Role')).toContainText('Helpdesk');
    await scan(app, testInfo, 'role-picker-dialog');
    await picker.getByRole('button', { name: 'Cancel' }).click();
    await expect(picker).toBeHidden();
    await app.getByTestId('bulk-bar').getByRole('button', { name: 'Resync selected' }).click();
    // The resync above gave the bind password for the session: the run starts at once.
    const bulk = app.getByTestId('bulk-resync');
    await expect(bulk.getByTestId('job-report')).toHaveAttribute('data-state', 'done');
    await scan(app, testInfo, 'bulk-resync-report');
    await bulk.getByRole('button', { name: 'Close report' }).click();

    // An internal user, and the question when leaving it with unsaved values.
    const internal = await openUser(app, 'intern1');
    await scan(app, testInfo, 'user-detail-internal');
    await internal.getByLabel('Department', { exact: true }).fill('Unsaved');
    await app.getByRole('button', { name: 'Back to users' }).click();
    await expect(app.getByRole('dialog', { name: 'Discard unsaved changes?' })).toBeVisible();
    await scan(app, testInfo, 'discard-unsaved-user');
    await app.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await internal.getByRole('button', { name: 'Convert to external…' }).click();
    await expect(app.getByRole('dialog')).toBeVisible();
    await scan(app, testInfo, 'convert-to-external-dialog');
  });

  test('realms: list, forms, connection test, reconcile and its report, delete and discard questions', async ({ app, ldap }, testInfo) => {
    test.setTimeout(240_000);
    await goTo(app, 'Realms');
    const row = app.getByTestId('realm-row').filter({ hasText: 'Lab directory' });
    await expect(row).toBeVisible();
    await expect(app.getByLabel('Base DN')).toHaveValue(ldap.baseDn);
    await scan(app, testInfo, 'realms-edit');

    await row.getByRole('button', { name: 'Reconcile…' }).click();
    const reconcile = app.getByRole('dialog', { name: 'Reconcile Lab directory' });
    await expect(reconcile).toBeVisible();
    await scan(app, testInfo, 'reconcile-dialog');
    await reconcile.getByLabel('Bind password').fill(ldap.readerPassword);
    await reconcile.getByRole('button', { name: 'Continue' }).click();
    const jobReport = reconcile.getByTestId('job-report');
    await expect(jobReport).toHaveAttribute('data-state', 'done');
    await scan(app, testInfo, 'reconcile-report');
    await reconcile.getByRole('button', { name: 'Close', exact: true }).click();
    await expect(reconcile).toBeHidden();

    // Test connection, with the password the reconcile was given: its steps.
    await app.getByRole('button', { name: 'Test connection' }).click();
    const report = app.getByTestId('connection-test');
    await expect(report.getByTestId('test-step-users')).toHaveAttribute('data-status', 'ok');
    await scan(app, testInfo, 'realms-connection-test');

    // An unsaved edit, then another form: the discard question.
    await app.getByLabel('Name', { exact: true }).fill('Lab directory, renamed');
    await app.getByRole('button', { name: 'Add realm' }).click();
    await expect(app.getByRole('dialog', { name: 'Discard your changes?' })).toBeVisible();
    await scan(app, testInfo, 'discard-realm-changes');
    await app.getByRole('dialog').getByRole('button', { name: 'Discard changes' }).click();
    await expect(app.getByLabel('Name', { exact: true })).toHaveValue('');
    await scan(app, testInfo, 'realms-new');

    await row.getByRole('button', { name: 'Delete' }).click();
    await expect(app.getByRole('dialog', { name: 'Delete realm “Lab directory”?' })).toBeVisible();
    await scan(app, testInfo, 'delete-realm-dialog');
    await app.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  });

  test('import: empty, results, a conflict selected, the report', async ({ app, ldap }, testInfo) => {
    await goTo(app, 'Import');
    await expect(app.getByRole('heading', { name: 'Import LDAP users' })).toBeVisible();
    await scan(app, testInfo, 'import-empty');
    const query = app.getByLabel('Query', { exact: true });
    await query.fill('*');
    await query.press('Enter');
    const password = app.getByRole('dialog', { name: 'Bind password' });
    await expect(password).toBeVisible();
    await scan(app, testInfo, 'bind-password-dialog');
    await password.getByLabel('Password').fill(ldap.readerPassword);
    await password.getByLabel('Password').press('Enter');
    await expect(app.getByTestId('import-count')).toHaveText('12 entries found');
    await scan(app, testInfo, 'import-results');
    const chips = app.getByRole('group', { name: 'Show entries by status' });
    await chips.getByRole('button', { name: /^Conflict/ }).click();
    await app.locator('[data-testid="import-row"][data-username="user00002"]').click();
    await expect(app.getByTestId('conflict-row')).toBeVisible();
    await scan(app, testInfo, 'import-conflict');
    await app.getByTestId('import-run-all').click();
    const report = app.getByTestId('job-report');
    await expect(report).toHaveAttribute('data-state', 'done');
    await scan(app, testInfo, 'import-report');
  });

  test('export form and run, reports, audit, settings and its questions', async ({ app }, testInfo) => {
    await goTo(app, 'Export');
    const form = app.getByRole('form', { name: 'Export users' });
    await expect(form).toBeVisible();
    await scan(app, testInfo, 'export-form', EXPORT_RULES);
    await form.getByLabel('Save to').fill(testInfo.outputPath('everyone.csv'));
    await form.getByRole('radio', { name: /^CSV/ }).check();
    await form.getByRole('button', { name: 'Export', exact: true }).click();
    await expect(app.getByTestId('job-report')).toHaveAttribute('data-state', 'done');
    await scan(app, testInfo, 'export-run', EXPORT_RULES);

    // The re-import of a returned sheet: its columns mapped, then the preview of its rows.
    const sheetPath = testInfo.outputPath('returned.csv');
    await writeFile(sheetPath, 'username,department\r\nuser00005,Field Ops\r\nnobody,Sales\r\n');
    await app.getByRole('tab', { name: 'Re-import a returned sheet' }).click();
    const section = app.getByTestId('sheet-import');
    await section.getByLabel('Sheet', { exact: true }).fill(sheetPath);
    await section.getByLabel('Sheet', { exact: true }).press('Enter');
    await expect(section.getByTestId('sheet-summary')).toContainText('2 rows');
    await expect(section.getByLabel('department', { exact: true })).toHaveValue('field:department');
    await scan(app, testInfo, 'export-sheet-mapping', EXPORT_RULES);
    await section.getByRole('button', { name: 'Preview' }).click();
    await expect(section.getByTestId('sheet-preview').getByTestId('sheet-count-change')).toHaveAttribute('data-count', '1');
    await scan(app, testInfo, 'export-sheet-preview', EXPORT_RULES);

    await goTo(app, 'Reports');
    await expect(app.getByTestId('report-card').first()).toBeVisible();
    await scan(app, testInfo, 'reports');

    await goTo(app, 'Audit');
    await expect(app.getByRole('heading', { name: 'Audit', level: 1 })).toBeVisible();
    await scan(app, testInfo, 'audit');

    await goTo(app, 'Settings');
    await expect(app.getByRole('heading', { name: 'Roles' })).toBeVisible();
    await scan(app, testInfo, 'settings');
    await app.getByRole('button', { name: 'Delete Helpdesk' }).click();
    await expect(app.getByRole('dialog')).toBeVisible();
    await scan(app, testInfo, 'delete-role-dialog');
    await app.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await app.getByRole('button', { name: 'Remove Cost center' }).click();
    await expect(app.getByRole('dialog')).toBeVisible();
    await scan(app, testInfo, 'remove-field-dialog');
  });
});
