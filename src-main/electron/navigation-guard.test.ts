import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { guardWebContents, type GuardedContents } from './navigation-guard';

/** A web contents as the guard sees it: real event emission, the window-open handler and DevTools kept. */
class Contents extends EventEmitter {
  windowOpenHandler?: (details: { url: string }) => { action: 'deny' };
  devToolsClosed = 0;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }) {
    this.windowOpenHandler = handler;
  }
  closeDevTools() {
    this.devToolsClosed += 1;
  }
}

/** An Electron event: records whether a listener prevented it. */
const electronEvent = <T extends object>(fields: T) => {
  const event = { ...fields, prevented: false, preventDefault: () => void (event.prevented = true) };
  return event;
};

function guarded(packaged = true, allowlist?: readonly string[]) {
  const contents = new Contents();
  const opened: string[] = [];
  guardWebContents(contents as unknown as GuardedContents, { packaged, openExternal: (url) => void opened.push(url), ...(allowlist ? { allowlist } : {}) });
  return { contents, opened };
}

describe('navigation guard', () => {
  it('prevents every main-frame navigation and opens nothing outside the (empty) allowlist', () => {
    const { contents, opened } = guarded();
    for (const url of ['https://example.com/', 'file:///tmp/x.html', 'http://localhost:5173/', 'javascript:alert(1)']) {
      const event = electronEvent({ url });
      contents.emit('will-navigate', event);
      expect(event.prevented, url).toBe(true);
    }
    expect(opened).toEqual([]);
  });

  it('hands an allowlisted page to the system browser, from a link or window.open, and still stays on Roster', () => {
    const page = 'https://docs.example.org/roster/security';
    const { contents, opened } = guarded(true, [page]);
    const event = electronEvent({ url: page });
    contents.emit('will-navigate', event);
    expect(event.prevented).toBe(true);
    expect(contents.windowOpenHandler?.({ url: page })).toEqual({ action: 'deny' });
    contents.emit('will-navigate', electronEvent({ url: 'https://docs.example.org/roster/other' }));
    expect(contents.windowOpenHandler?.({ url: 'http://docs.example.org/roster/security' })).toEqual({ action: 'deny' });
    expect(opened).toEqual([page, page]);
  });

  it('prevents subframe navigation and leaves the main frame to will-navigate', () => {
    const { contents } = guarded();
    const sub = electronEvent({ url: 'https://example.com/', isMainFrame: false });
    contents.emit('will-frame-navigate', sub);
    expect(sub.prevented).toBe(true);
    const main = electronEvent({ url: 'https://example.com/', isMainFrame: true });
    contents.emit('will-frame-navigate', main);
    expect(main.prevented).toBe(false);
  });

  it('prevents redirects', () => {
    const { contents } = guarded();
    const event = electronEvent({ url: 'https://example.com/' });
    contents.emit('will-redirect', event);
    expect(event.prevented).toBe(true);
  });

  it('denies every new window and opens nothing outside the allowlist', () => {
    const { contents, opened } = guarded();
    expect(contents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'about:blank' })).toEqual({ action: 'deny' });
    expect(opened).toEqual([]);
  });

  it('refuses to attach a webview', () => {
    const { contents } = guarded();
    const event = electronEvent({});
    contents.emit('will-attach-webview', event, {}, { src: 'https://example.com/' });
    expect(event.prevented).toBe(true);
  });

  it('cancels a Bluetooth device chooser instead of letting Electron pick the first device', () => {
    const { contents } = guarded();
    const event = electronEvent({});
    const chosen: string[] = [];
    contents.emit('select-bluetooth-device', event, [{ deviceId: 'aa:bb', deviceName: 'Keyboard' }], (id: string) => chosen.push(id));
    expect(event.prevented).toBe(true);
    expect(chosen).toEqual(['']);
  });

  it('closes DevTools at once in a packaged app, and leaves them open in development', () => {
    const packaged = guarded(true).contents;
    packaged.emit('devtools-opened');
    expect(packaged.devToolsClosed).toBe(1);
    const development = guarded(false).contents;
    development.emit('devtools-opened');
    expect(development.devToolsClosed).toBe(0);
  });
});
