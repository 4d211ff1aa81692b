import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'url', 'worker_threads', 'stream', 'events', 'util'];

/** Layering (DESIGN.md): shared ← electron, shared ← renderer, shared ← hub. Imports point one way only. */
const layer = (files, forbidden, message) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns: [{ group: forbidden, message }] }],
  },
});

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', '.cache/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  layer(
    ['shared/**/*.ts'],
    [...nodeBuiltins, 'electron', 'better-sqlite3', 'react', 'react-dom', '**/electron/**', '**/renderer/**', '**/hub/**', 'fastify', 'uuidv7'],
    'shared/ is the pure domain: no Node, DOM, Electron, UI or store imports.',
  ),
  layer(
    ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    [...nodeBuiltins, 'electron', 'better-sqlite3', 'fastify', '**/electron/**', '**/hub/**'],
    'The renderer talks only to the API contract in shared/api/api.ts; it never imports Node, Electron or the main process.',
  ),
  layer(
    ['electron/**/*.ts'],
    ['**/renderer/**', '**/hub/**', 'react', 'react-dom'],
    'The main process does not import the UI or the hub.',
  ),
  layer(['hub/**/*.ts'], ['**/renderer/**', '**/electron/**', 'electron', 'react'], 'The hub depends on shared/ only.'),
);
