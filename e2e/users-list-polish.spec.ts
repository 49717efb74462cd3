import type { Locator, Page, TestInfo } from '@playwright/test';
import { realmFromPreset } from '#shared/model/realm-presets';
import { writeUsersSnapshot } from '../src-main/core/users/user-store';
import { expect, test } from './fixtures/app';
import { syntheticUsers, withServices } from './fixtures/users';

const USERS = 600;
const REALM = 'External Directory of the Paris Office';

// 600 synthetic users: a third external from a realm with a long name, every 11th incomplete, every 13th
// external one with a completion. user00003 and user00006 are disabled in their directory (and in Roster);
// user00429 (incomplete, with a completion) also has a conflict: all three markers on one row.
test.use({
  seed: async ({}, use) => {
    await use(async (dataDir) => {
      const realm = await withServices(dataDir, (call) =>
        call('realms:create', {
          realm: realmFromPreset('openldap', { name: REALM, urls: ['ldap://127.0.0.1:1'], bindDn: 'cn=reader,dc=example,dc=org', baseDn: 'dc=example,dc=org' }),
        }),
      );
      const users = syntheticUsers(USERS, { realmId: realm.id });
      for (const user of users) {
        if ((user.username === 'user00003' || user.username === 'user00006') && user.origin) {
          user.origin.directoryEnabled = false;
          user.enabled = false;
        }
        if (user.username === 'user00429') user.conflicts = [{ field: 'title', base: 'a', local: 'b', directory: 'c', detectedAt: '2026-11-02T09:00:00.000Z' }];
      }
      await writeUsersSnapshot(dataDir, users);
    });
  },
});

const row = (app: Page, username: string) => app.locator(`[data-testid="user-row"][data-username="${username}"]`);
const grid = (app: Page) => app.getByRole('grid', { name: 'Users' });
const headerKeys = (app: Page) =>
  app.locator('.user-row--head [role=columnheader][data-column]').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-column')));
const widthOf = (app: Page, key: string) => app.getByTestId(`column-${key}`).evaluate((cell) => Math.round(cell.getBoundingClientRect().width));

/** Elements whose content is wider than their box (cut off or ellipsised): their text and the two widths. */
function clipped(locator: Locator) {
  return locator.evaluateAll((elements) =>
    elements.filter((e) => e.scrollWidth > e.clientWidth).map((e) => `${e.textContent ?? ''}: ${e.scrollWidth} > ${e.clientWidth}`),
  );
}

/** A screenshot kept in the test's output folder and attached to its report (for the closing note). */
async function attachList(app: Page, testInfo: TestInfo, name: string) {
  const path = testInfo.outputPath(name);
  await app.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

for (const size of [
  { width: 1280, height: 800 },
  { width: 1440, height: 900 },
]) {
  test(`at ${size.width}×${size.height} no header, cell of the realm or data marker is cut, and the table fits`, async ({ app }, testInfo) => {
    await app.setViewportSize(size);
    await expect(app.getByTestId('users-total')).toHaveAttribute('data-count', String(USERS));
    await expect(row(app, 'user00003')).toBeVisible();
    // Headers: the cells and the labels inside them show whole.
    const heads = app.locator('.user-row--head [role=columnheader][data-column]');
    await expect(heads).toHaveCount(9);
    expect(await clipped(heads)).toEqual([]);
    expect(await clipped(app.locator('.user-row--head .sort-button__label'))).toEqual([]);
    // The whole table fits the window: no sideways scrolling.
    expect(await grid(app).evaluate((g) => `${g.scrollWidth} <= ${g.clientWidth}: ${g.scrollWidth <= g.clientWidth}`)).toMatch(/true$/);
    // The realm has its own column with its full name on hover, and says Internal for users made in Roster;
    // Kind, which would say only that, starts hidden.
    const realm = row(app, 'user00003').getByTestId('realm-cell');
    await expect(realm).toHaveAttribute('title', REALM);
    await expect(row(app, 'user00004').getByTestId('realm-cell')).toHaveText('Internal');
    await expect(app.getByTestId('column-kind')).toHaveCount(0);
    if (size.width === 1280) await attachList(app, testInfo, 'users-list-1280.png');

    // The row with all three markers: none is cut, and "!" names the empty required field.
    await app.getByLabel('Search users').fill('user00429');
    await expect(app.getByTestId('users-total')).toHaveAttribute('data-count', '1');
    const markers = row(app, 'user00429').getByTestId('markers-cell');
    await expect(markers.getByRole('img')).toHaveCount(3);
    expect(await clipped(markers)).toEqual([]);
    for (const marker of await markers.getByRole('img').all()) {
      const box = await marker.boundingBox();
      const cell = await markers.boundingBox();
      expect(box && cell && box.x + box.width <= cell.x + cell.width).toBe(true);
    }
    await expect(row(app, 'user00429').getByTestId('marker-incomplete')).toHaveAccessibleName('Incomplete: Department is empty');
    await expect(row(app, 'user00429').getByTestId('marker-incomplete')).toHaveAttribute('title', 'Incomplete: Department is empty');
    if (size.width === 1280) await attachList(app, testInfo, 'users-list-1280-markers.png');
  });
}

test('columns are resized, hidden and moved with the mouse and the keyboard, and stay so after a reload', async ({ app }, testInfo) => {
  await app.setViewportSize({ width: 1280, height: 800 });
  await expect(app.getByTestId('users-total')).toHaveAttribute('data-count', String(USERS));
  expect(await headerKeys(app)).toEqual(['username', 'displayName', 'email', 'department', 'title', 'realm', 'enabled', 'syncedAt', 'markers']);
  // The header says how the keyboard moves and resizes.
  await expect(app.getByTestId('column-email').getByRole('button')).toHaveAttribute(
    'aria-description',
    /Alt\+Left\/Right moves the column, Alt\+Shift\+Left\/Right/,
  );

  // Mouse: drag the Email header's right edge 60 px wider.
  const before = await widthOf(app, 'email');
  const handle = app.getByTestId('resize-email');
  const box = (await handle.boundingBox())!;
  await app.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await app.mouse.down();
  await app.mouse.move(box.x + 30, box.y + box.height / 2, { steps: 3 });
  await app.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2, { steps: 3 });
  await app.mouse.up();
  await expect.poll(() => widthOf(app, 'email')).toBe(before + 60);
  // Mouse: drag the Title header onto Username's place.
  await app.getByTestId('column-title').dragTo(app.getByTestId('column-username'));
  await expect
    .poll(() => headerKeys(app))
    .toEqual(['title', 'username', 'displayName', 'email', 'department', 'realm', 'enabled', 'syncedAt', 'markers']);

  // Keyboard: Alt+Shift+Right widens Department by 16 px, Alt+Left moves Email one place left (focus stays on it).
  const department = await widthOf(app, 'department');
  await app.getByTestId('column-department').getByRole('button').focus();
  await app.keyboard.press('Alt+Shift+ArrowRight');
  await expect.poll(() => widthOf(app, 'department')).toBe(department + 16);
  await app.getByTestId('column-email').getByRole('button').focus();
  await app.keyboard.press('Alt+ArrowLeft');
  await expect
    .poll(() => headerKeys(app))
    .toEqual(['title', 'username', 'email', 'displayName', 'department', 'realm', 'enabled', 'syncedAt', 'markers']);
  await expect(app.getByTestId('column-email').getByRole('button')).toBeFocused();
  // Hide Last synced from the Columns menu (keyboard: the menu is a list of checkboxes).
  await app.getByText('Columns', { exact: true }).click();
  // Kind starts hidden and the menu says so.
  await expect(app.getByRole('group', { name: 'Columns' }).getByRole('checkbox', { name: 'Kind' })).not.toBeChecked();
  await app.getByRole('group', { name: 'Columns' }).getByRole('checkbox', { name: 'Last synced' }).uncheck();
  await expect(app.getByTestId('column-syncedAt')).toHaveCount(0);
  await attachList(app, testInfo, 'users-list-1280-columns-arranged.png');

  // A reload (a new window on the same data folder) keeps every change.
  const widths = { email: await widthOf(app, 'email'), department: await widthOf(app, 'department') };
  await app.reload();
  await expect(app.getByTestId('users-total')).toHaveAttribute('data-count', String(USERS));
  await expect.poll(() => headerKeys(app)).toEqual(['title', 'username', 'email', 'displayName', 'department', 'realm', 'enabled', 'markers']);
  expect(await widthOf(app, 'email')).toBe(widths.email);
  expect(await widthOf(app, 'department')).toBe(widths.department);
});

test('Incomplete plus Has completions: every count follows the combined filter, and All users shows it', async ({ app }) => {
  const total = app.getByTestId('users-total');
  await expect(total).toHaveAttribute('data-count', String(USERS));
  await app.getByTestId('facet-incomplete').click();
  // Every 11th user is incomplete; of those, user00429 alone has a completion.
  await expect(total).toHaveAttribute('data-count', '54');
  await expect(app.getByTestId('facet-completions')).toHaveAttribute('data-count', '1');
  await app.getByTestId('facet-completions').click();
  await expect(total).toHaveAttribute('data-count', '1');
  for (const facet of ['incomplete', 'completions', 'all', 'external']) await expect(app.getByTestId(`facet-${facet}`)).toHaveAttribute('data-count', '1');
  await expect(app.getByTestId('facet-internal')).toHaveAttribute('data-count', '0');
  await expect(app.getByTestId('facet-all')).toHaveAttribute('aria-pressed', 'true');
  await expect(app.getByTestId('users-total')).toHaveText('1 user');
});

test('bulk login changes: Shift-click on checkboxes, a question naming directory-disabled users, Undo, and the message stays where it was said', async ({
  app,
}, testInfo) => {
  await app.setViewportSize({ width: 1280, height: 800 });
  await expect(app.getByTestId('users-total')).toHaveAttribute('data-count', String(USERS));
  const check = (name: string) => row(app, name).getByRole('checkbox');
  // Shift-click on a checkbox selects the range, as on a row.
  await check('user00002').click();
  await check('user00004').click({ modifiers: ['Shift'] });
  for (const name of ['user00002', 'user00003', 'user00004']) await expect(row(app, name)).toHaveAttribute('data-selected', 'true');
  await expect(row(app, 'user00005')).toHaveAttribute('data-selected', 'false');

  // Disable: asked first, naming the count and the directory-disabled user among them.
  const bulkBar = app.getByTestId('bulk-bar');
  await bulkBar.getByRole('button', { name: 'Disable login' }).click();
  const dialog = app.getByRole('dialog', { name: 'Disable login for 3 users?' });
  await expect(dialog.getByTestId('bulk-confirm-text')).toHaveText('Disable login in Roster for 3 users. You can undo it for a few seconds after.');
  await expect(dialog.getByTestId('bulk-confirm-warning')).toHaveText('1 of them is already disabled in the directory: user00003.');
  await attachList(app, testInfo, 'users-list-1280-bulk-confirm.png');
  await dialog.getByRole('button', { name: 'Disable 3 users' }).click();
  const toast = app.getByTestId('toast');
  await expect(toast).toContainText('✓ Disabled 2 users (1 already disabled)');
  await expect(app.getByTestId('toasts')).toHaveAttribute('role', 'status');
  await expect(app.getByTestId('toasts')).toHaveAttribute('aria-live', 'polite');
  for (const name of ['user00002', 'user00004']) await expect(row(app, name).getByTestId('login-status')).toHaveText('Disabled');
  await attachList(app, testInfo, 'users-list-1280-undo.png');
  // Undo sets back only the users it changed.
  await toast.getByRole('button', { name: 'Undo' }).click();
  await expect(toast).toContainText('Undone: Enabled 2 users');
  for (const name of ['user00002', 'user00004']) await expect(row(app, name).getByTestId('login-status')).toHaveText('Enabled');
  await expect(row(app, 'user00003').getByTestId('login-status')).toHaveText('Disabled');

  // Enable: the question names the users the directory disables; Cancel changes nothing.
  await app.keyboard.press('Escape');
  await check('user00003').click();
  await check('user00006').click({ modifiers: ['Shift'] });
  await bulkBar.getByRole('button', { name: 'Enable login' }).click();
  const enable = app.getByRole('dialog', { name: 'Enable login for 4 users?' });
  await expect(enable.getByTestId('bulk-confirm-warning')).toHaveText(
    '2 of them are disabled in the directory: user00003, user00006. Roster would allow a login the directory refuses.',
  );
  await enable.getByRole('button', { name: 'Cancel' }).click();
  await expect(row(app, 'user00003').getByTestId('login-status')).toHaveText('Disabled');

  // The message belongs to the list: another screen clears it, and it is not there on coming back (a fresh
  // one, with Undo: it would still be showing for seconds).
  await app.keyboard.press('Escape');
  await check('user00005').click();
  await bulkBar.getByRole('button', { name: 'Disable login' }).click();
  await app.getByRole('dialog', { name: 'Disable login for 1 user?' }).getByRole('button', { name: 'Disable 1 user' }).click();
  await expect(toast.filter({ hasText: '✓ Disabled 1 user' })).toBeVisible();
  await app.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Reports' }).click();
  await expect(toast).toHaveCount(0);
  await app.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Users' }).click();
  await expect(grid(app)).toBeVisible();
  // Checked once, not waited for: waiting would let the toast's own few seconds run out and pass anyway.
  expect(await toast.count()).toBe(0);
});

test('Users in the sidebar shows the list, not the user last open', async ({ app }) => {
  await expect(app.getByTestId('users-total')).toHaveAttribute('data-count', String(USERS));
  await row(app, 'user00005').click();
  await expect(row(app, 'user00005')).toHaveAttribute('data-selected', 'true');
  await app.keyboard.press('Enter');
  await expect(app.getByRole('heading', { level: 1, name: 'user00005' })).toBeVisible();
  const nav = app.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Audit' }).click();
  await nav.getByRole('button', { name: 'Users' }).click();
  await expect(grid(app)).toBeVisible();
  await expect(app.getByRole('heading', { level: 1, name: 'user00005' })).toHaveCount(0);
  await expect(app.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
});
