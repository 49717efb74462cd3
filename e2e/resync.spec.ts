import type { Page } from '@playwright/test';
import { expect } from './fixtures/app';
import { testWithSlapd } from './fixtures/slapd-per-test';
import { ldapModify, type SlapdServer } from './fixtures/slapd';
import { importLdapRealm, withServices } from './fixtures/users';
import { goTo, openUser } from './fixtures/ui';

// Every test changes the directory, so each gets its own slapd (a retry starts from the same entries).
const test = testWithSlapd({ flavor: 'openldap', users: 12 });

// Before the host opens the data folder: an OpenLDAP realm on the test's slapd, all 12 of its users imported,
// and user00007's department changed in Roster (a local edit for the reconcile's conflict).
test.use({
  seed: async ({ ldap }, use) => {
    await use(async (dataDir) => {
      await withServices(dataDir, async (call, services) => {
        await importLdapRealm(call, services, ldap, 12);
        const page = await call('users:query', { query: { search: 'user00007' }, limit: 1 });
        await call('users:update', { id: page.rows[0]!.id, fields: { department: 'Roster research' } });
      });
    });
  },
});

const dnOf = (server: SlapdServer, uid: string) => `uid=${uid},${server.peopleDn}`;
const replace = (server: SlapdServer, uid: string, attribute: string, value: string) =>
  `dn: ${dnOf(server, uid)}\nchangetype: modify\nreplace: ${attribute}\n${attribute}: ${value}\n\n`;

test('resync one user after the directory changed their title', async ({ app, ldap }, testInfo) => {
  await ldapModify(ldap, replace(ldap, 'user00002', 'title', 'Chief Widget Officer'));
  const detail = await openUser(app, 'user00002');
  const title = detail.getByLabel('Job title', { exact: true });
  await expect(title).not.toHaveValue('Chief Widget Officer');

  await detail.getByRole('button', { name: 'Resynchronize…' }).click();
  const dialog = app.getByRole('dialog', { name: 'Resynchronize user00002' });
  await expect(dialog.getByLabel('Realm')).toHaveValue(/.+/);
  // The host keeps no bind password across starts: the dialog asks once, then carries on.
  await dialog.getByLabel('Bind password').fill(ldap.readerPassword);
  await dialog.getByRole('button', { name: 'Continue' }).click();
  const candidate = dialog.getByRole('radio', { name: dnOf(ldap, 'user00002') });
  await expect(candidate).toBeChecked();
  await expect(dialog.getByTestId('resync-candidate').first()).toContainText('same id');

  await dialog.getByRole('button', { name: 'Start' }).click();
  const titleRow = dialog.locator('[data-testid="diff-row"][data-field="title"]');
  await expect(titleRow).toHaveAttribute('data-outcome', 'take-directory');
  await expect(titleRow).toContainText('Chief Widget Officer');
  // Unchanged fields wait behind their toggle.
  await expect(dialog.locator('[data-testid="diff-row"][data-outcome="unchanged"]')).toHaveCount(0);
  await dialog.getByRole('button', { name: /Show unchanged fields/ }).click();
  await expect(dialog.locator('[data-testid="diff-row"][data-field="email"]')).toHaveAttribute('data-outcome', 'unchanged');
  await app.screenshot({ path: testInfo.outputPath('resync-diff.png') });

  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(detail.getByTestId('resynced-flash')).toHaveText('Resynced');
  await expect(title).toHaveValue('Chief Widget Officer');

  await detail.getByRole('tab', { name: 'History' }).click();
  const entry = detail.locator('[data-testid="history-entry"][data-action="user.resync"]');
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText('Chief Widget Officer');
});

test('a field changed in Roster and in the directory is a conflict the admin settles', async ({ app, ldap }) => {
  const detail = await openUser(app, 'user00003');
  const department = detail.getByLabel('Department', { exact: true });
  await department.fill('Roster side');
  await detail.getByRole('button', { name: 'Save' }).click();
  await expect(detail.locator('[data-testid="field-row"][data-field="department"]').getByTestId('completion-marker')).toBeVisible();
  await ldapModify(ldap, replace(ldap, 'user00003', 'departmentNumber', 'Directory side'));

  await detail.getByRole('button', { name: 'Resynchronize…' }).click();
  const dialog = app.getByRole('dialog', { name: 'Resynchronize user00003' });
  await dialog.getByLabel('Bind password').fill(ldap.readerPassword);
  await dialog.getByRole('button', { name: 'Continue' }).click();
  await expect(dialog.getByRole('radio', { name: dnOf(ldap, 'user00003') })).toBeChecked();
  await dialog.getByRole('button', { name: 'Start' }).click();

  const row = dialog.locator('[data-testid="diff-row"][data-field="department"]');
  await expect(row).toHaveAttribute('data-outcome', 'conflict');
  await expect(dialog.getByTestId('diff-summary')).toHaveText('No field changes in Roster · 1 conflict — Roster’s value is kept unless you choose otherwise');
  // Department is a local field: Roster's value is the default.
  await expect(row.getByRole('radio', { name: 'Keep Roster’s' })).toBeChecked();
  await row.getByRole('radio', { name: 'Take directory’s' }).check();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(department).toHaveValue('Directory side');
  await expect(detail.locator('[data-testid="field-row"][data-field="department"]').getByTestId('completion-marker')).toHaveCount(0);
});

test('resync a selection from the Users list bulk bar', async ({ app, ldap }, testInfo) => {
  await ldapModify(ldap, replace(ldap, 'user00008', 'title', 'Widget Wrangler'));
  await app.getByRole('searchbox', { name: 'Search users' }).fill('user0000');
  const row = (page: Page, username: string) => page.locator(`[data-testid="user-row"][data-username="${username}"]`);
  // The search applies after a short pause and clears the selection: wait for its rows.
  await expect(app.getByTestId('user-row')).toHaveCount(8);
  await row(app, 'user00008').click();
  await row(app, 'user00009').click({ modifiers: ['ControlOrMeta'] });
  await app.getByTestId('bulk-bar').getByRole('button', { name: 'Resync selected' }).click();
  const panel = app.getByTestId('bulk-resync');
  // No password is kept by the host: the job asks, and the run starts again with it.
  await panel.getByLabel('Bind password').fill(ldap.readerPassword);
  await panel.getByRole('button', { name: 'Continue' }).click();
  const report = panel.getByTestId('job-report');
  await expect(report).toHaveAttribute('data-state', 'done');
  await expect(report.getByTestId('report-updated').locator('dd')).toHaveText('1');
  await expect(report.getByTestId('report-unchanged').locator('dd')).toHaveText('1');
  await expect(row(app, 'user00008')).toContainText('Widget Wrangler');
  await app.screenshot({ path: testInfo.outputPath('bulk-resync.png') });
  await report.getByRole('button', { name: 'Close report' }).click();
  await expect(panel).toBeHidden();
});

test('reconcile a realm from the Realms screen, read the report, then resolve its conflict', async ({ app, ldap }, testInfo) => {
  await ldapModify(
    ldap,
    [
      replace(ldap, 'user00004', 'title', 'Head of Widgets'),
      `dn: ${dnOf(ldap, 'user00005')}\nchangetype: modrdn\nnewrdn: uid=user00005b\ndeleteoldrdn: 1\n\n`,
      `dn: ${dnOf(ldap, 'user00006')}\nchangetype: delete\n\n`,
      replace(ldap, 'user00007', 'departmentNumber', 'Directory research'),
    ].join(''),
  );

  await goTo(app, 'Realms');
  const row = app.getByTestId('realm-row').filter({ hasText: 'Lab directory' });
  await expect(row.getByTestId('reconcile-status')).toContainText('Never reconciled');
  await row.getByRole('button', { name: 'Reconcile…' }).click();
  const dialog = app.getByRole('dialog', { name: 'Reconcile Lab directory' });
  await expect(dialog).toContainText('nothing is ever written to it');
  // The host keeps no bind password across starts: the dialog asks for it first, and Continue starts the run.
  await expect(dialog.getByRole('button', { name: 'Reconcile', exact: true })).toBeDisabled();
  await dialog.getByLabel('Bind password').fill(ldap.readerPassword);
  await dialog.getByRole('button', { name: 'Continue' }).click();

  const report = dialog.getByTestId('job-report');
  await expect(report).toHaveAttribute('data-state', 'done');
  await expect(report.getByTestId('report-updated').locator('dd')).toHaveText('2');
  await expect(report.getByTestId('report-conflicts').locator('dd')).toHaveText('1');
  await expect(report.getByTestId('report-notFound').locator('dd')).toHaveText('1');
  await expect(report.getByTestId('report-unchanged').locator('dd')).toHaveText('8');
  await expect(report.getByTestId('report-disabledUpstream').locator('dd')).toHaveText('0');
  await report.getByText(/Changes per user/).click();
  await expect(report.locator('[data-testid="job-report-change"][data-username="user00005b"]')).toHaveAttribute('data-action', 'updated');
  await expect(report.locator('[data-testid="job-report-change"][data-username="user00006"]')).toHaveAttribute('data-action', 'not-found');
  await expect(report.locator('[data-testid="job-report-change"][data-username="user00007"]')).toHaveAttribute('data-action', 'conflict');
  await expect(dialog.getByTestId('last-reconciled')).toBeVisible();
  await app.screenshot({ path: testInfo.outputPath('reconcile-report.png') });

  // Show conflicts: the Users list, filtered to the realm and to users with conflicts.
  await dialog.getByRole('button', { name: 'Show conflicts' }).click();
  await expect(dialog).toBeHidden();
  const rows = app.getByTestId('user-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-username', 'user00007');
  await rows.first().click();
  await app.keyboard.press('Enter');

  const detail = app.getByTestId('user-detail');
  const banner = detail.getByTestId('conflicts-banner');
  await expect(banner.getByRole('heading', { name: '1 conflict from the last reconcile' })).toBeVisible();
  const conflict = banner.locator('[data-testid="queued-conflict"][data-field="department"]');
  await expect(conflict).toContainText('Roster research');
  await expect(conflict).toContainText('Directory research');
  await expect(conflict.getByRole('radio', { name: 'Keep Roster’s' })).toBeChecked();
  await conflict.getByRole('radio', { name: 'Take directory’s' }).check();
  await app.screenshot({ path: testInfo.outputPath('conflict.png') });
  await banner.getByRole('button', { name: 'Resolve' }).click();
  await expect(detail.getByTestId('conflicts-resolved')).toContainText('Conflicts resolved');
  await expect(detail.getByLabel('Department', { exact: true })).toHaveValue('Directory research');
  // That was the only one: the queue is empty.
  await detail.getByRole('button', { name: 'Next conflict →' }).click();
  await expect(detail.getByText('No other user has conflicts.')).toBeVisible();

  // The realm remembers when it was last reconciled.
  await goTo(app, 'Realms');
  await expect(row.getByTestId('reconcile-status')).toContainText('Reconciled');
});
