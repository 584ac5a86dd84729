import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { RedisFailoverState } from '../queue/redis-failover-watch.js';
import type { WorkerHealth } from './worker-stall-watch.js';

export interface HealthSources {
  /** Resolves when Redis answers a PING; rejects (or times out) otherwise. */
  readonly pingRedis: () => Promise<void>;
  /** The files of the config the process runs on, or undefined before one is loaded. */
  readonly configFiles: () => readonly string[] | undefined;
  readonly registry: Registry;
  /** Whether every worker of the process takes the work its queue has (see WorkerStallWatch). */
  readonly workerHealth?: () => WorkerHealth;
  /** Whether a Redis failover is under way (see RedisFailoverWatch). */
  readonly redisFailover?: () => RedisFailoverState;
}

const READY_TIMEOUT_MS = 1_000;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/**
 * The operator's HTTP port: `/healthz` (the process is alive and its workers take the work waiting for them: a
 * 503 here makes the platform restart the process), `/readyz` (Redis answers, no failover is under way, and a
 * config is loaded), `/metrics` (Prometheus text format). Nothing else; no request body is ever read.
 */
export async function startHttpServer(port: number, host: string, sources: HealthSources): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const send = (status: number, type: string, body: string): void => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    const json = (status: number, body: unknown): void =>
      send(status, 'application/json', JSON.stringify(body));
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(405, { error: 'method not allowed' });
    switch (path) {
      case '/healthz': {
        const health = sources.workerHealth?.();
        if (!health || health.healthy) return json(200, { status: 'ok' });
        return json(503, {
          status: 'stalled',
          reason: 'a worker takes no jobs while its queue has work waiting',
          stalled: health.stalled,
        });
      }
      case '/readyz': {
        const files = sources.configFiles();
        const failover = sources.redisFailover?.();
        if (failover?.inProgress) {
          return json(503, {
            status: 'not ready',
            redis: 'failover in progress',
            failover: {
              since: new Date(failover.since ?? Date.now()).toISOString(),
              reason: failover.reason,
              ...(failover.primary !== undefined ? { lastPrimary: failover.primary } : {}),
            },
            config: files ?? 'not loaded',
          });
        }
        void withTimeout(sources.pingRedis(), READY_TIMEOUT_MS).then(
          () =>
            files
              ? json(200, {
                  status: 'ready',
                  redis: 'ok',
                  // Which node this process writes to, once it knows (a failover changes it).
                  ...(failover?.primary !== undefined ? { primary: failover.primary } : {}),
                  config: files,
                })
              : json(503, { status: 'not ready', redis: 'ok', config: 'not loaded' }),
          (err: Error) =>
            json(503, { status: 'not ready', redis: err.message, config: files ?? 'not loaded' }),
        );
        return;
      }
      case '/metrics':
        void sources.registry.metrics().then(
          (text) => send(200, sources.registry.contentType, text),
          (err: Error) => send(500, 'text/plain', `metrics unavailable: ${err.message}\n`),
        );
        return;
      default:
        return json(404, { error: 'not found', paths: ['/healthz', '/readyz', '/metrics'] });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

export function listeningPort(server: Server): number {
  return (server.address() as AddressInfo).port;
}
