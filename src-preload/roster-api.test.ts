import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createRosterApi, type RendererIpc } from './roster-api';

/** ipcRenderer as the preload uses it: real listeners on an emitter, invocations recorded. */
function ipc() {
  const emitter = new EventEmitter();
  const invoked: [string, unknown][] = [];
  const renderer: RendererIpc = {
    invoke: async (channel: string, input: unknown) => {
      invoked.push([channel, input]);
      return { ok: true, value: 'from main' };
    },
    on: (channel, listener) => {
      emitter.on(channel, listener);
      return renderer as never;
    },
    removeListener: (channel, listener) => {
      emitter.removeListener(channel, listener);
      return renderer as never;
    },
  };
  return { emitter, invoked, api: createRosterApi(renderer) };
}

describe('window.roster (preload)', () => {
  it('invokes a channel of the contract', async () => {
    const { invoked, api } = ipc();
    expect(await api.invoke('realms:list', {})).toEqual({ ok: true, value: 'from main' });
    expect(invoked).toEqual([['realms:list', {}]]);
  });

  it('refuses any other channel without sending it to main', async () => {
    const { invoked, api } = ipc();
    for (const channel of ['ELECTRON_BROWSER_REQUIRE', 'realms:list ', '__proto__', 'constructor']) {
      expect(await api.invoke(channel as never, {} as never)).toEqual({ ok: false, error: { code: 'invalid-input', message: `Unknown channel ${channel}.` } });
    }
    expect(invoked).toEqual([]);
  });

  it("hands a listener the payload alone, never Electron's event", () => {
    const { emitter, api } = ipc();
    const received: unknown[][] = [];
    const stop = api.on('users:changed', (...args: unknown[]) => void received.push(args));
    const sender = { send: () => undefined };
    emitter.emit('users:changed', { sender, senderFrame: null }, { ids: ['u1'] });
    expect(received).toEqual([[{ ids: ['u1'] }]]);
    stop();
    emitter.emit('users:changed', { sender }, { ids: ['u2'] });
    expect(received).toHaveLength(1);
    expect(emitter.listenerCount('users:changed')).toBe(0);
  });

  it('subscribes to no event outside the contract', () => {
    const { emitter, api } = ipc();
    const stop = api.on('ELECTRON_INTERNAL' as never, () => undefined);
    expect(emitter.eventNames()).toEqual([]);
    expect(stop()).toBeUndefined();
  });
});
