#!/usr/bin/env node
import { main } from './main.js';
import { processOutput } from './output.js';

// The `fsx-dr` executable. Exits explicitly so that a lingering handle never keeps a finished command alive.
main(process.argv.slice(2), process.env, processOutput).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(
      `fsx-dr: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(70);
  },
);
