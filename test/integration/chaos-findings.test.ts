import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { fsId, PipelineHarness } from '../support/pipeline-harness.js';
import { CLI_PATH } from '../support/service-process.js';
import { awsTestEnv } from '../support/aws-env.js';

/**
 * Reproductions of defects the chaos run (`npm run chaos`) found, each reduced to the fewest moving parts and kept
 * as a regression test once fixed.
 */
describe('chaos findings', () => {
  let h: PipelineHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  // A CopyBackup that takes effect but whose answer is lost (here: three 500s after the effect, which outlast the
  // SDK's own three attempts) is retried with the job moved to delayed. That frees the job's slot in the Region's
  // global concurrency while its copy runs in FSx, so another job starts a copy: more copies in flight than
  // maxInFlightPerRegion (and, at five, a sixth CopyBackup that FSx refuses).
  it('keeps its slot while a CopyBackup answer was lost: never more copies in flight than maxInFlightPerRegion', async () => {
    h = await PipelineHarness.start({ copyDuration: 3_000 });
    const ids = [fsId(900), fsId(901)];
    h.seed(ids);
    h.sim.failNext({
      operation: 'CopyBackup',
      name: 'InternalServerError',
      status: 500,
      afterEffect: true,
      count: 3,
    });
    const config = await h.policyFile(
      [{ fileSystemIds: ids, destinations: ['us-west-2'] }],
      'pollInterval: 100ms\n  maxInFlightPerRegion: 1',
    );
    h.run(config);
    const outcomes = await h.waitForOutcomes(2, 30_000);
    expect(outcomes.map((o) => o.status)).toEqual(['succeeded', 'succeeded']);
    expect(h.sim.peakInFlight('us-west-2').service).toBe(1);
  });

  // `fsx-dr outcomes --json` calls process.exit() as soon as it has queued its output; through a pipe (`| jq`)
  // stdout is asynchronous, so whatever the pipe had not taken yet is lost and the JSON is cut short, exit 0.
  it('fsx-dr outcomes --json writes its whole document through a pipe', async () => {
    h = await PipelineHarness.start();
    for (let i = 0; i < 4_000; i += 1) {
      const sourceBackupId = `backup-${i.toString(16).padStart(17, '0')}`;
      await h.store.record(
        {
          status: 'succeeded',
          jobId: `copy-${i}`,
          policy: 'p',
          fileSystemId: fsId(1),
          sourceRegion: 'us-east-1',
          sourceBackupId,
          destinationRegion: 'us-west-2',
          destinationBackupId: 'backup-0123456789abcdef0',
          attempts: 1,
          enqueuedAt: new Date().toISOString(),
          finishedAt: new Date(Date.now() + i).toISOString(),
        },
        `us-east-1.${sourceBackupId}.us-west-2`,
        i,
      );
    }
    const child = spawn(process.execPath, [CLI_PATH, 'outcomes', '--json', '--limit', '100000'], {
      env: { PATH: process.env['PATH'] ?? '', ...awsTestEnv(), ...h.env() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as unknown[]).length).toBe(4_000);
  });
});
