/**
 * `npm run demo`: the service, as users run it (the `fsx-dr` CLI), against the FSx simulator with config/demo.yaml,
 * whose schedules fire every few seconds. Redis comes from REDIS_URL, or a private `redis-server` on a free port.
 *
 *   npm run demo                    # about 75 seconds, then the outcomes table
 *   npm run demo -- --duration 30   # seconds
 *   npm run demo -- --raw           # the service's JSON log lines as they are
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { startFsxSimulator } from '../simulator/src/index.js';
import { startRedis } from '../test/support/redis-server.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = resolve(ROOT, 'dist/bin/fsx-dr.js');
const CONFIG = resolve(ROOT, 'config/demo.yaml');
const SOURCE_REGION = 'us-east-1';
const FILE_SYSTEMS = [
  ['fs-0a1b2c3d4e5f60001', 'WINDOWS'],
  ['fs-0a1b2c3d4e5f60002', 'WINDOWS'],
  ['fs-0a1b2c3d4e5f60003', 'OPENZFS'],
  ['fs-0a1b2c3d4e5f60004', 'LUSTRE'],
] as const;

const SHOWN_EVENTS = new Set([
  'service.starting',
  'http.listening',
  'schedule.fired',
  'schedule.planned',
  'copy.started',
  'copy.attached',
  'copy.retry',
  'copy.succeeded',
  'copy.failed',
  'copy.expired',
  'plan.skipped',
  'service.stopped',
]);

/** One short human line per log event that matters; the JSON carries everything else. */
function describe(l: Record<string, unknown>): string | undefined {
  const event = typeof l['event'] === 'string' ? l['event'] : undefined;
  if (!event || !SHOWN_EVENTS.has(event)) return undefined;
  const time = typeof l['time'] === 'string' ? l['time'].slice(11, 19) : '';
  const s = (k: string): string => {
    const v = l[k];
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
  };
  const route = `${s('policy')} ${s('sourceBackupId')} -> ${s('destinationRegion')}`;
  const detail: Record<string, string> = {
    'schedule.fired': `${s('policy')} slot ${s('slot')}${l['catchUp'] ? ' (catch-up)' : ''}`,
    'schedule.planned': `${s('policy')}: ${s('backupsListed')} backups listed, ${s('planned')} copies planned, ${s('alreadyCopied')} already copied`,
    'copy.started': `${route} as ${s('destinationBackupId')}`,
    'copy.attached': `${route} found existing ${s('destinationBackupId')}`,
    'copy.retry': `${route}: ${s('errorName')}, again in ${s('delayMs')} ms`,
    'copy.succeeded': `${route} = ${s('destinationBackupId')} in ${s('durationMs')} ms`,
    'copy.failed': `${route}: ${s('errorName')}: ${s('errorMessage')}`,
    'copy.expired': `${route}: ${s('errorMessage')}`,
    'plan.skipped': `${s('policy')} ${s('fileSystemId')}: ${s('reason')}`,
    'http.listening': `metrics at http://127.0.0.1:${s('port')}/metrics, health at /healthz and /readyz`,
  };
  return `${time}  ${event.padEnd(17)} ${detail[event] ?? s('msg')}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { duration: { type: 'string' }, raw: { type: 'boolean' } } });
  const durationS = Number(values.duration ?? 75);
  const sim = await startFsxSimulator({
    seed: 7,
    // Copies take 3 to 9 seconds; one in ten fails, as real copies sometimes do.
    copyDuration: (c) => 3_000 + (c.sequence % 7) * 1_000,
    copyFailure: (c) =>
      c.sequence % 10 === 9 ? 'Simulated: the copy failed in the destination Region' : undefined,
    creationDuration: 6_000,
  });
  for (const [id, type] of FILE_SYSTEMS) {
    sim.addFileSystem({ region: SOURCE_REGION, fileSystemId: id, type });
    sim.addBackup({ region: SOURCE_REGION, fileSystemId: id, creationTime: Date.now() - 3_600_000 });
  }
  const redis = await startRedis();
  const env = {
    PATH: process.env['PATH'] ?? '',
    REDIS_URL: redis.url,
    FSXDR_PREFIX: process.env['REDIS_URL'] ? 'fsx-dr-demo' : 'fsx-dr',
    AWS_REGION: SOURCE_REGION,
    AWS_ACCESS_KEY_ID: 'AKIDDEMODEMODEMODEMO',
    AWS_SECRET_ACCESS_KEY: 'demo-secret-never-logged',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_FSX: sim.endpoint,
    FSXDR_SOURCE_WAIT_BASE: '2s',
    FSXDR_SOURCE_WAIT_CAP: '4s',
    FSXDR_REGION_FULL_DELAY: '2s',
    FSXDR_HTTP_PORT: '0',
    FSXDR_HTTP_HOST: '127.0.0.1',
    LOG_FORMAT: 'json',
  };
  process.stdout.write(
    `FSx simulator at ${sim.endpoint}, Redis at ${redis.url}; running \`fsx-dr run --config config/demo.yaml\` for ${durationS} s\n\n`,
  );
  const service = spawn(process.execPath, [CLI, 'run', '--config', CONFIG], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  createInterface({ input: service.stdout }).on('line', (line) => {
    if (values.raw) return void process.stdout.write(`${line}\n`);
    try {
      const text = describe(JSON.parse(line) as Record<string, unknown>);
      if (text) process.stdout.write(`${text}\n`);
    } catch {
      process.stdout.write(`${line}\n`);
    }
  });
  // New backups appear while the service runs, one of them still being created when it is picked.
  let n = 0;
  const newBackups = setInterval(() => {
    const [id] = FILE_SYSTEMS[n % FILE_SYSTEMS.length] ?? FILE_SYSTEMS[0];
    n += 1;
    sim.addBackup({
      region: SOURCE_REGION,
      fileSystemId: id,
      lifecycle: 'CREATING',
      availableAt: Date.now() + 6_000,
    });
  }, 15_000);

  const exited = new Promise<number | null>((res) => service.once('exit', (code) => res(code)));
  const stopAt = setTimeout(() => service.kill('SIGTERM'), durationS * 1000);
  const interrupt = (): void => void service.kill('SIGTERM');
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  const code = await exited;
  clearTimeout(stopAt);
  clearInterval(newBackups);

  process.stdout.write('\n$ fsx-dr outcomes\n');
  const outcomes = spawn(process.execPath, [CLI, 'outcomes', '--limit', '100'], { env, stdio: 'inherit' });
  await new Promise((res) => outcomes.once('exit', res));
  const peak = ['us-west-2', 'eu-west-1'].map((r) => `${r} ${sim.peakInFlight(r).total}`).join(', ');
  process.stdout.write(`\npeak copies in flight per Region (FSx allows 5): ${peak}\n`);
  await sim.close();
  await redis.stop();
  process.exitCode = code === 0 ? 0 : 1;
}

await main();
