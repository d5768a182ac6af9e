import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import nx from '@nx/eslint-plugin';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.stack/**', '.nx/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    plugins: { '@nx': nx },
    rules: {
      // the project graph's rules (tags in each project.json): apps depend on libs, never on each other; libs never on
      // apps or tools; tools and tests only on what they drive; scopes keep one app's code out of another
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          // the deploy checks read what each app's config declares (the block below keeps @ish/apps/* to tests/)
          allow: ['@ish/apps/**'],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:tool', 'type:testing'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:lib', 'type:tool'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib', 'type:tool', 'type:testing', 'type:app'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:auth', onlyDependOnLibsWithTags: ['scope:shared', 'scope:auth'] },
            { sourceTag: 'scope:relay', onlyDependOnLibsWithTags: ['scope:shared', 'scope:relay'] },
            { sourceTag: 'scope:instance-manager', onlyDependOnLibsWithTags: ['scope:shared', 'scope:instance-manager'] },
            { sourceTag: 'scope:android-bridge', onlyDependOnLibsWithTags: ['scope:shared', 'scope:android-bridge'] },
            { sourceTag: 'scope:worker', onlyDependOnLibsWithTags: ['scope:shared', 'scope:worker'] },
            { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['scope:shared', 'scope:web'] },
            { sourceTag: 'scope:dev', onlyDependOnLibsWithTags: ['*'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
    },
  },
  {
    // apps are never imported, but the deploy checks under tests/ read each app's config (allowed above)
    files: ['apps/**/*.ts', 'libs/**/*.ts', 'tools/**/*.ts', 'tests/support/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['@ish/apps/*'], message: 'only tests/ may read an app (its config), through @ish/apps/*' }] }] },
  },
  {
    // the console runs in the browser: from the libs it takes types only (the contracts' shapes), never code
    files: ['apps/web/**/*.ts', 'apps/web/**/*.tsx', 'apps/web/**/*.mts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: ['@ish/*'], allowTypeImports: true, message: 'apps/web may import types only from the libs (import type …)' }] }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.test.ts', 'tests/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // one way to declare a metric, on the one registry of the process
    files: ['apps/**/*.ts', 'libs/**/*.ts', 'tools/**/*.ts'],
    ignores: ['libs/platform/src/metrics/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'prom-client', message: 'declare metrics with defineCounter / defineGauge / defineHistogram from @ish/platform' }] }] },
  },
);
