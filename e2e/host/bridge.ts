/**
 * The browser side of the HTTP transport, served as /__roster-bridge.js: defines `window.roster` with the
 * same shape the Electron preload exposes, so the renderer runs unchanged. Plain ES2020, no imports.
 */
export function bridgeScript(token: string): string {
  return `(() => {
  const token = ${JSON.stringify(token)};
  const listeners = new Map();
  let source;
  const ensureEvents = () => {
    if (source) return;
    source = new EventSource('/__events?token=' + encodeURIComponent(token));
    source.onmessage = (message) => {
      const { event, payload } = JSON.parse(message.data);
      for (const listener of listeners.get(event) || []) listener(payload);
    };
  };
  window.roster = Object.freeze({
    invoke: async (channel, input) => {
      try {
        const response = await fetch('/__rpc/' + encodeURIComponent(channel), {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-roster-token': token },
          body: JSON.stringify(input === undefined ? {} : input),
        });
        return await response.json();
      } catch (error) {
        return { ok: false, error: { code: 'internal', message: 'The Roster back end did not answer: ' + error } };
      }
    },
    on: (event, listener) => {
      ensureEvents();
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event).add(listener);
      return () => listeners.get(event).delete(listener);
    },
  });
})();
`;
}
