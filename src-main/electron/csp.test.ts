import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const sourceHtml = join(import.meta.dirname, '../../src-renderer/index.html');
const builtHtml = join(import.meta.dirname, '../../out/renderer/index.html');

/** The Content-Security-Policy of a page's <meta http-equiv> tag, as directive -> sources. */
function cspOf(html: string): Map<string, string[]> {
  const metas = [...html.matchAll(/<meta\s[^>]*http-equiv="Content-Security-Policy"[^>]*>/gi)];
  expect(metas, 'exactly one CSP meta tag').toHaveLength(1);
  const content = /content="([^"]*)"/i.exec(metas[0]![0])?.[1];
  expect(content, 'the CSP meta tag has a content').toBeTypeOf('string');
  const policy = new Map<string, string[]>();
  for (const directive of content!
    .split(';')
    .map((d) => d.trim())
    .filter(Boolean)) {
    const [name, ...sources] = directive.split(/\s+/);
    expect(policy.has(name!), `${name} appears once`).toBe(false);
    policy.set(name!.toLowerCase(), sources);
  }
  return policy;
}

/** What the browser enforces for a fetch directive: its own sources, else default-src's. */
const effective = (policy: Map<string, string[]>, directive: string) => policy.get(directive) ?? policy.get('default-src');

function expectStrictPolicy(html: string): void {
  const policy = cspOf(html);
  expect(policy.get('default-src')).toEqual(["'none'"]);
  // Scripts only from the app's own files: no inline script, no eval, no other origin or scheme.
  expect(effective(policy, 'script-src')).toEqual(["'self'"]);
  expect(policy.has('script-src-elem') || policy.has('script-src-attr')).toBe(false);
  // Styles only from the app's own stylesheet (React sets inline styles through the CSSOM, which CSP allows).
  expect(effective(policy, 'style-src')).toEqual(["'self'"]);
  expect(policy.has('style-src-elem') || policy.has('style-src-attr')).toBe(false);
  expect(effective(policy, 'img-src')).toEqual(["'self'", 'data:']);
  expect(effective(policy, 'font-src')).toEqual(["'self'"]);
  expect(effective(policy, 'connect-src')).toEqual(["'self'"]);
  for (const none of ['object-src', 'frame-src', 'worker-src', 'child-src', 'media-src', 'manifest-src'])
    expect(effective(policy, none), none).toEqual(["'none'"]);
  expect(policy.get('object-src')).toEqual(["'none'"]);
  expect(policy.get('base-uri')).toEqual(["'none'"]);
  expect(policy.get('form-action')).toEqual(["'none'"]);
  // Browsers ignore frame-ancestors, sandbox and report-uri in a <meta> policy; one here would only mislead.
  for (const ignored of ['frame-ancestors', 'sandbox', 'report-uri']) expect(policy.has(ignored), ignored).toBe(false);
  for (const [name, sources] of policy) {
    for (const loose of ["'unsafe-inline'", "'unsafe-eval'", "'wasm-unsafe-eval'", "'unsafe-hashes'", '*', 'http:', 'https:', 'blob:', 'filesystem:']) {
      expect(sources.includes(loose), `${name} allows ${loose}`).toBe(false);
    }
  }
}

/** The page's script tags: each must load a file (an inline one would need 'unsafe-inline'). */
function expectNoInlineScript(html: string): void {
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
  expect(scripts.length).toBeGreaterThan(0);
  for (const [, attributes, body] of scripts) {
    expect(attributes).toMatch(/\ssrc="[^"]+"/);
    expect(body!.trim()).toBe('');
  }
  expect(html).not.toMatch(/\son[a-z]+\s*=/i);
  expect(html).not.toMatch(/javascript:/i);
}

describe('Content-Security-Policy of the renderer', () => {
  it('is strict in the source index.html', () => {
    const html = readFileSync(sourceHtml, 'utf8');
    expectStrictPolicy(html);
    expectNoInlineScript(html);
  });

  // `npm test` builds first; a bare `vitest run` without a build checks the source only.
  it.skipIf(!existsSync(builtHtml))('is strict in the BUILT out/renderer/index.html, the page the window loads, unchanged by the build', () => {
    const html = readFileSync(builtHtml, 'utf8');
    expectStrictPolicy(html);
    expectNoInlineScript(html);
    expect(cspOf(html)).toEqual(cspOf(readFileSync(sourceHtml, 'utf8')));
    // The built page loads its script and stylesheet from its own assets folder, relative to the file.
    expect(html).toMatch(/<script type="module" crossorigin src="\.\/assets\/index-[\w-]+\.js"><\/script>/);
    expect(html).toMatch(/<link rel="stylesheet" crossorigin href="\.\/assets\/index-[\w-]+\.css">/);
  });
});
