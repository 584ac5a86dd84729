import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFsxSimulator, type FsxSimulator } from '../../simulator/src/index.js';
import { BackupFeeder } from '../src/backup-feeder.js';
import { ChaosLog } from '../src/chaos-log.js';
import type { FeedProfile } from '../src/chaos-profile.js';
import { ChaosRandom } from '../src/chaos-random.js';
import type { ChaosTopology } from '../src/chaos-topology.js';

/**
 * The chaos verdict fails a run that never made one of the special source backups, so the feeder must make each
 * kind whatever the draws. A deletion needs older backups on the file system it lands on: on a young file system it
 * must wait for a later round, not be given up (a quick run failed with "source backups never made: deleted").
 */
const REGION = 'us-east-1';
const topology: ChaosTopology = {
  fileSystems: [
    { region: REGION, fileSystemId: 'fs-00000000000000001', type: 'WINDOWS' },
    { region: REGION, fileSystemId: 'fs-00000000000000002', type: 'LUSTRE' },
  ],
  policies: [],
  // The feeder never reads retention; the topology type wants one.
  retention: { keepLast: 2, sweepInterval: '5s', maxDeletionsPerSweep: 10, settleTimeoutMs: 60_000 },
};
// No share for any special kind: only the forced first ones can make them.
const profile: FeedProfile = {
  everyMs: 1_000,
  perRound: 1,
  creatingShare: 0,
  longCreatingShare: 0,
  longCreatingMs: [10_000, 10_000],
  oddLifecycleShare: 0,
  failedShare: 0,
  deleteShare: 0,
};

describe('chaos backup feeder', () => {
  let sim: FsxSimulator;
  beforeAll(async () => {
    sim = await startFsxSimulator({ seed: 7 });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('makes every special kind of source backup once, even when a deletion has nothing to delete at first', () => {
    for (const fs of topology.fileSystems)
      sim.addFileSystem({ region: REGION, fileSystemId: fs.fileSystemId, type: fs.type });
    const feeder = new BackupFeeder(sim, topology, profile, new ChaosRandom(1, 1), new ChaosLog(true));
    for (let round = 0; round < 20; round += 1) feeder.round();
    feeder.settle();
    expect(feeder.counts).toMatchObject({
      creating: 1,
      'long-creating': 1,
      'odd-lifecycle': 1,
      failed: 1,
      deleted: 1,
    });
    const deleted = sim.backups(REGION).filter((b) => b.lifecycle === 'DELETED');
    expect(deleted).toHaveLength(1);
  });
});
