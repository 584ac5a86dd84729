import { defineConfig } from 'vitest/config';

/**
 * Two projects, run one after the other:
 * - `unit`: pure code (test/unit, the chaos audit's verdicts, the bench and chaos arguments): no process, no
 *   socket, no Redis. Files in parallel.
 * - `integration`: real `redis-server`s, the FSx simulator over HTTP, and the built CLI as child processes. Two
 *   files at a time: they mostly wait on copies, schedules and process start-ups, not on the CPU, so a second file
 *   halves the wall time on the 2-core machine (342 s to 181 s for the whole suite, measured). More would
 *   oversubscribe two cores with process start-ups. Each file's Redis servers, simulator and service processes are
 *   its own, on ports that were free (taken ones are tried again, test/support/redis-node.ts), with unique key
 *   prefixes. Tests inside a file run in order, except where a file says `describe.concurrent`.
 */
export default defineConfig({
  test: {
    pool: 'forks',
    setupFiles: ['test/support/setup-env.ts'],
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'reliability/test/**/*.test.ts', 'bench/test/**/*.test.ts'],
          maxWorkers: '100%',
          sequence: { groupOrder: 0 },
          // The DST tables walk two days in 15-minute steps (half a second each on a quiet machine): a limit for a
          // hang, as in the integration project, not vitest's 5 s, which a busy machine reaches.
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'simulator/test/**/*.test.ts'],
          maxWorkers: 2,
          // describe.concurrent (the hostile policy files) runs this many cases at once, two CLI processes each:
          // more only oversubscribes two cores and makes each case wait longer for its share.
          maxConcurrency: 2,
          sequence: { groupOrder: 1 },
          // Limits for a hang, not for speed: every wait inside a test waits for what it counts and names it.
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
