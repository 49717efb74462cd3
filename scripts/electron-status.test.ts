// scripts/electron-status.mjs decides what `npm install` says and what `npm start` opens: each state on a real folder.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { electronStatus, noticeLine } from './electron-status.mjs';

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A project folder whose lock pins electron 41.7.1, with the electron package as given. */
function project(electron: { manifest?: boolean; pathTxt?: string; binary?: string } = {}): string {
  root = mkdtempSync(join(tmpdir(), 'roster-electron-status-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ optionalDependencies: { electron: '41.7.1' } }));
  writeFileSync(join(root, 'package-lock.json'), JSON.stringify({ packages: { 'node_modules/electron': { version: '41.7.1', integrity: 'sha512-x' } } }));
  const dir = join(root, 'node_modules/electron');
  if (electron.manifest) {
    mkdirSync(join(dir, 'dist'), { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'electron', version: '41.7.1' }));
  }
  if (electron.pathTxt) writeFileSync(join(dir, 'path.txt'), electron.pathTxt);
  if (electron.binary) writeFileSync(join(dir, 'dist', electron.binary), '');
  return root;
}

describe('electronStatus', () => {
  it('is ready when the package and the binary its path.txt names are there', () => {
    const status = electronStatus(project({ manifest: true, pathTxt: 'electron', binary: 'electron' }), {});
    expect(status).toMatchObject({ state: 'ready', version: '41.7.1', binary: join(root, 'node_modules/electron/dist/electron') });
  });

  it('has no binary when path.txt names a file that is not there, or there is no path.txt', () => {
    expect(electronStatus(project({ manifest: true, pathTxt: 'electron' }), {})).toMatchObject({ state: 'no-binary', reason: 'its download did not complete' });
    rmSync(root, { recursive: true, force: true });
    expect(electronStatus(project({ manifest: true }), { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' })).toMatchObject({
      state: 'no-binary',
      reason: 'its download was skipped: ELECTRON_SKIP_BINARY_DOWNLOAD is set',
    });
  });

  it('uses ELECTRON_OVERRIDE_DIST_PATH as the electron package does, and says when it names nothing', () => {
    const dist = mkdtempSync(join(tmpdir(), 'roster-electron-dist-'));
    try {
      project({ manifest: true });
      expect(electronStatus(root, { ELECTRON_OVERRIDE_DIST_PATH: dist })).toMatchObject({ state: 'no-binary', reason: expect.stringContaining(join(dist, 'electron')) });
      writeFileSync(join(dist, 'electron'), '');
      expect(electronStatus(root, { ELECTRON_OVERRIDE_DIST_PATH: dist })).toMatchObject({ state: 'ready', binary: join(dist, 'electron') });
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });

  it('has no package when npm removed it, with the lock file version to put back', () => {
    expect(electronStatus(project(), {})).toMatchObject({ state: 'no-package', version: '41.7.1', integrity: 'sha512-x', reason: 'its download failed' });
  });
});

describe('noticeLine', () => {
  it('is one line naming the reason, the browser fallback and each way to get the binary', () => {
    const line = noticeLine({ reason: 'its download failed', version: '41.7.1' });
    expect(line).not.toContain('\n');
    expect(line).toContain('(its download failed)');
    expect(line).toContain('Electron 41.7.1');
  });
});
