import type { MenuItemConstructorOptions } from 'electron';

/**
 * The application menu. Electron's default menu has Reload and Toggle Developer Tools (Ctrl+Shift+I); a
 * packaged Roster has neither: its View menu only zooms and goes full screen. Development keeps both.
 */
export function appMenuTemplate(options: { packaged: boolean; platform: NodeJS.Platform }): MenuItemConstructorOptions[] {
  const developer: MenuItemConstructorOptions[] = options.packaged
    ? []
    : [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }];
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [...developer, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
  };
  const mac: MenuItemConstructorOptions[] = options.platform === 'darwin' ? [{ role: 'appMenu' }] : [];
  return [...mac, { role: 'fileMenu' }, { role: 'editMenu' }, view, { role: 'windowMenu' }];
}
