// Lint rules, including the import table of docs/ARCHITECTURE.md ("Who may import whom"): one
// block per layer below, checked by scripts/lint/layers.js (a wrong arrow fails lint, not review;
// test/lint/ proves each row fires). Import cycles are refused by scripts/check-cycles.mjs.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { layer } from './scripts/lint/layers.js';

/** Each adapter folder speaks to its own SDK only. */
const ownSdk = {
  db: ['db'],
  cache: ['cache'],
  gemini: ['genai'],
  geo: ['geo'],
  system: ['process'],
  telegram: ['grammy'],
};
/** Adapter modules other layers may name (the rest of adapters/ is the root's to wire). */
const sharedDirs = 'adapters/system/dirs.ts';
const databaseUrl = 'adapters/db/url.ts';

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
  layer(['src/domain/**'], { layer: 'domain/', may: [], sdks: [], packages: false, node: false }),
  layer(['src/services/**'], {
    layer: 'services/',
    may: ['domain/', 'services/'],
    sdks: [],
    packages: false,
    node: false,
  }),
  layer(['src/adapters/**'], { layer: 'adapters/', may: ['domain/', sharedDirs], sdks: 'own', ownSdk }),
  layer(['src/bot/**'], { layer: 'bot/', may: ['domain/', 'services/'], sdks: ['grammy', 'i18n'] }),
  layer(['src/http/**'], { layer: 'http/', may: ['domain/', 'services/'], sdks: ['http'] }),
  layer(['src/commands/**', 'src/cli/**', 'src/hooks/**'], {
    layer: 'commands/, cli/',
    may: [
      'commands/',
      'cli/',
      'domain/',
      'services/',
      'app/index.ts',
      'config/',
      'daemon/daemon.ts',
      'deploy/',
      'probes/',
    ],
    sdks: ['cli', 'i18n'],
  }),
  layer(['src/app/**'], {
    layer: 'app/',
    // Two edge modules it names: the readiness report it fills in, the update labels of its metrics.
    may: ['domain/', 'services/', 'adapters/', 'config/', 'http/routes/health.ts', 'daemon/update-shape.ts'],
    sdks: 'all',
  }),
  layer(['src/config/**'], { layer: 'config/', may: ['domain/', databaseUrl, sharedDirs], sdks: [] }),
  layer(['src/daemon/**'], {
    layer: 'daemon/',
    may: [
      'domain/',
      'services/',
      'bot/',
      'http/',
      'config/',
      'app/index.ts',
      'adapters/telegram/errors.ts',
      'adapters/telegram/network.ts',
      'adapters/telegram/pacer.ts',
    ],
    sdks: ['grammy'],
  }),
  layer(['src/probes/**'], {
    layer: 'probes/',
    may: ['domain/', 'services/', 'config/', 'adapters/', 'app/index.ts'],
    sdks: 'all',
  }),
  layer(['src/deploy/**'], { layer: 'deploy/', may: ['domain/', 'config/', sharedDirs], sdks: [] }),
);
