import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const built = join(import.meta.dirname, '../out/preload/index.cjs');

describe('the built preload', () => {
  // `npm test` builds first. A sandboxed preload can require only a few Electron-provided modules: the
  // bundle must hold everything else itself (and no zod: the channel lists are plain arrays).
  it.skipIf(!existsSync(built))('is one CommonJS file that requires nothing but electron', () => {
    const code = readFileSync(built, 'utf8');
    expect([...new Set([...code.matchAll(/require\(\s*(['"])([^'"]+)\1\s*\)/g)].map((m) => m[2]))]).toEqual(['electron']);
    expect(code).not.toMatch(/\bimport\s*\(/);
    expect(code).toContain('exposeInMainWorld("roster"');
  });
});
