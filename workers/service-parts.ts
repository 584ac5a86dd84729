import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { FsxGateway } from '../src/fsx/fsx-gateway.js';
import type { CopyQueues } from '../src/queue/copy-queues.js';
import type { OutcomeStore } from '../src/queue/outcome-store.js';

/** The adapters one process shares between its scheduler and its copy workers, built once by `fsx-dr run`. */
export interface ServiceParts {
  readonly connection: Redis;
  /** Prefix of every Redis key and queue. */
  readonly prefix: string;
  readonly queues: CopyQueues;
  readonly outcomes: OutcomeStore;
  readonly fsx: FsxGateway;
  readonly logger: Logger;
}
