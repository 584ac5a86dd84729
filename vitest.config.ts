import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'simulator/test/**/*.test.ts', 'reliability/test/**/*.test.ts'],
    // Integration tests start real processes (redis-server, the service); give them room, not retries.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    setupFiles: ['test/support/setup-env.ts'],
    reporters: ['default'],
  },
});
