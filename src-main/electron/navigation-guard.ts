import { EXTERNAL_LINKS, externalUrlToOpen } from './open-external';

/** The part of a WebContents that navigation, new windows, webviews, devices and DevTools go through. */
export interface GuardedContents {
  on(event: 'will-navigate', listener: (event: { url: string; preventDefault(): void }) => void): unknown;
  on(event: 'will-frame-navigate', listener: (event: { url: string; isMainFrame: boolean; preventDefault(): void }) => void): unknown;
  on(event: 'will-redirect', listener: (event: { url: string; preventDefault(): void }) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  on(
    event: 'select-bluetooth-device',
    listener: (event: { preventDefault(): void }, devices: unknown[], callback: (deviceId: string) => void) => void,
  ): unknown;
  on(event: 'devtools-opened', listener: () => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  closeDevTools(): void;
}

/**
 * Keeps a web contents on Roster's page: no navigation (the main frame's goes to the system browser only
 * when the link is on the allowlist), no redirect, no new window, no webview, no Bluetooth device; in a
 * packaged app DevTools close as soon as anything opens them.
 */
export function guardWebContents(
  contents: GuardedContents,
  options: { packaged: boolean; openExternal: (url: string) => void; allowlist?: readonly string[] },
): void {
  const openIfAllowed = (url: string) => {
    const target = externalUrlToOpen(url, options.allowlist ?? EXTERNAL_LINKS);
    if (target) options.openExternal(target);
  };
  contents.on('will-navigate', (event) => {
    event.preventDefault();
    openIfAllowed(event.url);
  });
  // will-navigate covers the main frame; subframes (there are none in Roster) never navigate.
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openIfAllowed(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.on('select-bluetooth-device', (event, _devices, callback) => {
    event.preventDefault();
    callback('');
  });
  if (options.packaged) contents.on('devtools-opened', () => contents.closeDevTools());
}
