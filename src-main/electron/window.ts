import { BrowserWindow } from 'electron';
import icon from '../../resources/icon.png?asset';
import type { RendererEntry } from './renderer-entry';
import { mainWindowWebPreferences, preloadPath } from './web-preferences';

/**
 * The main window, loading exactly the page IPC trusts. Its web preferences come from web-preferences.ts;
 * navigation, new windows and webviews are refused for every web contents by shell-hardening.ts.
 */
export function createMainWindow(entry: RendererEntry, packaged: boolean): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Roster',
    icon,
    webPreferences: mainWindowWebPreferences({ preload: preloadPath(import.meta.dirname), packaged }),
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(entry.url);
  return win;
}
