import type { MenuItemConstructorOptions } from 'electron';
import { appMenuTemplate } from './app-menu';
import { guardWebContents, type GuardedContents } from './navigation-guard';
import { denyAllPermissions, type PermissionSession } from './permission-policy';

/** The part of Electron's `app` the hardening needs. */
export interface HardenedApp {
  readonly isPackaged: boolean;
  on(event: 'web-contents-created', listener: (event: unknown, contents: GuardedContents) => void): unknown;
}

/**
 * Applies the shell's policy before any window exists: every web contents is guarded (navigation, new
 * windows, webviews, devices, DevTools when packaged), the session grants no permission, and the menu has
 * no DevTools or Reload in a packaged app.
 */
export function hardenShell(
  app: HardenedApp,
  session: PermissionSession,
  options: { platform: NodeJS.Platform; openExternal: (url: string) => void; setMenu: (template: MenuItemConstructorOptions[]) => void },
): void {
  const packaged = app.isPackaged;
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, { packaged, openExternal: options.openExternal }));
  denyAllPermissions(session);
  options.setMenu(appMenuTemplate({ packaged, platform: options.platform }));
}
