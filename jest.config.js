/**
 * Unit tests live beside the code (`*.spec.ts`); e2e tests in test/ (`*.e2e-spec.ts`) use a database of their own;
 * fault tests (test/faults, `*.fault-spec.ts`) run the worker and the API as child processes and break things under them.
 */
const moduleNameMapper = {
  '^@imprimatur/(domain|config|database|queue|platform|workflow|outbound|checks|publishing|webhooks)$':
    '<rootDir>/libs/$1/src',
  '^@imprimatur/(domain|config|database|queue|platform|workflow|outbound|checks|publishing|webhooks)/(.*)$':
    '<rootDir>/libs/$1/src/$2',
  '^@imprimatur/migrations$': '<rootDir>/migrations',
};
// Some dependencies ship ESM only (content-disposition 3, under @fastify/static): compile them to CommonJS for Jest.
const ESM_ONLY = ['content-disposition'];
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }],
  [`^.+/node_modules/(${ESM_ONLY.join('|')})/.+\\.js$`]: ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }],
};
const transformIgnorePatterns = [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`];
const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  transform,
  transformIgnorePatterns,
};

module.exports = {
  // Per project it is ignored; the e2e tests wait for real workers and servers.
  testTimeout: 30_000,
  // On 2 cores Jest runs the files in its own process (in band), where a handle a test left open
  // keeps the run from ending (and CI waiting out its limit). Known: the API started against an unreachable
  // Redis (operations.e2e-spec) leaves a timer behind after close, sometimes. The run still fails on
  // any failed test; this only ends it once they are all done.
  forceExit: true,
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
    // Real worker and API processes killed, stopped and starved of Redis (test/faults); about a minute.
    { ...common, displayName: 'faults', testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'] },
  ],
};
