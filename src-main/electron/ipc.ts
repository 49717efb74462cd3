import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { CHANNELS, type EventMap, type EventName } from '#shared/ipc/contract';
import { dispatch, type HandlerTable } from '../handlers';
import type { RendererEntry } from './renderer-entry';
import { isTrustedSender } from './trusted-sender';

/** The answer to a call from any frame but the window's own page; the handler is never reached. */
export const UNTRUSTED_SENDER = { ok: false, error: { code: 'forbidden', message: 'Untrusted sender.' } } as const;

/**
 * Registers the handler table on ipcMain, one `handle()` per channel, behind the sender check: only the
 * main frame of the page the window loaded (`entry`) may call.
 */
export function registerIpc(ipc: Pick<IpcMain, 'handle'>, table: HandlerTable, entry: RendererEntry): void {
  for (const channel of CHANNELS) {
    ipc.handle(channel, (event: IpcMainInvokeEvent, input: unknown) => {
      // senderFrame is null once the frame has navigated away or been destroyed.
      const frame = event.senderFrame;
      if (!frame || !isTrustedSender({ url: frame.url, isMainFrame: frame.parent === null }, entry)) return UNTRUSTED_SENDER;
      return dispatch(table, channel, input);
    });
  }
}

/** Pushes an event to a window (progress, changes). */
export function sendEvent<E extends EventName>(target: WebContents, event: E, payload: EventMap[E]): void {
  if (!target.isDestroyed()) target.send(event, payload);
}
