import { parseArgs } from 'node:util';
import { REDIS_TOPOLOGIES, type RedisTopology } from '../../src/config/redis-target.js';
import { newSeed } from './chaos-random.js';

export interface ChaosArgs {
  readonly quick: boolean;
  /** The Redis the service runs on: one node (restarted), Sentinel (primary SIGKILLed), or a cluster. */
  readonly redis: RedisTopology;
  readonly seed: number;
  /**
   * Where the table goes: `out` (default) to reliability/out/ (git ignores it), `publish` to reliability/latest.md
   * (the committed table the README quotes; a full run only), `none` nowhere but stdout.
   */
  readonly report: 'out' | 'publish' | 'none';
  /** Where to write the evidence the audit read (requests, copies, outcomes, jobs, log events), if anywhere. */
  readonly evidenceDir?: string;
}

export const CHAOS_USAGE = `Usage: npm run chaos -- [--quick] [--redis R] [--seed N] [--publish | --no-report] [--evidence DIR]

  --quick       the CI-sized run (about 2 minutes); without it, the full run (about 5 minutes)
  --redis R     standalone (default: one redis-server, restarted mid-run), sentinel (a primary, a replica and
                three sentinels; the primary is SIGKILLed mid-run, later the new one) or cluster (three primaries;
                the node holding the service's slot is SIGKILLed and restarted mid-run)
  --seed N      repeat a run: the seed is printed by every run (default: a new one)
  --publish     write the table to reliability/latest.md (latest-sentinel.md, latest-cluster.md with --redis;
                committed, quoted by the README); a full run only
  --no-report   write no table file (it is printed either way); by default it goes to reliability/out/
  --evidence D  write what the audit read (CopyBackup requests, copies made, outcomes, jobs, log events) to D`;

/** Parses `npm run chaos -- ...`; throws with the usage on anything else. */
export function parseChaosArgs(argv: readonly string[]): ChaosArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean' },
      redis: { type: 'string' },
      seed: { type: 'string' },
      'no-report': { type: 'boolean' },
      publish: { type: 'boolean' },
      evidence: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) throw new Error(CHAOS_USAGE);
  const seed = values.seed === undefined ? newSeed() : Number(values.seed);
  if (!Number.isInteger(seed) || seed <= 0 || seed > 0xffffffff) {
    throw new Error(`--seed must be a positive integer below 2^32\n\n${CHAOS_USAGE}`);
  }
  const quick = values.quick ?? false;
  if (values.publish && quick)
    throw new Error(`--publish writes the committed table of a full run: not with --quick\n\n${CHAOS_USAGE}`);
  if (values.publish && values['no-report'])
    throw new Error(`--publish and --no-report contradict each other\n\n${CHAOS_USAGE}`);
  const redis = (values.redis ?? 'standalone') as RedisTopology;
  if (!REDIS_TOPOLOGIES.includes(redis)) {
    throw new Error(`--redis must be one of ${REDIS_TOPOLOGIES.join(', ')}\n\n${CHAOS_USAGE}`);
  }
  return {
    quick,
    redis,
    seed,
    report: values.publish ? 'publish' : values['no-report'] ? 'none' : 'out',
    ...(values.evidence !== undefined ? { evidenceDir: values.evidence } : {}),
  };
}
