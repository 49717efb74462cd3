import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import Ajv from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { findResourcesDir } from './core/ldif/demo';
import { defaultDataDir } from './core/paths';

// electron-builder cannot run here (it downloads Electron), so `npm run dist`'s configuration is checked as data:
// against electron-builder's own schema, against the files on disk, and against where the app looks for them.
const ROOT = resolve(import.meta.dirname, '..');
const read = (path: string): unknown => JSON.parse(readFileSync(join(ROOT, path), 'utf8'));

interface BuilderConfig {
  appId: string;
  productName: string;
  electronVersion: string;
  directories: { buildResources: string };
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  extraResources: { from: string; to: string }[];
  icon: string;
  electronFuses: Record<string, boolean>;
  linux: { target: string[] };
  win: { target: string[] };
  mac: { target: string[] };
}
const config = read('electron-builder.json') as BuilderConfig;
const pkg = read('package.json') as {
  productName: string;
  main: string;
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
  optionalDependencies: Record<string, string>;
};
const lock = read('package-lock.json') as { packages: Record<string, { version: string; optional?: boolean }> };

/** Width and height from a PNG's IHDR chunk. */
function pngSize(path: string): { width: number; height: number } {
  const bytes = readFileSync(path);
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('installers: electron-builder.json', () => {
  it('is valid against the schema of the electron-builder in devDependencies', () => {
    expect(pkg.devDependencies['electron-builder']).toBeDefined();
    const schema = read('node_modules/app-builder-lib/scheme.json') as object;
    const validate = new Ajv({ allErrors: true }).compile(schema);
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
  });

  it('builds AppImage and deb on Linux, NSIS on Windows and dmg on macOS', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
  });

  it('names the product Roster, so the data folder stays the one the app and the CLI share', () => {
    expect(config.productName).toBe('Roster');
    expect(pkg.productName).toBe(config.productName);
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      expect(basename(defaultDataDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming', XDG_CONFIG_HOME: '/home/a/.config' }, platform))).toBe(config.productName);
    }
    expect(config.appId).toBe('org.roster.app');
  });

  it('sets the Electron fuses that keep a packaged app from being run as Node or debugged', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('builds with the Electron the lock file pins, and leaves the optional electron package out of the app', () => {
    // electron is an optional dependency (npm install carries on when its download fails), and electron-builder
    // counts optional dependencies as the app's own: without these two lines it could not tell the version when the
    // package is absent, and would pack node_modules/electron, binary and all, into the installer.
    expect(pkg.optionalDependencies.electron).toBe(lock.packages['node_modules/electron']?.version);
    expect(config.electronVersion).toBe(pkg.optionalDependencies.electron);
    expect(pkg.devDependencies.electron).toBeUndefined();
    expect(config.files).toContain('!node_modules/electron/**');
  });

  it('packs the built app (out/) into the asar, with the entry point package.json names', () => {
    expect(config.asar).toBe(true);
    expect(config.files).toContain('out/**/*');
    expect(pkg.main.replace(/^\.\//, '')).toMatch(/^out\//);
    expect(pkg.scripts.dist).toBe('electron-vite build && electron-builder');
  });

  it('names only resources that exist: the window icon, the installer icon (512 px for macOS) and the demo directory', () => {
    const literalFiles = [...config.files, ...config.asarUnpack].filter((f) => !/[*!]/.test(f));
    expect(literalFiles).toEqual(['resources/icon.png', 'resources/icon.png']);
    for (const path of [...literalFiles, config.icon, ...config.extraResources.map((r) => r.from), config.directories.buildResources]) {
      expect(existsSync(join(ROOT, path)), path).toBe(true);
    }
    // The main window loads out/main/../../resources/icon.png: inside the asar, so it must be packed.
    expect(config.files).toContain('resources/icon.png');
    const { width, height } = pngSize(join(ROOT, config.icon));
    expect(Math.min(width, height)).toBeGreaterThanOrEqual(512);
  });

  describe('a packaged app finds the demo directory', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'roster-installer-'));
    afterAll(() => rmSync(tmp, { recursive: true, force: true }));

    it('by walking up from its main bundle inside app.asar to the extra resources beside it', () => {
      // The layout electron-builder makes: <resourcesPath>/app.asar/out/main/index.js, extraResources under <resourcesPath>.
      const resourcesPath = join(tmp, 'Roster', 'resources');
      const mainDir = join(resourcesPath, 'app.asar', dirname(pkg.main));
      mkdirSync(mainDir, { recursive: true });
      for (const { from, to } of config.extraResources) {
        mkdirSync(dirname(join(resourcesPath, to)), { recursive: true });
        copyFileSync(join(ROOT, from), join(resourcesPath, to));
      }
      expect(findResourcesDir(mainDir)).toBe(join(resourcesPath, 'resources'));
    });
  });
});
