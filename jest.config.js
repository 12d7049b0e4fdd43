// Jest runs TypeScript through SWC. d3-geo, the @noble packages and marked are published as ES modules only,
// which jest's CommonJS loader cannot require, so they are transformed too.
const shared = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j|mj)sx?$': ['@swc/jest', { jsc: { target: 'es2023' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: [
    '/node_modules/(?!(d3-geo|d3-array|internmap|@noble|@scure|topojson-client|marked)/)',
  ],
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60000,
  maxWorkers: 2,
  projects: [
    // Pure logic: no database, milliseconds.
    { ...shared, displayName: 'unit', roots: ['<rootDir>/test/unit'] },
    // Real Postgres: the server at DATABASE_URL, or an embedded PGlite cloned from one migrated template.
    {
      ...shared,
      displayName: 'integration',
      roots: ['<rootDir>/test/integration', '<rootDir>/test/browser', '<rootDir>/test/security'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
