import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'url', 'worker_threads', 'stream', 'events', 'util'];

/**
 * Module names are matched exactly (`paths`), folders by pattern: a bare pattern such as 'electron'
 * would also match a relative path through a folder of that name.
 */
const ELECTRON = { name: 'electron', message: 'Only electron/desktop/ imports Electron: the core, the store and browser mode run under plain Node.' };
const FASTIFY = [
  { name: 'fastify', message: 'Only electron/browser/ (and the hub) imports fastify: the core speaks to its transports through electron/host.' },
];
const FASTIFY_PLUGINS = { group: ['@fastify/*'], message: 'Only electron/browser/ (and the hub) imports fastify plugins.' };

/**
 * Layering (DESIGN.md): shared ← electron, shared ← renderer, shared ← hub, and inside electron/
 * one environment per folder. ESLint keeps only the last `no-restricted-imports` that matches a
 * file, so each block below lists everything its folder may not import, not just the difference.
 */
const layer = (files, { paths = [], patterns = [] }) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { paths, patterns }] },
});

const NOT_THE_UI_OR_HUB = { group: ['**/renderer/**', '**/hub/**', 'react', 'react-dom'], message: 'The main process does not import the UI or the hub.' };
const NOT_DESKTOP_OR_BROWSER = {
  group: ['**/desktop/**', '**/browser/**', '**/cli/**'],
  message: 'electron/core, store, sync and host are shared by every transport: they do not reach into desktop/, browser/ or cli/.',
};

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', '.cache/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // No import cycles: a module graph that is a tree can be read, tested and bundled in order.
    // import-x skips `import type` (erased at build); test/architecture.test.ts checks those too.
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      // Sources import each other as './x.js' (ESM as emitted); the resolver maps that to x.ts / x.tsx.
      'import-x/resolver-next': [
        createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'], extensionAlias: { '.js': ['.ts', '.tsx', '.js'] } }),
      ],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs['recommended-latest'].rules,
      'react-hooks/exhaustive-deps': 'error',
      // TanStack Table and Virtual are used knowingly; the compiler only notes it cannot memoise them.
      'react-hooks/incompatible-library': 'off',
      // The React Compiler's stricter checks found a dozen older sites (a state reset in an effect, a
      // ref written during render, Date.now() in render): warnings until each is reworked, so new code
      // sees them without the existing ones blocking every landing.
      'react-hooks/set-state-in-effect': 'warn',
      'react-hooks/refs': 'warn',
      'react-hooks/purity': 'warn',
      'react-hooks/immutability': 'warn',
    },
  },
  layer(['shared/**/*.ts'], {
    patterns: [
      {
        group: [...nodeBuiltins, 'electron', 'better-sqlite3', 'react', 'react-dom', '**/electron/**', '**/renderer/**', '**/hub/**', 'fastify', 'uuidv7'],
        message: 'shared/ is the pure domain: no Node, DOM, Electron, UI or store imports.',
      },
    ],
  }),
  layer(['renderer/**/*.ts', 'renderer/**/*.tsx'], {
    patterns: [
      {
        group: [...nodeBuiltins, 'electron', 'better-sqlite3', 'fastify', '**/electron/**', '**/hub/**'],
        message: 'The renderer talks only to the API contract in shared/api/api.ts; it never imports Node, Electron or the main process.',
      },
    ],
  }),
  // electron/: core (domain handlers), store, sync, host (worker, protocol): plain Node, any transport.
  layer(['electron/**/*.ts'], { paths: [ELECTRON, ...FASTIFY], patterns: [NOT_THE_UI_OR_HUB, FASTIFY_PLUGINS, NOT_DESKTOP_OR_BROWSER] }),
  // The Electron adapter: the one place that imports `electron`.
  layer(['electron/desktop/**/*.ts'], {
    paths: FASTIFY,
    patterns: [
      NOT_THE_UI_OR_HUB,
      FASTIFY_PLUGINS,
      { group: ['**/browser/**'], message: 'desktop/ and browser/ are two transports; what both need lives in electron/host.' },
    ],
  }),
  // Browser mode: the one place on the app side that imports fastify.
  layer(['electron/browser/**/*.ts'], {
    paths: [ELECTRON],
    patterns: [NOT_THE_UI_OR_HUB, { group: ['**/desktop/**'], message: 'desktop/ and browser/ are two transports; what both need lives in electron/host.' }],
  }),
  // The CLI starts the browser-mode server or prints; it never loads Electron.
  layer(['electron/cli/**/*.ts'], {
    paths: [ELECTRON, ...FASTIFY],
    patterns: [NOT_THE_UI_OR_HUB, FASTIFY_PLUGINS, { group: ['**/desktop/**'], message: 'The CLI runs under plain Node.' }],
  }),
  layer(['hub/**/*.ts'], {
    paths: [ELECTRON],
    patterns: [{ group: ['**/renderer/**', '**/electron/**', 'react'], message: 'The hub depends on shared/ only.' }],
  }),
);
