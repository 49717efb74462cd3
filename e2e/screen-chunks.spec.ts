import { expect, test } from './fixtures/app';
import { goTo } from './fixtures/ui';

// Every screen but the user list is a chunk of its own, fetched when first needed (src-renderer/src/App.tsx).

test('a screen whose code cannot be fetched says so in the main area, and the rest of the app goes on working', async ({ app, transport }) => {
  test.skip(transport === 'electron', "The app's files come from disk there: no request to make fail.");
  await app.route(/\/assets\/AuditScreen-[^/]+\.js$/, (route) => route.abort());
  await app.reload();
  await expect(app.getByRole('heading', { name: 'Realms', level: 1 })).toBeVisible();
  await goTo(app, 'Audit');
  await expect(app.getByRole('main').getByRole('alert')).toContainText('Roster could not show this screen');
  await expect(app.getByRole('main').getByRole('alert').getByRole('button', { name: 'Reload' })).toBeVisible();
  await goTo(app, 'Settings');
  await expect(app.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  await goTo(app, 'Users');
  await expect(app.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();
});
