// Lint what the compiler does not catch: promises nobody awaits, switches
// that miss a case, console output from library code, imports that cross a
// package border sideways.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const root = import.meta.dirname;
// Every workspace (root package.json "workspaces"): each is checked against
// its own package.json, plus the root's, which holds the shared tooling
// (vitest, tsx, @types/node) every package uses without declaring it.
const workspaces = ['bench', 'infra', ...readdirSync(join(root, 'packages')).map((name) => `packages/${name}`)];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.cache/**', 'packages/sdk/src/generated/**'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.base],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      'no-console': 'error',
    },
  },
  {
    // Package borders: a file reaches another package only through a declared
    // dependency's public entry or subpath (`@cordon/x`, `@cordon/x/testing`),
    // never by a relative path into its folder (no-relative-packages); the
    // package's `exports` then decide what is public, and a subpath that is
    // not exported does not resolve.
    files: ['**/*.ts', '**/*.mjs'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver()] },
    rules: { 'import-x/no-relative-packages': 'error' },
  },
  ...workspaces.map((dir) => ({
    files: [`${dir}/**/*.ts`, `${dir}/**/*.mjs`],
    rules: {
      // Every package a file imports is declared in its package.json (types too).
      'import-x/no-extraneous-dependencies': ['error', { includeTypes: true, packageDir: [join(root, dir), root] }],
    },
  })),
  {
    // Programs, not libraries: they may talk to the terminal.
    files: ['**/*.test.ts', '**/test/**', '**/scripts/**', '**/examples/**', 'bench/**', 'infra/**', 'packages/server/src/main.ts'],
    rules: { 'no-console': 'off' },
  },
);
