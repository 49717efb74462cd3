import { EventEmitter } from 'node:events';
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import type { GuardedContents } from './navigation-guard';
import type { PermissionSession } from './permission-policy';
import { hardenShell, type HardenedApp } from './shell-hardening';

class Contents extends EventEmitter {
  windowOpenHandler?: (details: { url: string }) => { action: 'deny' };
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }) {
    this.windowOpenHandler = handler;
  }
  closeDevTools() {}
}

/** Runs hardenShell against an app that emits real events and a session that keeps its handlers. */
function harden(isPackaged: boolean) {
  const app = Object.assign(new EventEmitter(), { isPackaged });
  const installed: string[] = [];
  const session: PermissionSession = {
    setPermissionCheckHandler: (handler) => void (handler && installed.push('check')),
    setPermissionRequestHandler: (handler) => void (handler && installed.push('request')),
    setDevicePermissionHandler: (handler) => void (handler && installed.push('device')),
  };
  const menus: MenuItemConstructorOptions[][] = [];
  hardenShell(app as unknown as HardenedApp, session, { platform: 'linux', openExternal: () => undefined, setMenu: (template) => void menus.push(template) });
  return { app, installed, menus };
}

describe('shell hardening', () => {
  it('guards every web contents created after it, the main window included', () => {
    const { app } = harden(true);
    const contents = new Contents();
    app.emit('web-contents-created', {}, contents as unknown as GuardedContents);
    expect(contents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    const navigation = { url: 'file:///tmp/x.html', prevented: false, preventDefault: () => void (navigation.prevented = true) };
    contents.emit('will-navigate', navigation);
    expect(navigation.prevented).toBe(true);
    expect(
      ['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview', 'select-bluetooth-device', 'devtools-opened'].filter(
        (e) => contents.listenerCount(e) !== 1,
      ),
    ).toEqual([]);
  });

  it('installs the permission check, request and device handlers', () => {
    expect(harden(true).installed).toEqual(['check', 'request', 'device']);
  });

  it('sets a menu without DevTools when packaged, with them in development', () => {
    const hasDevTools = (template: MenuItemConstructorOptions[]) => JSON.stringify(template).includes('toggleDevTools');
    const packaged = harden(true).menus;
    expect(packaged).toHaveLength(1);
    expect(hasDevTools(packaged[0]!)).toBe(false);
    expect(hasDevTools(harden(false).menus[0]!)).toBe(true);
  });
});
