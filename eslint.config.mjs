import { defineConfig } from 'eslint/config';
import baseConfig from './.config/eslint.config.mjs';

export default defineConfig([
  {
    ignores: [
      '**/logs',
      '**/*.log',
      '**/npm-debug.log*',
      '**/yarn-debug.log*',
      '**/yarn-error.log*',
      '**/.pnpm-debug.log*',
      '**/node_modules/',
      '.yarn/cache',
      '.yarn/unplugged',
      '.yarn/build-state.yml',
      '.yarn/install-state.gz',
      '**/.pnp.*',
      '**/pids',
      '**/*.pid',
      '**/*.seed',
      '**/*.pid.lock',
      '**/lib-cov',
      '**/coverage',
      '**/dist/',
      'tests/host/dist-lowest/',
      '**/artifacts/',
      '**/work/',
      '**/ci/',
      'test-results/',
      'test-results-lowest/',
      'playwright-report/',
      'playwright-report-lowest/',
      'blob-report/',
      'playwright/.cache/',
      'playwright/.auth/',
      '**/.idea',
      '**/.eslintcache',
    ],
  },
  ...baseConfig,
  {
    rules: { 'no-duplicate-imports': ['error', { allowSeparateTypeImports: true }] },
  },
  {
    // The backend, kici-sim, benchmarks and integration tests are Node code with their own tsconfigs.
    files: [
      'src/backend/**/*.ts',
      'tests/integration/**/*.ts',
      'tests/architecture/**/*.ts',
      'tests/grafana-rules/**/*.ts',
    ],
    languageOptions: { parserOptions: { project: './src/backend/tsconfig.json' } },
  },
  {
    files: ['dev/**/*.ts', 'bench/**/*.ts', 'tests/packaging/**/*.ts'],
    languageOptions: { parserOptions: { project: './dev/tsconfig.json' } },
  },
]);
