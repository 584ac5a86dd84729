import { DEFAULT_RETRY_LIMITS, type RetryLimits } from '../copy/retry-policy.js';
import { LOG_LEVELS, type LogLevel } from '../log.js';
import { parseDuration } from './duration.js';
import { serviceKeyPrefix } from './key-prefix.js';
import { readRedisTarget, type RedisTarget } from './redis-target.js';

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
}

export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

function optionalPort(port: number | undefined): { httpPort?: number } {
  return port === undefined ? {} : { httpPort: port };
}

function httpPort(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return 8080;
  if (raw === 'off') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new EnvironmentError(`FSXDR_HTTP_PORT=${JSON.stringify(raw)}: expected a port 0..65535, or off`);
  }
  return n;
}

export class EnvironmentError extends Error {
  readonly code = 'FSXDR_ENV_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'EnvironmentError';
  }
}

function duration(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const ms = parseDuration(raw, ['ms', 's', 'm', 'h', 'd']);
  if (ms === undefined || ms <= 0 || !Number.isFinite(ms)) {
    throw new EnvironmentError(
      `${name}=${JSON.stringify(raw)}: expected a duration such as 500ms, 30s, 5m or 8h`,
    );
  }
  return ms;
}

function oneOf<T extends string>(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new EnvironmentError(`${name}=${JSON.stringify(raw)}: expected one of ${allowed.join(', ')}`);
  }
  return raw as T;
}

/**
 * Reads the environment. The tunables below FSXDR_ROLE are for operators with unusual needs and for tests that
 * compress time; their defaults are what production wants.
 */
export function readEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  stdoutIsTty = false,
): Environment {
  const maxTransient = env['FSXDR_MAX_TRANSIENT_FAILURES'];
  const maxTransientFailures =
    maxTransient === undefined || maxTransient === ''
      ? DEFAULT_RETRY_LIMITS.maxTransientFailures
      : Number(maxTransient);
  if (!Number.isInteger(maxTransientFailures) || maxTransientFailures < 0 || maxTransientFailures > 100) {
    throw new EnvironmentError(
      `FSXDR_MAX_TRANSIENT_FAILURES=${JSON.stringify(maxTransient)}: expected 0..100`,
    );
  }
  const prefix = env['FSXDR_PREFIX'] || 'fsx-dr';
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(prefix)) {
    throw new EnvironmentError(`FSXDR_PREFIX=${JSON.stringify(prefix)}: expected 1..64 of [A-Za-z0-9_.-]`);
  }
  const redis = readRedisTarget(env);
  if (!redis.ok) throw new EnvironmentError(redis.problems.map((p) => p.message).join('; '));
  const d = DEFAULT_RETRY_LIMITS;
  return Object.freeze({
    redis: redis.target,
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    role: oneOf(env, 'FSXDR_ROLE', ROLES, 'all'),
    prefix: serviceKeyPrefix(prefix, redis.target.topology),
    lockDurationMs: duration(env, 'FSXDR_LOCK_DURATION', 60_000),
    stalledIntervalMs: duration(env, 'FSXDR_STALLED_INTERVAL', 30_000),
    fsxRequestTimeoutMs: duration(env, 'FSXDR_FSX_REQUEST_TIMEOUT', 30_000),
    ...optionalPort(httpPort(env['FSXDR_HTTP_PORT'])),
    httpHost: env['FSXDR_HTTP_HOST'] || '0.0.0.0',
    logFormat: oneOf(env, 'LOG_FORMAT', LOG_FORMATS, stdoutIsTty ? 'pretty' : 'json'),
    rpoCheckIntervalMs: duration(env, 'FSXDR_RPO_CHECK_INTERVAL', 60_000),
    retry: Object.freeze({
      maxTransientFailures,
      transientBaseMs: duration(env, 'FSXDR_TRANSIENT_RETRY_BASE', d.transientBaseMs),
      transientCapMs: duration(env, 'FSXDR_TRANSIENT_RETRY_CAP', d.transientCapMs),
      sourceWaitBaseMs: duration(env, 'FSXDR_SOURCE_WAIT_BASE', d.sourceWaitBaseMs),
      sourceWaitCapMs: duration(env, 'FSXDR_SOURCE_WAIT_CAP', d.sourceWaitCapMs),
      regionFullDelayMs: duration(env, 'FSXDR_REGION_FULL_DELAY', d.regionFullDelayMs),
    }),
  });
}
