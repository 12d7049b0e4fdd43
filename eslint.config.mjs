// Flat config: typescript-eslint's type-checked rules, with the three the house style names made errors.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

// The shape of the house as rules (STYLE.md, "Shape of the house"). Capabilities stand on the floors
// (platform, reference, reports, audit, maps), never on each other's internals: another capability is
// reached only through what it offers others below. Routers never touch SQL, and a floor imports no
// capability. app.ts, compose.ts, server.ts and cli/ are composition roots and may import anything.
const FLOORS = ['platform', 'reference', 'reports', 'audit', 'maps'];
const OFFERED = {
  accounts: ['session', 'service', 'types', 'desk-keys', 'retention'],
  releases: ['read', 'tables', 'label'],
  intake: [],
  moderation: [],
  cases: [],
  public: [],
};
const CAPABILITIES = Object.keys(OFFERED);

function layering() {
  const otherCapabilities = (self) =>
    CAPABILITIES.filter((other) => other !== self).map((other) => ({
      group: ['../', '../../'].flatMap((up) => [
        `${up}${other}/*`,
        ...OFFERED[other].map((file) => `!${up}${other}/${file}`),
      ]),
      message: `${self}/ may use ${other}/ only through ${OFFERED[other].join(', ') || 'nothing'}: ${other}'s internals are its own.`,
    }));
  const stores = {
    regex: '(^|/)([a-z-]+-)?store$',
    message: 'A router never touches SQL: call its service (routes → service → store).',
  };
  const routers = {
    regex: '(^|/)([a-z-]+-)?routes$',
    message: 'Nothing imports a router but app.ts, which mounts them.',
  };
  // The disclosure engine is pure: it gets atoms and returns decisions, so it can be run in a worker,
  // tested exhaustively and audited without a database. No store, no driver, no file system, no clock.
  const io = {
    group: ['knex', 'pg', 'ioredis', 'node:fs', 'node:fs/*', 'fs', '**/platform/*', '../store', '../*-store'],
    message: 'releases/disclosure/ is the pure engine: no I/O (pass it what it needs).',
  };
  return [
    ...CAPABILITIES.map((self) => ({
      files: [`src/${self}/**/*.ts`],
      rules: { 'no-restricted-imports': ['error', { patterns: [...otherCapabilities(self), routers] }] },
    })),
    ...CAPABILITIES.map((self) => ({
      files: [`src/${self}/**/routes.ts`, `src/${self}/**/*-routes.ts`],
      rules: {
        'no-restricted-imports': ['error', { patterns: [...otherCapabilities(self), routers, stores] }],
      },
    })),
    {
      files: ['src/releases/disclosure/**/*.ts'],
      rules: {
        'no-restricted-imports': ['error', { patterns: [...otherCapabilities('releases'), routers, io] }],
      },
    },
    {
      files: ['src/platform/**/*.ts'],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              { group: ['../*'], message: 'platform/ is the lowest floor: it imports nothing above it.' },
            ],
          },
        ],
      },
    },
    ...FLOORS.filter((floor) => floor !== 'platform').map((floor) => ({
      files: [`src/${floor}/**/*.ts`],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              {
                group: CAPABILITIES.flatMap((capability) => [
                  `../${capability}`,
                  `../${capability}/*`,
                  `../../${capability}/*`,
                ]),
                message: `${floor}/ is a floor: it imports no capability.`,
              },
              routers,
            ],
          },
        ],
      },
    })),
    // Small files with one job: a source file stays under 300 lines.
    {
      files: ['src/**/*.ts'],
      rules: { 'max-lines': ['error', { max: 299, skipBlankLines: false, skipComments: false }] },
    },
  ];
}

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'dist',
      'data',
      'coverage',
      '.cache',
      'public',
      '*.js',
      '*.mjs',
      '*.cjs',
      'scripts/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Promise 1: nothing may read the client address or browser fingerprint headers directly.
      'no-restricted-properties': [
        'error',
        {
          object: 'req',
          property: 'ip',
          message: 'Promise 1: never read the client IP; use the keyed limiter key.',
        },
        { object: 'req', property: 'ips', message: 'Promise 1: never read client IPs.' },
      ],
    },
  },
  ...layering(),
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  prettier,
);
