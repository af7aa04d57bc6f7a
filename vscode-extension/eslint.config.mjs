// Lint: eslint's and typescript-eslint's recommended rules over the sources, tests and scripts.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['out/', 'dist/', 'node_modules/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    rules: {
      eqeqeq: 'error',
      'no-restricted-imports': 'off',
    },
  },
  {
    // The logic the unit tests cover must not need the editor.
    files: ['src/settings.ts', 'src/status.ts', 'src/changedFunctions.ts', 'src/report.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'pure modules are tested without vscode' }] },
      ],
    },
  },
);
