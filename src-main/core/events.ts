import type { EventMap, EventName } from '#shared/ipc/contract';

type Listener = <E extends EventName>(event: E, payload: EventMap[E]) => void;

/** Push events from the services to whatever transport shows them (IPC to windows, SSE in the e2e host). */
export class AppEvents {
  private readonly listeners = new Set<Listener>();

  /** Sends an event to every listener; a failing listener does not stop the others. */
  emit<E extends EventName>(event: E, payload: EventMap[E]): void {
    for (const listener of this.listeners) {
      try {
        listener(event, payload);
      } catch {
        // A closed window or stream must not break the service that emitted.
      }
    }
  }

  /** Listens to every event; returns the unsubscribe function. */
  onAny(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
