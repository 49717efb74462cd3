import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXTERNAL_LINKS, externalUrlToOpen } from './open-external';

const rendererSrc = join(import.meta.dirname, '../../src-renderer/src');

/** Every http(s) URL written in the renderer's sources (tests excluded). */
function linksInRenderer(): string[] {
  const files = readdirSync(rendererSrc, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(tsx?|css|html)$/.test(f) && !/\.test\.tsx?$/.test(f));
  const text = [...files.map((f) => readFileSync(join(rendererSrc, f), 'utf8')), readFileSync(join(rendererSrc, '../index.html'), 'utf8')].join('\n');
  // XML namespaces (an inline SVG's xmlns) name a specification, not a page anyone opens.
  const urls = (text.match(/https?:\/\/[^\s'"`<>)\\]+/g) ?? []).filter((url) => !url.startsWith('http://www.w3.org/'));
  return [...new Set(urls)].sort();
}

describe('shell.openExternal allowlist', () => {
  it('holds exactly the web pages the renderer links to (none today)', () => {
    expect([...EXTERNAL_LINKS].sort()).toEqual(linksInRenderer());
    expect(EXTERNAL_LINKS).toEqual([]);
  });

  it('holds only canonical https URLs', () => {
    for (const link of EXTERNAL_LINKS) expect(new URL(link).href === link && link.startsWith('https://'), link).toBe(true);
  });

  it('opens nothing with the shipped (empty) allowlist', () => {
    for (const url of ['https://example.com/', 'https://github.com/', 'http://localhost:5173/', 'file:///etc/passwd']) {
      expect(externalUrlToOpen(url), url).toBeUndefined();
    }
  });

  it('never opens anything but https, even if a bad entry were added to the allowlist', () => {
    for (const url of ['http://docs.example.org/', 'file:///etc/passwd', 'smb://server/share', 'https://user:secret@docs.example.org/']) {
      expect(externalUrlToOpen(url, [url]), url).toBeUndefined();
    }
  });

  describe('with a page on the allowlist', () => {
    const allowlist = ['https://docs.example.org/roster/security'];

    it('opens exactly that page', () => {
      expect(externalUrlToOpen('https://docs.example.org/roster/security', allowlist)).toBe('https://docs.example.org/roster/security');
    });

    it('refuses look-alikes, other schemes, credentials and other pages', () => {
      for (const url of [
        'http://docs.example.org/roster/security',
        'https://docs.example.org/roster/security?x=1',
        'https://docs.example.org/roster/security#top',
        'https://docs.example.org/roster/security/',
        'https://docs.example.org/roster/',
        'https://docs.example.org.evil.example/roster/security',
        'https://user:pass@docs.example.org/roster/security',
        'https://DOCS.example.org/roster/security',
        'file:///docs.example.org/roster/security',
        'smb://docs.example.org/roster/security',
        'javascript:alert(1)//https://docs.example.org/roster/security',
        'not a url',
      ]) {
        expect(externalUrlToOpen(url, allowlist), url).toBeUndefined();
      }
    });
  });
});
