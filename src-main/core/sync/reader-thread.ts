import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FieldDefinition } from '#shared/model/fields';
import type { RealmInput } from '#shared/model/realm';
import { RosterError, type AppError } from '#shared/result';
import type { SearchRequest } from '../ldap/search';
import type { LdapTarget } from '../ldap/session';
import type { DirectoryUser } from './mapping';

/*
 * Reading a whole realm in a worker thread. Decoding BER and mapping entries to DirectoryUsers is about a
 * fifth of an import's main-thread CPU; in a worker it runs on the other core while the main thread matches
 * and writes the previous page. Handing a mapped page over (structured clone) costs the main thread about a
 * seventh of decoding and mapping it there (measured on 100,000 AD-like entries: 0.18 s against 1.3-1.6 s).
 */

/** What the worker is given: where to read, what, and how to map it; `window` pages may wait unread in the main thread. */
export interface ReaderJob {
  target: LdapTarget;
  password: string | undefined;
  request: Omit<SearchRequest, 'signal'>;
  realm: RealmInput;
  fields: readonly FieldDefinition[];
  window: number;
}

/** Worker to main thread. */
export type FromReader =
  | { type: 'ready' }
  | { type: 'page'; users: DirectoryUser[] }
  | { type: 'done' }
  | { type: 'pong' }
  | { type: 'error'; error: { code?: AppError['code']; message: string; details?: AppError['details'] } };

/** Main thread to worker: one more page may be read ahead, stop, or say when everything before this is done. */
export type ToReader = { type: 'more' } | { type: 'abort' } | { type: 'ping' };

/** Pages the main thread may hold unprocessed: one being written, one waiting, as the in-thread import prefetched. */
const WINDOW = 2;

let bundledWorker: string | undefined;

/** The bundled build says where its reader worker is (Electron's main bundle); from source the .mjs loader is used. */
export function setReaderWorkerPath(path: string | undefined): void {
  bundledWorker = path;
}

/** Workers started, reads that fell back to this thread, and workers still running (for tests and diagnostics). */
export const readerStats = { started: 0, fellBack: 0, running: 0 };

const pongs = new Map<Worker, Array<() => void>>();

/**
 * Settles once every running reader has read as far ahead as the import lets it and waits for it to ask for
 * more (or has finished): every request it was going to send the directory for now, it has sent.
 */
export async function readersWaiting(): Promise<void> {
  await Promise.all(
    [...pongs.entries()].map(
      ([worker, waiting]) =>
        new Promise<void>((resolve) => {
          waiting.push(resolve);
          worker.postMessage({ type: 'ping' } satisfies ToReader);
        }),
    ),
  );
}

/** The worker's entry: the bundled file, or the tsx loader beside this source file; undefined when neither exists. */
function workerEntry(): string | URL | undefined {
  if (bundledWorker) return bundledWorker;
  if (!import.meta.url.endsWith('.ts')) return undefined;
  const loader = new URL('./reader-worker.mjs', import.meta.url);
  return existsSync(fileURLToPath(loader)) ? loader : undefined;
}

/** Thrown inside readInWorker when the worker could not start: the caller reads in this thread instead. */
class NoWorker extends Error {}

const toError = (error: Extract<FromReader, { type: 'error' }>['error']): Error =>
  error.code ? new RosterError(error.code, error.message, error.details) : new Error(error.message);

/**
 * Pages of DirectoryUsers read and mapped by a worker thread. When no worker can start (no worker entry in this
 * build, or it fails before it is running), `fallback` is read instead, so reading never depends on the worker.
 * Cancelling (`signal`) or leaving the loop early stops the worker and closes its connection.
 */
export async function* readInWorker(
  job: Omit<ReaderJob, 'window'>,
  fallback: () => AsyncIterable<DirectoryUser[]>,
  signal?: AbortSignal,
): AsyncGenerator<DirectoryUser[]> {
  const entry = workerEntry();
  let worker: Worker | undefined;
  try {
    if (entry) worker = new Worker(entry, { workerData: { ...job, window: WINDOW } satisfies ReaderJob });
  } catch {
    worker = undefined;
  }
  if (!worker) {
    readerStats.fellBack += 1;
    yield* fallback();
    return;
  }
  readerStats.started += 1;
  readerStats.running += 1;
  const running = worker;
  const inbox: FromReader[] = [];
  let wake: (() => void) | undefined;
  let ready = false;
  let finished = false;
  const deliver = (message: FromReader) => {
    inbox.push(message);
    wake?.();
  };
  pongs.set(worker, []);
  worker.on('message', (message: FromReader) => {
    if (message.type === 'ready') ready = true;
    else if (message.type === 'pong') pongs.get(running)?.shift()?.();
    else deliver(message);
  });
  worker.on('error', (error) => deliver({ type: 'error', error: { message: error.message } }));
  worker.on('exit', (code) => {
    readerStats.running -= 1;
    for (const resolve of pongs.get(running) ?? []) resolve();
    pongs.delete(running);
    if (!finished) deliver({ type: 'error', error: { message: `The directory reader stopped unexpectedly (exit code ${code}).` } });
  });
  const abort = () => running.postMessage({ type: 'abort' } satisfies ToReader);
  signal?.addEventListener('abort', abort, { once: true });
  if (signal?.aborted) abort();
  try {
    for (;;) {
      while (inbox.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const message = inbox.shift()!;
      if (message.type === 'page') {
        // Pages read ahead are not handed out once the reader was cancelled.
        if (signal?.aborted) throw new RosterError('cancelled', 'Cancelled.');
        running.postMessage({ type: 'more' } satisfies ToReader);
        yield message.users;
      } else if (message.type === 'done') {
        finished = true;
        return;
      } else if (message.type === 'error') {
        finished = true;
        // A worker that failed before it was running (its code could not load) is not the directory's failure.
        if (!ready) throw new NoWorker(message.error.message);
        throw toError(message.error);
      }
    }
  } catch (error) {
    if (!(error instanceof NoWorker)) throw error;
  } finally {
    finished = true;
    signal?.removeEventListener('abort', abort);
    await running.terminate();
  }
  readerStats.fellBack += 1;
  yield* fallback();
}
