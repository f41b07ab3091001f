// Lint rules, including the import boundaries of docs/ARCHITECTURE.md:
// a wrong arrow between layers fails lint, not review.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const sdks = [
  'grammy',
  '@grammyjs/*',
  '@google/genai',
  'drizzle-orm',
  'drizzle-orm/*',
  'better-sqlite3',
  'postgres',
  'keyv',
  '@keyv/*',
  'execa',
  'fastify',
  '@fastify/*',
  'prom-client',
  '@oclif/*',
  'listr2',
];
// Outside services/, a use case is reached through its folder's index.ts, never a file inside it.
const serviceIndexOnly = {
  group: ['**/services/*/**', '!**/services/*/index.js'],
  message:
    'import a service folder through its index.ts (services/<use case>/index.js), not a file inside it.',
};
const layer = (files, groups, message, extra = [serviceIndexOnly]) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: [{ group: groups, message }, ...extra] }] },
});

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'coverage/**',
      'node_modules/**',
      'migrations/**',
      'oclif.manifest.json',
      'bench/out/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        Buffer: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  layer(
    ['src/domain/**'],
    [
      'node:*',
      '**/services/**',
      '**/adapters/**',
      '**/app/**',
      '**/config/**',
      '**/daemon/**',
      '**/deploy/**',
      '**/probes/**',
      '**/bot/**',
      '**/http/**',
      '**/commands/**',
      '**/cli/**',
      ...sdks,
    ],
    'domain/ is pure TypeScript: it imports domain/ only.',
    [],
  ),
  layer(
    ['src/services/**'],
    ['**/adapters/**', '**/bot/**', '**/http/**', '**/commands/**', '**/cli/**', ...sdks],
    'services/ import domain/ and ports; adapters are wired in app/container.ts.',
    [],
  ),
  layer(
    ['src/adapters/**'],
    [
      '**/services/**',
      '**/bot/**',
      '**/http/**',
      '**/commands/**',
      '**/cli/**',
      '**/app/**',
      '**/config/**',
      '**/daemon/**',
      '**/deploy/**',
      '**/probes/**',
    ],
    'adapters/ implement ports: they import domain/, their SDK and node:* only.',
    [],
  ),
  layer(
    ['src/bot/**'],
    ['**/adapters/**', '**/http/**', '**/commands/**', '**/cli/**'],
    'bot/ is an edge: it calls services, never adapters or other edges.',
  ),
  layer(
    ['src/http/**'],
    ['**/adapters/**', '**/bot/**', '**/commands/**', '**/cli/**'],
    'http/ is an edge: it calls services, never adapters or other edges.',
  ),
  layer(
    ['src/commands/**', 'src/cli/**'],
    ['**/adapters/**', '**/bot/**', '**/http/**'],
    'commands are an edge: they reach adapters only through app/container.ts.',
  ),
  {
    // The composition root and what runs on it may import anything, a service only by its index.
    files: ['src/app/**', 'src/config/**', 'src/daemon/**', 'src/deploy/**', 'src/probes/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [serviceIndexOnly] }] },
  },
);
