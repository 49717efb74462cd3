import { readFile, realpath } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** The tag put first in <head>: the bridge must define window.roster before the app's module script runs. */
export const BRIDGE_TAG = '<script src="/__roster-bridge.js"></script>';

/** A file to send, or the status to answer instead. */
export type StaticAnswer = { status: 200; type: string; body: Buffer | string; page: boolean } | { status: 403 | 404 };

/** Whether `path` is `root` itself or inside it. */
const inside = (root: string, path: string) => path.startsWith(root + sep);

/**
 * Finds a file of the built renderer for a URL path (already percent-decoded). Anything resolving outside
 * the folder, through `..` or a symbolic link, is refused; index.html gets the bridge tag.
 */
export async function staticFile(rendererDir: string, path: string): Promise<StaticAnswer> {
  const root = resolve(rendererDir);
  const file = resolve(root, `.${path === '/' ? '/index.html' : path}`);
  if (!inside(root, file) || path.includes('\0')) return { status: 403 };
  let body: Buffer;
  try {
    if (!inside(await realpath(root), await realpath(file))) return { status: 403 };
    body = await readFile(file);
  } catch {
    return { status: 404 };
  }
  const type = MIME[extname(file)] ?? 'application/octet-stream';
  if (file !== resolve(root, 'index.html')) return { status: 200, type, body, page: false };
  const html = body.toString('utf8');
  if (!html.includes('<head>')) throw new Error(`${file} has no <head> to put the bridge in.`);
  return { status: 200, type, body: html.replace('<head>', `<head>\n    ${BRIDGE_TAG}`), page: true };
}
