import type { Session } from 'electron';
import { describe, expect, it } from 'vitest';
import { denyAllPermissions, type PermissionSession } from './permission-policy';

type CheckHandler = NonNullable<Parameters<Session['setPermissionCheckHandler']>[0]>;
type RequestHandler = NonNullable<Parameters<Session['setPermissionRequestHandler']>[0]>;
type DeviceHandler = NonNullable<Parameters<Session['setDevicePermissionHandler']>[0]>;

// Every permission name Electron 41 passes to the handlers (from its type definitions), and a future one.
const CHECKED = [
  'clipboard-read',
  'clipboard-sanitized-write',
  'geolocation',
  'fullscreen',
  'hid',
  'idle-detection',
  'media',
  'mediaKeySystem',
  'midi',
  'midiSysex',
  'notifications',
  'openExternal',
  'pointerLock',
  'serial',
  'storage-access',
  'top-level-storage-access',
  'usb',
  'deprecated-sync-clipboard-read',
  'fileSystem',
  'some-future-permission',
] as const;
const REQUESTED = [
  'clipboard-read',
  'clipboard-sanitized-write',
  'display-capture',
  'fullscreen',
  'geolocation',
  'idle-detection',
  'media',
  'mediaKeySystem',
  'midi',
  'midiSysex',
  'notifications',
  'pointerLock',
  'keyboardLock',
  'openExternal',
  'speaker-selection',
  'storage-access',
  'top-level-storage-access',
  'window-management',
  'unknown',
  'fileSystem',
  'some-future-permission',
] as const;

/** A session that keeps the handlers it is given. */
function session() {
  const handlers: { check?: CheckHandler | null; request?: RequestHandler | null; device?: DeviceHandler | null } = {};
  const fake: PermissionSession = {
    setPermissionCheckHandler: (handler) => void (handlers.check = handler),
    setPermissionRequestHandler: (handler) => void (handlers.request = handler),
    setDevicePermissionHandler: (handler) => void (handlers.device = handler),
  };
  denyAllPermissions(fake);
  return handlers;
}

const origin = 'file:///opt/Roster/out/renderer/index.html';

describe('permission policy', () => {
  it('answers no to every permission check', () => {
    const { check } = session();
    expect(check).toBeTypeOf('function');
    for (const permission of CHECKED) {
      expect(
        check!(null, permission as Parameters<CheckHandler>[1], origin, { isMainFrame: true, requestingUrl: origin } as Parameters<CheckHandler>[3]),
        permission,
      ).toBe(false);
    }
  });

  it('refuses every permission request', () => {
    const { request } = session();
    expect(request).toBeTypeOf('function');
    for (const permission of REQUESTED) {
      const answers: boolean[] = [];
      request!({} as Parameters<RequestHandler>[0], permission as Parameters<RequestHandler>[1], (granted) => answers.push(granted), {
        isMainFrame: true,
        requestingUrl: origin,
      } as Parameters<RequestHandler>[3]);
      expect(answers, permission).toEqual([false]);
    }
  });

  it('grants no device (HID, serial, USB)', () => {
    const { device } = session();
    expect(device).toBeTypeOf('function');
    for (const deviceType of ['hid', 'serial', 'usb'] as const) {
      expect(device!({ deviceType, origin, device: {} } as unknown as Parameters<DeviceHandler>[0]), deviceType).toBe(false);
    }
  });
});
