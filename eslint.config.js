// ESLint flat config: type-aware typescript-eslint rules plus the architecture boundaries of the
// product (eslint-plugin-boundaries). `npm run lint` must report no error and no warning.
//
// TypeScript versions: the compiler is TypeScript 7 (the native port), installed under the alias
// `@typescript/native` (npm:typescript@7) and run as `tsc` by `npm run typecheck`. TypeScript 7.0
// ships no JavaScript compiler API, and typed linting is built on that API (typescript-eslint's
// peer range is `typescript >=4.8.4 <6.1.0`). So the package name `typescript` is the TypeScript
// team's side-by-side package `@typescript/typescript6` (the last JavaScript compiler, same type
// semantics as 7.0; its binary is `tsc6`, so it does not shadow TypeScript 7's `tsc`). Everything
// that does `require('typescript')` (typescript-eslint, the import resolver) gets TypeScript 6;
// typechecking and the build use TypeScript 7. When typescript-eslint supports the TypeScript 7
// API, drop the alias and depend on `typescript` 7 directly.
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { architecture } from './eslint.boundaries.js';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'client/dist/**',
      'data/**',
      '.run/**',
      '.bench-scratch/**',
      'test-results/**',
      '.tsbuild/**',
      'sip-config/**',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // Each file gets its types from the tsconfig project that owns it (server, client or
        // tsconfig.tests.json, all referenced from the root tsconfig.json).
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: {
      reportUnusedDisableDirectives: 'error',
    },
    rules: {
      // Unused bindings are errors, except the conventional `_`-prefixed placeholders.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      // Template literals with numbers are common and harmless here (log lines, ids, durations).
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // Floating promises are bugs in a router: every promise is awaited, returned or `void`ed.
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
  {
    // Plain JavaScript (the ESLint config files, a bench preload): no type-aware rules, Node globals.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
  {
    // Tests: fakes implement async interfaces without awaiting, assertions pass methods to
    // expect(), and HTTP/socket replies are parsed JSON (any) that the assertions inspect.
    files: ['tests/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    files: ['client/src/**/*.{ts,tsx}', 'tests/client/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    // The architecture: which layer may import which (see eslint.boundaries.js).
    files: ['server/src/**/*.{ts,tsx}', 'client/src/**/*.{ts,tsx}'],
    plugins: { boundaries },
    settings: architecture.settings,
    rules: architecture.rules,
  },
);
