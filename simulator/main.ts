/**
 * Runs the FSx simulator as its own process, for the demo and for chaos runs:
 *
 *   node dist/simulator/main.js [--port 4566] [--seed-file sim.json] [--seed 1] [--clock real|manual]
 *
 * Prints one JSON line `{"event":"simulator.listening","endpoint":"http://127.0.0.1:PORT"}` on stdout once it
 * listens, and stops on SIGTERM or SIGINT. A seed file is
 * `{ "options": { ...FsxSimulatorOptions that JSON can express }, "actions": [ ...the /__sim/control actions ] }`.
 * Point the service at it with `AWS_ENDPOINT_URL_FSX=<endpoint>` (and `AWS_ENDPOINT_URL_STS=<endpoint>` for roles in
 * other accounts, registered with the `addRole` action); drive it further through `/__sim/control`.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseBehaviour, runControlActions, startFsxSimulator } from './src/index.js';

interface SeedFile {
  readonly options?: Record<string, unknown>;
  readonly actions?: unknown[];
}

function line(fields: Record<string, unknown>, stream: NodeJS.WriteStream = process.stdout): void {
  stream.write(`${JSON.stringify(fields)}\n`);
}

async function readSeedFile(path: string | undefined): Promise<SeedFile> {
  if (path === undefined) return {};
  const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(parsed)) throw new Error(`seed file ${path} must hold a JSON object { options?, actions? }`);
  const { options, actions } = parsed;
  if (options !== undefined && !isObject(options))
    throw new Error(`seed file ${path}: options must be an object`);
  if (actions !== undefined && !Array.isArray(actions))
    throw new Error(`seed file ${path}: actions must be a list`);
  return { ...(options && { options }), ...(actions && { actions: actions as unknown[] }) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4566' },
      'seed-file': { type: 'string' },
      seed: { type: 'string' },
      clock: { type: 'string' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port ${values.port} is not a port`);
  const seedFile = await readSeedFile(values['seed-file']);
  const fileOptions = seedFile.options ?? {};
  const clock = values.clock ?? fileOptions['clock'] ?? 'real';
  if (clock !== 'real' && clock !== 'manual')
    throw new Error(`--clock must be real or manual, not ${JSON.stringify(clock)}`);
  const seed = values.seed === undefined ? fileOptions['seed'] : Number(values.seed);
  const startTime = fileOptions['startTime'];

  const sim = await startFsxSimulator({
    ...parseBehaviour(fileOptions),
    port,
    clock,
    ...(typeof seed === 'number' && { seed }),
    ...(typeof startTime === 'number' && { startTime }),
    ...(typeof startTime === 'string' && { startTime: Date.parse(startTime) }),
    ...(typeof fileOptions['accountId'] === 'string' && { accountId: fileOptions['accountId'] }),
  });
  if (seedFile.actions) runControlActions(sim, seedFile.actions);
  line({ event: 'simulator.listening', endpoint: sim.endpoint });

  const stop = (signal: string): void => {
    sim.close().then(
      () => line({ event: 'simulator.stopped', signal }),
      (error: unknown) => {
        line({ event: 'simulator.failed', error: String(error) }, process.stderr);
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  line(
    { event: 'simulator.failed', error: error instanceof Error ? error.message : String(error) },
    process.stderr,
  );
  process.exitCode = 1;
});
