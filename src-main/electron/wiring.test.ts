import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// No Electron binary runs here, so the few lines that hand Electron's objects to the tested policy modules
// are checked as text: removing or bypassing one of them fails this test.
const dir = import.meta.dirname;
const source = (file: string) => readFileSync(join(dir, file), 'utf8');

describe('Electron wiring', () => {
  it('only the thin shell files import electron at run time; the policy modules import types only', () => {
    const runtime = readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
      .filter((f) => /^import\s+(?!type\b)[^;]*from 'electron';/m.test(source(f)))
      .sort();
    expect(runtime).toEqual(['main.ts', 'safe-storage-secrets.ts', 'window.ts']);
  });

  it('main.ts decides the page from app.isPackaged, hardens the shell before any window, and registers IPC with that page', () => {
    const main = source('main.ts');
    expect(main).toContain('rendererEntry({ packaged: app.isPackaged, devServerUrl: process.env.ELECTRON_RENDERER_URL, mainDir: import.meta.dirname })');
    expect(main).toContain('hardenShell(app, session.defaultSession, {');
    expect(main).toContain('setMenu: (template) => Menu.setApplicationMenu(Menu.buildFromTemplate(template)),');
    expect(main).toContain('registerIpc(ipcMain, createHandlers(services, desktopShell), entry);');
    expect(main.indexOf('hardenShell(')).toBeLessThan(main.indexOf('createMainWindow('));
    expect(main.indexOf('hardenShell(')).toBeLessThan(main.indexOf('registerIpc('));
    // A packaged app open to a debugger exits before it locks the instance, opens the store or a window.
    expect(main).toContain('const debugAccess = forbiddenDebugAccess(process.argv, process.env, app.isPackaged);');
    expect(main.indexOf('if (debugAccess.length > 0)')).toBeLessThan(main.indexOf('requestSingleInstanceLock('));
    expect(main.indexOf('app.exit(1);')).toBeLessThan(main.indexOf('requestSingleInstanceLock('));
    // Nothing bypasses the policy modules.
    expect(main.match(/shell\.openExternal\(/g)).toHaveLength(1);
    expect(main).not.toMatch(/ipcMain\.(handle|on)\(|webPreferences|setPermission|openDevTools/);
  });

  it('window.ts takes its web preferences from web-preferences.ts and loads exactly the trusted page', () => {
    const window = source('window.ts');
    expect(window).toContain('webPreferences: mainWindowWebPreferences({ preload: preloadPath(import.meta.dirname), packaged }),');
    expect(window).toContain('void win.loadURL(entry.url);');
    expect(window).not.toMatch(/loadFile|openDevTools|openExternal/);
  });
});
