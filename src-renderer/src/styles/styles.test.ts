// @vitest-environment node
import postcss, { type AtRule, type Node, type Root } from 'postcss';
import { describe, expect, it } from 'vitest';

/**
 * The renderer's stylesheets stay one set of rules, each written once: every `.css` file under src-renderer/src
 * is parsed here. A selector declared in two rule blocks of one context (the top level, or the same @media…)
 * is two places to change and a cascade that depends on which file loads last: it fails, naming both places.
 * The design tokens (`:root` custom properties) live in styles/tokens.css only, and every `var(--…)` names one
 * of them (or one a component sets at run time). Every file is imported by some module, or it styles nothing.
 */

declare global {
  interface ImportMeta {
    /** Vite's (and so Vitest's) import.meta.glob, in the one form used here: the paths, nothing loaded. */
    glob(pattern: string | string[]): Record<string, () => Promise<unknown>>;
  }
}

/**
 * The files' text, read from disk: Vitest gives a `.css` import (`?raw` too) to its CSS pipeline, which hands back
 * an empty string unless `test.css` is on. Node's fs comes through process.getBuiltinModule, as the renderer's
 * tsconfig has no Node types and its lint rule keeps Node imports out of renderer code.
 */
const fs = (
  globalThis as unknown as { process: { getBuiltinModule(id: 'node:fs'): { readFileSync(path: URL, encoding: 'utf8'): string } } }
).process.getBuiltinModule('node:fs');
const CHECKOUT = new URL('../../../', import.meta.url);

type Files = Record<string, string>;

const ROOT = '/src-renderer/src/';
const TOKENS = 'styles/tokens.css';
const read = (paths: string[]): Files =>
  Object.fromEntries(paths.map((path) => [path.slice(ROOT.length), fs.readFileSync(new URL(`.${path}`, CHECKOUT), 'utf8')]));
const CSS = read(Object.keys(import.meta.glob('/src-renderer/src/**/*.css')));
const SOURCES = read(Object.keys(import.meta.glob(['/src-renderer/src/**/*.{ts,tsx}', '!/src-renderer/src/**/*.test.ts'])));

function parse(file: string, text: string): Root {
  return postcss.parse(text, { from: file });
}

/** The at-rules a node sits in, outermost first ('' at the top level). */
function context(node: Node): string {
  const chain: string[] = [];
  for (let parent = node.parent as Node | undefined; parent && parent.type !== 'root'; parent = parent.parent as Node | undefined) {
    if (parent.type === 'atrule') chain.unshift(`@${(parent as AtRule).name} ${(parent as AtRule).params}`.replace(/\s+/g, ' ').trim());
  }
  return chain.join(' ');
}

/** One selector written one way: spacing, quotes and the order of a selector list do not make it another. */
function normalSelector(selectors: string[]): string {
  return selectors
    .map((s) =>
      s
        .replace(/"/g, "'")
        .replace(/\s*([>+~])\s*/g, ' $1 ')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .sort()
    .join(', ');
}

/** Selectors declared in more than one rule block of the same context, with where each block is. */
export function duplicateSelectors(files: Files): string[] {
  const seen = new Map<string, string>();
  const found: string[] = [];
  for (const [file, text] of Object.entries(files)) {
    parse(file, text).walkRules((rule) => {
      const where = context(rule);
      if (where.includes('@keyframes')) return; // a keyframe's offset (from, 50%, to), checked with its @keyframes
      const key = `${where}\n${normalSelector(rule.selectors)}`;
      const at = `${file}:${rule.source?.start?.line ?? '?'}`;
      const first = seen.get(key);
      if (first) found.push(`${normalSelector(rule.selectors)}${where ? ` (in ${where})` : ''} is declared twice: ${first} and ${at}`);
      else seen.set(key, at);
    });
    parse(file, text).walkAtRules('keyframes', (keyframes) => {
      const key = `@keyframes ${keyframes.params}`;
      const at = `${file}:${keyframes.source?.start?.line ?? '?'}`;
      const first = seen.get(key);
      if (first) found.push(`${key} is declared twice: ${first} and ${at}`);
      else seen.set(key, at);
    });
  }
  return found;
}

/** Custom properties defined on the root anywhere but tokens.css, and anything in tokens.css but root tokens. */
export function misplacedTokens(files: Files): string[] {
  const found: string[] = [];
  for (const [file, text] of Object.entries(files)) {
    parse(file, text).walkRules((rule) => {
      const onRoot = rule.selectors.some((s) => [':root', 'html'].includes(s.trim()));
      const at = `${file}:${rule.source?.start?.line ?? '?'}`;
      rule.walkDecls((decl) => {
        const token = decl.prop.startsWith('--');
        if (file === TOKENS && (!onRoot || !token || context(rule)))
          found.push(`${at}: ${TOKENS} holds :root custom properties only, not ${rule.selector} { ${decl.prop} }`);
        if (file !== TOKENS && onRoot && token) found.push(`${at}: ${decl.prop} is a token: define it in ${TOKENS}`);
      });
    });
  }
  return found;
}

/** `var(--name)` uses whose name neither tokens.css defines nor a component sets (a `'--name'` in the code). */
export function unknownTokens(files: Files, sources: Files): string[] {
  const defined = new Set<string>();
  parse(TOKENS, files[TOKENS] ?? '').walkDecls((decl) => void (decl.prop.startsWith('--') && defined.add(decl.prop)));
  for (const text of Object.values(sources)) for (const m of text.matchAll(/['"](--[\w-]+)['"]/g)) defined.add(m[1]!);
  const found: string[] = [];
  for (const [file, text] of Object.entries(files)) {
    parse(file, text).walkDecls((decl) => {
      for (const m of decl.value.matchAll(/var\(\s*(--[\w-]+)/g)) {
        if (!defined.has(m[1]!)) found.push(`${file}:${decl.source?.start?.line ?? '?'}: ${m[1]} is not a token (${TOKENS})`);
      }
    });
  }
  return found;
}

/** CSS files no module imports (`import './x.css'`, resolved from the importing module's folder). */
export function unimportedFiles(files: Files, sources: Files): string[] {
  const imported = new Set<string>();
  for (const [file, text] of Object.entries(sources)) {
    const folder = file.split('/').slice(0, -1);
    for (const m of text.matchAll(/^import\s+'(\.{1,2}\/[^']+\.css)';/gm)) {
      const parts = [...folder];
      for (const step of m[1]!.split('/')) {
        if (step === '..') parts.pop();
        else if (step !== '.') parts.push(step);
      }
      imported.add(parts.join('/'));
    }
  }
  return Object.keys(files)
    .filter((file) => !imported.has(file))
    .map((file) => `${file} is imported by no module: it styles nothing`);
}

describe("the renderer's stylesheets", () => {
  it('are all found and read (the glob reaches them, each has rules)', () => {
    expect(Object.keys(CSS)).toContain(TOKENS);
    expect(Object.keys(CSS)).toContain('styles/base.css');
    expect(Object.keys(CSS).length).toBeGreaterThan(10);
    for (const [file, text] of Object.entries(CSS)) expect(text, file).toMatch(/\{[^}]*:[^}]*\}/);
    expect(SOURCES['main.tsx']).toContain("import './styles/tokens.css';");
  });

  it('declare each selector once per context', () => {
    expect(duplicateSelectors(CSS)).toEqual([]);
  });

  it('define the :root tokens in styles/tokens.css only, and it holds nothing else', () => {
    expect(misplacedTokens(CSS)).toEqual([]);
  });

  it('use only tokens that exist', () => {
    expect(unknownTokens(CSS, SOURCES)).toEqual([]);
  });

  it('are each imported by a module', () => {
    expect(unimportedFiles(CSS, SOURCES)).toEqual([]);
  });
});

describe('the checks themselves', () => {
  it('find a selector declared twice, in one file or two, and name both places', () => {
    const files = {
      'a.css': '.x {\n  color: red;\n}\n\n.x > .z, .z {\n  margin: 0;\n}\n',
      'b.css': '\n.x{color:blue}\n.z, .x>.z { padding: 0 }\n@media (prefers-reduced-motion: reduce) {\n  .x { color: green; }\n}\n',
    };
    expect(duplicateSelectors(files)).toEqual(['.x is declared twice: a.css:1 and b.css:2', '.x > .z, .z is declared twice: a.css:5 and b.css:3']);
    expect(duplicateSelectors({ 'c.css': '@keyframes spin { to { opacity: 0 } }\n@keyframes spin { to { opacity: 1 } }' })).toEqual([
      '@keyframes spin is declared twice: c.css:1 and c.css:2',
    ]);
    // the same selector in another context (a media query) is not a duplicate, nor is a selector inside a group
    expect(duplicateSelectors({ 'd.css': '.x { color: red }\n.x, .y { margin: 0 }\n@media print { .x { color: black } }' })).toEqual([]);
  });

  it('find a token defined outside tokens.css, and something else in tokens.css', () => {
    expect(misplacedTokens({ [TOKENS]: ':root {\n  --a: 1px;\n}\n', 'e.css': ':root {\n  --b: red;\n}\n.x { --c: 0; }\n' })).toEqual([
      'e.css:1: --b is a token: define it in styles/tokens.css',
    ]);
    expect(misplacedTokens({ [TOKENS]: ':root {\n  --a: 1px;\n  color: red;\n}\n' })).toEqual([
      `${TOKENS}:1: ${TOKENS} holds :root custom properties only, not :root { color }`,
    ]);
  });

  it('find an unknown token and an unimported file', () => {
    const files = { [TOKENS]: ':root { --a: 1px; }', 'f.css': '.x { margin: var(--a) var(--b) var(--set-by-code); }' };
    expect(unknownTokens(files, { 'X.tsx': "const style = { '--set-by-code': '1px' };" })).toEqual([`f.css:1: --b is not a token (${TOKENS})`]);
    expect(unimportedFiles(files, { 'main.tsx': "import './styles/tokens.css';", 'styles/x.ts': "import '../f.css';" })).toEqual([]);
    expect(unimportedFiles(files, { 'main.tsx': "import './styles/tokens.css';" })).toEqual(['f.css is imported by no module: it styles nothing']);
  });
});
