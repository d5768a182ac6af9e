// Unit tests sit beside the code (*.spec.ts); integration and end-to-end tests (*.test.ts) run
// against the real servers that tools/test.sh starts.
const { compilerOptions } = require('./tsconfig.base.json');

// `@ish/x` maps to one file, `@ish/x/*` to the files below a folder (the tsconfig paths, as jest patterns)
const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias.replace('*', '(.*)')}$`, `<rootDir>/${target.replace('*', '$1')}`]),
);

const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
        keepClassNames: true,
      },
      module: { type: 'commonjs' },
    },
  ],
};

const common = { rootDir: __dirname, transform, moduleNameMapper, testEnvironment: 'node', modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.stack/'] };

module.exports = {
  testTimeout: 60_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,tools}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,tools,tests}/**/*.test.ts'],
      globalSetup: '<rootDir>/tests/support/global-setup.ts',
      globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
    },
  ],
};
