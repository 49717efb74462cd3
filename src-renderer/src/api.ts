import type { RosterApi } from '#shared/ipc/api';
import type { Channel, ChannelInput, ChannelOutput, EventMap, EventName } from '#shared/ipc/contract';
import type { Result } from '#shared/result';
// Every chunk calls through here: zod is set jitless in the shared chunk, before any other chunk builds a schema
// (main.tsx's own import runs only after the chunks it imports).
import './lib/zod-jitless';

declare global {
  interface Window {
    /** Provided by the preload (Electron) or the e2e host's bridge (HTTP); the renderer cannot tell which. */
    roster: RosterApi;
  }
}

/** The only module that touches window.roster: calls a channel and returns its Result. */
export function call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>> {
  return window.roster.invoke(channel, input);
}

/** Subscribes to a push event from main; returns the unsubscribe function. */
export function subscribe<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
  return window.roster.on(event, listener);
}
