import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';

const __dirname = dirname(fileURLToPath(import.meta.url));

/**
 * Vite's dev server injects each stylesheet as a <style> element, which the renderer's CSP (style-src 'self')
 * blocks. The dev page alone allows inline styles; the built page keeps the strict policy (csp.test.ts).
 */
const devServerInlineStyles = (): Plugin => ({
  name: 'roster:dev-server-inline-styles',
  apply: 'serve',
  transformIndexHtml(html) {
    if (!html.includes("style-src 'self';")) throw new Error("index.html's CSP has no \"style-src 'self';\" for the dev server to relax.");
    return html.replace("style-src 'self';", "style-src 'self' 'unsafe-inline';");
  },
});

// Electron is a thin shell: main bundles the core (lowdb and steno are ESM-only, so they are bundled in);
// the sandboxed preload must be CommonJS; the renderer is a plain web build the e2e host can serve too.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: { exclude: ['lowdb', 'steno'] },
      rollupOptions: { input: { index: resolve(__dirname, 'src-main/electron/main.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    plugins: [react(), devServerInlineStyles()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } },
    },
  },
});
