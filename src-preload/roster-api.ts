import type { IpcRenderer, IpcRendererEvent } from 'electron';
import type { RosterApi } from '#shared/ipc/api';
import { isChannel, isEventName } from '#shared/ipc/channels';

/** The part of ipcRenderer the window's API is built on. */
export type RendererIpc = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;

/**
 * `window.roster`: invoke a known channel, listen to a known event — nothing else. A listener gets the
 * payload alone, never Electron's event (whose `sender` is ipcRenderer itself).
 */
export function createRosterApi(ipc: RendererIpc): RosterApi {
  return {
    invoke: (channel, input) => {
      if (!isChannel(channel)) return Promise.resolve({ ok: false, error: { code: 'invalid-input', message: `Unknown channel ${String(channel)}.` } });
      return ipc.invoke(channel, input);
    },
    on: (event, listener) => {
      if (!isEventName(event)) return () => undefined;
      const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload as never);
      ipc.on(event, wrapped);
      return () => void ipc.removeListener(event, wrapped);
    },
  };
}
