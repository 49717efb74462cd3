import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'net', 'tls', 'crypto'];

export default tseslint.config(
  { ignores: ['out/', 'dist/', 'node_modules/', 'test-results/', 'playwright-report/', 'bench/results/', '.scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty-pattern': 'off',
    },
  },
  {
    // The renderer talks to main only through src/api.ts; it never sees Electron, Node or main's code.
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { patterns: [{ group: ['electron', ...nodeBuiltins, '**/src-main/**', '**/src-preload/**'], message: 'The renderer may not import Electron, Node or main-process code; call through src/api.ts.' }] }],
      'no-restricted-globals': ['error', { name: 'require', message: 'No Node in the renderer.' }],
    },
  },
  {
    // What several features share (components, stores, lib) never reaches into a feature: features build on it, not the reverse.
    files: ['src-renderer/src/{components,stores,lib}/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['electron', ...nodeBuiltins, '**/src-main/**', '**/src-preload/**'], message: 'The renderer may not import Electron, Node or main-process code; call through src/api.ts.' },
        { group: ['**/features/**'], message: 'Shared renderer code may not import a feature; move what both need into components/, stores/ or lib/.' },
      ] }],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    ignores: ['src-renderer/src/api.ts'],
    rules: { 'no-restricted-properties': ['error', { object: 'window', property: 'roster', message: 'Only src/api.ts touches window.roster.' }] },
  },
  {
    // Shared code runs in all three processes: no process-specific imports.
    files: ['src-shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['electron', 'react', ...nodeBuiltins, '**/src-main/**', '**/src-renderer/**', '**/src-preload/**'], message: 'src-shared must stay process-neutral.' }] }] },
  },
  {
    // Only src-main/electron may import Electron: the core must run under plain Node.
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/electron/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Keep Electron in src-main/electron; the core runs under plain Node.' }] }] },
  },
);
