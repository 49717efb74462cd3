import { resolve } from 'node:path';
import type { WebPreferences } from 'electron';

/** The built sandboxed preload, beside the built main process (out/main → out/preload). */
export function preloadPath(mainDir: string): string {
  return resolve(mainDir, '../preload/index.cjs');
}

/**
 * The main window's web preferences: an isolated, sandboxed renderer without Node, with web security and
 * no experimental or legacy surface; DevTools only in an unpackaged (development) app. Every value is
 * spelled out, so a change of Electron's defaults changes nothing here.
 */
export function mainWindowWebPreferences(options: { preload: string; packaged: boolean }): WebPreferences {
  return {
    preload: options.preload,
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
    devTools: !options.packaged,
    spellcheck: false,
  };
}
