import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { expect, test } from './fixtures/app';
import { goTo } from './fixtures/ui';

// The one spec CI runs on Windows and macOS after building the installers (`--project=electron --grep @smoke`):
// it needs nothing but the app itself — no slapd, Samba or Chromium — so it runs wherever Electron does.
test('@smoke a fresh app imports the demo directory, lists its users and exports them as CSV', async ({ app }, testInfo) => {
  // First run: an empty store offers the demo directory (channel demo:start).
  await goTo(app, 'Users');
  await app.getByTestId('users-empty').getByTestId('first-run').getByRole('button', { name: 'Try with demo data' }).click();
  const demoReport = app.getByRole('complementary', { name: 'Demo data imported' }).getByTestId('job-report');
  await expect(demoReport).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  const created = Number((await demoReport.getByTestId('report-created').locator('dd').innerText()).replace(/\D/g, ''));
  expect(created).toBeGreaterThan(0);
  await expect(app.getByTestId('users-total')).toHaveAttribute('data-count', String(created));
  const firstRow = app.getByTestId('user-row').first();
  await expect(firstRow).toBeVisible();
  const firstUsername = (await firstRow.getAttribute('data-username'))!;
  expect(firstUsername).toBeTruthy();
  await demoReport.getByRole('button', { name: 'Close report' }).click();

  // Export everyone as a full CSV snapshot, the path typed (the HTTP host has no Save dialog, Electron has one:
  // typing works in both).
  const csvPath = testInfo.outputPath('everyone.csv');
  await goTo(app, 'Export');
  const form = app.getByRole('form', { name: 'Export users' });
  await form.getByRole('radio', { name: 'All users' }).check();
  await form.getByRole('radio', { name: 'Full snapshot' }).check();
  await form.getByRole('radio', { name: 'CSV (.csv)' }).check();
  await form.getByLabel('Save to').fill(csvPath);
  await expect(app.getByTestId('export-plan-sentence')).toHaveText(`${created.toLocaleString('en-US')} users will be written`);
  await form.getByRole('button', { name: 'Export', exact: true }).click();
  const report = app.getByTestId('job-report');
  await expect(report).toHaveAttribute('data-state', 'done');
  await expect(report.getByTestId('report-users').locator('dd')).toHaveText(created.toLocaleString('en-US'));
  await expect(report.getByTestId('report-file')).toHaveText(csvPath);

  // The file is there and parses: one record per user, the listed user among them.
  const bytes = await readFile(csvPath);
  expect(bytes.length).toBeGreaterThan(0);
  const rows = parse(bytes, { bom: true, columns: true }) as Record<string, string>[];
  expect(rows).toHaveLength(created);
  expect(rows.map((row) => row.username)).toContain(firstUsername);
});
