import type { Session } from 'electron';

/** The part of a session that grants web permissions. */
export type PermissionSession = Pick<Session, 'setPermissionCheckHandler' | 'setPermissionRequestHandler' | 'setDevicePermissionHandler'>;

/**
 * Roster's window needs no web permission (camera, microphone, notifications, clipboard reads, HID, USB,
 * serial, geolocation, …): every check answers no, every request is refused, no device is granted.
 */
export function denyAllPermissions(session: PermissionSession): void {
  session.setPermissionCheckHandler(() => false);
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setDevicePermissionHandler(() => false);
}
