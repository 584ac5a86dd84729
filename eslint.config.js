// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

/*
 * The layering rule (README, "Architecture"), enforced here rather than hoped for:
 * - pure folders (src/schedule, src/copy, src/retention, src/report) take `now` and plain data: no I/O packages, no
 *   adapter, no logger;
 * - src/config reads files but talks to no Redis, FSx or logger;
 * - src/service runs the core through ports: no adapter, no SDK or BullMQ (a pino *type* for its logger is fine);
 * - adapters (src/fsx, src/queue) hold no policy and reach no service, verb or runtime;
 * - nothing under src/ reaches workers/ (the long-running roles and the composition root), bin/ or the harnesses;
 * - the simulator is a product of its own and imports none of the service.
 */
const IO_PACKAGES = [
  'bullmq',
  'ioredis',
  'pino',
  'pino-pretty',
  'prom-client',
  'node:fs',
  'node:fs/promises',
  'fs',
  'fs/promises',
  'node:http',
  'node:net',
  'node:child_process',
];
const AWS_SDK = { group: ['@aws-sdk/*'], message: 'only src/fsx talks to the AWS SDK' };
const ADAPTERS = {
  group: ['**/queue/*', '**/fsx/*'],
  message: 'the core owns its ports; adapters (src/fsx, src/queue) implement them and are wired in workers/',
};
const OUTER_ROOMS = {
  group: [
    '**/workers/*',
    '**/bin/*',
    '**/test/*',
    '**/simulator/*',
    '**/bench/*',
    '**/reliability/*',
    '**/scripts/*',
  ],
  message: 'src/ never imports the runtime (workers/), the bin entry or a harness',
};
const RUNTIME_ROOMS = {
  group: ['**/service/*', '**/cli/*', '**/ops/*', '**/log.js'],
  message: 'a lower layer does not reach up into services, verbs, operations or the logger',
};

/** @param {string[]} files @param {object[]} patterns @param {(string | {name: string, message: string, allowTypeImports?: boolean})[]} paths */
const zone = (files, patterns, paths = []) => ({
  files,
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns }] },
});

const pureMessage = (name) => ({
  name,
  message: 'pure folders take plain data and return decisions: no I/O here',
});

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'bench/results/', 'bench/out/', 'reliability/out/', 'coverage/'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  zone(['src/**/*.ts'], [OUTER_ROOMS]),
  zone(
    ['src/schedule/**/*.ts', 'src/copy/**/*.ts', 'src/retention/**/*.ts', 'src/report/**/*.ts'],
    [
      OUTER_ROOMS,
      AWS_SDK,
      ADAPTERS,
      RUNTIME_ROOMS,
      { group: ['**/config/load-config.js'], message: 'no file reads in the core' },
    ],
    IO_PACKAGES.map(pureMessage),
  ),
  zone(
    ['src/config/**/*.ts'],
    [OUTER_ROOMS, AWS_SDK, ADAPTERS, RUNTIME_ROOMS],
    ['bullmq', 'ioredis', 'pino', 'pino-pretty', 'prom-client'].map(pureMessage),
  ),
  zone(
    ['src/service/**/*.ts'],
    [
      OUTER_ROOMS,
      AWS_SDK,
      ADAPTERS,
      { group: ['**/cli/*', '**/ops/*'], message: 'services are called, they do not call verbs' },
    ],
    [
      ...IO_PACKAGES.filter((p) => p !== 'pino').map(pureMessage),
      {
        name: 'pino',
        message: 'services log through the Logger type they are given',
        allowTypeImports: true,
      },
    ],
  ),
  zone(
    ['src/fsx/**/*.ts', 'src/queue/**/*.ts'],
    [OUTER_ROOMS, { group: ['**/service/*', '**/cli/*', '**/ops/*'], message: 'adapters hold no policy' }],
  ),
  zone(
    ['simulator/**/*.ts'],
    [
      {
        group: ['../../src/*', '../../../src/*', '**/workers/*', '**/bin/*'],
        message: 'the simulator stands alone',
      },
    ],
  ),
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
);
