import { parentPort, workerData } from 'node:worker_threads';
import { RosterError } from '#shared/result';
import { searchPages } from '../ldap/search';
import { withSession } from '../ldap/session';
import { directoryMapper } from './mapping';
import type { ReaderJob, ToReader, FromReader } from './reader-thread';

/*
 * The reading half of a whole-realm search, in a worker thread (see reader-thread.ts): binds, pages through the
 * search, decodes and maps each page to DirectoryUsers, and posts the pages. It reads ahead only as far as the
 * main thread has asked for (credits), so a slow store never makes it buffer the whole realm.
 */

const port = parentPort!;
const job = workerData as ReaderJob;
const controller = new AbortController();
let credits = job.window;
let wake: (() => void) | undefined;
// A ping is answered once this worker waits for the import (or has finished): it has read all it may for now.
let waiting = false;
let pinged = 0;

const post = (message: FromReader) => port.postMessage(message);
const answerPings = () => {
  for (; pinged > 0; pinged -= 1) post({ type: 'pong' });
};

port.on('message', (message: ToReader) => {
  if (message.type === 'ping') {
    pinged += 1;
    if (waiting) answerPings();
    return;
  }
  if (message.type === 'more') credits += 1;
  else controller.abort();
  wake?.();
});

try {
  post({ type: 'ready' });
  await withSession(
    job.target,
    job.password,
    async (session) => {
      const map = directoryMapper(job.realm, job.fields);
      for await (const page of searchPages(session, { ...job.request, signal: controller.signal })) {
        post({ type: 'page', users: page.map(map) });
        credits -= 1;
        while (credits <= 0 && !controller.signal.aborted) {
          waiting = true;
          answerPings();
          await new Promise<void>((resolve) => (wake = resolve));
          waiting = false;
        }
      }
    },
    controller.signal,
  );
  post({ type: 'done' });
} catch (error) {
  post({
    type: 'error',
    error:
      error instanceof RosterError
        ? { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) }
        : { message: error instanceof Error ? error.message : String(error) },
  });
}
waiting = true;
answerPings();
// The main thread ends the worker once it has the last message; nothing here needs to keep it alive.
port.unref();
