import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { describe, expect, it } from 'vitest';
import { CHANNELS } from '#shared/ipc/contract';
import type { HandlerTable } from '../handlers';
import { registerIpc, UNTRUSTED_SENDER } from './ipc';
import { rendererEntry } from './renderer-entry';

const entry = rendererEntry({ packaged: true, devServerUrl: undefined, mainDir: '/opt/Roster/out/main' });
const indexUrl = 'file:///opt/Roster/out/renderer/index.html';

/** ipcMain as registerIpc sees it: the listeners it registered, per channel. */
function registered() {
  const listeners = new Map<string, (event: IpcMainInvokeEvent, input: unknown) => unknown>();
  const ipc: Pick<IpcMain, 'handle'> = { handle: (channel, listener) => void listeners.set(channel, listener) };
  // Every handler records that it ran; the sender check must stop a call before this.
  const calls: string[] = [];
  const table = new Proxy({} as HandlerTable, {
    get: (_table, channel) => async () => {
      calls.push(String(channel));
      return 'ran';
    },
  });
  registerIpc(ipc, table, entry);
  const invoke = (channel: string, frame: { url: string; parent: object | null } | null, input: unknown = {}) =>
    listeners.get(channel)!({ senderFrame: frame } as unknown as IpcMainInvokeEvent, input);
  return { listeners, calls, invoke };
}

describe('IPC registration', () => {
  it('registers every channel of the contract', () => {
    expect([...registered().listeners.keys()]).toEqual([...CHANNELS]);
  });

  it("runs the handler for the app's own page in the main frame", async () => {
    const { calls, invoke } = registered();
    expect(await invoke('app:info', { url: indexUrl, parent: null })).toEqual({ ok: true, value: 'ran' });
    expect(calls).toEqual(['app:info']);
  });

  it('answers forbidden, without running the handler, to another page, a subframe or a vanished frame', async () => {
    const { calls, invoke } = registered();
    expect(await invoke('app:info', { url: 'file:///tmp/x.html', parent: null })).toEqual(UNTRUSTED_SENDER);
    expect(await invoke('realms:list', { url: indexUrl, parent: { url: indexUrl } })).toEqual(UNTRUSTED_SENDER);
    expect(await invoke('prefs:get', null)).toEqual(UNTRUSTED_SENDER);
    expect(UNTRUSTED_SENDER).toEqual({ ok: false, error: { code: 'forbidden', message: 'Untrusted sender.' } });
    expect(calls).toEqual([]);
  });
});
