// Lint rules: the recommended sets of ESLint and typescript-eslint, plus the
// boundaries between the parts of the project.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const FTP_SRV_ONLY_IN_BACKEND = {
  name: 'ftp-srv',
  message: 'Use simulator/ftp/server.ts; only simulator/ftp/ftp-srv-backend.ts imports ftp-srv.',
};
const HARNESS_OUTSIDE_SIMULATOR = {
  group: ['**/scenarios/**', '**/devices/**', '**/reports/**'],
  message: 'simulator/ must not import the harness (scenarios/, devices/, reports/).',
};

export default tseslint.config(
  { ignores: ['node_modules/', '.state/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'max-len': ['error', { code: 120, ignoreUrls: true }],
      'no-restricted-imports': ['error', { paths: [FTP_SRV_ONLY_IN_BACKEND] }],
    },
  },
  {
    // The simulator is the thing simulated; the harness around it may use it, never the reverse.
    files: ['simulator/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [FTP_SRV_ONLY_IN_BACKEND], patterns: [HARNESS_OUTSIDE_SIMULATOR] }],
    },
  },
  {
    files: ['simulator/ftp/ftp-srv-backend.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [HARNESS_OUTSIDE_SIMULATOR] }] },
  },
);
