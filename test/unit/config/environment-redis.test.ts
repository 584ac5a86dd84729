import { describe, expect, it } from 'vitest';
import { EnvironmentError, readEnvironment } from '../../../src/config/environment.js';

describe('readEnvironment: Redis', () => {
  it('keeps REDIS_URL alone working as before, prefix untouched', () => {
    const env = readEnvironment({ REDIS_URL: 'redis://cache:6379', FSXDR_PREFIX: 'prod' });
    expect(env.redis).toEqual({ topology: 'standalone', url: 'redis://cache:6379', auth: { tls: false } });
    expect(env.prefix).toBe('prod');
  });

  it('puts FSXDR_PREFIX in a hash tag on a cluster (the default prefix too), and not behind Sentinel', () => {
    expect(readEnvironment({ REDIS_CLUSTER_NODES: 'n1:7000' }).prefix).toBe('{fsx-dr}');
    expect(readEnvironment({ REDIS_CLUSTER_NODES: 'n1:7000', FSXDR_PREFIX: 'prod' }).prefix).toBe('{prod}');
    expect(readEnvironment({ REDIS_SENTINELS: 's:26379', REDIS_SENTINEL_MASTER: 'm' }).prefix).toBe('fsx-dr');
  });

  it('tags copies with FSXDR_PREFIX as written on every topology, so a move to a cluster still knows its copies', () => {
    const variables = [
      { REDIS_URL: 'redis://cache:6379' },
      { REDIS_SENTINELS: 's:26379', REDIS_SENTINEL_MASTER: 'm' },
      { REDIS_CLUSTER_NODES: 'n1:7000' },
    ];
    for (const v of variables)
      expect(readEnvironment({ ...v, FSXDR_PREFIX: 'prod' }).deployment).toBe('prod');
    expect(readEnvironment({ REDIS_CLUSTER_NODES: 'n1:7000' }).deployment).toBe('fsx-dr');
  });

  it('refuses an invalid combination with FSXDR_ENV_INVALID, naming the variables and never the password', () => {
    let caught: unknown;
    try {
      readEnvironment({
        REDIS_SENTINELS: 's1:26379,,s2',
        REDIS_CLUSTER_NODES: 'n1:7000',
        REDIS_URL: 'redis://:hunter2@ignored',
      });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(EnvironmentError);
    const err = caught as EnvironmentError;
    expect(err.code).toBe('FSXDR_ENV_INVALID');
    expect(err.message).toContain('REDIS_CLUSTER_NODES');
    expect(err.message).not.toContain('hunter2');
    expect(() => readEnvironment({ REDIS_SENTINELS: 's1:26379' })).toThrow(/REDIS_SENTINEL_MASTER/);
  });
});
