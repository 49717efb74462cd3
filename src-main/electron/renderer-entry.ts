import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Where the window's page comes from: the built `index.html` on disk, or the dev server in development. */
export type RendererEntry = { kind: 'file'; path: string; url: string } | { kind: 'dev'; url: string; origin: string };

/** The built renderer's `index.html`, beside the built main process (out/main → out/renderer). */
export function rendererIndexPath(mainDir: string): string {
  return resolve(mainDir, '../renderer/index.html');
}

/**
 * Decides what the window loads — and so the only page IPC trusts. `ELECTRON_RENDERER_URL` counts only in
 * an unpackaged app: a packaged Roster always loads its own file, whatever the environment says.
 */
export function rendererEntry(options: { packaged: boolean; devServerUrl: string | undefined; mainDir: string }): RendererEntry {
  const dev = options.packaged ? undefined : devServerOrigin(options.devServerUrl);
  if (dev) return { kind: 'dev', url: options.devServerUrl as string, origin: dev };
  const path = rendererIndexPath(options.mainDir);
  return { kind: 'file', path, url: pathToFileURL(path).href };
}

/** The dev server's origin when the URL is an http(s) URL; anything else is not a dev server. */
function devServerOrigin(url: string | undefined): string | undefined {
  if (!url || !URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : undefined;
}
