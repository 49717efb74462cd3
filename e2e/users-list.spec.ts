import type { Locator, Page } from '@playwright/test';
import { realmFromPreset } from '#shared/model/realm-presets';
import { expect, test } from './fixtures/app';
import { seedUsers, withServices } from './fixtures/users';

const USERS = 2000;

// 2,000 synthetic users (a third external, from a realm named "Lab"; every 7th disabled) and a role, before the app starts.
test.use({
  seed: async ({}, use) => {
    await use(async (dataDir) => {
      const realm = await withServices(dataDir, async (call) => {
        await call('roles:create', { name: 'Help desk' });
        return call('realms:create', {
          realm: realmFromPreset('openldap', { name: 'Lab', urls: ['ldap://127.0.0.1:1'], bindDn: 'cn=reader,dc=example,dc=org', baseDn: 'dc=example,dc=org' }),
        });
      });
      await seedUsers(dataDir, USERS, { realmId: realm.id });
    });
  },
});

const row = (app: Page, username: string) => app.locator(`[data-testid="user-row"][data-username="${username}"]`);
const count = (facet: Locator) => facet.getAttribute('data-count').then(Number);

test('find, filter, sort, multi-select and bulk-disable users, then open one', async ({ app }, testInfo) => {
  const total = app.getByTestId('users-total');
  const rows = app.getByTestId('user-row');
  const search = app.getByLabel('Search users');
  await expect(total).toHaveAttribute('data-count', String(USERS));
  await expect(total).toHaveText('2,000 users');
  await expect(app.getByTestId('facet-all')).toHaveAttribute('data-count', String(USERS));
  await expect(app.getByTestId('facet-internal')).toContainText('Internal');
  // Only the rows on screen are in the document, never all 2,000.
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeLessThan(100);
  await expect(app.getByRole('grid', { name: 'Users' })).toHaveAttribute('aria-rowcount', String(USERS + 1));
  await expect(row(app, 'user00002').getByTestId('marker-incomplete')).toHaveCount(0);
  await expect(row(app, 'user00011').getByTestId('marker-incomplete')).toBeVisible();
  await app.screenshot({ path: testInfo.outputPath('users-list.png') });

  // Search as you type: `/` jumps to the box; the list narrows to the one user, and the counts follow.
  await app.getByRole('grid', { name: 'Users' }).focus();
  await app.keyboard.press('/');
  await expect(search).toBeFocused();
  await app.keyboard.type('user0004');
  await expect(total).toHaveAttribute('data-count', '10');
  await expect(rows).toHaveCount(10);
  await expect(app.getByTestId('facet-all')).toHaveAttribute('data-count', '10');
  await search.fill('Ångström');
  await expect(rows).toHaveCount(1);
  await expect(row(app, 'zangstrom')).toContainText('Zoë Ångström');
  await expect(app.getByTestId('facet-internal')).toHaveAttribute('data-count', '1');
  // Enter goes on to the results, Enter again opens the user; back, the search is as it was.
  await search.press('Enter');
  await expect(app.getByRole('grid', { name: 'Users' })).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(app.getByRole('heading', { level: 1, name: 'zangstrom' })).toBeVisible();
  await app.getByRole('button', { name: 'Back to users' }).click();
  await expect(search).toHaveValue('Ångström');
  await expect(rows).toHaveCount(1);
  await search.fill('no such person');
  await expect(app.getByText('No users match “no such person”')).toBeVisible();
  await app.getByRole('button', { name: 'Clear filters' }).click();
  await expect(total).toHaveAttribute('data-count', String(USERS));

  // Filters: the total becomes the chosen facet's count; facets combine.
  const disabledFacet = app.getByTestId('facet-disabled');
  const disabledBefore = await count(disabledFacet);
  expect(disabledBefore).toBe(Math.floor(USERS / 7));
  await disabledFacet.click();
  await expect(disabledFacet).toHaveAttribute('aria-pressed', 'true');
  await expect(total).toHaveAttribute('data-count', String(disabledBefore));
  await expect(rows.first().getByTestId('login-status')).toHaveText('Disabled');
  await app.getByTestId('facet-internal').click();
  await expect(total).not.toHaveAttribute('data-count', String(disabledBefore));
  await expect(rows.first()).toContainText('Internal');
  const realmFacet = app.locator('[data-testid^="facet-realm-"]');
  await expect(realmFacet).toContainText('Lab');
  await realmFacet.click();
  await expect(rows.first().getByTestId('realm-cell')).toHaveText('Lab');
  await app.getByTestId('facet-all').click();
  await disabledFacet.click();
  await expect(total).toHaveAttribute('data-count', String(USERS));

  // Sort: the header flips the order, and the choice survives a restart of the window.
  const usernameHeader = app.getByRole('columnheader', { name: /Username/ });
  await expect(usernameHeader).toHaveAttribute('aria-sort', 'ascending');
  await expect(rows.first()).toHaveAttribute('data-username', 'user00002');
  await usernameHeader.getByRole('button').click();
  await expect(usernameHeader).toHaveAttribute('aria-sort', 'descending');
  await expect(rows.first()).toHaveAttribute('data-username', 'zangstrom');
  await app.reload();
  await expect(app.getByRole('columnheader', { name: /Username/ })).toHaveAttribute('aria-sort', 'descending');
  await expect(rows.first()).toHaveAttribute('data-username', 'zangstrom');
  await app.getByRole('columnheader', { name: /Username/ }).getByRole('button').click();
  await expect(rows.first()).toHaveAttribute('data-username', 'user00002');

  // Select three (click, then shift-click), disable them through the bulk bar.
  await row(app, 'user00002').click();
  await row(app, 'user00004').click({ modifiers: ['Shift'] });
  for (const name of ['user00002', 'user00003', 'user00004']) await expect(row(app, name)).toHaveAttribute('data-selected', 'true');
  await expect(row(app, 'user00005')).toHaveAttribute('data-selected', 'false');
  // Ctrl-click adds one more and takes it away again.
  await row(app, 'user00006').click({ modifiers: ['ControlOrMeta'] });
  await expect(row(app, 'user00006')).toHaveAttribute('data-selected', 'true');
  await row(app, 'user00006').click({ modifiers: ['ControlOrMeta'] });
  await expect(row(app, 'user00006')).toHaveAttribute('data-selected', 'false');
  const bulkBar = app.getByTestId('bulk-bar');
  await expect(bulkBar).toContainText('3 selected');
  await expect(bulkBar.getByRole('button', { name: 'Select all 2,000 in filter' })).toBeVisible();
  await bulkBar.getByRole('button', { name: 'Disable login' }).click();
  await app.getByRole('dialog', { name: 'Disable login for 3 users?' }).getByRole('button', { name: 'Disable 3 users' }).click();
  await expect(app.getByTestId('toast')).toContainText('Disabled 3 users');
  for (const name of ['user00002', 'user00003', 'user00004']) await expect(row(app, name).getByTestId('login-status')).toHaveText('Disabled');
  await expect(disabledFacet).toHaveAttribute('data-count', String(disabledBefore + 3));
  await app.screenshot({ path: testInfo.outputPath('users-list-bulk-disabled.png') });

  // Keyboard: Escape clears the selection, arrows move, Enter opens the focused user.
  await app.getByRole('grid', { name: 'Users' }).focus();
  await app.keyboard.press('Escape');
  // The outcome is a toast now: with nothing selected the bar goes.
  await expect(bulkBar).toHaveCount(0);
  await expect(row(app, 'user00002')).toHaveAttribute('data-selected', 'false');
  await app.keyboard.press('ArrowDown');
  await app.keyboard.press('Enter');
  await expect(app.getByRole('heading', { level: 1, name: 'user00007' })).toBeVisible();
  await app.getByRole('button', { name: 'Back to users' }).click();
  await expect(row(app, 'user00007')).toBeVisible();
  await expect(total).toHaveAttribute('data-count', String(USERS));
  // Far down the list (End), open and come back: the list is scrolled where it was.
  await expect(app.getByRole('grid', { name: 'Users' })).toBeFocused();
  await app.keyboard.press('End');
  await expect(row(app, 'zangstrom')).toBeVisible();
  await expect(row(app, 'user00002')).toHaveCount(0);
  await app.keyboard.press('Enter');
  await expect(app.getByRole('heading', { level: 1, name: 'zangstrom' })).toBeVisible();
  await app.getByRole('button', { name: 'Back to users' }).click();
  await expect(row(app, 'zangstrom')).toBeVisible();
  await expect(row(app, 'user00002')).toHaveCount(0);
});

test('New user creates an internal user and opens it; a duplicate username is refused with main’s message', async ({ app }) => {
  await expect(app.getByTestId('users-total')).toHaveAttribute('data-count', String(USERS));
  await app.getByRole('button', { name: 'New user' }).click();
  const dialog = app.getByRole('dialog', { name: 'New user' });
  await dialog.getByLabel('Username').fill('user00002');
  await dialog.getByLabel('Full name').fill('Someone Else');
  await dialog.getByRole('button', { name: 'Create user' }).click();
  await expect(dialog.getByRole('alert')).toContainText('user00002');
  await dialog.getByLabel('Username').fill('new.person');
  await dialog.getByLabel('Email').fill('new.person@example.org');
  await dialog.getByRole('button', { name: 'Create user' }).click();
  await expect(app.getByRole('heading', { level: 1, name: 'new.person' })).toBeVisible();
  await app.getByRole('button', { name: 'Back to users' }).click();
  await expect(app.getByTestId('users-total')).toHaveAttribute('data-count', String(USERS + 1));
});

test('Ctrl+A selects everything the filter matches, and a role is given to all of them at once', async ({ app }) => {
  await app.getByLabel('Search users').fill('user0004');
  await expect(app.getByTestId('users-total')).toHaveAttribute('data-count', '10');
  await app.getByRole('grid', { name: 'Users' }).focus();
  await app.keyboard.press('ControlOrMeta+a');
  const bulkBar = app.getByTestId('bulk-bar');
  await expect(bulkBar).toContainText('All 10 in the filter selected');
  await expect(app.getByTestId('user-row').and(app.locator('[data-selected="true"]'))).toHaveCount(10);
  await bulkBar.getByRole('button', { name: 'Assign role…' }).click();
  const dialog = app.getByRole('dialog', { name: 'Assign a role to 10 users' });
  await expect(dialog.getByLabel('Role')).toContainText('Help desk');
  await dialog.getByRole('button', { name: 'Assign role' }).click();
  await expect(app.getByTestId('toast')).toContainText(/Gave role “Help desk” to 10 users/);
  // Assigning again changes nobody, and says so.
  await bulkBar.getByRole('button', { name: 'Assign role…' }).click();
  await app.getByRole('dialog').getByRole('button', { name: 'Assign role' }).click();
  await expect(app.getByTestId('toast').filter({ hasText: 'already had it' })).toContainText(/Gave role “Help desk” to 0 users \(10 already had it\)/);
  await app.keyboard.press('Escape');
  await expect(app.getByTestId('user-row').and(app.locator('[data-selected="true"]'))).toHaveCount(0);
});

test('a new search starts at the top of the list, and a second one after scrolling does too', async ({ app }) => {
  const grid = app.getByRole('grid', { name: 'Users' });
  const total = app.getByTestId('users-total');
  await expect(total).toHaveAttribute('data-count', String(USERS));
  const scrollTop = () => grid.evaluate((element) => element.scrollTop);
  for (const [text, matches, first] of [
    ['user01', '1000', 'user01000'],
    ['user001', '100', 'user00100'],
  ]) {
    const top = await app.getByTestId('user-row').first().getAttribute('data-username');
    await grid.evaluate((element) => element.scrollBy(0, 2000));
    await expect.poll(scrollTop).toBeGreaterThan(0);
    // The page has seen the scroll (its scroll event drew other rows) before the search: a search typed
    // within the same frame as a script's scrollBy is not what a person can do.
    await expect(app.getByTestId('user-row').first()).not.toHaveAttribute('data-username', top!);
    await app.getByLabel('Search users').fill(text!);
    await expect(total).toHaveAttribute('data-count', matches!);
    await expect.poll(scrollTop).toBe(0);
    await expect(app.getByTestId('user-row').first()).toHaveAttribute('data-username', first!);
  }
});
