// Lint what the compiler does not catch: promises nobody awaits, switches
// that miss a case, console output from library code.
import tseslint from 'typescript-eslint';

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
    // Programs, not libraries: they may talk to the terminal.
    files: ['**/*.test.ts', '**/test/**', '**/scripts/**', '**/examples/**', 'bench/**', 'infra/**', 'packages/server/src/main.ts'],
    rules: { 'no-console': 'off' },
  },
);
