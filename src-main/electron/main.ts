import { app, BrowserWindow, dialog, ipcMain, Menu, session, shell } from 'electron';
import { dataDirFlag, resolveDataDir } from '../core/paths';
import { setReaderWorkerPath } from '../core/sync/reader-thread';
import readerWorkerPath from '../core/sync/reader-worker.ts?modulePath';
import { openServices, type Services } from '../core/services';
import { RosterError } from '#shared/result';
import { createHandlers, type DesktopShell } from '../handlers';
import { debugAccessMessage, forbiddenDebugAccess } from './debug-switches';
import { registerIpc, sendEvent } from './ipc';
import { rendererEntry } from './renderer-entry';
import { createElectronSecretStore } from './safe-storage-secrets';
import { hardenShell } from './shell-hardening';
import { createMainWindow } from './window';

// Imports read a whole realm in a worker thread; the bundle builds that worker as a file of its own.
setReaderWorkerPath(readerWorkerPath);

// What the window loads and the only page IPC trusts; ELECTRON_RENDERER_URL is ignored once packaged.
const entry = rendererEntry({ packaged: app.isPackaged, devServerUrl: process.env.ELECTRON_RENDERER_URL, mainDir: import.meta.dirname });
let services: Services | undefined;

// A packaged Roster never runs open to a debugger (it holds directory passwords); then one instance per user:
// a second launch focuses the first instead of opening the store twice.
const debugAccess = forbiddenDebugAccess(process.argv, process.env, app.isPackaged);
if (debugAccess.length > 0) {
  dialog.showErrorBox('Roster cannot start', debugAccessMessage(debugAccess));
  app.exit(1);
} else if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const win = BrowserWindow.getAllWindows()[0];
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.whenReady().then(start, (error: unknown) => fatal(error));
}

async function start(): Promise<void> {
  hardenShell(app, session.defaultSession, {
    platform: process.platform,
    // Only allowlisted https pages reach here (open-external.ts); a failure to open one is not fatal.
    openExternal: (url) => void shell.openExternal(url).catch(() => undefined),
    setMenu: (template) => Menu.setApplicationMenu(Menu.buildFromTemplate(template)),
  });
  const dataDir = resolveDataDir(dataDirFlag(process.argv));
  try {
    services = await openServices({
      dataDir,
      owner: 'the Roster app',
      transport: 'electron',
      secrets: createElectronSecretStore(dataDir),
      version: app.getVersion(),
    });
  } catch (error) {
    fatal(error);
    return;
  }
  // The list's first query (slots, markers, the saved sort) is done ahead, while the window loads.
  const opened = services;
  setImmediate(() => opened.users.engine.warm(opened.store.data.prefs.usersSort));
  registerIpc(ipcMain, createHandlers(services, desktopShell), entry);
  services.events.onAny((event, payload) => {
    for (const win of BrowserWindow.getAllWindows()) sendEvent(win.webContents, event, payload);
  });
  createMainWindow(entry, app.isPackaged);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow(entry, app.isPackaged);
  });
}

/** The file manager and native file dialogs, for exports and returned sheets. */
const desktopShell: DesktopShell = {
  showInFolder: (path) => shell.showItemInFolder(path),
  async choosePath({ mode, defaultPath, extensions }) {
    const win = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
    const filters = extensions.length ? [{ name: `${extensions.map((e) => e.toUpperCase()).join(', ')} files`, extensions }] : [];
    const options = { ...(defaultPath ? { defaultPath } : {}), filters };
    if (mode === 'save') {
      const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? undefined : result.filePath;
    }
    const open = { ...options, properties: ['openFile' as const] };
    const result = win ? await dialog.showOpenDialog(win, open) : await dialog.showOpenDialog(open);
    return result.canceled ? undefined : result.filePaths[0];
  },
};

function fatal(error: unknown): void {
  const message = error instanceof RosterError || error instanceof Error ? error.message : String(error);
  dialog.showErrorBox('Roster cannot start', message);
  app.exit(1);
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', (event) => {
  if (!services) return;
  // Flush pending writes and release the data-folder lock before exiting.
  event.preventDefault();
  const closing = services;
  services = undefined;
  void closing.close().finally(() => app.quit());
});
