import js from '@eslint/js';
import pluginQuery from '@tanstack/eslint-plugin-query';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'eslint.config.mjs',
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'jest.config.js',
      'scripts/**/*.{js,mjs}',
      'bench/results/**',
      'apps/web/src/api/schema.gen.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // The web app (apps/web) is linted with its own tsconfig (DOM, JSX), which the project service finds beside it.
    // The browser shares only the pure, browser-safe domain files: the domain index pulls node:crypto.
    files: ['apps/web/**/*.{ts,tsx}'],
    // The rules of hooks (with the React Compiler's checks, v7) and TanStack Query's: stable query keys
    // that name every input, one QueryClient, no rest-destructured queries.
    plugins: { 'react-hooks': reactHooks, '@tanstack/query': pluginQuery },
    rules: {
      ...reactHooks.configs.flat['recommended-latest'].rules,
      // The strict set adds prefer-query-options: every query is built by a factory in src/api/.
      ...Object.assign({}, ...pluginQuery.configs['flat/recommended-strict'].map((config) => config.rules)),
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@imprimatur/domain',
              message: 'Import a browser-safe file, e.g. @imprimatur/domain/articles/citations.',
            },
          ],
          patterns: [
            { regex: '^@imprimatur/(?!domain/)', message: 'The web app uses the API, not server libraries.' },
            {
              regex: '^@imprimatur/domain/(articles/content|audit/|pagination/|index)',
              message: 'Not browser-safe (node:crypto).',
            },
          ],
        },
      ],
    },
  },
  {
    files: [
      '**/*.spec.ts',
      '**/*.e2e-spec.ts',
      'test/**/*.ts',
      'bench/**/*.ts',
      'apps/web/src/**/*.test.{ts,tsx}',
      'apps/web/src/test/**/*.{ts,tsx}',
    ],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
