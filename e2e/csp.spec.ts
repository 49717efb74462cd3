import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/app';
import { goTo } from './fixtures/ui';

/** The policy as written in the renderer's source page (csp.test.ts checks it is strict and survives the build). */
const SHIPPED_CSP = /content="([^"]*)"/.exec(readFileSync(join(import.meta.dirname, '../src-renderer/index.html'), 'utf8'))![1]!;

interface Violation {
  directive: string;
  blocked: string;
  sample: string;
}

// Page-side code is written as strings: the e2e sources compile without the DOM library.
const RECORDER = `
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (event) => {
    window.__cspViolations.push({ directive: event.effectiveDirective, blocked: event.blockedURI, sample: event.sample });
  });`;
const INLINE_PROBE = `(() => {
  const script = document.createElement('script');
  script.textContent = 'window.__inlineRan = true;';
  document.body.append(script);
  const style = document.createElement('style');
  style.textContent = ':root { --csp-probe: applied; }';
  document.head.append(style);
  return { ran: window.__inlineRan === true, styled: getComputedStyle(document.documentElement).getPropertyValue('--csp-probe') };
})()`;

/** Records every CSP violation from the first script on (the page is reloaded so nothing is missed). */
async function recordViolations(app: Page): Promise<{ take: () => Promise<Violation[]> }> {
  await app.addInitScript({ content: RECORDER });
  await app.reload();
  return { take: () => app.evaluate<Violation[]>('window.__cspViolations.splice(0)') };
}

test('the renderer runs under the shipped CSP without one violation, and the policy really blocks inline code', async ({
  app,
  transport,
  sharedChromium,
  hostRef,
}) => {
  test.skip(transport === 'electron', 'The violation recorder is injected through the HTTP host page; the CSP unit test covers the built file Electron loads.');
  const violations = await recordViolations(app);
  await expect(app.getByRole('heading', { name: 'Realms', level: 1 })).toBeVisible();
  expect(await app.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toBe(SHIPPED_CSP);

  // The policy is in force: in a second page of the same app (the app fixture fails a test on any CSP
  // report), an inline script does not run and an inline <style> does not apply, each reported.
  const context = await (await sharedChromium()).newContext();
  try {
    const probe = await context.newPage();
    await probe.addInitScript({ content: RECORDER });
    await probe.goto(hostRef.current!.url);
    await expect(probe.getByRole('heading', { name: 'Realms', level: 1 })).toBeVisible();
    expect(await probe.evaluate(INLINE_PROBE)).toEqual({ ran: false, styled: '' });
    await expect
      .poll(async () => (await probe.evaluate<string[]>('window.__cspViolations.map((v) => v.directive)')).sort())
      .toEqual(['script-src-elem', 'style-src-elem']);
  } finally {
    await context.close();
  }

  // The whole app, with data: the demo import, every screen, a user's detail, the audit CSV download.
  await app.getByTestId('first-run').getByRole('button', { name: 'Try with demo data' }).click();
  const report = app.getByRole('complementary', { name: 'Demo data imported' }).getByTestId('job-report');
  await expect(report).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  const screens: [string, string][] = [
    ['Import', 'Import LDAP users'],
    ['Realms', 'Realms'],
    ['Reports', 'Reports'],
    ['Export', 'Export'],
    ['Settings', 'Settings'],
    ['Users', 'Users'],
  ];
  for (const [screen, heading] of screens) {
    await goTo(app, screen);
    await expect(app.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
  }
  await expect(app.getByTestId('user-row').first()).toBeVisible();
  await app.getByTestId('user-row').first().click();
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('user-detail')).toBeVisible();
  await goTo(app, 'Audit');
  await expect(app.getByTestId('audit-entry').first()).toBeVisible();
  const download = app.waitForEvent('download');
  await app.getByRole('button', { name: 'Export CSV' }).click();
  expect((await download).suggestedFilename()).toMatch(/\.csv$/);

  expect(await violations.take()).toEqual([]);
});
