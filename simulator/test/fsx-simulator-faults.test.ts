import {
  CopyBackupCommand,
  DescribeBackupsCommand,
  DescribeVolumesCommand,
  FSxServiceException,
  InternalServerError,
  ServiceLimitExceeded,
} from '@aws-sdk/client-fsx';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fsxClientFor, startFsxSimulator, type FsxSimulator } from '../src/index.js';

// Faults a real FSx endpoint can show, the wire protocol's edges, and the /__sim/ control API.
const REGION = 'us-east-1';
const DEST = 'us-west-2';
const FS = 'fs-0123456789abcdef0';

let sim: FsxSimulator;

beforeAll(async () => {
  sim = await startFsxSimulator({ seed: 7 });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.reset();
  sim.configure({
    serverErrorRate: undefined,
    throttleRate: undefined,
    hangRate: undefined,
    malformedRate: undefined,
    latencyMs: undefined,
    dropFields: undefined,
    unknownLifecycle: undefined,
    faultOperations: undefined,
  });
  sim.addFileSystem({ region: REGION, fileSystemId: FS, type: 'OPENZFS' });
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

function describeOne(client = fsxClientFor(sim, REGION, { maxAttempts: 1 })) {
  return client.send(new DescribeBackupsCommand({}));
}

describe('server errors and throttling', () => {
  it('lets the SDK retry a persistent 500 and then throw InternalServerError', async () => {
    sim.configure({ serverErrorRate: 1 });
    const client = fsxClientFor(sim, REGION, { maxAttempts: 3 });
    const error = await rejection(describeOne(client));
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as InternalServerError).$metadata.attempts).toBe(3);
    expect(sim.requests.map((r) => [r.status, r.injected])).toEqual(Array(3).fill([500, 'serverError']));
  });

  it('lets a retried CopyBackup succeed after one injected 500, making one copy', async () => {
    const source = sim.addBackup({ region: REGION, fileSystemId: FS });
    sim.failNext({ operation: 'CopyBackup', name: 'InternalServerError', status: 500 });
    const client = fsxClientFor(sim, DEST, { maxAttempts: 3 });
    const { Backup } = await client.send(
      new CopyBackupCommand({ SourceBackupId: source, SourceRegion: REGION }),
    );
    expect(Backup?.Lifecycle).toBe('COPYING');
    expect(sim.requests.map((r) => r.status)).toEqual([500, 200]);
    expect(sim.copiesOf(source, DEST)).toHaveLength(1);
  });

  it('throttles with ThrottlingException, which the SDK retries', async () => {
    sim.configure({ throttleRate: 1 });
    const error = await rejection(describeOne(fsxClientFor(sim, REGION, { maxAttempts: 2 })));
    expect((error as FSxServiceException).name).toBe('ThrottlingException');
    expect(sim.requests).toHaveLength(2);
  });

  it('injects any named error with its members, only in the Region asked', async () => {
    const source = sim.addBackup({ region: REGION, fileSystemId: FS });
    sim.failNext({
      operation: 'CopyBackup',
      region: DEST,
      name: 'ServiceLimitExceeded',
      members: { Limit: 'TOTAL_IN_PROGRESS_COPY_BACKUPS' },
    });
    const elsewhere = fsxClientFor(sim, 'eu-west-1', { maxAttempts: 1 });
    await expect(
      elsewhere.send(new CopyBackupCommand({ SourceBackupId: source, SourceRegion: REGION })),
    ).resolves.toBeDefined();
    const error = await rejection(
      fsxClientFor(sim, DEST, { maxAttempts: 1 }).send(
        new CopyBackupCommand({ SourceBackupId: source, SourceRegion: REGION }),
      ),
    );
    expect(error).toBeInstanceOf(ServiceLimitExceeded);
    expect((error as ServiceLimitExceeded).Limit).toBe('TOTAL_IN_PROGRESS_COPY_BACKUPS');
  });

  it('repeats the same faults and ids for the same seed', async () => {
    const run = async (): Promise<unknown[]> => {
      const own = await startFsxSimulator({ seed: 42, throttleRate: 0.5 });
      own.addFileSystem({ region: REGION, fileSystemId: FS, type: 'WINDOWS' });
      const ids = [own.addBackup({ region: REGION, fileSystemId: FS })];
      const client = fsxClientFor(own, REGION, { maxAttempts: 1 });
      for (let i = 0; i < 8; i += 1) await describeOne(client).catch(() => undefined);
      const faults = own.requests.map((r) => r.injected ?? 'none');
      await own.close();
      return [ids, faults];
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect((first[1] as string[]).filter((f) => f === 'throttle').length).toBeGreaterThan(0);
    expect((first[1] as string[]).filter((f) => f === 'none').length).toBeGreaterThan(0);
  });
});

describe('responses that never come or cannot be read', () => {
  it('hangs a request until the SDK request timeout fires', { timeout: 10_000 }, async () => {
    sim.hangNext({ operation: 'DescribeBackups' });
    // Without throwOnRequestTimeout, the current SDK only logs a warning and waits for ever.
    const client = fsxClientFor(sim, REGION, {
      maxAttempts: 1,
      requestHandler: { requestTimeout: 500, throwOnRequestTimeout: true },
    });
    const started = Date.now();
    const error = await rejection(describeOne(client));
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toMatch(/Timeout/i);
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect(sim.requests[0]).toMatchObject({ injected: 'hang' });
    expect(sim.requests[0]?.status).toBeUndefined();
    await expect(describeOne(client)).resolves.toBeDefined(); // one hang only
  });

  it('ends hung sockets when the simulator closes', async () => {
    const own = await startFsxSimulator({ hangRate: 1 });
    const pending = rejection(describeOne(fsxClientFor(own, REGION, { maxAttempts: 1 })));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await own.close();
    await expect(pending).resolves.toBeInstanceOf(Error);
  });

  it('makes the SDK throw on a 200 whose body is not JSON, after the copy really started', async () => {
    const source = sim.addBackup({ region: REGION, fileSystemId: FS });
    sim.configure({ malformedRate: 1, faultOperations: ['CopyBackup'] });
    const client = fsxClientFor(sim, DEST, { maxAttempts: 1 });
    const error = await rejection(
      client.send(new CopyBackupCommand({ SourceBackupId: source, SourceRegion: REGION })),
    );
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(FSxServiceException);
    expect(sim.copiesOf(source, DEST)).toHaveLength(1); // the response was lost, not the copy
  });

  it('adds latency to each response', async () => {
    sim.configure({ latencyMs: 150 });
    const started = Date.now();
    await describeOne();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe('shapes the service has never seen', () => {
  it('passes an unknown Lifecycle through the SDK as a plain string', async () => {
    const source = sim.addBackup({ region: REGION, fileSystemId: FS });
    sim.configure({ unknownLifecycle: 'ARCHIVING', copyDuration: 60_000 });
    const client = fsxClientFor(sim, DEST, { maxAttempts: 1 });
    const { Backup } = await client.send(
      new CopyBackupCommand({ SourceBackupId: source, SourceRegion: REGION }),
    );
    expect(Backup?.Lifecycle).toBe('ARCHIVING');
    expect(sim.copiesOf(source, DEST)[0]?.lifecycle).toBe('COPYING'); // the truth is unchanged
    sim.configure({ copyDuration: undefined });
  });

  it('leaves out the fields it is told to drop', async () => {
    sim.addBackup({ region: REGION, fileSystemId: FS });
    sim.configure({ dropFields: ['Lifecycle', 'CreationTime'] });
    const { Backups } = await describeOne();
    expect(Backups?.[0]?.BackupId).toBeDefined();
    expect(Backups?.[0]?.Lifecycle).toBeUndefined();
    expect(Backups?.[0]?.CreationTime).toBeUndefined();
  });
});

describe('the wire protocol', () => {
  const post = (target: string, body: string, authorization?: string) =>
    fetch(`${sim.endpoint}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': target,
        ...(authorization !== undefined && { authorization }),
      },
      body,
    });
  const auth = (region: string) =>
    `AWS4-HMAC-SHA256 Credential=AKIDTEST/20250301/${region}/fsx/aws4_request, SignedHeaders=host, Signature=00`;

  it('answers an operation it does not simulate with UnknownOperationException', async () => {
    const error = await rejection(
      fsxClientFor(sim, REGION, { maxAttempts: 1 }).send(new DescribeVolumesCommand({})),
    );
    expect(error).toBeInstanceOf(FSxServiceException);
    expect((error as FSxServiceException).name).toBe('UnknownOperationException');
  });

  it('answers a body that is not JSON with BadRequest, and a wrongly typed member too', async () => {
    const broken = await post(
      'AWSSimbaAPIService_v20180301.DescribeBackups',
      '{"MaxResults": ',
      auth(REGION),
    );
    expect(broken.status).toBe(400);
    expect(broken.headers.get('x-amzn-errortype')).toBe('BadRequest');
    expect(await broken.json()).toMatchObject({ __type: 'BadRequest' });
    const typed = await post(
      'AWSSimbaAPIService_v20180301.DescribeBackups',
      '{"MaxResults": "ten"}',
      auth(REGION),
    );
    expect(typed.headers.get('x-amzn-errortype')).toBe('BadRequest');
  });

  it('reads the Region from the credential scope and refuses a request without one', async () => {
    sim.addBackup({ region: REGION, fileSystemId: FS });
    const here = await post('AWSSimbaAPIService_v20180301.DescribeBackups', '{}', auth(REGION));
    const there = await post('AWSSimbaAPIService_v20180301.DescribeBackups', '{}', auth('ap-south-1'));
    expect(((await here.json()) as { Backups: unknown[] }).Backups).toHaveLength(1);
    expect(((await there.json()) as { Backups: unknown[] }).Backups).toHaveLength(0);
    const anonymous = await post('AWSSimbaAPIService_v20180301.DescribeBackups', '{}');
    expect(anonymous.status).toBe(403);
  });
});

describe('the /__sim/ control API', () => {
  it('seeds, adds foreign copies and reports state for a process that did not start the simulator', async () => {
    const control = await fetch(`${sim.endpoint}/__sim/control`, {
      method: 'POST',
      body: JSON.stringify([
        {
          action: 'addFileSystem',
          region: 'eu-central-1',
          fileSystemId: 'fs-0bbbbbbbbbbbbbbbb',
          type: 'LUSTRE',
        },
        {
          action: 'addBackup',
          region: 'eu-central-1',
          fileSystemId: 'fs-0bbbbbbbbbbbbbbbb',
          tags: { a: 'b' },
        },
        { action: 'addForeignCopies', region: DEST, count: 2, durationMs: 60_000 },
        { action: 'configure', options: { pageSize: 5, latencyMs: null } },
      ]),
    });
    expect(control.status).toBe(200);
    const { results } = (await control.json()) as {
      results: Array<{ backupId?: string; backupIds?: string[] }>;
    };
    const backupId = results[1]?.backupId;
    expect(results[2]?.backupIds).toHaveLength(2);
    expect(sim.behaviour().pageSize).toBe(5);

    const { Backups } = await fsxClientFor(sim, 'eu-central-1', { maxAttempts: 1 }).send(
      new DescribeBackupsCommand({ BackupIds: [backupId!] }),
    );
    expect(Backups?.[0]?.Tags).toEqual([{ Key: 'a', Value: 'b' }]);

    const state = (await (await fetch(`${sim.endpoint}/__sim/state`)).json()) as {
      requests: number;
      regions: Record<string, { inFlight: { foreign: number } }>;
    };
    expect(state.regions[DEST]?.inFlight.foreign).toBe(2);
    expect(state.requests).toBe(1);
    sim.configure({ pageSize: undefined });
  });

  it('answers a bad control request with 400 and the reason', async () => {
    const response = await fetch(`${sim.endpoint}/__sim/control`, {
      method: 'POST',
      body: JSON.stringify({ action: 'advanceClock', ms: 1000 }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/real clock/);
  });
});
