// Lint rules: the recommended sets of ESLint and typescript-eslint, plus the
// boundaries between the parts of the project.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const HARNESS_OUTSIDE_SIMULATOR = {
  group: ['**/scenarios/**', '**/devices/**', '**/reports/**'],
  message: 'simulator/ must not import the harness (scenarios/, devices/, reports/).',
};
const FORMATS_OUTSIDE_FTP = {
  group: ['**/exchange/**', '**/bo/**', '**/device/**', '**/company.ts', '**/simulator.ts'],
  message: 'The FTP server knows nothing of the exchange formats, the back office or the device.',
};

export default tseslint.config(
  { ignores: ['node_modules/', '.state/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'max-len': ['error', { code: 120, ignoreUrls: true }],
    },
  },
  {
    // The simulator is the thing simulated; the harness around it may use it, never the reverse.
    files: ['simulator/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [HARNESS_OUTSIDE_SIMULATOR] }],
    },
  },
  {
    files: ['simulator/ftp/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [HARNESS_OUTSIDE_SIMULATOR, FORMATS_OUTSIDE_FTP] }] },
  },
);
