import { fileURLToPath } from 'node:url';
import type { RendererEntry } from './renderer-entry';

/** What the IPC layer knows about the frame that sent a message. */
export interface SenderFrame {
  /** The frame's URL as Chromium reports it (`event.senderFrame.url`); missing when the frame is gone. */
  url: string | undefined;
  /** True for the window's top-level frame; iframes are never trusted. */
  isMainFrame: boolean;
}

/**
 * Only the page the window loaded may call main: the built `index.html` itself (same file, no query, any
 * in-page #fragment) or, in development, a page of the dev server's origin — and only in the main frame.
 */
export function isTrustedSender(frame: SenderFrame, entry: RendererEntry): boolean {
  if (!frame.isMainFrame || !frame.url || !URL.canParse(frame.url)) return false;
  const url = new URL(frame.url);
  if (entry.kind === 'dev') return url.origin === entry.origin;
  // A query never comes from the window's own load; a fragment is in-page state of the same document, so it
  // is allowed. filePath refuses any other scheme, a host (a network share) and encoded slashes.
  if (url.search !== '') return false;
  const path = filePath(url);
  // Windows paths are case-insensitive and Chromium upper-cases the drive letter: compare without case there.
  return process.platform === 'win32' ? path?.toLowerCase() === entry.path.toLowerCase() : path === entry.path;
}

/** The local file a file: URL names, with percent-escapes and dot segments resolved; undefined when it names none. */
function filePath(url: URL): string | undefined {
  try {
    return fileURLToPath(url);
  } catch {
    // Not a file: URL, encoded slashes, or a host on a platform without UNC paths.
    return undefined;
  }
}
