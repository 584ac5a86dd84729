import { afterEach, describe, expect, it } from 'vitest';
import { fsId, PipelineHarness } from '../../support/pipeline-harness.js';
import { eventually } from '../../support/service-process.js';

describe('source lifecycles and FSx errors', () => {
  let h: PipelineHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('waits for a source that is still CREATING and copies it once it is AVAILABLE', async () => {
    // On the simulator's manual clock the source stays CREATING until the test moves time, however long the
    // service takes to start: it must see CREATING, wait, and copy once it is AVAILABLE.
    h = await PipelineHarness.start({ clock: 'manual', copyDuration: 200 });
    h.sim.addFileSystem({ region: 'us-east-1', fileSystemId: fsId(1), type: 'LUSTRE' });
    const source = h.sim.addBackup({
      region: 'us-east-1',
      fileSystemId: fsId(1),
      availableAt: h.sim.clock.now() + 1_500,
    });
    const svc = h.run(await h.policyFile([{ fileSystemIds: [fsId(1)], destinations: ['us-west-2'] }]));
    const [wait] = await svc.waitForEvents('copy.retry', 1);
    expect(wait).toMatchObject({
      errorName: 'SourceBackupUnavailable',
      sourceBackupId: source,
      delayMs: expect.any(Number) as number,
    });
    // FSx refused each CopyBackup of the CREATING source; none made a copy.
    const whileCreating = h.copyRequests();
    expect(whileCreating.length).toBeGreaterThan(0);
    expect(whileCreating.every((r) => r.errorName === 'SourceBackupUnavailable')).toBe(true);
    h.sim.clock.advance(1_500);
    const started = await svc.waitForEvent('copy.started');
    expect(Date.parse(String(started['time']))).toBeGreaterThanOrEqual(Date.parse(String(wait?.['time'])));
    h.sim.clock.advance(200);

    const [outcome] = await h.waitForOutcomes(1);
    expect(outcome).toMatchObject({ status: 'succeeded', sourceBackupId: source });
    expect(h.sim.copiesOf(source, 'us-west-2')).toHaveLength(1);
    expect(h.copyRequests().filter((r) => r.status === 200)).toHaveLength(1);
  });

  it('records a failed outcome with the reason when the source ends FAILED', async () => {
    h = await PipelineHarness.start();
    h.sim.addFileSystem({ region: 'us-east-1', fileSystemId: fsId(2), type: 'WINDOWS' });
    const source = h.sim.addBackup({ region: 'us-east-1', fileSystemId: fsId(2), lifecycle: 'CREATING' });
    const svc = h.run(await h.policyFile([{ fileSystemIds: [fsId(2)], destinations: ['us-west-2'] }]));
    await svc.waitForEvent('copy.retry');
    h.sim.setLifecycle('us-east-1', source, 'FAILED', 'Simulated: the backup could not be created');

    const [outcome] = await h.waitForOutcomes(1);
    expect(outcome).toMatchObject({
      status: 'failed',
      sourceBackupId: source,
      errorName: 'SourceBackupUnavailable',
      errorMessage: expect.stringContaining('FAILED') as string,
    });
    expect(outcome?.errorMessage).toContain('could not be created');
    expect(h.sim.copiesOf(source, 'us-west-2')).toHaveLength(0);
    expect(await svc.waitForEvent('copy.failed')).toMatchObject({ errorName: 'SourceBackupUnavailable' });
  });

  it('fails each permanent error at once: one outcome naming it, one CopyBackup, no retry', async () => {
    const errors: [string, string, Record<string, string>][] = [
      ['us-west-1', 'BackupNotFound', {}],
      ['us-west-2', 'BadRequest', {}],
      ['eu-west-1', 'IncompatibleParameterError', { Parameter: 'KmsKeyId' }],
      ['eu-west-2', 'IncompatibleRegionForMultiAZ', {}],
      ['eu-central-1', 'InvalidDestinationKmsKey', {}],
      ['ap-southeast-1', 'InvalidSourceKmsKey', {}],
      ['ap-northeast-1', 'InvalidRegion', {}],
      ['ca-central-1', 'UnsupportedOperation', {}],
      ['sa-east-1', 'ServiceLimitExceeded', { Limit: 'TOTAL_USER_INITIATED_BACKUPS' }],
      ['ap-south-1', 'AccessDeniedException', {}],
    ];
    h = await PipelineHarness.start();
    const [source] = h.seed([fsId(3)]);
    for (const [region, name, members] of errors) {
      h.sim.failNext({
        operation: 'CopyBackup',
        region,
        name,
        message: `Simulated ${name}`,
        members,
        count: 100,
      });
    }
    const svc = h.run(
      await h.policyFile([{ fileSystemIds: [fsId(3)], destinations: errors.map(([region]) => region) }]),
    );

    const outcomes = await h.waitForOutcomes(errors.length);
    for (const [region, name] of errors) {
      const mine = outcomes.filter((o) => o.destinationRegion === region);
      expect(mine, region).toHaveLength(1);
      expect(mine[0], region).toMatchObject({
        status: 'failed',
        errorName: name,
        errorMessage: `Simulated ${name}`,
      });
      expect(h.copyRequests(region), region).toHaveLength(1);
      expect(h.sim.copiesOf(source!, region), region).toHaveLength(0);
    }
    // Exactly one line per failure, and no retry: counted once the process has closed its output.
    await svc.waitForEvents('copy.failed', errors.length);
    await svc.stop();
    expect(svc.events('copy.retry')).toHaveLength(0);
    expect(svc.events('copy.failed')).toHaveLength(errors.length);
    expect(svc.events('copy.failed')[0]).toMatchObject({
      policy: 'policy-1',
      sourceBackupId: source,
      jobId: expect.any(String) as string,
    });
  });

  it('retries transient faults (5xx past the SDK’s own retries, a hung response) and still copies once', async () => {
    h = await PipelineHarness.start({ copyDuration: 200 });
    const [source] = h.seed([fsId(4)]);
    h.sim.failNext({ operation: 'CopyBackup', name: 'InternalServerError', status: 500, count: 4 });
    h.sim.hangNext({ operation: 'CopyBackup', count: 1 });
    const svc = h.run(await h.policyFile([{ fileSystemIds: [fsId(4)], destinations: ['us-west-2'] }]));

    const [outcome] = await h.waitForOutcomes(1, 40_000);
    expect(outcome).toMatchObject({ status: 'succeeded' });
    expect(h.sim.copiesOf(source!, 'us-west-2')).toHaveLength(1);
    // Four 500s, one hung request (timed out by the client), then the copy: the SDK's own retries took part of
    // it, the service's retry the rest; every call was really sent, and FSx holds one copy.
    const calls = h.copyRequests();
    expect(calls.filter((r) => r.errorName === 'InternalServerError')).toHaveLength(4);
    expect(calls.filter((r) => r.status === undefined)).toHaveLength(1);
    expect(calls.filter((r) => r.status === 200)).toHaveLength(1);
    await svc.waitForEvents('copy.succeeded', 1);
    expect(svc.events('copy.retry').map((l) => l['errorName'])).toContain('InternalServerError');
  });

  it('records a copy that ends FAILED in the destination with FSx’s message', async () => {
    h = await PipelineHarness.start({
      copyDuration: 200,
      copyFailure: () => 'Simulated: destination storage error',
    });
    const [source] = h.seed([fsId(5)]);
    const svc = h.run(await h.policyFile([{ fileSystemIds: [fsId(5)], destinations: ['us-west-2'] }]));
    const [outcome] = await h.waitForOutcomes(1);
    expect(outcome).toMatchObject({
      status: 'failed',
      errorName: 'CopyFailed',
      errorMessage: 'Simulated: destination storage error',
      destinationBackupId: expect.stringMatching(/^backup-/) as string,
    });
    expect(h.copyRequests()).toHaveLength(1);
    expect(h.sim.copiesOf(source!, 'us-west-2')).toHaveLength(1);
    await svc.waitForEvents('copy.failed', 1);
    await svc.stop();
    expect(svc.events('copy.failed')).toHaveLength(1);
  });

  it('keeps polling through unknown Lifecycle values and fields missing from responses', async () => {
    // The simulator's clock stands still, so the copy stays in progress until the test moves it: every poll
    // answered while `unknownLifecycle` is set shows the copy as ARCHIVING, without ProgressPercent.
    const copyDuration = 600;
    h = await PipelineHarness.start({ clock: 'manual', copyDuration });
    const [source] = h.seed([fsId(6)]);
    const svc = h.run(await h.policyFile([{ fileSystemIds: [fsId(6)], destinations: ['us-west-2'] }]));
    await svc.waitForEvent('copy.started');
    h.sim.configure({ unknownLifecycle: 'ARCHIVING', dropFields: ['ProgressPercent'] });
    const from = h.sim.requests.length;
    // Polls of the copy that arrived after the change (so they read it) and were answered.
    const answeredPolls = () =>
      h!.sim.requests
        .slice(from)
        .filter((r) => r.operation === 'DescribeBackups' && r.region === 'us-west-2' && r.status === 200);
    await eventually('two polls answered with the unknown Lifecycle', () => answeredPolls().length >= 2);
    h.sim.configure({ unknownLifecycle: undefined, dropFields: undefined });
    h.sim.clock.advance(copyDuration);
    const [outcome] = await h.waitForOutcomes(1);
    expect(outcome).toMatchObject({ status: 'succeeded', sourceBackupId: source });
    expect(h.sim.copiesOf(source!, 'us-west-2')).toHaveLength(1);
    expect(h.copyRequests()).toHaveLength(1);
  });

  it('plans a slot again when the source listing leaves out CreationTime, and tags the copy with its recovery point', async () => {
    // Without a CreationTime the newest backup cannot be told and the copy would carry no recovery point (a chaos
    // run found such a copy: retention never saw it as a candidate, so its pair kept one copy too many).
    h = await PipelineHarness.start();
    h.sim.configure({ dropFields: ['CreationTime'] });
    const [source] = h.seed([fsId(7)]);
    const svc = h.run(await h.policyFile([{ fileSystemIds: [fsId(7)], destinations: ['us-west-2'] }]));
    const [retry] = await svc.waitForEvents('schedule.plan_retry', 1);
    expect(retry).toMatchObject({ errorName: 'ProtocolError' });
    expect(String(retry?.['errorMessage'])).toContain('CreationTime');
    expect(h.copyRequests()).toHaveLength(0);
    h.sim.configure({ dropFields: undefined });

    const [outcome] = await h.waitForOutcomes(1);
    expect(outcome).toMatchObject({ status: 'succeeded', sourceBackupId: source });
    const [copy] = h.sim.copiesOf(source!, 'us-west-2');
    const created = h.sim.backups('us-east-1').find((b) => b.backupId === source)?.creationTime;
    expect(copy?.tags).toContainEqual({ Key: 'fsx-dr:recovery-point', Value: created?.toISOString() });
    expect(h.copyRequests()).toHaveLength(1);
  });
});
