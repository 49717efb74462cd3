import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { RosterApi } from '../src-shared/ipc/api';
import { isChannel, isEventName } from '../src-shared/ipc/channels';

// The window gets exactly this: invoke a known channel, listen to a known event. No ipcRenderer, no Node.
const api: RosterApi = {
  invoke: (channel, input) => {
    if (!isChannel(channel)) return Promise.resolve({ ok: false, error: { code: 'invalid-input', message: `Unknown channel ${String(channel)}.` } });
    return ipcRenderer.invoke(channel, input);
  },
  on: (event, listener) => {
    if (!isEventName(event)) return () => undefined;
    const wrapped = (_e: IpcRendererEvent, payload: unknown) => listener(payload as never);
    ipcRenderer.on(event, wrapped);
    return () => ipcRenderer.removeListener(event, wrapped);
  },
};

contextBridge.exposeInMainWorld('roster', api);
