import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { CHANNELS, type EventMap, type EventName } from '../../src-shared/ipc/contract';
import { dispatch, type HandlerTable } from '../handlers';

/** The renderer is loaded from the app's own files (or the dev server); nothing else may call main. */
export function isTrustedSender(event: IpcMainInvokeEvent, devServerUrl: string | undefined): boolean {
  const url = event.senderFrame?.url;
  if (!url) return false;
  if (url.startsWith('file://')) return true;
  return devServerUrl !== undefined && new URL(url).origin === new URL(devServerUrl).origin;
}

/** Registers the handler table on ipcMain, one `handle()` per channel, behind the sender check. */
export function registerIpc(table: HandlerTable, devServerUrl: string | undefined): void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (event, input: unknown) => {
      if (!isTrustedSender(event, devServerUrl)) return { ok: false, error: { code: 'forbidden', message: 'Untrusted sender.' } };
      return dispatch(table, channel, input);
    });
  }
}

/** Pushes an event to a window (progress, changes). */
export function sendEvent<E extends EventName>(target: WebContents, event: E, payload: EventMap[E]): void {
  if (!target.isDestroyed()) target.send(event, payload);
}
