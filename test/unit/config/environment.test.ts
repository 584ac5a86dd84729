import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { EnvironmentError, readEnvironment } from '../../../src/config/environment.js';
import { DEFAULT_RETRY_LIMITS } from '../../../src/copy/retry-policy.js';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    readEnvironment(env);
  } catch (err) {
    if (err instanceof EnvironmentError) return err.problems;
    throw err;
  }
  return [];
}

describe('readEnvironment', () => {
  it('gives the production defaults for an empty environment, frozen', () => {
    const env = readEnvironment({});
    expect(env).toMatchObject({
      redis: { topology: 'standalone', url: 'redis://127.0.0.1:6379', auth: { tls: false } },
      logLevel: 'info',
      role: 'all',
      prefix: 'fsx-dr',
      lockDurationMs: 60_000,
      stalledIntervalMs: 30_000,
      fsxRequestTimeoutMs: 30_000,
      httpPort: 8080,
      httpHost: '0.0.0.0',
      logFormat: 'json',
      rpoCheckIntervalMs: 60_000,
      retry: DEFAULT_RETRY_LIMITS,
    });
    expect(Object.isFrozen(env)).toBe(true);
    expect(Object.isFrozen(env.retry)).toBe(true);
    expect(readEnvironment({}, true).logFormat).toBe('pretty');
  });

  it('reads every variable it knows; an empty one means the default', () => {
    const env = readEnvironment({
      REDIS_URL: 'rediss://redis.internal:6380',
      LOG_LEVEL: 'debug',
      FSXDR_ROLE: 'worker',
      FSXDR_PREFIX: 'dr.prod',
      FSXDR_HTTP_PORT: 'off',
      FSXDR_LOCK_DURATION: '2s',
      FSXDR_MAX_TRANSIENT_FAILURES: '0',
      FSXDR_REGION_FULL_DELAY: '',
    });
    expect(env).toMatchObject({
      redis: { topology: 'standalone', url: 'rediss://redis.internal:6380', auth: { tls: true } },
      logLevel: 'debug',
      role: 'worker',
    });
    expect(env).toMatchObject({ prefix: 'dr.prod', lockDurationMs: 2_000 });
    expect(env.httpPort).toBeUndefined();
    expect(env.retry.maxTransientFailures).toBe(0);
    expect(env.retry.regionFullDelayMs).toBe(DEFAULT_RETRY_LIMITS.regionFullDelayMs);
  });

  it('names every bad variable at once, not only the first', () => {
    expect(
      problemsOf({
        LOG_LEVEL: 'loud',
        FSXDR_ROLE: 'boss',
        FSXDR_PREFIX: 'has:colon',
        FSXDR_HTTP_PORT: '70000',
        FSXDR_LOCK_DURATION: '10',
        FSXDR_MAX_TRANSIENT_FAILURES: '-1',
        FSXDR_SOURCE_WAIT_CAP: '0s',
        LOG_FORMAT: 'xml',
      }),
    ).toEqual([
      'LOG_LEVEL="loud": expected one of fatal, error, warn, info, debug, trace, silent',
      'FSXDR_ROLE="boss": expected one of all, scheduler, worker',
      'FSXDR_PREFIX="has:colon": expected 1..64 of [A-Za-z0-9_.-]',
      'FSXDR_LOCK_DURATION="10": expected a duration such as 500ms, 30s, 5m or 8h',
      'FSXDR_HTTP_PORT="70000": expected a port 0..65535, or off',
      'LOG_FORMAT="xml": expected one of json, pretty',
      'FSXDR_MAX_TRANSIENT_FAILURES="-1": expected 0..100',
      'FSXDR_SOURCE_WAIT_CAP="0s": expected a duration such as 500ms, 30s, 5m or 8h',
    ]);
  });

  it('is an error of the catalogue, with one problem as its message when there is one', () => {
    let error: unknown;
    try {
      readEnvironment({ FSXDR_HTTP_PORT: 'x' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(EnvironmentError);
    expect(error).toMatchObject({
      code: 'FSXDR_ENV_INVALID',
      message: 'FSXDR_HTTP_PORT="x": expected a port 0..65535, or off',
    });
  });

  it('makes the CLI print each bad variable on its own line and exit 1', async () => {
    const stderr: string[] = [];
    const code = await main(
      ['outcomes'],
      { FSXDR_PREFIX: 'a b', FSXDR_RPO_CHECK_INTERVAL: 'soon' },
      { stdout: () => undefined, stderr: (t) => void stderr.push(t) },
      () => Promise.resolve(0),
    );
    expect(code).toBe(1);
    expect(stderr).toEqual([
      'fsx-dr: FSXDR_PREFIX="a b": expected 1..64 of [A-Za-z0-9_.-]',
      'fsx-dr: FSXDR_RPO_CHECK_INTERVAL="soon": expected a duration such as 500ms, 30s, 5m or 8h',
    ]);
  });
});
