import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CopyOutcome } from '../../src/copy/outcome.js';
import type { CliProcess } from './cli-process.js';
import type { ChaosWorld } from './chaos-world.js';
import type { EnqueuedCopy } from './queue-inspector.js';

/**
 * `--evidence <dir>`: everything the audit read, as files, so a failed run can be studied without repeating it:
 * every CopyBackup request the simulator recorded, the ledger of copies it made (with the token that made each),
 * the outcomes, the copy jobs, and the kept log events of every process.
 */
export async function dumpEvidence(
  dir: string,
  world: ChaosWorld,
  outcomes: readonly CopyOutcome[],
  jobs: readonly EnqueuedCopy[],
  processes: readonly CliProcess[],
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const requests = world.sim.requests
    .filter((r) => r.operation === 'CopyBackup')
    .map((r) => {
      const p = (r.params ?? {}) as Record<string, unknown>;
      return {
        time: new Date(r.time).toISOString(),
        region: r.region,
        sourceBackupId: p['SourceBackupId'],
        token: p['ClientRequestToken'],
        status: r.status,
        errorName: r.errorName,
        injected: r.injected,
        inFlightAtArrival: r.inFlightAtArrival,
      };
    });
  const ledger = [...world.hooks.copies.values()].map((c) => ({
    ...c,
    start: new Date(c.start).toISOString(),
    end: new Date(c.end).toISOString(),
  }));
  const logs = processes.flatMap((p) => p.kept.map((line) => JSON.stringify({ process: p.name, ...line })));
  await Promise.all([
    writeFile(join(dir, 'copy-requests.json'), JSON.stringify(requests, null, 1)),
    writeFile(join(dir, 'copies-made.json'), JSON.stringify(ledger, null, 1)),
    writeFile(join(dir, 'outcomes.json'), JSON.stringify(outcomes, null, 1)),
    writeFile(join(dir, 'copy-jobs.json'), JSON.stringify(jobs, null, 1)),
    writeFile(join(dir, 'service-events.jsonl'), `${logs.join('\n')}\n`),
  ]);
}
