import type { Logger } from 'pino';
import type { RedisTopology } from '../config/redis-target.js';
import { logEvent } from '../log.js';

/** What `/readyz` shows of Redis failovers. */
export interface RedisFailoverState {
  /** True from the first sign of a failover until the service's keys are served again by a reachable primary. */
  readonly inProgress: boolean;
  /** When the current failover was first noticed (ms since the epoch), while one is in progress. */
  readonly since?: number;
  /** What gave it away: `READONLY`, `LOADING`, `UNBLOCKED`, or `primary unreachable`. */
  readonly reason?: string;
  /** The address (host:port, as the node sees it) that serves the service's keys, once known. */
  readonly primary?: string;
  /** Failovers this process has lived through. */
  readonly failovers: number;
}

/**
 * One per process: notices Redis failovers from every connection the process holds (BullMQ's copies of them
 * included, through their shared `reconnectOnError`), logs `redis.failover` once per failover for the whole
 * process, and tells `/readyz` while one lasts.
 *
 * A failover is the address serving the service's keys changing between two moments it was reachable: after a
 * Sentinel promotion, an ElastiCache primary-endpoint switch (same URL, another node), or a cluster slot moving
 * to a promoted replica. The signs before it (a demoted primary answering `READONLY`, the primary's connection
 * lost on a Sentinel or cluster deployment) mark it in progress; it ends when the address is seen again.
 */
export class RedisFailoverWatch {
  private primary: string | undefined;
  private trouble: { since: number; reason: string } | undefined;
  private failovers = 0;

  constructor(
    private readonly opts: {
      readonly logger: Logger;
      readonly topology: RedisTopology;
      readonly now?: () => number;
    },
  ) {}

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  /**
   * A sign that a failover may be under way. On a single node, a lost connection is an outage (`redis.unavailable`
   * says so), not a failover: there only a reply error counts.
   */
  suspect(reason: string): void {
    if (reason === 'primary unreachable' && this.opts.topology === 'standalone') return;
    // Before the first contact there is nothing to fail over from.
    if (this.primary === undefined) return;
    this.trouble ??= { since: this.now(), reason };
  }

  /** The service's keys are served from `address` (probed on a connection that just became ready). */
  reached(address: string, connection: string): void {
    const before = this.primary;
    const trouble = this.trouble;
    this.primary = address;
    this.trouble = undefined;
    if (before === undefined || before === address) return;
    this.failovers += 1;
    logEvent(
      this.opts.logger,
      'redis.failover',
      {
        topology: this.opts.topology,
        from: before,
        to: address,
        connection,
        ...(trouble ? { reason: trouble.reason, tookMs: this.now() - trouble.since } : {}),
      },
      'Redis failed over: the service now writes to a new primary',
    );
  }

  /** Redis serves again, but where could not be learnt: the failover, if it was one, is over. */
  settle(): void {
    this.trouble = undefined;
  }

  state(): RedisFailoverState {
    return {
      inProgress: this.trouble !== undefined,
      ...(this.trouble ? { since: this.trouble.since, reason: this.trouble.reason } : {}),
      ...(this.primary !== undefined ? { primary: this.primary } : {}),
      failovers: this.failovers,
    };
  }
}
