import { writeUsersSnapshot } from '../src-main/core/users/user-store';
import { realmFromPreset } from '#shared/model/realm-presets';
import type { UserRecord } from '#shared/model/user';
import { expect, test } from './fixtures/app';
import { goTo } from './fixtures/ui';
import { syntheticUsers, withServices } from './fixtures/users';

// Two realms (never contacted) of 30 external users each, and 10 internal users. Every user of the branch's
// directory lacks a Full name: the chart alone says "30 missing", the breakdown says where.
test.use({
  seed: async ({}, use) => {
    await use(async (dataDir) => {
      const [head, branch] = await withServices(dataDir, async (call) => [
        await call('realms:create', {
          realm: realmFromPreset('openldap', { name: 'Head office', urls: ['ldap://127.0.0.1:9'], bindDn: '', baseDn: 'dc=example,dc=org' }),
        }),
        await call('realms:create', {
          realm: realmFromPreset('openldap', { name: 'Branch Zürich', urls: ['ldap://127.0.0.1:9'], bindDn: '', baseDn: 'dc=zurich,dc=example,dc=org' }),
        }),
      ]);
      const of = (realmId: string, prefix: string, dropName: boolean): UserRecord[] =>
        syntheticUsers(30, { realmId, externalEvery: 1 }).map((user) => {
          const username = `${prefix}${user.username}`;
          const fields = { ...user.fields };
          const base = { ...user.origin!.base };
          if (dropName) {
            delete fields.displayName;
            delete base.displayName;
          }
          return {
            ...user,
            id: `${prefix}${user.id}`,
            username,
            fields,
            origin: { ...user.origin!, externalId: `${prefix}-${user.origin!.externalId}`, dn: `uid=${username},ou=people,dc=x`, base, baseUsername: username },
          };
        });
      const internal = syntheticUsers(10, { externalEvery: 1000 }).map((u) => ({ ...u, id: `i${u.id}`, username: `i.${u.username}` }));
      await writeUsersSnapshot(dataDir, [...of(head!.id, 'h', false), ...of(branch!.id, 'b', true), ...internal]);
    });
  },
});

test('completeness by realm shows that one realm accounts for every missing Full name, and opens those users', async ({ app }, testInfo) => {
  await goTo(app, 'Reports');
  const chart = app.getByTestId('completeness-chart');
  await expect(chart.getByRole('button', { name: 'Full name: 30 of 70 users missing' })).toBeVisible();
  const table = app.getByTestId('completeness-by-realm');
  // Realms with the most users first (ties by name), internal users last.
  await expect(table.getByRole('columnheader')).toHaveText(['Field', 'Branch Zürich30 users', 'Head office30 users', 'Internal users10 users']);
  const row = table.locator('tr[data-field="displayName"]');
  const cell = row.getByRole('button', { name: 'Full name: 30 of 30 users of Branch Zürich missing' });
  await expect(cell).toHaveAttribute('title', 'Every missing Full name is in Branch Zürich. Show these users');
  await expect(row.locator('td[data-all]')).toHaveCount(1);
  await expect(row.locator('td').nth(1)).toHaveAttribute('data-missing', '0');
  await expect(row.locator('td').nth(2)).toHaveAttribute('data-missing', '0');
  // Department (every 11th user) is missing in all three: no count holds all of it.
  await expect(table.locator('tr[data-field="department"] td[data-all]')).toHaveCount(0);
  const path = testInfo.outputPath('completeness-by-realm.png');
  await table.scrollIntoViewIfNeeded();
  await app.screenshot({ path });
  await testInfo.attach('completeness-by-realm', { path, contentType: 'image/png' });

  await cell.click();
  await expect(app.getByRole('heading', { name: 'Users' })).toBeVisible();
  await expect(app.getByTestId('report-chip')).toContainText('Report: Missing Full name in Branch Zürich');
  await expect(app.getByTestId('users-total')).toHaveAttribute('data-count', '30');
});
