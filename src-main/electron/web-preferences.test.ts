import { describe, expect, it } from 'vitest';
import { mainWindowWebPreferences, preloadPath } from './web-preferences';

const preload = preloadPath('/opt/Roster/resources/app.asar/out/main');

describe('main window web preferences', () => {
  it('load the built sandboxed preload beside the main bundle', () => {
    expect(preload).toBe('/opt/Roster/resources/app.asar/out/preload/index.cjs');
  });

  it('isolate and sandbox the renderer, without Node, experimental features or legacy surface; no DevTools when packaged', () => {
    // Exact: a preference added or dropped must be a reviewed change to this test.
    expect(mainWindowWebPreferences({ preload, packaged: true })).toEqual({
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      plugins: false,
      enableWebSQL: false,
      enableDeprecatedPaste: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      devTools: false,
      spellcheck: false,
    });
  });

  it('allow DevTools only in an unpackaged (development) app, and change nothing else', () => {
    const packaged = mainWindowWebPreferences({ preload, packaged: true });
    const development = mainWindowWebPreferences({ preload, packaged: false });
    expect(development).toEqual({ ...packaged, devTools: true });
  });

  it('enable no Blink feature and pass no extra renderer arguments', () => {
    const prefs = mainWindowWebPreferences({ preload, packaged: true });
    expect(prefs.enableBlinkFeatures).toBeUndefined();
    expect(prefs.additionalArguments).toBeUndefined();
  });
});
