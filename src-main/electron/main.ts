import { app, BrowserWindow, dialog, session, shell } from 'electron';
import { dataDirFlag, resolveDataDir } from '../core/paths';
import { openServices, type Services } from '../core/services';
import { RosterError } from '../../src-shared/result';
import { createHandlers, type DesktopShell } from '../handlers';
import { registerIpc, sendEvent } from './ipc';
import { createElectronSecretStore } from './safe-storage-secrets';
import { createMainWindow } from './window';

const devServerUrl = process.env.ELECTRON_RENDERER_URL;
let services: Services | undefined;

// One instance per user: a second launch focuses the first instead of opening the store twice.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const win = BrowserWindow.getAllWindows()[0];
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  app.whenReady().then(start, (error: unknown) => fatal(error));
}

async function start(): Promise<void> {
  // Deny every permission request (camera, notifications, …): Roster needs none.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
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
  registerIpc(createHandlers(services, desktopShell), devServerUrl);
  services.events.onAny((event, payload) => {
    for (const win of BrowserWindow.getAllWindows()) sendEvent(win.webContents, event, payload);
  });
  createMainWindow(devServerUrl);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow(devServerUrl);
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
