import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Page, TestInfo } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { expect } from './fixtures/app';
import { testWithSlapd } from './fixtures/slapd-per-test';
import { importLdapRealm, seedUsers, withServices } from './fixtures/users';
import { goTo, openUser } from './fixtures/ui';

const test = testWithSlapd({ flavor: 'openldap', users: 12 });

/** Completes a user's department in the detail and goes back to the list. */
async function completeDepartment(app: Page, username: string, department: string) {
  const detail = await openUser(app, username);
  await detail.getByLabel('Department', { exact: true }).fill(department);
  await detail.getByRole('button', { name: 'Save' }).click();
  await expect(detail.locator('[data-testid="field-row"][data-field="department"]').getByTestId('completion-marker')).toBeVisible();
  await app.getByRole('button', { name: 'Back to users' }).click();
}

/** A screenshot in the test's output folder; returns its path. */
async function shot(app: Page, testInfo: TestInfo, name: string): Promise<string> {
  const path = testInfo.outputPath(`${name}.png`);
  await app.screenshot({ path });
  return path;
}

/** The first worksheet as objects keyed by the header row (column keys). */
async function readXlsx(path: string): Promise<{ sheets: string[]; rows: Record<string, string>[] }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const sheet = workbook.worksheets[0]!;
  const header = (sheet.getRow(1).values as unknown[]).map((v) => String(v ?? ''));
  const rows: Record<string, string>[] = [];
  sheet.eachRow((row, number) => {
    if (number === 1) return;
    rows.push(Object.fromEntries(header.map((key, i) => [key, row.getCell(i).text]).filter(([key]) => key !== '')));
  });
  return { sheets: workbook.worksheets.map((w) => w.name), rows };
}

test.describe('with an OpenLDAP realm of 12 imported users', () => {
  // Before the host opens the data folder: an OpenLDAP realm on the test's slapd, its 12 users imported.
  test.use({
    seed: async ({ ldap }, use) => {
      await use(async (dataDir) => {
        await withServices(dataDir, (call, services) => importLdapRealm(call, services, ldap, 12));
      });
    },
  });

  test('completions exported as XLSX and CSV change sets, read back; an existing file is replaced only when confirmed; reports follow', async ({
    app,
  }, testInfo) => {
    const dir = testInfo.outputPath('exports');
    await mkdir(dir, { recursive: true });
    const xlsxPath = join(dir, 'changes.xlsx');
    const csvPath = join(dir, 'changes.csv');

    await completeDepartment(app, 'user00003', 'Field Research');
    await completeDepartment(app, 'user00004', 'Night Operations');

    // Reports before the export: both completions wait to be exported.
    await goTo(app, 'Reports');
    const unexported = app.locator('[data-testid="report-card"][data-report="unexported"]');
    await expect(unexported.getByTestId('report-count')).toHaveAttribute('data-count', '2');

    await goTo(app, 'Export');
    const form = app.getByRole('form', { name: 'Export users' });
    await expect(form.getByRole('radio', { name: 'All users' })).toBeChecked();
    await form.getByRole('radio', { name: 'Only completions and changes since the last sync' }).check();
    await form.getByRole('radio', { name: 'Excel workbook (.xlsx)' }).check();
    // The identity columns cannot be left out.
    await expect(form.getByRole('checkbox', { name: /^Distinguished name/ })).toBeDisabled();
    await expect(form.getByRole('checkbox', { name: /^Distinguished name/ })).toBeChecked();
    // The HTTP host has no file dialog: Browse… says so and the path is typed.
    await form.getByRole('button', { name: 'Browse…' }).click();
    await expect(form.getByRole('button', { name: 'Browse…' })).toHaveCount(0);
    await expect(form.getByLabel('Save to')).toBeFocused();
    await form.getByLabel('Save to').fill(xlsxPath);
    // Columns move with the keyboard; the button keeps the focus as its column moves.
    const order = form.getByTestId('export-order').locator('li');
    const departmentAt = async () => (await order.evaluateAll((items) => items.map((li) => li.getAttribute('data-column')))).indexOf('department');
    const position = await departmentAt();
    const up = form.getByRole('button', { name: 'Move Department up' });
    await up.focus();
    await app.keyboard.press('Enter');
    await app.keyboard.press('Space');
    await expect.poll(departmentAt).toBe(position - 2);
    await expect(up).toBeFocused();
    await expect(form.getByRole('radio', { name: 'Everything' })).not.toBeChecked();
    const plan = app.getByTestId('export-plan-sentence');
    await expect(plan).toHaveText('2 users will be written; 10 left out (no changes since the last sync)');
    await app.screenshot({ path: testInfo.outputPath('export-form.png') });

    await form.getByRole('button', { name: 'Export', exact: true }).click();
    const report = app.getByTestId('job-report');
    await expect(report).toHaveAttribute('data-state', 'done');
    await expect(report.getByRole('heading', { name: 'Export finished' })).toBeVisible();
    await expect(report.getByTestId('report-users').locator('dd')).toHaveText('2');
    await expect(report.getByTestId('report-file')).toHaveText(xlsxPath);
    await expect(app.getByTestId('export-result')).toHaveText('Wrote 2 users to 1 file');
    await expect(app.getByTestId('export-files')).toContainText('Saved 1 file:');
    await expect(app.getByTestId('export-saved-file')).toHaveText(basename(xlsxPath));
    await report.getByRole('button', { name: 'Show in folder' }).click();
    await expect(app.getByTestId('export-folder')).toHaveText(`Saved in ${dir}`);
    await app.screenshot({ path: testInfo.outputPath('export-result.png') });

    const xlsx = await readXlsx(xlsxPath);
    expect(xlsx.sheets).toHaveLength(2);
    expect(xlsx.rows.map((r) => [r.username, r.department])).toEqual([
      ['user00003', 'Field Research'],
      ['user00004', 'Night Operations'],
    ]);

    // The same as CSV with semicolons: the typed path follows the format.
    await form.getByRole('radio', { name: 'CSV (.csv)' }).check();
    await expect(form.getByLabel('Save to')).toHaveValue(csvPath);
    await form.getByLabel('Delimiter').selectOption(';');
    await expect(plan).toHaveText(/^2 users will be written/);
    // Enter in the path submits.
    await form.getByLabel('Save to').press('Enter');
    await expect(report.getByTestId('report-file')).toHaveText(csvPath);
    await expect(report).toHaveAttribute('data-state', 'done');
    await expect(report.getByTestId('report-users').locator('dd')).toHaveText('2');
    const csvBytes = await readFile(csvPath);
    expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = parse(csvBytes, { bom: true, columns: true, delimiter: ';' }) as Record<string, string>[];
    expect(csv.map((r) => [r.username, r.department])).toEqual([
      ['user00003', 'Field Research'],
      ['user00004', 'Night Operations'],
    ]);

    // Back to XLSX: the file exists, the plan says so, and Export asks first. Escape keeps the file.
    await form.getByRole('radio', { name: 'Excel workbook (.xlsx)' }).check();
    await expect(form.getByLabel('Save to')).toHaveValue(xlsxPath);
    await expect(app.getByTestId('export-plan')).toContainText('changes.xlsx exists already');
    const before = (await stat(xlsxPath)).mtimeMs;
    await form.getByRole('button', { name: 'Export', exact: true }).click();
    const replace = app.getByRole('dialog', { name: 'Replace changes.xlsx?' });
    await expect(replace).toBeVisible();
    await expect(replace.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await app.screenshot({ path: testInfo.outputPath('export-replace.png') });
    await app.keyboard.press('Escape');
    await expect(replace).toBeHidden();
    expect((await stat(xlsxPath)).mtimeMs).toBe(before);
    await form.getByRole('button', { name: 'Export', exact: true }).click();
    await replace.getByRole('button', { name: 'Replace' }).click();
    await expect(replace).toBeHidden();
    await expect(report).toHaveAttribute('data-state', 'done');
    await expect(report.getByTestId('report-file')).toHaveText(xlsxPath);
    expect((await readXlsx(xlsxPath)).rows).toHaveLength(2);

    // Reports: nothing is left to export; a completeness bar opens the users missing that field.
    await goTo(app, 'Reports');
    await expect(unexported.getByTestId('report-count')).toHaveAttribute('data-count', '0');
    const chart = app.getByTestId('completeness-chart');
    await expect(chart.getByRole('button', { name: 'Department: 0 of 12 users missing' })).toBeVisible();
    // N of "not synced for N days" is the admin's: the report follows it.
    const stale = app.locator('[data-testid="report-card"][data-report="stale"]');
    await stale.getByLabel('Days without a sync').fill('7');
    await expect(stale.getByRole('heading', { name: 'Not synced for 7 days' })).toBeVisible();
    await expect(stale).toContainText('for 7 days or more');
    await app.screenshot({ path: testInfo.outputPath('reports.png') });
    const bar = chart.locator('[data-testid="completeness-bar"]:not([data-missing="0"])').first();
    const name = (await bar.getAttribute('aria-label'))!;
    const [, label, missing] = /^(.+): (\d+) of 12 users missing$/.exec(name)!;
    await bar.click();
    await expect(app.getByRole('heading', { name: 'Users' })).toBeVisible();
    const chip = app.getByTestId('report-chip');
    await expect(chip).toContainText(`Report: Missing ${label}`);
    await expect(app.getByTestId('users-total')).toHaveAttribute('data-count', missing!);
    await app.screenshot({ path: testInfo.outputPath('reports-users.png') });
    await chip.getByRole('button', { name: `Remove the report filter: Missing ${label}` }).click();
    await expect(chip).toHaveCount(0);
    await expect(app.getByTestId('users-total')).toHaveAttribute('data-count', '12');
  });

  test('the column picker shows exactly the columns the file has, in its order, and the Order heading stays while scrolling', async ({ app }, testInfo) => {
    const csvPath = testInfo.outputPath('owners.csv');
    await completeDepartment(app, 'user00006', 'Field Research');
    await goTo(app, 'Export');
    const form = app.getByRole('form', { name: 'Export users' });
    // The AD owners' columns, as a CSV change set: the file also says each row's realm, so the picker does.
    await form.getByRole('radio', { name: /^AD owners/ }).check();
    await form.getByRole('radio', { name: 'CSV (.csv)' }).check();
    await expect(form.getByRole('radio', { name: 'Only completions and changes since the last sync' })).toBeChecked();
    const realm = form.getByRole('checkbox', { name: /^Realm/ });
    await expect(realm).toBeChecked();
    await expect(realm).toBeDisabled();
    const order = form.getByTestId('export-order').locator('li');
    const shown = () => order.evaluateAll((items) => items.map((li) => li.getAttribute('data-column')));
    expect((await shown()).slice(0, 4)).toEqual(['directoryId', 'dn', 'username', 'realm']);
    await expect(form.getByRole('heading', { name: `Order (${(await shown()).length})` })).toBeVisible();
    await form.getByLabel('Save to').fill(csvPath);
    await expect(app.getByTestId('export-plan-sentence')).toHaveText(/^1 user will be written/);

    // Scrolled to the end of the checklist, the Order panel still says what it is.
    const body = app.locator('.export-form__body');
    await body.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    expect(await body.evaluate((el) => el.scrollTop)).toBeGreaterThan(100);
    const heading = form.getByRole('heading', { name: /^Order \(/ });
    const [top, headingBox] = [(await body.boundingBox())!, (await heading.boundingBox())!];
    expect(headingBox.y).toBeGreaterThanOrEqual(top.y - 1);
    expect(headingBox.y).toBeLessThan(top.y + 40);
    await testInfo.attach('export-order-scrolled', { path: await shot(app, testInfo, 'export-order-scrolled'), contentType: 'image/png' });

    await form.getByRole('button', { name: 'Export', exact: true }).click();
    const report = app.getByTestId('job-report');
    await expect(report).toHaveAttribute('data-state', 'done');
    const header = (parse(await readFile(csvPath), { bom: true, to_line: 1 }) as string[][])[0];
    expect(header).toEqual(await shown());
    await body.evaluate((el) => el.scrollTo(0, 0));
    await testInfo.attach('export-columns-match-file', { path: await shot(app, testInfo, 'export-columns-match-file'), contentType: 'image/png' });
  });

  test('a returned sheet is previewed row by row and its valid rows applied; Export selected takes the selection', async ({ app }, testInfo) => {
    const sheetPath = testInfo.outputPath('returned.csv');
    await writeFile(sheetPath, 'username,department\r\nuser00005,Field Ops\r\nnobody,Sales\r\n');

    // Export selected: the Export screen opens on the list's selection.
    await app.getByRole('searchbox', { name: 'Search users' }).fill('user0000');
    await expect(app.getByTestId('user-row')).toHaveCount(8);
    await app.locator('[data-testid="user-row"][data-username="user00002"]').click();
    await app.locator('[data-testid="user-row"][data-username="user00003"]').click({ modifiers: ['ControlOrMeta'] });
    await app.getByTestId('bulk-bar').getByRole('button', { name: 'Export selected…' }).click();
    const form = app.getByRole('form', { name: 'Export users' });
    await expect(form.getByRole('radio', { name: 'The selection in Users' })).toBeChecked();
    await expect(form.getByText('2 users selected')).toBeVisible();
    await form.getByRole('radio', { name: 'Full snapshot' }).check();
    await form.getByLabel('Save to').fill(testInfo.outputPath('selected.xlsx'));
    await expect(app.getByTestId('export-plan-sentence')).toHaveText('2 users will be written');

    await app.getByRole('tab', { name: 'Re-import a returned sheet' }).click();
    const section = app.getByTestId('sheet-import');
    await section.getByLabel('Sheet', { exact: true }).fill(sheetPath);
    await section.getByLabel('Sheet', { exact: true }).press('Enter');
    await expect(section.getByTestId('sheet-summary')).toContainText('2 rows');
    await expect(section.getByLabel('username', { exact: true })).toHaveValue('username');
    await expect(section.getByLabel('department', { exact: true })).toHaveValue('field:department');
    await section.getByRole('checkbox', { name: 'Empty cells clear values' }).check();
    await section.getByRole('checkbox', { name: 'Empty cells clear values' }).uncheck();
    await section.getByRole('button', { name: 'Preview' }).click();

    const preview = section.getByTestId('sheet-preview');
    await expect(preview.getByTestId('sheet-count-change')).toHaveAttribute('data-count', '1');
    await expect(preview.getByTestId('sheet-count-unchanged')).toHaveAttribute('data-count', '0');
    await expect(preview.getByTestId('sheet-count-refused')).toHaveAttribute('data-count', '1');
    const changed = preview.locator('[data-testid="sheet-row"][data-status="change"]');
    await expect(changed).toHaveAttribute('data-username', 'user00005');
    await expect(changed.locator('[data-field="department"]')).toContainText('Field Ops');
    await preview.getByTestId('sheet-count-refused').click();
    const refused = preview.locator('[data-testid="sheet-row"][data-status="refused"]');
    await expect(refused).toHaveAttribute('data-row', '3');
    await expect(refused).toContainText('No user matches (username nobody).');
    await app.screenshot({ path: testInfo.outputPath('sheet-preview.png') });

    await preview.getByRole('button', { name: 'Apply 1 row' }).click();
    const report = section.getByTestId('sheet-report');
    await expect(report.getByTestId('sheet-applied').locator('dd')).toHaveText('1');
    await expect(report.getByTestId('sheet-refused').locator('dd')).toHaveText('1');
    await expect(report.locator('[data-testid="sheet-row"][data-status="refused"]')).toContainText('No user matches (username nobody).');
    await app.screenshot({ path: testInfo.outputPath('sheet-report.png') });

    // The report's Export… takes the users it changed as the export's scope.
    await report.getByTestId('report-export').click();
    await expect(app.getByRole('tab', { name: 'Export users', selected: true })).toBeVisible();
    await expect(form.getByRole('radio', { name: `Report: Sheet ${sheetPath}` })).toBeChecked();
    await expect(form.getByText('The 1 user it lists')).toBeVisible();
    await app.screenshot({ path: testInfo.outputPath('sheet-report-export.png') });

    // Its usernames open the user: the applied value is the user's now, a completion like any other.
    await app.getByRole('tab', { name: 'Re-import a returned sheet' }).click();
    await report.getByText(/^Rows applied/).click();
    await report.locator('[data-testid="sheet-row"][data-status="change"]').getByTestId('report-user-link').click();
    const detail = app.getByTestId('user-detail');
    await expect(detail.getByRole('heading', { name: 'user00005' })).toBeVisible();
    await expect(detail.getByLabel('Department', { exact: true })).toHaveValue('Field Ops');
  });
});

test.describe('with 30,000 users', () => {
  test.use({
    seed: async ({}, use) => {
      await use(async (dataDir) => {
        await seedUsers(dataDir, 30_000);
      });
    },
  });

  test('a large export shows its progress and can be cancelled, leaving no file', async ({ app, holdJob }, testInfo) => {
    const path = testInfo.outputPath('everyone.xlsx');
    await goTo(app, 'Export');
    const form = app.getByRole('form', { name: 'Export users' });
    // The default: the Everything preset, a full snapshot as a workbook.
    await expect(form.getByRole('radio', { name: 'Everything' })).toBeChecked();
    await form.getByLabel('Save to').fill(path);
    await expect(app.getByTestId('export-plan-sentence')).toHaveText('30,000 users will be written');
    // Held once every row is written and before the file is put in place: Cancel is clicked there, on any machine.
    const held = holdJob('export', 'written');
    await form.getByRole('button', { name: 'Export', exact: true }).click();
    await held.reached;
    const leftovers = () => readdirSync(dirname(path)).filter((name) => name.startsWith('.everyone.xlsx.'));
    // Mid-export for real: the whole workbook sits under its temporary name, nothing at the target yet.
    expect(leftovers()).toHaveLength(1);
    expect(existsSync(path)).toBe(false);
    const progress = app.getByTestId('job-progress');
    await expect(progress.getByRole('progressbar')).toBeVisible();
    await expect(app.getByTestId('status-job')).toContainText('Exporting…');
    await app.screenshot({ path: testInfo.outputPath('export-progress.png') });
    await progress.getByRole('button', { name: 'Cancel' }).click();
    const report = app.getByTestId('job-report');
    await expect(report).toHaveAttribute('data-state', 'cancelled');
    await expect(report.getByRole('alert')).toContainText('no file was written');
    expect(existsSync(path)).toBe(false);
    expect(leftovers()).toEqual([]);
  });
});
