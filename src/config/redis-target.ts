/**
 * Which Redis the service talks to, read from the environment into one description: a single node (`REDIS_URL`,
 * as always), a primary found through Sentinel (`REDIS_SENTINELS` + `REDIS_SENTINEL_MASTER`), or a cluster-mode
 * endpoint (`REDIS_CLUSTER_NODES`). Pure: no connection is made here. Every problem names its variable, and no
 * problem ever quotes a password (nor a value that could hold one).
 */

import { parseHostList } from './redis-host-list.js';

export const REDIS_TOPOLOGIES = ['standalone', 'sentinel', 'cluster'] as const;
export type RedisTopology = (typeof REDIS_TOPOLOGIES)[number];

export interface RedisHost {
  readonly host: string;
  readonly port: number;
}

/** Credentials and TLS, from `REDIS_URL` or from `REDIS_PASSWORD` / `REDIS_TLS`. */
export interface RedisAuth {
  readonly username?: string;
  readonly password?: string;
  readonly tls: boolean;
}

export type RedisTarget =
  | {
      readonly topology: 'standalone';
      /** `REDIS_URL` as given (ioredis reads it); `auth` adds `REDIS_PASSWORD` / `REDIS_TLS` to it. */
      readonly url: string;
      readonly auth: RedisAuth;
    }
  | {
      readonly topology: 'sentinel';
      readonly sentinels: readonly RedisHost[];
      readonly masterName: string;
      /** The database number from `REDIS_URL`'s path (default 0). */
      readonly db: number;
      readonly auth: RedisAuth;
      readonly sentinelPassword?: string;
    }
  | {
      readonly topology: 'cluster';
      /** Seed nodes; one is enough, the client discovers the rest. */
      readonly nodes: readonly RedisHost[];
      readonly auth: RedisAuth;
    };

/** A variable the service cannot use, and why (never with a password in it). */
export interface RedisEnvironmentProblem {
  readonly variable: string;
  readonly message: string;
}

export type RedisTargetResult =
  | { readonly ok: true; readonly target: RedisTarget }
  | { readonly ok: false; readonly problems: readonly RedisEnvironmentProblem[] };

type Env = Readonly<Record<string, string | undefined>>;

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const SENTINEL_PORT = 26379;
const REDIS_PORT = 6379;

/** The value of a variable, with the empty string read as unset (as every other variable of the service). */
function read(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v === '' ? undefined : v;
}

/** Shows a Redis URL without its password (or a lone username, which may be a token), for logs and messages. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    if (u.username && u.password === '') u.username = '***';
    return u.toString();
  } catch {
    return '<unparseable REDIS_URL>';
  }
}

interface UrlParts {
  readonly username?: string;
  readonly password?: string;
  readonly tls: boolean;
  readonly db: number;
}

/** What `REDIS_URL` contributes when the host comes from elsewhere: credentials, TLS and the database. */
function urlParts(raw: string, problems: RedisEnvironmentProblem[]): UrlParts | undefined {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    problems.push({
      variable: 'REDIS_URL',
      message: 'REDIS_URL: not a URL; expected redis://[:password@]host',
    });
    return undefined;
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    problems.push({
      variable: 'REDIS_URL',
      message: `REDIS_URL=${redactRedisUrl(raw)}: expected a redis:// or rediss:// URL`,
    });
    return undefined;
  }
  const path = u.pathname.replace(/^\//, '');
  const db = path === '' ? 0 : /^\d{1,2}$/.test(path) ? Number(path) : NaN;
  if (Number.isNaN(db)) {
    problems.push({
      variable: 'REDIS_URL',
      message: `REDIS_URL=${redactRedisUrl(raw)}: the path must be a database number`,
    });
    return undefined;
  }
  const decode = (s: string): string => decodeURIComponent(s);
  return {
    ...(u.username ? { username: decode(u.username) } : {}),
    ...(u.password ? { password: decode(u.password) } : {}),
    tls: u.protocol === 'rediss:',
    db,
  };
}

function parseTlsFlag(env: Env, problems: RedisEnvironmentProblem[]): boolean | undefined {
  const raw = read(env, 'REDIS_TLS');
  if (raw === undefined) return undefined;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  problems.push({
    variable: 'REDIS_TLS',
    message: `REDIS_TLS=${JSON.stringify(raw)}: expected true or false`,
  });
  return undefined;
}

/**
 * Credentials and TLS: from `REDIS_URL` when it carries them, else from `REDIS_PASSWORD` / `REDIS_TLS`. Saying
 * the same thing twice in two ways (a password in both, `rediss://` with `REDIS_TLS=false`) is refused rather
 * than one silently winning.
 */
function mergeAuth(env: Env, url: UrlParts | undefined, problems: RedisEnvironmentProblem[]): RedisAuth {
  const password = read(env, 'REDIS_PASSWORD');
  const tlsFlag = parseTlsFlag(env, problems);
  if (password !== undefined && url?.password !== undefined) {
    problems.push({
      variable: 'REDIS_PASSWORD',
      message: 'REDIS_PASSWORD: REDIS_URL carries a password too; set it in one place',
    });
  }
  if (tlsFlag === false && url?.tls === true) {
    problems.push({
      variable: 'REDIS_TLS',
      message: 'REDIS_TLS=false, but REDIS_URL is rediss:// (TLS); drop one',
    });
  }
  const pw = url?.password ?? password;
  return {
    ...(url?.username !== undefined ? { username: url.username } : {}),
    ...(pw !== undefined ? { password: pw } : {}),
    tls: (url?.tls ?? false) || tlsFlag === true,
  };
}

/** A master group name: printable, no spaces (Sentinel splits its commands on them). */
function isMasterName(name: string): boolean {
  return name.length <= 256 && [...name].every((c) => c > ' ' && c !== '\u007f');
}

function readSentinel(
  env: Env,
  raw: string,
  url: UrlParts | undefined,
  problems: RedisEnvironmentProblem[],
): RedisTarget {
  const sentinels = parseHostList('REDIS_SENTINELS', raw, SENTINEL_PORT, problems);
  const masterName = read(env, 'REDIS_SENTINEL_MASTER');
  if (masterName === undefined) {
    problems.push({
      variable: 'REDIS_SENTINEL_MASTER',
      message: 'REDIS_SENTINEL_MASTER: required with REDIS_SENTINELS (the master group name, e.g. mymaster)',
    });
  } else if (!isMasterName(masterName)) {
    problems.push({
      variable: 'REDIS_SENTINEL_MASTER',
      message: 'REDIS_SENTINEL_MASTER: expected a master group name without spaces',
    });
  }
  const sentinelPassword = read(env, 'REDIS_SENTINEL_PASSWORD');
  return {
    topology: 'sentinel',
    sentinels,
    masterName: masterName ?? '',
    db: url?.db ?? 0,
    auth: mergeAuth(env, url, problems),
    ...(sentinelPassword !== undefined ? { sentinelPassword } : {}),
  };
}

function readCluster(
  env: Env,
  raw: string,
  url: UrlParts | undefined,
  problems: RedisEnvironmentProblem[],
): RedisTarget {
  const nodes = parseHostList('REDIS_CLUSTER_NODES', raw, REDIS_PORT, problems);
  if (url !== undefined && url.db !== 0) {
    problems.push({
      variable: 'REDIS_URL',
      message: 'REDIS_URL: a cluster has database 0 only; drop the database number from the path',
    });
  }
  for (const name of ['REDIS_SENTINEL_MASTER', 'REDIS_SENTINEL_PASSWORD']) {
    if (read(env, name) !== undefined)
      problems.push({
        variable: name,
        message: `${name}: only with REDIS_SENTINELS, not with REDIS_CLUSTER_NODES`,
      });
  }
  return { topology: 'cluster', nodes, auth: mergeAuth(env, url, problems) };
}

/** Reads the Redis variables (see the module comment); never throws. */
export function readRedisTarget(env: Env): RedisTargetResult {
  const problems: RedisEnvironmentProblem[] = [];
  const rawUrl = read(env, 'REDIS_URL');
  const sentinels = read(env, 'REDIS_SENTINELS');
  const clusterNodes = read(env, 'REDIS_CLUSTER_NODES');
  let target: RedisTarget;
  if (sentinels !== undefined && clusterNodes !== undefined) {
    problems.push({
      variable: 'REDIS_CLUSTER_NODES',
      message:
        'REDIS_CLUSTER_NODES and REDIS_SENTINELS are both set; a Redis is either a cluster or behind Sentinel',
    });
    return { ok: false, problems };
  }
  if (sentinels !== undefined || clusterNodes !== undefined) {
    // The host of REDIS_URL is never used here: only its credentials, TLS and database.
    const url = rawUrl === undefined ? undefined : urlParts(rawUrl, problems);
    target =
      sentinels !== undefined
        ? readSentinel(env, sentinels, url, problems)
        : readCluster(env, clusterNodes ?? '', url, problems);
  } else {
    for (const name of ['REDIS_SENTINEL_MASTER', 'REDIS_SENTINEL_PASSWORD']) {
      if (read(env, name) !== undefined)
        problems.push({ variable: name, message: `${name}: only with REDIS_SENTINELS, which is not set` });
    }
    const url = rawUrl ?? DEFAULT_REDIS_URL;
    // REDIS_URL alone works as it always did (ioredis reads it); only when it is a redis(s):// URL can a
    // password or TLS flag beside it be checked against it.
    const parts = /^rediss?:\/\//i.test(url) ? urlParts(url, problems) : undefined;
    target = { topology: 'standalone', url, auth: mergeAuth(env, parts, problems) };
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, target };
}

/** One line for the `service.starting` log and messages: where Redis is, never a password. */
export function describeRedisTarget(target: RedisTarget): string {
  const extras = (auth: RedisAuth): string =>
    [auth.tls ? 'TLS' : '', auth.password !== undefined ? 'password' : ''].filter(Boolean).join(', ');
  const list = (hosts: readonly RedisHost[]): string =>
    hosts.map((h) => (h.host.includes(':') ? `[${h.host}]:${h.port}` : `${h.host}:${h.port}`)).join(',');
  switch (target.topology) {
    case 'standalone': {
      const shown = redactRedisUrl(target.url);
      const more = target.auth.password !== undefined && !shown.includes('***') ? ' (password)' : '';
      return `${shown}${more}`;
    }
    case 'sentinel': {
      const e = extras(target.auth);
      return `sentinel master ${target.masterName} via ${list(target.sentinels)}${e ? ` (${e})` : ''}`;
    }
    case 'cluster': {
      const e = extras(target.auth);
      return `cluster via ${list(target.nodes)}${e ? ` (${e})` : ''}`;
    }
  }
}
