import type { Result } from '../result';
import type { Channel, ChannelInput, ChannelOutput, EventMap, EventName } from './contract';

/** The API a window sees as `window.roster`, whatever the transport (Electron IPC or the e2e HTTP host). */
export interface RosterApi {
  invoke<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>>;
  /** Subscribes to a push event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
}
