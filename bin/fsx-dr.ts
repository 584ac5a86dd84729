#!/usr/bin/env node
import { main, type ServeCommand } from '../src/cli/main.js';
import { processOutput } from '../src/cli/output.js';

/**
 * Exits once stdout and stderr have handed over everything written: through a pipe (`fsx-dr outcomes --json | jq`)
 * they are asynchronous, and exiting at once would cut the output short.
 */
function exitAfterFlush(code: number): void {
  let pending = 2;
  const done = (): void => {
    pending -= 1;
    if (pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

/**
 * `run`'s composition root, loaded only when `run` has a valid config: the other verbs (and a refused `run`) never
 * load BullMQ, ioredis or the AWS SDK, so `fsx-dr validate` in a pipeline starts in a fraction of the time.
 */
const serve: ServeCommand = async (...args) =>
  (await import('../workers/run-service.js')).runService(...args);

// The `fsx-dr` executable, and the only module that reaches both the verbs (src/cli) and the long-running
// composition root (workers/). Exits explicitly so that a lingering handle never keeps a finished command alive.
main(process.argv.slice(2), process.env, processOutput, serve).then(exitAfterFlush, (err: unknown) => {
  process.stderr.write(
    `fsx-dr: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  exitAfterFlush(70);
});
