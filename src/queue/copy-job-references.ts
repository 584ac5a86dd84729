import type { Queue } from 'bullmq';
import { accountOf } from '../copy/account-region.js';
import { copyKeyId, type CopyKey } from '../copy/copy-key.js';

const UNFINISHED: ReadonlySet<string> = new Set([
  'active',
  'waiting',
  'wait',
  'delayed',
  'prioritized',
  'paused',
  'waiting-children',
]);

/**
 * Which unfinished copy job, if any, refers to a copy in its destination: retention must not delete a copy a job is
 * following or is about to attach to. A copy job of a key is found through BullMQ's deduplication id (the copy key
 * id, kept while the job is unfinished), so the look-up is one job, not a scan of the queue. The job refers to the
 * copy when its checkpoint names it, or when it has no checkpoint yet (it may attach to this very copy).
 */
export class CopyJobReferences {
  constructor(private readonly copyQueue: (destinationRegion: string, account: string) => Queue) {}

  async referencedBy(key: CopyKey, backupId: string): Promise<string | undefined> {
    const queue = this.copyQueue(key.destinationRegion, accountOf(key));
    const jobId = await queue.getDeduplicationJobId(copyKeyId(key));
    if (!jobId) return undefined;
    const job = await queue.getJob(jobId);
    if (!job) return undefined;
    if (!UNFINISHED.has(await job.getState())) return undefined;
    const checkpoint = (job.data as { checkpoint?: { destinationBackupId?: unknown } } | undefined)
      ?.checkpoint;
    const named = checkpoint?.destinationBackupId;
    return named === undefined || named === backupId ? jobId : undefined;
  }
}
