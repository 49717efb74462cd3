import { realmFromPreset } from '#shared/model/realm-presets';
import { expect, test } from './fixtures/app';
import { goTo } from './fixtures/ui';
import { withServices } from './fixtures/users';

// Two directories, neither with a saved bind password: Convert to external asks for one.
test.use({
  seed: async ({}, use) => {
    await use(async (dataDir) => {
      await withServices(dataDir, async (call) => {
        for (const name of ['North', 'South']) {
          await call('realms:create', {
            realm: realmFromPreset('openldap', {
              name,
              urls: [`ldap://${name.toLowerCase()}.invalid:389`],
              bindDn: 'cn=reader,dc=example,dc=org',
              baseDn: 'dc=example,dc=org',
            }),
          });
        }
      });
    });
  },
});

test('a bind password typed for one realm is cleared when another realm is picked, so it never goes to the other server', async ({ app }) => {
  await goTo(app, 'Users');
  await app.getByTestId('users-empty').getByRole('button', { name: 'New user' }).click();
  const create = app.getByRole('dialog', { name: 'New user' });
  await create.getByLabel('Username').fill('jdoe');
  await create.getByRole('button', { name: 'Create user' }).click();
  const detail = app.getByTestId('user-detail');
  await expect(detail.getByRole('heading', { level: 1, name: 'jdoe' })).toBeVisible();

  await detail.getByRole('button', { name: 'Convert to external…' }).click();
  const convert = app.getByRole('dialog', { name: 'Convert jdoe to an external user' });
  await convert.getByLabel('Realm').selectOption({ label: 'North' });
  const password = convert.getByLabel('Bind password');
  await password.fill('secret-for-north');
  await convert.getByLabel('Realm').selectOption({ label: 'South' });
  await expect(password).toHaveValue('');
  // Back to the first realm: the password is asked again, not remembered from before.
  await convert.getByLabel('Realm').selectOption({ label: 'North' });
  await expect(password).toHaveValue('');
});
