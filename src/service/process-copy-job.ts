import { copyKeyId } from '../copy/copy-key.js';
import { CopyRun, type CopyJobInput, type CopyJobPorts, type CopyStep } from './copy-run.js';
import { followCopy } from './follow-copy.js';
import { attachOrStart } from './start-copy.js';
import { logEvent } from '../log.js';

export type { CopyJobInput, CopyJobPorts, CopyStep } from './copy-run.js';

/**
 * One run of a copy job: exactly one copy per (source backup, destination Region). A job that already has a
 * checkpoint attaches to its copy; one without looks for an existing copy before it sends CopyBackup with a token
 * derived from the job id. Every way out records one outcome, or says why the job comes back later.
 */
export async function processCopyJob(input: CopyJobInput, ports: CopyJobPorts): Promise<CopyStep> {
  const run = new CopyRun(input, ports);
  if (!run.data.checkpoint) {
    const done = await ports.outcomes.copiedAs(copyKeyId(run.data));
    if (done !== undefined) {
      logEvent(run.log, 'copy.skipped', { destinationBackupId: done }, 'already copied');
      return { kind: 'completed' };
    }
  }
  if (run.data.startedAt === undefined) await run.save({ startedAt: ports.now() });
  for (;;) {
    const step = await attachOrStart(run);
    if (step.kind === 'has-checkpoint') return followCopy(run);
    if (step.kind !== 'retry-here') return step;
    const slept = await run.sleepOrHandBack(step.delayMs);
    if (slept !== 'slept') return slept;
  }
}
