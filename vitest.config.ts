import { defineConfig } from 'vitest/config';

// Unit and integration tests sit beside the code; e2e/*.spec.ts belong to Playwright.
export default defineConfig({
  test: {
    include: ['src-main/**/*.test.ts', 'src-preload/**/*.test.ts', 'src-shared/**/*.test.ts', 'src-renderer/**/*.test.ts', 'e2e/fixtures/**/*.test.ts', 'e2e/host/**/*.test.ts', 'bench/**/*.test.ts', 'scripts/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
