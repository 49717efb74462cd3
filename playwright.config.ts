import { defineConfig } from '@playwright/test';
import type { AppOptions } from './e2e/fixtures/app';

// The same specs run twice: in Debian Chromium against the e2e HTTP host (always), and through
// Playwright's Electron launcher (skipped, with the reason, where no Electron binary is installed).
export default defineConfig<AppOptions>({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  globalSetup: './e2e/global-setup.ts',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  workers: 2,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: { trace: 'retain-on-failure', screenshot: 'only-on-failure' },
  projects: [
    { name: 'chromium', use: { transport: 'http' } },
    { name: 'electron', use: { transport: 'electron' } },
  ],
});
