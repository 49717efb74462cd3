import { CHANNEL_NAMES, EVENT_NAMES } from '#shared/ipc/channels';
import { TOKEN_HEADER } from './security';

/** Where the page keeps the token between reloads of the same tab (never in the address bar after the first load). */
export const TOKEN_STORAGE_KEY = 'roster.token';

/** What a page without the token is told; also what a refused token says (a restarted server has a new one). */
export const NO_TOKEN_MESSAGE = 'This page has no access key for Roster: open the address printed by roster serve (or npm start), the one ending in ?token=…';
export const REFUSED_TOKEN_MESSAGE =
  'Roster refused this page: it was started again since the page was opened. Open the address it printed last (roster serve or npm start).';

/**
 * The browser side of the loopback transport, served as /__roster-bridge.js: defines `window.roster` with the
 * shape the Electron preload exposes, so the renderer runs unchanged. Plain ES2020, no imports, no token:
 * the page takes the token from `?token=` on its first load, keeps it in sessionStorage so a reload works,
 * and takes it out of the address bar at once. The token only ever travels in a request header.
 */
export function bridgeScript(): string {
  return `(() => {
  'use strict';
  const KEY = ${JSON.stringify(TOKEN_STORAGE_KEY)};
  const HEADER = ${JSON.stringify(TOKEN_HEADER)};
  const CHANNELS = new Set(${JSON.stringify(CHANNEL_NAMES)});
  const EVENTS = new Set(${JSON.stringify(EVENT_NAMES)});
  const NO_TOKEN = ${JSON.stringify(NO_TOKEN_MESSAGE)};
  const REFUSED = ${JSON.stringify(REFUSED_TOKEN_MESSAGE)};

  const here = new URL(window.location.href);
  let token = null;
  try {
    token = window.sessionStorage.getItem(KEY);
  } catch (error) {
    // Storage disabled: the token lives as long as this page, a reload needs the printed address again.
  }
  const given = here.searchParams.get('token');
  if (here.searchParams.has('token')) {
    if (given) {
      token = given;
      try {
        window.sessionStorage.setItem(KEY, given);
      } catch (error) {
        // See above.
      }
    }
    here.searchParams.delete('token');
    window.history.replaceState(window.history.state, '', here.pathname + here.search + here.hash);
  }

  const failure = (code, message) => ({ ok: false, error: { code, message } });
  const listeners = new Map();
  let streaming = false;
  let refused = false;

  const deliver = (frame) => {
    const data = frame
      .split('\\n')
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).replace(/^ /, ''))
      .join('\\n');
    if (!data) return;
    let message;
    try {
      message = JSON.parse(data);
    } catch (error) {
      return;
    }
    for (const listener of Array.from(listeners.get(message.event) || [])) {
      try {
        listener(message.payload);
      } catch (error) {
        setTimeout(() => {
          throw error;
        });
      }
    }
  };

  // fetch, not EventSource: EventSource cannot send a header, and the token must never be in a URL.
  const readEvents = async () => {
    const response = await fetch('/__events', { headers: { [HEADER]: token }, cache: 'no-store', credentials: 'omit' });
    if (response.status === 403) {
      refused = true;
      return;
    }
    if (!response.ok || !response.body) return;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffered = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffered += decoder.decode(value, { stream: true }).replace(/\\r\\n?/g, '\\n');
      let end;
      while ((end = buffered.indexOf('\\n\\n')) >= 0) {
        deliver(buffered.slice(0, end));
        buffered = buffered.slice(end + 2);
      }
    }
  };

  // Reconnects with a short back-off while the page is open (the server may be restarting); a refused
  // token is final for this page.
  const streamEvents = async () => {
    let pause = 250;
    while (!refused) {
      const started = Date.now();
      try {
        await readEvents();
      } catch (error) {
        // The server went away; try again below.
      }
      if (refused) return;
      if (Date.now() - started > 10000) pause = 250;
      await new Promise((wake) => setTimeout(wake, pause));
      pause = Math.min(pause * 2, 5000);
    }
  };

  const ensureEvents = () => {
    if (streaming || !token) return;
    streaming = true;
    void streamEvents();
  };

  window.roster = Object.freeze({
    invoke: async (channel, input) => {
      if (typeof channel !== 'string' || !CHANNELS.has(channel)) return failure('invalid-input', 'Unknown channel ' + String(channel) + '.');
      if (!token) return failure('forbidden', NO_TOKEN);
      let response;
      try {
        response = await fetch('/__rpc/' + encodeURIComponent(channel), {
          method: 'POST',
          headers: { 'content-type': 'application/json', [HEADER]: token },
          body: JSON.stringify(input === undefined ? {} : input),
          cache: 'no-store',
          credentials: 'omit',
        });
      } catch (error) {
        return failure('internal', 'The Roster back end did not answer (is roster serve or npm start still running?): ' + error);
      }
      if (response.status === 403) return failure('forbidden', REFUSED);
      if (!response.ok) return failure('internal', 'The Roster back end answered HTTP ' + response.status + ': ' + (await response.text()));
      try {
        return await response.json();
      } catch (error) {
        return failure('internal', 'The Roster back end sent an answer that is not JSON: ' + error);
      }
    },
    on: (event, listener) => {
      if (typeof event !== 'string' || !EVENTS.has(event)) return () => undefined;
      ensureEvents();
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event).add(listener);
      return () => void listeners.get(event).delete(listener);
    },
  });
})();
`;
}
