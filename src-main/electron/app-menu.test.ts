import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { appMenuTemplate } from './app-menu';

/** Every role and accelerator anywhere in a menu template. */
function walk(items: MenuItemConstructorOptions[]): { roles: string[]; accelerators: string[] } {
  const roles: string[] = [];
  const accelerators: string[] = [];
  for (const item of items) {
    if (item.role) roles.push(item.role);
    if (item.accelerator) accelerators.push(String(item.accelerator));
    if (Array.isArray(item.submenu)) {
      const inner = walk(item.submenu);
      roles.push(...inner.roles);
      accelerators.push(...inner.accelerators);
    }
  }
  return { roles, accelerators };
}

// viewMenu is Electron's stock View menu, which holds Reload and Toggle Developer Tools.
const DEVELOPER_ROLES = ['toggleDevTools', 'reload', 'forceReload', 'viewMenu'];

describe('application menu', () => {
  for (const platform of ['linux', 'win32', 'darwin'] as const) {
    it(`has no DevTools or Reload item, role or shortcut in a packaged app (${platform})`, () => {
      const { roles, accelerators } = walk(appMenuTemplate({ packaged: true, platform }));
      expect(roles.filter((role) => DEVELOPER_ROLES.includes(role))).toEqual([]);
      expect(accelerators).toEqual([]);
      expect(roles).toEqual([
        ...(platform === 'darwin' ? ['appMenu'] : []),
        'fileMenu',
        'editMenu',
        'resetZoom',
        'zoomIn',
        'zoomOut',
        'togglefullscreen',
        'windowMenu',
      ]);
    });
  }

  it('keeps Reload and DevTools in development', () => {
    const { roles } = walk(appMenuTemplate({ packaged: false, platform: 'linux' }));
    expect(roles).toEqual([
      'fileMenu',
      'editMenu',
      'reload',
      'forceReload',
      'toggleDevTools',
      'resetZoom',
      'zoomIn',
      'zoomOut',
      'togglefullscreen',
      'windowMenu',
    ]);
  });
});
