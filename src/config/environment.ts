import { DEFAULT_RETRY_LIMITS, REGION_FULL_PROBES, type RetryLimits } from '../copy/retry-policy.js';
import { LOG_LEVELS, type LogLevel } from '../log-levels.js';
import { parseDuration } from './duration.js';
import { EnvironmentError } from './environment-error.js';
import { serviceKeyPrefix } from './key-prefix.js';
import { DEFAULT_REDIS_URL, readRedisTarget, type RedisTarget } from './redis-target.js';

export { EnvironmentError } from './environment-error.js';

export const ROLES = ['all', 'scheduler', 'worker'] as const;
export type Role = (typeof ROLES)[number];

/** What the process takes from its environment (besides the AWS SDK's own variables), validated and frozen. */
export interface Environment {
  /** Which Redis: a node (`REDIS_URL`), a primary through Sentinel, or a cluster (see redis-target.ts). */
  readonly redis: RedisTarget;
  readonly logLevel: LogLevel;
  readonly role: Role;
  /**
   * Prefix of every Redis key and BullMQ queue; two deployments on one Redis use two prefixes. `FSXDR_PREFIX`, in a
   * hash tag (`{fsx-dr}`) on a cluster so that every key shares one slot.
   */
  readonly prefix: string;
  /**
   * `FSXDR_PREFIX` as written (no hash tag): the value of the `fsx-dr:deployment` tag on this deployment's copies,
   * the same whichever Redis topology the deployment runs on.
   */
  readonly deployment: string;
  readonly lockDurationMs: number;
  readonly stalledIntervalMs: number;
  readonly fsxRequestTimeoutMs: number;
  readonly retry: RetryLimits;
  /** Port of /healthz, /readyz and /metrics; undefined when switched off (`FSXDR_HTTP_PORT=off`). */
  readonly httpPort?: number;
  readonly httpHost: string;
  /** `pretty` for people at a terminal, `json` for log pipelines; by default pretty only on a TTY. */
  readonly logFormat: LogFormat;
  readonly rpoCheckIntervalMs: number;
  /**
   * How waiting copies are admitted to a Region's slots: `urgency` (default: by RPO deadline) or `fifo` (in the order
   * they were planned, as before; kept to compare against, e.g. in the benchmark).
   */
  readonly admission: Admission;
  /**
   * How in-flight copies are polled: `batched` (default: one DescribeBackups per account and Region per interval for
   * all the copies a process follows) or `per-copy` (one call per copy, as before; kept to compare against).
   */
  readonly pollMode: PollMode;
}

export const ADMISSIONS = ['urgency', 'fifo'] as const;
export type Admission = (typeof ADMISSIONS)[number];
export const POLL_MODES = ['batched', 'per-copy'] as const;
export type PollMode = (typeof POLL_MODES)[number];

export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/**
 * Reads variables one by one and keeps every problem instead of throwing at the first: a bad variable gives its
 * default, so the others are still read and checked.
 */
class VariableReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Readonly<Record<string, string | undefined>>) {}

  /** The value, or undefined when unset or empty (an empty variable means "use the default"). */
  raw(name: string): string | undefined {
    const v = this.env[name];
    return v === undefined || v === '' ? undefined : v;
  }

  problem(name: string, raw: string, expected: string): void {
    this.problems.push(`${name}=${JSON.stringify(raw)}: ${expected}`);
  }

  duration(name: string, fallback: number): number {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    const ms = parseDuration(raw, ['ms', 's', 'm', 'h', 'd']);
    if (ms === undefined || ms <= 0 || !Number.isFinite(ms)) {
      this.problem(name, raw, 'expected a duration such as 500ms, 30s, 5m or 8h');
      return fallback;
    }
    return ms;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    this.problem(name, raw, `expected one of ${allowed.join(', ')}`);
    return fallback;
  }

  integer(name: string, min: number, max: number, fallback: number): number {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (Number.isInteger(n) && n >= min && n <= max) return n;
    this.problem(name, raw, `expected ${min}..${max}`);
    return fallback;
  }

  prefix(): string {
    const raw = this.raw('FSXDR_PREFIX') ?? 'fsx-dr';
    if (/^[A-Za-z0-9_.-]{1,64}$/.test(raw)) return raw;
    this.problem('FSXDR_PREFIX', raw, 'expected 1..64 of [A-Za-z0-9_.-]');
    return 'fsx-dr';
  }

  httpPort(): { httpPort?: number } {
    const raw = this.raw('FSXDR_HTTP_PORT');
    if (raw === undefined) return { httpPort: 8080 };
    if (raw === 'off') return {};
    const n = Number(raw);
    if (Number.isInteger(n) && n >= 0 && n <= 65535) return { httpPort: n };
    this.problem('FSXDR_HTTP_PORT', raw, 'expected a port 0..65535, or off');
    return {};
  }
}

function retryLimits(r: VariableReader): RetryLimits {
  const d = DEFAULT_RETRY_LIMITS;
  return Object.freeze({
    maxTransientFailures: r.integer('FSXDR_MAX_TRANSIENT_FAILURES', 0, 100, d.maxTransientFailures),
    transientBaseMs: r.duration('FSXDR_TRANSIENT_RETRY_BASE', d.transientBaseMs),
    transientCapMs: r.duration('FSXDR_TRANSIENT_RETRY_CAP', d.transientCapMs),
    sourceWaitBaseMs: r.duration('FSXDR_SOURCE_WAIT_BASE', d.sourceWaitBaseMs),
    sourceWaitCapMs: r.duration('FSXDR_SOURCE_WAIT_CAP', d.sourceWaitCapMs),
    regionFullDelayMs: r.duration('FSXDR_REGION_FULL_DELAY', d.regionFullDelayMs),
    regionFullProbe: r.oneOf('FSXDR_REGION_FULL_PROBE', REGION_FULL_PROBES, d.regionFullProbe),
  });
}

/**
 * Reads the environment, and names every bad variable at once (`EnvironmentError.problems`). The tunables below
 * FSXDR_ROLE are for operators with unusual needs and for tests that compress time; their defaults are what
 * production wants.
 */
/** The key prefix (in a hash tag on a cluster) and the deployment's own name, from one `FSXDR_PREFIX`. */
function prefixes(
  deployment: string,
  topology: RedisTarget['topology'],
): { prefix: string; deployment: string } {
  return { prefix: serviceKeyPrefix(deployment, topology), deployment };
}

export function readEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  stdoutIsTty = false,
): Environment {
  const r = new VariableReader(env);
  const redis = readRedisTarget(env);
  if (!redis.ok) r.problems.push(...redis.problems.map((p) => p.message));
  const target: RedisTarget = redis.ok
    ? redis.target
    : { topology: 'standalone', url: DEFAULT_REDIS_URL, auth: { tls: false } };
  const environment: Environment = {
    redis: target,
    logLevel: r.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    role: r.oneOf('FSXDR_ROLE', ROLES, 'all'),
    ...prefixes(r.prefix(), target.topology),
    lockDurationMs: r.duration('FSXDR_LOCK_DURATION', 60_000),
    stalledIntervalMs: r.duration('FSXDR_STALLED_INTERVAL', 30_000),
    fsxRequestTimeoutMs: r.duration('FSXDR_FSX_REQUEST_TIMEOUT', 30_000),
    ...r.httpPort(),
    httpHost: r.raw('FSXDR_HTTP_HOST') ?? '0.0.0.0',
    logFormat: r.oneOf('LOG_FORMAT', LOG_FORMATS, stdoutIsTty ? 'pretty' : 'json'),
    rpoCheckIntervalMs: r.duration('FSXDR_RPO_CHECK_INTERVAL', 60_000),
    admission: r.oneOf('FSXDR_ADMISSION', ADMISSIONS, 'urgency'),
    pollMode: r.oneOf('FSXDR_POLL', POLL_MODES, 'batched'),
    retry: retryLimits(r),
  };
  if (r.problems.length > 0) throw new EnvironmentError(r.problems);
  return Object.freeze(environment);
}
