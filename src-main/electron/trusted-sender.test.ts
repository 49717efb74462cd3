import { describe, expect, it } from 'vitest';
import { rendererEntry, rendererIndexPath } from './renderer-entry';
import { isTrustedSender } from './trusted-sender';

// Where a packaged Roster's main process runs from; the window loads ../renderer/index.html beside it.
const mainDir = '/opt/Roster/resources/app.asar/out/main';
const indexUrl = 'file:///opt/Roster/resources/app.asar/out/renderer/index.html';
const devServerUrl = 'http://localhost:5173';
const packagedEntry = rendererEntry({ packaged: true, devServerUrl: undefined, mainDir });
const devEntry = rendererEntry({ packaged: false, devServerUrl, mainDir });

const mainFrame = (url: string | undefined) => ({ url, isMainFrame: true });

describe('the page the window loads', () => {
  it('is the built index.html beside the main bundle, as a file URL', () => {
    expect(rendererIndexPath(mainDir)).toBe('/opt/Roster/resources/app.asar/out/renderer/index.html');
    expect(packagedEntry).toEqual({ kind: 'file', path: '/opt/Roster/resources/app.asar/out/renderer/index.html', url: indexUrl });
  });

  it('is the dev server in an unpackaged app started with ELECTRON_RENDERER_URL', () => {
    expect(devEntry).toEqual({ kind: 'dev', url: devServerUrl, origin: 'http://localhost:5173' });
  });

  it('ignores ELECTRON_RENDERER_URL in a packaged app', () => {
    expect(rendererEntry({ packaged: true, devServerUrl, mainDir })).toEqual(packagedEntry);
  });

  it('ignores an ELECTRON_RENDERER_URL that is not an http(s) URL', () => {
    for (const url of ['file:///tmp/x.html', 'javascript:alert(1)', 'data:text/html,x', 'not a url', '']) {
      expect(rendererEntry({ packaged: false, devServerUrl: url, mainDir })).toEqual(packagedEntry);
    }
  });

  it('escapes characters of the install folder the way a file URL must', () => {
    const entry = rendererEntry({ packaged: true, devServerUrl: undefined, mainDir: '/home/ann/My Apps/Roster #2 100%/out/main' });
    expect(entry).toEqual({
      kind: 'file',
      path: '/home/ann/My Apps/Roster #2 100%/out/renderer/index.html',
      url: 'file:///home/ann/My%20Apps/Roster%20%232%20100%25/out/renderer/index.html',
    });
    expect(isTrustedSender(mainFrame(entry.url), entry)).toBe(true);
  });
});

describe('IPC sender check, packaged app', () => {
  it("accepts the app's own index.html in the main frame", () => {
    expect(isTrustedSender(mainFrame(indexUrl), packagedEntry)).toBe(true);
  });

  it('refuses the same page in a subframe', () => {
    expect(isTrustedSender({ url: indexUrl, isMainFrame: false }, packagedEntry)).toBe(false);
  });

  it('refuses any other local page', () => {
    for (const url of [
      'file:///tmp/x.html',
      'file:///tmp/out/renderer/index.html',
      'file:///opt/Roster/resources/app.asar/out/renderer/index.htm',
      'file:///opt/Roster/resources/app.asar/out/renderer/INDEX.html',
      'file:///opt/Roster/resources/app.asar/out/renderer/',
      'file:///opt/Roster/resources/app.asar/out/renderer/assets/index.html',
    ]) {
      expect(isTrustedSender(mainFrame(url), packagedEntry), url).toBe(false);
    }
  });

  it('refuses a path-traversal look-alike, however its dots are spelled', () => {
    for (const url of [
      'file:///opt/Roster/resources/app.asar/out/renderer/../evil/index.html',
      'file:///opt/Roster/resources/app.asar/out/renderer/%2e%2e/evil/index.html',
      'file:///opt/Roster/resources/app.asar/out/renderer/.%2E/evil/index.html',
      'file:///tmp/evil/../../opt/Roster/resources/app.asar/out/renderer/x/../../evil/index.html',
    ]) {
      expect(isTrustedSender(mainFrame(url), packagedEntry), url).toBe(false);
    }
  });

  it('resolves dot segments as Chromium does: only the file they name counts', () => {
    expect(isTrustedSender(mainFrame('file:///opt/Roster/resources/app.asar/out/renderer/./index.html'), packagedEntry)).toBe(true);
    expect(isTrustedSender(mainFrame('file:///opt/Roster/resources/app.asar/out/evil/../renderer/index.html'), packagedEntry)).toBe(true);
  });

  it('refuses an encoded slash and a file URL with a host (a network share)', () => {
    expect(isTrustedSender(mainFrame('file:///opt/Roster/resources/app.asar/out%2Frenderer%2Findex.html'), packagedEntry)).toBe(false);
    expect(isTrustedSender(mainFrame('file://evil.example/opt/Roster/resources/app.asar/out/renderer/index.html'), packagedEntry)).toBe(false);
  });

  it('refuses the page with a query (the window never adds one) and accepts an in-page #fragment', () => {
    expect(isTrustedSender(mainFrame(`${indexUrl}?x`), packagedEntry)).toBe(false);
    expect(isTrustedSender(mainFrame(`${indexUrl}?`), packagedEntry)).toBe(true);
    expect(isTrustedSender(mainFrame(`${indexUrl}#hash`), packagedEntry)).toBe(true);
    expect(isTrustedSender(mainFrame(`${indexUrl}?x#hash`), packagedEntry)).toBe(false);
  });

  it('refuses the dev server, even when ELECTRON_RENDERER_URL names it', () => {
    const entry = rendererEntry({ packaged: true, devServerUrl, mainDir });
    expect(isTrustedSender(mainFrame('http://localhost:5173/'), entry)).toBe(false);
    expect(isTrustedSender(mainFrame(indexUrl), entry)).toBe(true);
  });

  it('refuses web pages, opaque URLs and a frame without a URL', () => {
    for (const url of [
      'https://example.com/index.html',
      'http://localhost:5173/',
      'about:blank',
      'data:text/html,<script>x</script>',
      'blob:null/1234',
      'devtools://devtools/bundled/index.html',
      '',
      'index.html',
      undefined,
    ]) {
      expect(isTrustedSender(mainFrame(url), packagedEntry), String(url)).toBe(false);
    }
  });
});

describe('IPC sender check, development (unpackaged, dev server)', () => {
  it("accepts the dev server's origin in the main frame", () => {
    expect(isTrustedSender(mainFrame('http://localhost:5173/'), devEntry)).toBe(true);
    expect(isTrustedSender(mainFrame('http://localhost:5173/index.html#users'), devEntry)).toBe(true);
  });

  it('refuses the dev server in a subframe, and any other origin', () => {
    expect(isTrustedSender({ url: 'http://localhost:5173/', isMainFrame: false }, devEntry)).toBe(false);
    for (const url of [
      'http://localhost:5174/',
      'https://localhost:5173/',
      'http://127.0.0.1:5173/',
      'http://localhost.evil.example:5173/',
      'http://localhost:5173@evil.example/',
    ]) {
      expect(isTrustedSender(mainFrame(url), devEntry), url).toBe(false);
    }
  });

  it('refuses local files while the window shows the dev server', () => {
    expect(isTrustedSender(mainFrame(indexUrl), devEntry)).toBe(false);
    expect(isTrustedSender(mainFrame('file:///tmp/x.html'), devEntry)).toBe(false);
  });
});
