import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import { realmFromPreset } from '#shared/model/realm-presets';
import { expect } from './fixtures/app';
import { ldapModify } from './fixtures/slapd';
import { testWithSlapd } from './fixtures/slapd-per-test';
import { createRealm, importLdapRealm, withServices } from './fixtures/users';

// Resync, import and export done with the keyboard alone: no click, only keyboard.press and keyboard.type.
// Where focus lands at each key step, it shows (a :focus-visible outline or ring).

const test = testWithSlapd({ flavor: 'openldap', users: 12 });

// Page-side code runs through the <html> element (`root`): the e2e sources compile without the DOM library.
/** What the focused element is called: its aria-label, what its aria-labelledby names, its label, or its text. */
const focusedName = (app: Page): Promise<string> =>
  app.locator('html').evaluate((root) => {
    const doc = root.ownerDocument;
    const el = doc.activeElement;
    if (!el || el === doc.body) return '';
    const labelled: string | null = el.getAttribute('aria-labelledby');
    const name: string =
      el.getAttribute('aria-label') ??
      (labelled
        ? labelled
            .split(' ')
            .map((id) => doc.getElementById(id)?.textContent ?? '')
            .join(' ')
        : null) ??
      el.labels?.[0]?.textContent ??
      el.textContent ??
      '';
    return name.replace(/\s+/g, ' ').trim();
  });

/** The test id of the focused element, or ''. */
const focusedTestId = (app: Page): Promise<string> => app.locator('html').evaluate((root) => root.ownerDocument.activeElement?.dataset?.testid ?? '');

/** Presses Tab (Shift+Tab backwards) until the focused element's name matches; fails after `limit` presses. */
async function tabTo(app: Page, name: string | RegExp, { back = false, limit = 60 } = {}): Promise<void> {
  const matches = (text: string) => (typeof name === 'string' ? text === name : name.test(text));
  const seen: string[] = [];
  for (let i = 0; i < limit; i += 1) {
    await app.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const text = await focusedName(app);
    if (matches(text)) return;
    seen.push(text);
  }
  throw new Error(`Tab never reached "${String(name)}"; focus went through: ${seen.join(' | ')}`);
}

/** The focused element is drawn with a visible focus indicator: it matches :focus-visible and has an outline or ring. */
async function expectFocusVisible(app: Page): Promise<void> {
  const style: { element: string; focusVisible: boolean; outline: string; shadow: string } = await app.locator('html').evaluate((root) => {
    const doc = root.ownerDocument;
    const el = doc.activeElement;
    if (!el || el === doc.body) return { element: 'body', focusVisible: false, outline: 'none', shadow: 'none' };
    const computed = doc.defaultView.getComputedStyle(el);
    return {
      element: String(el.outerHTML).slice(0, 120),
      focusVisible: Boolean(el.matches(':focus-visible')),
      outline: computed.outlineStyle === 'none' || computed.outlineWidth === '0px' ? 'none' : `${computed.outlineStyle} ${computed.outlineWidth}`,
      shadow: String(computed.boxShadow),
    };
  });
  expect(style.focusVisible, `${style.element} matches :focus-visible`).toBe(true);
  expect(style.outline !== 'none' || style.shadow !== 'none', `${style.element} shows its focus (outline ${style.outline}, box-shadow ${style.shadow})`).toBe(
    true,
  );
}

/** Goes to a screen through the main navigation, from wherever focus is, with Tab (or Shift+Tab) and Enter. */
async function navigateTo(app: Page, screen: string, { back = false } = {}) {
  await tabTo(app, screen, { back });
  await expectFocusVisible(app);
  await app.keyboard.press('Enter');
}

test.describe('with the 12 users imported', () => {
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

  test('resync: open a user from the list, Resynchronize…, pick, Start, decide, Save', async ({ app, ldap }) => {
    await ldapModify(
      ldap,
      `dn: uid=user00007,${ldap.peopleDn}\nchangetype: modify\nreplace: departmentNumber\ndepartmentNumber: Directory research\n-\nreplace: title\ntitle: Directory title\n\n`,
    );
    const rows = app.getByTestId('user-row');
    await expect(rows.first()).toBeVisible();

    // `/` goes to the search; Enter goes on to the results; Enter opens the focused user.
    await app.keyboard.press('/');
    const search = app.getByRole('searchbox', { name: 'Search users' });
    await expect(search).toBeFocused();
    await expectFocusVisible(app);
    await app.keyboard.type('user00007');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toHaveAttribute('data-username', 'user00007');
    await app.keyboard.press('Enter');
    await expect(search).not.toBeFocused();
    await app.keyboard.press('Enter');
    const detail = app.getByTestId('user-detail');
    await expect(detail.getByRole('heading', { name: 'user00007', level: 1 })).toBeFocused();

    // Resynchronize…: the host keeps no bind password, so the dialog asks for it first.
    await tabTo(app, 'Resynchronize…');
    await expectFocusVisible(app);
    await app.keyboard.press('Enter');
    const dialog = app.getByRole('dialog', { name: 'Resynchronize user00007' });
    const password = dialog.getByLabel('Bind password');
    await expect(password).toBeVisible();
    if ((await focusedName(app)) !== 'Bind password') await tabTo(app, 'Bind password');
    await expectFocusVisible(app);
    await app.keyboard.type(ldap.readerPassword);
    await app.keyboard.press('Enter');

    // The prompt is gone: focus goes to the realm picker (not to the page); the entry with the same id is preselected.
    const candidate = dialog.getByRole('radio', { name: `uid=user00007,${ldap.peopleDn}` });
    await expect(candidate).toBeChecked();
    await expect(dialog.getByLabel('Realm')).toBeFocused();
    await expectFocusVisible(app);
    await tabTo(app, `uid=user00007,${ldap.peopleDn}`);
    await expectFocusVisible(app);
    await tabTo(app, 'Start');
    await expectFocusVisible(app);
    await app.keyboard.press('Enter');

    // Start: focus on the first decision, Department's conflict, on Roster's side. The arrow takes the directory's.
    const department = dialog.locator('[data-testid="diff-row"][data-field="department"]');
    await expect(department).toHaveAttribute('data-outcome', 'conflict');
    await expect(department.getByRole('radio', { name: 'Keep Roster’s' })).toBeFocused();
    await expectFocusVisible(app);
    await app.keyboard.press('ArrowDown');
    await expect(department.getByRole('radio', { name: 'Take directory’s' })).toBeChecked();
    await expect(department.getByRole('radio', { name: 'Take directory’s' })).toBeFocused();
    await expectFocusVisible(app);
    await expect(dialog.getByTestId('diff-summary')).toContainText('2 fields change in Roster');

    await tabTo(app, 'Save');
    await expectFocusVisible(app);
    await app.keyboard.press('Enter');
    await expect(dialog).toHaveCount(0);
    // Focus is back on the button that opened the dialog; the values are the directory's.
    await expect(detail.getByRole('button', { name: 'Resynchronize…' })).toBeFocused();
    await expectFocusVisible(app);
    await expect(detail.getByLabel('Department', { exact: true })).toHaveValue('Directory research');
    await expect(detail.getByLabel('Job title', { exact: true })).toHaveValue('Directory title');
  });

  test('export: navigate to Export, choose scope, format and columns, run; the file is written', async ({ app }, testInfo) => {
    const path = testInfo.outputPath('keyboard.csv');
    const rows = app.getByTestId('user-row');
    await expect(rows.first()).toBeVisible();
    // A filter on the Users list: three users (user00010 to user00012).
    await app.keyboard.press('/');
    await expectFocusVisible(app);
    await app.keyboard.type('user0001');
    await expect(rows).toHaveCount(3);
    // The navigation comes before the list: back from the search box.
    await navigateTo(app, 'Export', { back: true });
    const form = app.getByRole('form', { name: 'Export users' });
    await expect(form).toBeVisible();

    // Scope: the radio group is one Tab stop (on All users); the arrow moves to the Users list's filter.
    await tabTo(app, 'All users');
    await expectFocusVisible(app);
    await expect(form.getByRole('radio', { name: 'All users' })).toBeChecked();
    await app.keyboard.press('ArrowDown');
    await expect(form.getByRole('radio', { name: /^The Users list’s filter/ })).toBeChecked();
    await expect(form.getByRole('radio', { name: /^The Users list’s filter/ })).toBeFocused();
    await expectFocusVisible(app);

    // Format: CSV, the arrow from Excel.
    await tabTo(app, 'Excel workbook (.xlsx)');
    await app.keyboard.press('ArrowDown');
    await expect(form.getByRole('radio', { name: 'CSV (.csv)' })).toBeChecked();
    await expect(form.getByRole('radio', { name: 'CSV (.csv)' })).toBeFocused();
    await expectFocusVisible(app);

    // Columns: leave out Department and Phone with Space.
    for (const column of ['Department', 'Phone']) {
      await tabTo(app, new RegExp(`^${column}\\b`));
      await expectFocusVisible(app);
      await app.keyboard.press('Space');
      await expect(form.getByRole('checkbox', { name: new RegExp(`^${column}\\b`) })).not.toBeChecked();
    }

    // Where to save: typed (the HTTP host has no file dialog).
    await tabTo(app, 'Save to', { back: true });
    await expectFocusVisible(app);
    await app.keyboard.press('ControlOrMeta+A');
    await app.keyboard.type(path);

    await tabTo(app, 'Export', { limit: 150 });
    await expectFocusVisible(app);
    await app.keyboard.press('Enter');
    const report = app.getByTestId('job-report');
    await expect(report).toHaveAttribute('data-state', 'done');
    await expect(report.getByTestId('report-users').locator('dd')).toHaveText('3');

    const written = parse(await readFile(path), { bom: true, columns: true }) as Record<string, string>[];
    expect(written.map((r) => r.username).sort()).toEqual(['user00010', 'user00011', 'user00012']);
    expect(Object.keys(written[0]!)).toContain('email');
    expect(Object.keys(written[0]!)).not.toContain('department');
    expect(Object.keys(written[0]!)).not.toContain('phone');
  });
});

test.describe('with nothing imported yet', () => {
  test.use({
    seed: async ({ ldap }, use) => {
      await use(async (dataDir) => {
        await withServices(dataDir, (call) =>
          createRealm(
            call,
            realmFromPreset('openldap', { name: 'Lab directory', urls: [ldap.url], bindDn: ldap.readerDn, baseDn: ldap.baseDn, tls: 'none' }),
            ldap.readerPassword,
          ),
        );
      });
    },
  });

  test('import: navigate to Import, choose the realm, search, select results, Import, read the report', async ({ app, ldap }) => {
    await expect(app.getByRole('heading', { level: 1 })).toBeVisible();
    await navigateTo(app, 'Import');
    await expect(app.getByRole('heading', { name: 'Import LDAP users' })).toBeVisible();

    await tabTo(app, 'Realm');
    await expectFocusVisible(app);
    await expect(app.getByLabel('Realm', { exact: true })).toHaveValue(/.+/);
    await tabTo(app, 'Query');
    await expectFocusVisible(app);
    await app.keyboard.type('user0000');
    await app.keyboard.press('Enter');

    // The bind password was not kept: the dialog asks, with focus in its field.
    const dialog = app.getByRole('dialog', { name: 'Bind password' });
    await expect(dialog.getByLabel('Password')).toBeFocused();
    await expectFocusVisible(app);
    await app.keyboard.type(ldap.readerPassword);
    await app.keyboard.press('Enter');
    await expect(dialog).toBeHidden();
    await expect(app.getByTestId('import-count')).toHaveText('8 entries found');

    // The results: Space selects the focused row, Shift+↓ extends the selection.
    const grid = app.getByTestId('import-grid');
    for (let i = 0; i < 30 && (await focusedTestId(app)) !== 'import-grid'; i += 1) await app.keyboard.press('Tab');
    await expect(grid).toBeFocused();
    await expectFocusVisible(app);
    await app.keyboard.press('Space');
    await app.keyboard.press('Shift+ArrowDown');
    await app.keyboard.press('Shift+ArrowDown');
    const importSelected = app.getByRole('button', { name: 'Import selected (3)' });
    await expect(importSelected).toBeVisible();

    await tabTo(app, 'Import selected (3)');
    await expectFocusVisible(app);
    await app.keyboard.press('Enter');
    const report = app.getByTestId('job-report');
    await expect(report).toHaveAttribute('data-state', 'done');
    await expect(report.getByTestId('report-created').locator('dd')).toHaveText('3');

    // Reading the report: its per-user changes open from the keyboard.
    await tabTo(app, /Changes per user/);
    await expectFocusVisible(app);
    await app.keyboard.press('Enter');
    const changes = report.getByTestId('job-report-change');
    await expect(changes).toHaveCount(3);
    await expect(changes.nth(0)).toHaveAttribute('data-username', 'user00002');
  });
});
