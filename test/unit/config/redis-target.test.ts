import { describe, expect, it } from 'vitest';
import { hashTagOf, serviceKeyPrefix } from '../../../src/config/key-prefix.js';
import { describeRedisTarget, readRedisTarget, type RedisTarget } from '../../../src/config/redis-target.js';

const PW = 'S3cret-pw';
const SPW = 'Sentinel-S3cret';

function target(env: Record<string, string>): RedisTarget {
  const r = readRedisTarget(env);
  if (!r.ok) throw new Error(`unexpected problems: ${JSON.stringify(r.problems)}`);
  return r.target;
}

describe('readRedisTarget: what is accepted', () => {
  it.each<[string, Record<string, string>, RedisTarget]>([
    [
      'nothing set: the local default, as always',
      {},
      { topology: 'standalone', url: 'redis://127.0.0.1:6379', auth: { tls: false } },
    ],
    [
      'REDIS_URL alone, password and TLS in it',
      { REDIS_URL: `rediss://:${PW}@cache.example.com:6380` },
      {
        topology: 'standalone',
        url: `rediss://:${PW}@cache.example.com:6380`,
        auth: { password: PW, tls: true },
      },
    ],
    [
      'REDIS_URL with REDIS_PASSWORD and REDIS_TLS beside it',
      { REDIS_URL: 'redis://cache:6379/2', REDIS_PASSWORD: PW, REDIS_TLS: 'true' },
      { topology: 'standalone', url: 'redis://cache:6379/2', auth: { password: PW, tls: true } },
    ],
    [
      'a REDIS_URL ioredis reads that is not a redis:// URL is passed on untouched',
      { REDIS_URL: '/run/redis/redis.sock' },
      { topology: 'standalone', url: '/run/redis/redis.sock', auth: { tls: false } },
    ],
    [
      'empty variables count as unset',
      { REDIS_URL: '', REDIS_SENTINELS: '', REDIS_CLUSTER_NODES: '', REDIS_TLS: '' },
      { topology: 'standalone', url: 'redis://127.0.0.1:6379', auth: { tls: false } },
    ],
    [
      'Sentinel: three sentinels (one by IPv6, one on the default port) and the master group',
      {
        REDIS_SENTINELS: 's1:26379, s2.example.com:26380,[fd00::3]:26381,s4',
        REDIS_SENTINEL_MASTER: 'mymaster',
      },
      {
        topology: 'sentinel',
        sentinels: [
          { host: 's1', port: 26379 },
          { host: 's2.example.com', port: 26380 },
          { host: 'fd00::3', port: 26381 },
          { host: 's4', port: 26379 },
        ],
        masterName: 'mymaster',
        db: 0,
        auth: { tls: false },
      },
    ],
    [
      'Sentinel: credentials, TLS and database from REDIS_URL, whose host is never used',
      {
        REDIS_SENTINELS: 's1:26379',
        REDIS_SENTINEL_MASTER: 'mymaster',
        REDIS_URL: `rediss://app:${encodeURIComponent(PW)}@ignored-host/3`,
        REDIS_SENTINEL_PASSWORD: SPW,
      },
      {
        topology: 'sentinel',
        sentinels: [{ host: 's1', port: 26379 }],
        masterName: 'mymaster',
        db: 3,
        auth: { username: 'app', password: PW, tls: true },
        sentinelPassword: SPW,
      },
    ],
    [
      'Sentinel: password and TLS from REDIS_PASSWORD and REDIS_TLS',
      { REDIS_SENTINELS: 's1:26379', REDIS_SENTINEL_MASTER: 'm', REDIS_PASSWORD: PW, REDIS_TLS: 'true' },
      {
        topology: 'sentinel',
        sentinels: [{ host: 's1', port: 26379 }],
        masterName: 'm',
        db: 0,
        auth: { password: PW, tls: true },
      },
    ],
    [
      'cluster: one seed node is enough (an ElastiCache Serverless endpoint)',
      { REDIS_CLUSTER_NODES: 'my-cache.serverless.use1.cache.amazonaws.com:6379', REDIS_TLS: 'true' },
      {
        topology: 'cluster',
        nodes: [{ host: 'my-cache.serverless.use1.cache.amazonaws.com', port: 6379 }],
        auth: { tls: true },
      },
    ],
    [
      'cluster: several nodes, password from REDIS_URL (host ignored), default port',
      { REDIS_CLUSTER_NODES: 'n1:7000,n2:7001,n3', REDIS_URL: `redis://:${PW}@ignored` },
      {
        topology: 'cluster',
        nodes: [
          { host: 'n1', port: 7000 },
          { host: 'n2', port: 7001 },
          { host: 'n3', port: 6379 },
        ],
        auth: { password: PW, tls: false },
      },
    ],
  ])('%s', (_name, env, expected) => {
    expect(target(env)).toEqual(expected);
  });
});

describe('readRedisTarget: what is refused (FSXDR_ENV_INVALID, naming the variable)', () => {
  it.each<[string, Record<string, string>, string, RegExp]>([
    [
      'Sentinel and cluster both',
      { REDIS_SENTINELS: 's:1', REDIS_SENTINEL_MASTER: 'm', REDIS_CLUSTER_NODES: 'n:1' },
      'REDIS_CLUSTER_NODES',
      /both set/,
    ],
    ['sentinels without a master name', { REDIS_SENTINELS: 's:26379' }, 'REDIS_SENTINEL_MASTER', /required/],
    [
      'a master name without sentinels',
      { REDIS_SENTINEL_MASTER: 'm' },
      'REDIS_SENTINEL_MASTER',
      /only with REDIS_SENTINELS/,
    ],
    [
      'a sentinel password without sentinels',
      { REDIS_SENTINEL_PASSWORD: SPW },
      'REDIS_SENTINEL_PASSWORD',
      /only with/,
    ],
    [
      'a sentinel password on a cluster',
      { REDIS_CLUSTER_NODES: 'n:1', REDIS_SENTINEL_PASSWORD: SPW },
      'REDIS_SENTINEL_PASSWORD',
      /only with/,
    ],
    [
      'a master name with a space',
      { REDIS_SENTINELS: 's:1', REDIS_SENTINEL_MASTER: 'my master' },
      'REDIS_SENTINEL_MASTER',
      /without spaces/,
    ],
    [
      'an empty entry',
      { REDIS_SENTINELS: 's1:1,,s2:2', REDIS_SENTINEL_MASTER: 'm' },
      'REDIS_SENTINELS',
      /entry 2 of 3 is empty/,
    ],
    ['a trailing comma', { REDIS_CLUSTER_NODES: 'n1:7000,' }, 'REDIS_CLUSTER_NODES', /entry 2 of 2 is empty/],
    ['port 0', { REDIS_CLUSTER_NODES: 'n1:0' }, 'REDIS_CLUSTER_NODES', /no port 1\.\.65535/],
    ['port too big', { REDIS_CLUSTER_NODES: 'n1:70000' }, 'REDIS_CLUSTER_NODES', /no port/],
    [
      'a port that is not a number',
      { REDIS_SENTINELS: 's1:abc', REDIS_SENTINEL_MASTER: 'm' },
      'REDIS_SENTINELS',
      /no port/,
    ],
    ['an empty port', { REDIS_SENTINELS: 's1:', REDIS_SENTINEL_MASTER: 'm' }, 'REDIS_SENTINELS', /no port/],
    ['a bare IPv6 address', { REDIS_CLUSTER_NODES: 'fd00::1:7000' }, 'REDIS_CLUSTER_NODES', /brackets/],
    [
      'a bad host name',
      { REDIS_CLUSTER_NODES: 'bad_host:7000' },
      'REDIS_CLUSTER_NODES',
      /no valid host name/,
    ],
    ['no host', { REDIS_CLUSTER_NODES: ':7000' }, 'REDIS_CLUSTER_NODES', /no valid host name/],
    [
      'a URL in the list',
      { REDIS_CLUSTER_NODES: 'redis://n1:7000' },
      'REDIS_CLUSTER_NODES',
      /URL or carries credentials/,
    ],
    [
      'credentials in the list',
      { REDIS_SENTINELS: `:${PW}@s1:26379`, REDIS_SENTINEL_MASTER: 'm' },
      'REDIS_SENTINELS',
      /credentials/,
    ],
    [
      'a node listed twice',
      { REDIS_CLUSTER_NODES: 'n1:7000,n1:7000' },
      'REDIS_CLUSTER_NODES',
      /listed twice/,
    ],
    [
      'REDIS_URL not a URL beside sentinels',
      { REDIS_SENTINELS: 's:1', REDIS_SENTINEL_MASTER: 'm', REDIS_URL: `:${PW}@nohost` },
      'REDIS_URL',
      /not a URL/,
    ],
    [
      'REDIS_URL of another scheme',
      { REDIS_CLUSTER_NODES: 'n:1', REDIS_URL: `http://u:${PW}@h` },
      'REDIS_URL',
      /redis:\/\/ or rediss:\/\//,
    ],
    [
      'REDIS_URL with a path that is no database',
      { REDIS_SENTINELS: 's:1', REDIS_SENTINEL_MASTER: 'm', REDIS_URL: `redis://:${PW}@h/abc` },
      'REDIS_URL',
      /database number/,
    ],
    [
      'a database other than 0 on a cluster',
      { REDIS_CLUSTER_NODES: 'n:1', REDIS_URL: `redis://:${PW}@h/1` },
      'REDIS_URL',
      /database 0 only/,
    ],
    ['REDIS_TLS not true or false', { REDIS_TLS: 'yes' }, 'REDIS_TLS', /true or false/],
    [
      'REDIS_TLS=false with rediss://',
      { REDIS_URL: `rediss://:${PW}@h`, REDIS_TLS: 'false' },
      'REDIS_TLS',
      /rediss/,
    ],
    [
      'a password in REDIS_URL and REDIS_PASSWORD',
      { REDIS_URL: `redis://:${PW}@h`, REDIS_PASSWORD: PW },
      'REDIS_PASSWORD',
      /one place/,
    ],
    [
      'a password twice, with sentinels',
      {
        REDIS_SENTINELS: 's:1',
        REDIS_SENTINEL_MASTER: 'm',
        REDIS_URL: `redis://:${PW}@x`,
        REDIS_PASSWORD: PW,
      },
      'REDIS_PASSWORD',
      /one place/,
    ],
  ])('%s', (_name, env, variable, message) => {
    const r = readRedisTarget(env);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const problem = r.problems.find((p) => p.variable === variable);
    expect(problem, JSON.stringify(r.problems)).toBeDefined();
    expect(problem?.message).toMatch(message);
    expect(problem?.message.startsWith(variable)).toBe(true);
    for (const p of r.problems) {
      expect(p.message).not.toContain(PW);
      expect(p.message).not.toContain(encodeURIComponent(PW));
      expect(p.message).not.toContain(SPW);
    }
  });

  it('reports every problem at once', () => {
    const r = readRedisTarget({
      REDIS_SENTINELS: 's1:0,,s1',
      REDIS_TLS: 'maybe',
      REDIS_URL: 'ftp://x',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.variable).sort()).toEqual([
      'REDIS_SENTINELS',
      'REDIS_SENTINELS',
      'REDIS_SENTINEL_MASTER',
      'REDIS_TLS',
      'REDIS_URL',
    ]);
  });
});

describe('describeRedisTarget', () => {
  it.each<[Record<string, string>, string]>([
    [{}, 'redis://127.0.0.1:6379'],
    [{ REDIS_URL: `rediss://:${PW}@h:6380` }, 'rediss://:***@h:6380'],
    [{ REDIS_URL: 'redis://h:6379', REDIS_PASSWORD: PW }, 'redis://h:6379 (password)'],
    [
      {
        REDIS_SENTINELS: 's1:26379,[::1]:26380',
        REDIS_SENTINEL_MASTER: 'mymaster',
        REDIS_PASSWORD: PW,
        REDIS_SENTINEL_PASSWORD: SPW,
      },
      'sentinel master mymaster via s1:26379,[::1]:26380 (password)',
    ],
    [
      { REDIS_CLUSTER_NODES: 'n1:7000', REDIS_URL: `rediss://:${PW}@ignored` },
      'cluster via n1:7000 (TLS, password)',
    ],
  ])('%j is shown as %j, never with a password', (env, shown) => {
    const text = describeRedisTarget(target(env));
    expect(text).toBe(shown);
    expect(text).not.toContain(PW);
    expect(text).not.toContain(SPW);
  });
});

describe('the key prefix', () => {
  it('is a hash tag on a cluster, and unchanged elsewhere (keys written before an upgrade are found)', () => {
    expect(serviceKeyPrefix('fsx-dr', 'cluster')).toBe('{fsx-dr}');
    expect(serviceKeyPrefix('fsx-dr', 'sentinel')).toBe('fsx-dr');
    expect(serviceKeyPrefix('prod.eu_1', 'standalone')).toBe('prod.eu_1');
  });

  it.each([
    // BullMQ's keys and the service's own: all hash the tag alone, so all share one slot.
    ['{fsx-dr}:copy-us-west-2:wait', 'fsx-dr'],
    ['{fsx-dr}:copy-eu-west-1:12345', 'fsx-dr'],
    ['{fsx-dr}:plan:meta', 'fsx-dr'],
    ['{fsx-dr}:outcomes:index', 'fsx-dr'],
    ['fsx-dr:outcomes', 'fsx-dr:outcomes'],
    ['{}:x', '{}:x'],
    ['a{b}{c}', 'b'],
  ])('%s hashes %s', (key, tag) => {
    expect(hashTagOf(key)).toBe(tag);
  });
});
