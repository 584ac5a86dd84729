import type { RedisClient } from '../src/queue/redis-connection.js';
import type { Logger } from 'pino';
import type { AccountGateways } from '../src/fsx/account-gateways.js';
import type { CopyQueues } from '../src/queue/copy-queues.js';
import type { OutcomeStore } from '../src/queue/outcome-store.js';
import type { EstateStore } from '../src/queue/estate-store.js';

/** The adapters one process shares between its scheduler and its copy workers, built once by `fsx-dr run`. */
export interface ServiceParts {
  readonly connection: RedisClient;
  /** Prefix of every Redis key and queue. */
  readonly prefix: string;
  /** FSXDR_PREFIX as written: the `fsx-dr:deployment` tag value of this deployment's copies. */
  readonly deployment: string;
  readonly queues: CopyQueues;
  readonly outcomes: OutcomeStore;
  /** What each selector matched last, and whether each account could be reached. */
  readonly estate: EstateStore;
  /** Each account's FSx gateway (one SDK client per account and Region). */
  readonly gateways: AccountGateways;
  readonly logger: Logger;
}
