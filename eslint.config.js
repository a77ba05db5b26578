// Lint rules for server, CLI, tests, benchmarks and scripts, including the inward-pointing import rules of DESIGN.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Each source file matches exactly one layer below, because a later `no-restricted-imports` replaces an earlier one.
const layer = (files, forbidden, why, ignores = ['**/*.test.ts']) => ({
  files,
  ignores,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [...forbidden, '**/cli/**'].map((group) => ({
          group: [group],
          message: `${why} (nothing imports cli)`,
        })),
      },
    ],
  },
});

const drivers = ['better-sqlite3', 'kysely', 'pg', '**/store/sqlite/**', '**/store/postgres/**'];
const outer = [
  '**/runner/**',
  '**/store/**',
  '**/service/**',
  '**/http/**',
  '**/ws/**',
  '**/config/**',
  '**/app.js',
  '**/bus/**',
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'data/**',
      'web/dist/**',
      'coverage/**',
      'test-output/**',
      'bench/results/**',
      'examples/build/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'smart'],
      // Formatting is Prettier's job (.prettierrc.json); this rule can disagree with its line breaks (as eslint-config-prettier notes).
      'no-unexpected-multiline': 'off',
    },
  },
  layer(['src/core/**/*.ts'], ['../*', '!../core/*', 'node:*'], 'core imports nothing of ours and does no I/O'),
  layer(['src/markers/**/*.ts'], [...outer, '**/engine/**', 'node:*'], 'markers import only core'),
  layer(['src/engine/**/*.ts'], [...outer, 'node:*'], 'the engine imports only core and markers'),
  layer(['src/bus/**/*.ts'], [...outer.filter((p) => p !== '**/bus/**'), 'node:*'], 'the bus imports only core'),
  layer(
    ['src/store/store*.ts'],
    [...drivers, '**/runner/**', '**/service/**', '**/http/**', '**/ws/**'],
    'the Store interface and its contract suite know no driver',
  ),
  layer(
    ['src/store/sqlite/**/*.ts'],
    ['**/runner/**', '**/service/**', '**/http/**', '**/ws/**', 'pg', '**/store/postgres/**'],
    'a store depends only on core and the Store interface',
  ),
  layer(
    ['src/store/postgres/**/*.ts'],
    ['**/runner/**', '**/service/**', '**/http/**', '**/ws/**', 'better-sqlite3', '**/store/sqlite/**'],
    'a store depends only on core and the Store interface',
  ),
  layer(
    ['src/runner/**/*.ts'],
    [...drivers, '**/service/**', '**/http/**', '**/ws/**', '**/app.js'],
    'the runner depends on interfaces only',
  ),
  layer(
    ['src/agent/**/*.ts'],
    [...drivers, '**/store/**', '**/service/**', '**/http/**', '**/ws/**', '**/config/**', '**/app.js'],
    'the agent runs the runner and engine and knows the server only by its protocol',
  ),
  layer(
    ['src/service/**/*.ts'],
    [...drivers, '**/http/**', '**/ws/**', '**/app.js'],
    'the service depends on interfaces, never a driver or a transport',
  ),
  // The two transports share what they both need through core and service (e.g. service/auth/origin-policy), never each other.
  layer(
    ['src/http/**/*.ts'],
    [...drivers, '**/runner/**', '**/app.js', '**/ws/**'],
    'transports call the service only; http does not import ws',
  ),
  layer(
    ['src/ws/**/*.ts'],
    [...drivers, '**/runner/**', '**/app.js', '**/http/**'],
    'transports call the service only; ws does not import http',
  ),
  layer(['src/config/**/*.ts'], [...outer.filter((p) => p !== '**/config/**')], 'config reads settings only'),
  layer(['src/app.ts'], [], 'app.ts is the composition root'),
  {
    // The dashboard runs in the browser and may import only the wire protocol (REST and WebSocket types) from src/.
    files: ['web/src/**/*.{ts,tsx}'],
    languageOptions: {
      parserOptions: { ecmaFeatures: { jsx: true } },
      globals: {
        window: 'readonly',
        document: 'readonly',
        location: 'readonly',
        history: 'readonly',
        navigator: 'readonly',
        localStorage: 'readonly',
        fetch: 'readonly',
        URL: 'readonly',
        URLSearchParams: 'readonly',
        WebSocket: 'readonly',
        requestAnimationFrame: 'readonly',
        cancelAnimationFrame: 'readonly',
        ResizeObserver: 'readonly',
        HashChangeEvent: 'readonly',
        AbortController: 'readonly',
        console: 'readonly',
      },
    },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)src/(?!core/(wire-types|ws-messages)$)',
              message: 'the dashboard imports only the wire protocol from src/core/wire-types and src/core/ws-messages',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
