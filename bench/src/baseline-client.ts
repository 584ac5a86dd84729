/**
 * A baseline as its own process, the way a team's script would run beside (or instead of) the service:
 *
 *   node dist/bench/src/baseline-client.js --strategy sequential|retry-all --copies copies.json \
 *     --poll-ms 50 --retry-ms 1000 [--virtual-time]
 *
 * It talks to FSx through the real `@aws-sdk/client-fsx` (endpoint from AWS_ENDPOINT_URL_FSX). With
 * `--virtual-time` the endpoint must be the FSx simulator on a manual clock: every wait advances that clock
 * instead of sleeping, so a run of hundreds of copy-hours takes seconds and the script pays no network latency
 * (its best case). Prints one JSON line, the script's own report, when done.
 */
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { FSxClient } from '@aws-sdk/client-fsx';
import type { BaselineIo, BaselineReport } from './baseline-io.js';
import { runRetryAll } from './baseline-retry-all.js';
import { runSequential } from './baseline-sequential.js';
import type { CopyTarget } from './copy-set.js';

async function advanceSimulatorClock(endpoint: string, ms: number): Promise<void> {
  const res = await fetch(`${endpoint}/__sim/control`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ action: 'advanceClock', ms }),
  });
  if (!res.ok) throw new Error(`advanceClock: HTTP ${res.status} ${await res.text()}`);
}

function io(virtualTime: boolean): BaselineIo {
  const endpoint = process.env['AWS_ENDPOINT_URL_FSX'];
  if (endpoint === undefined) throw new Error('AWS_ENDPOINT_URL_FSX must point at the FSx simulator');
  const clients = new Map<string, FSxClient>();
  return {
    client: (region) => {
      let c = clients.get(region);
      if (!c) {
        c = new FSxClient({ region });
        clients.set(region, c);
      }
      return c;
    },
    sleep: (ms) => (virtualTime ? advanceSimulatorClock(endpoint, ms) : sleep(ms)),
  };
}

function positive(value: string | undefined, name: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number of milliseconds`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      strategy: { type: 'string' },
      copies: { type: 'string' },
      'poll-ms': { type: 'string', default: '1000' },
      'retry-ms': { type: 'string', default: '1000' },
      'virtual-time': { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.copies === undefined) throw new Error('--copies <file.json> is required');
  const copies = JSON.parse(await readFile(values.copies, 'utf8')) as CopyTarget[];
  const world = io(values['virtual-time']);
  const pollMs = positive(values['poll-ms'], 'poll-ms');
  const retryMs = positive(values['retry-ms'], 'retry-ms');
  const strategy = values.strategy;
  if (strategy !== 'sequential' && strategy !== 'retry-all') {
    throw new Error('--strategy must be sequential or retry-all');
  }
  const report: BaselineReport =
    strategy === 'sequential'
      ? await runSequential(copies, world, { pollMs, retryMs })
      : await runRetryAll(copies, world, { retryMs });
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
