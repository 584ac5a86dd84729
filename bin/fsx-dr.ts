#!/usr/bin/env node
import { main } from '../src/cli/main.js';
import { processOutput } from '../src/cli/output.js';
import { runService } from '../workers/run-service.js';

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

// The `fsx-dr` executable, and the only module that reaches both the verbs (src/cli) and the long-running
// composition root (workers/). Exits explicitly so that a lingering handle never keeps a finished command alive.
main(process.argv.slice(2), process.env, processOutput, runService).then(exitAfterFlush, (err: unknown) => {
  process.stderr.write(
    `fsx-dr: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  exitAfterFlush(70);
});
