import { expect, test } from './fixtures/app';
import { goTo, openUser } from './fixtures/ui';

const REALM = 'Demo directory (offline)';
const ZOE_DN = 'CN=Zoë Ångström,OU=Engineering,OU=Staff,DC=demo,DC=example';

test('with demo data, an internal user whose username is in the demo directory converts to external and takes the file’s values', async ({ app }, testInfo) => {
  // A new user's path: Try with demo data, and wait for the import's report.
  await goTo(app, 'Users');
  await app.getByTestId('users-empty').getByRole('button', { name: 'Try with demo data' }).click();
  const report = app.getByRole('complementary', { name: 'Demo data imported' }).getByTestId('job-report');
  await expect(report).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await report.getByRole('button', { name: 'Close report' }).click();

  // The import brought zangstrom in; delete it so the username is free for an internal user.
  let detail = await openUser(app, 'zangstrom');
  await expect(detail.getByTestId('user-kind')).toHaveText(`External · ${REALM}`);
  await detail.getByRole('button', { name: 'Delete user…' }).click();
  await app.getByRole('dialog', { name: 'Delete zangstrom?' }).getByRole('button', { name: 'Delete user' }).click();
  await expect(detail).toBeHidden();

  // A username the file does not hold: Find says so, and nothing is offered.
  await app.getByRole('button', { name: 'New user' }).click();
  let create = app.getByRole('dialog', { name: 'New user' });
  await create.getByLabel('Username').fill('nobody.here');
  await create.getByRole('button', { name: 'Create user' }).click();
  await expect(app.getByRole('heading', { level: 1, name: 'nobody.here' })).toBeVisible();
  await detail.getByRole('button', { name: 'Convert to external…' }).click();
  let convert = app.getByRole('dialog', { name: 'Convert nobody.here to an external user' });
  await convert.getByRole('button', { name: 'Find' }).click();
  await expect(convert.getByRole('status')).toHaveText(`No entry in ${REALM} has the username “nobody.here”.`);
  await expect(convert.getByTestId('directory-candidate')).toHaveCount(0);
  await expect(convert.getByRole('button', { name: 'Convert', exact: true })).toBeDisabled();
  await convert.getByRole('button', { name: 'Cancel' }).click();
  await expect(convert).toBeHidden();
  await app.getByRole('button', { name: 'Back to users' }).click();

  // An internal zangstrom, with a Full name typed by hand and a local Department.
  await app.getByRole('button', { name: 'New user' }).click();
  create = app.getByRole('dialog', { name: 'New user' });
  await create.getByLabel('Username').fill('zangstrom');
  await create.getByLabel('Full name').fill('Zoe typed by hand');
  await create.getByRole('button', { name: 'Create user' }).click();
  detail = app.getByTestId('user-detail');
  await expect(detail.getByRole('heading', { level: 1, name: 'zangstrom' })).toBeVisible();
  await expect(detail.getByTestId('user-kind')).toHaveText('Internal');
  await detail.getByLabel('Department', { exact: true }).fill('Research');
  await detail.getByRole('button', { name: 'Save' }).click();
  await expect(detail.getByText('Unsaved changes', { exact: true })).toBeHidden();

  // Convert to external against the demo realm: a file, so no bind password is asked.
  await detail.getByRole('button', { name: 'Convert to external…' }).click();
  convert = app.getByRole('dialog', { name: 'Convert zangstrom to an external user' });
  await expect(convert.getByLabel('Realm')).toContainText(REALM);
  await expect(convert.getByLabel('Bind password')).toHaveCount(0);
  await convert.getByRole('button', { name: 'Find' }).click();
  const candidate = convert.getByTestId('directory-candidate');
  await expect(candidate).toHaveCount(1);
  await expect(candidate).toContainText(ZOE_DN);
  await expect(candidate).toContainText('zoe.angstrom@demo.example');
  await expect(candidate.getByRole('radio')).toBeChecked();
  await convert.getByRole('button', { name: 'Convert', exact: true }).click();
  await expect(convert).toBeHidden();

  // External, linked to the entry, with the directory's values; the local Department is kept as a completion.
  await expect(detail.getByTestId('user-kind')).toHaveText(`External · ${REALM}`);
  await expect(detail.getByText(ZOE_DN, { exact: true })).toBeVisible();
  await expect(detail.getByLabel('Full name', { exact: true })).toHaveValue('Zoë Ångström');
  await expect(detail.getByLabel('Full name', { exact: true })).not.toBeEditable();
  await expect(detail.getByLabel('Email', { exact: true })).toHaveValue('zoe.angstrom@demo.example');
  await expect(detail.getByLabel('Job title', { exact: true })).toHaveValue('Senior Engineer');
  await expect(detail.getByLabel('Department', { exact: true })).toHaveValue('Research');
  const department = detail.locator('[data-testid="field-row"][data-field="department"]');
  await expect(department.getByTestId('completion-marker')).toHaveText('Completion');
  await expect(department).toContainText('has “Engineering”');
  await app.screenshot({ path: testInfo.outputPath('converted.png') });

  // History: the conversion, naming the realm and the entry.
  await detail.getByRole('tab', { name: 'History' }).click();
  const latest = detail.getByTestId('history-entry').first();
  await expect(latest).toHaveAttribute('data-action', 'user.to-external');
  await expect(latest).toContainText(`Linked to ${ZOE_DN}.`);
  await expect(latest.locator('tr[data-field="realm"]')).toContainText(REALM);
  await expect(latest.locator('tr[data-field="displayName"]')).toContainText('Zoë Ångström');
});
