import {
  BackupNotFound,
  CopyBackupCommand,
  DescribeBackupsCommand,
  DescribeFileSystemsCommand,
  FSxClient,
  ServiceLimitExceeded,
} from '@aws-sdk/client-fsx';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fsxClientFor, startFsxSimulator, type FsxSimulator } from '../src/index.js';

// Accounts reached through STS AssumeRole, as a deployment for many accounts reaches them: the real SDK's
// fromTemporaryCredentials against the simulator's STS, and FSx calls that act in the role's account.
const SOURCE = 'us-east-1';
const DEST = 'us-west-2';
const ACCOUNT_A = '111111111111';
const ACCOUNT_B = '222222222222';
const ROLE_A = `arn:aws:iam::${ACCOUNT_A}:role/fsx-dr`;
const ROLE_B = `arn:aws:iam::${ACCOUNT_B}:role/fsx-dr`;
const FS = 'fs-0123456789abcdef0';
const FS_A = 'fs-0aaaaaaaaaaaaaaa1';
const FS_B = 'fs-0bbbbbbbbbbbbbbb1';
const MASTER = { accessKeyId: 'AKIDTESTTESTTESTTEST', secretAccessKey: 'test-secret-key-never-logged' };

let sim: FsxSimulator;
const clients: FSxClient[] = [];

beforeAll(async () => {
  // The SDK decides to refresh on the real Date.now(): the simulator's clock starts there, so issued credentials
  // are fresh to both until a test moves time.
  sim = await startFsxSimulator({ clock: 'manual', startTime: Date.now() });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.reset();
  sim.configure({ copyDuration: undefined });
});
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
});

interface RoleOptions {
  readonly roleArn: string;
  readonly externalId?: string;
  readonly durationSeconds?: number;
  readonly sessionName?: string;
}

function assumeParams(role: RoleOptions) {
  return {
    RoleArn: role.roleArn,
    RoleSessionName: role.sessionName ?? 'fsx-dr',
    ...(role.externalId !== undefined && { ExternalId: role.externalId }),
    ...(role.durationSeconds !== undefined && { DurationSeconds: role.durationSeconds }),
  };
}

/** The provider a deployment builds per account: AssumeRole through the simulator's STS. */
function roleCredentials(role: RoleOptions) {
  return fromTemporaryCredentials({
    params: assumeParams(role),
    masterCredentials: MASTER,
    clientConfig: { endpoint: sim.endpoint, region: SOURCE, maxAttempts: 1 },
  });
}

/** An FSx client in `region` whose credentials come from assuming the role. */
function roleClient(region: string, role: RoleOptions): FSxClient {
  const client = new FSxClient({
    region,
    endpoint: sim.endpoint,
    maxAttempts: 1,
    credentials: roleCredentials(role),
  });
  clients.push(client);
  return client;
}

function staticClient(region: string): FSxClient {
  const client = fsxClientFor(sim, region, { maxAttempts: 1 });
  clients.push(client);
  return client;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

function seedAccount(accountId: string | undefined, fileSystemId: string, backups: number): string[] {
  sim.addFileSystem({
    region: SOURCE,
    fileSystemId,
    type: 'WINDOWS',
    ...(accountId !== undefined && { accountId }),
  });
  return Array.from({ length: backups }, () =>
    sim.addBackup({ region: SOURCE, fileSystemId, ...(accountId !== undefined && { accountId }) }),
  );
}

describe('a role in another account', () => {
  it("sees only that account's file systems and backups, owned by that account", async () => {
    sim.addRole({ roleArn: ROLE_A });
    sim.addRole({ roleArn: ROLE_B });
    const [home] = seedAccount(undefined, FS, 1);
    const [inA] = seedAccount(ACCOUNT_A, FS_A, 1);
    seedAccount(ACCOUNT_B, FS_B, 1);
    expect(sim.accounts()).toEqual(['111111111111', '123456789012', '222222222222']);

    const a = roleClient(SOURCE, { roleArn: ROLE_A });
    const { FileSystems } = await a.send(new DescribeFileSystemsCommand({}));
    expect(FileSystems?.map((f) => [f.FileSystemId, f.OwnerId])).toEqual([[FS_A, ACCOUNT_A]]);
    expect(FileSystems?.[0]?.ResourceARN).toBe(`arn:aws:fsx:${SOURCE}:${ACCOUNT_A}:file-system/${FS_A}`);
    const { Backups } = await a.send(new DescribeBackupsCommand({}));
    expect(Backups?.map((b) => [b.BackupId, b.OwnerId])).toEqual([[inA, ACCOUNT_A]]);
    await expect(
      rejection(a.send(new DescribeBackupsCommand({ BackupIds: [home!] }))),
    ).resolves.toBeInstanceOf(BackupNotFound);

    // Static credentials the simulator did not issue act in the default account, as before accounts.
    const own = await staticClient(SOURCE).send(new DescribeBackupsCommand({}));
    expect(own.Backups?.map((b) => [b.BackupId, b.OwnerId])).toEqual([[home, '123456789012']]);

    const [assumed] = sim.stsRequests;
    expect(sim.stsRequests).toHaveLength(1); // one AssumeRole, its credentials cached by the SDK
    expect(assumed).toMatchObject({
      action: 'AssumeRole',
      roleArn: ROLE_A,
      roleSessionName: 'fsx-dr',
      externalIdGiven: false,
      status: 200,
      callerAccessKeyId: MASTER.accessKeyId,
      callerAccountId: '123456789012',
    });
    expect(assumed?.issuedAccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(sim.requests.map((r) => [r.accountId, r.accessKeyId])).toEqual([
      [ACCOUNT_A, assumed?.issuedAccessKeyId],
      [ACCOUNT_A, assumed?.issuedAccessKeyId],
      [ACCOUNT_A, assumed?.issuedAccessKeyId],
      ['123456789012', 'AKIDTEST'],
    ]);
  });

  it('copies in its own account, five in flight per account and Region, the sixth refused', async () => {
    sim.configure({ copyDuration: 60_000 });
    sim.addRole({ roleArn: ROLE_A });
    sim.addRole({ roleArn: ROLE_B });
    const sourcesA = seedAccount(ACCOUNT_A, FS_A, 6);
    const sourcesB = seedAccount(ACCOUNT_B, FS_B, 5);
    const a = roleClient(DEST, { roleArn: ROLE_A });
    const b = roleClient(DEST, { roleArn: ROLE_B });
    const copy = (client: FSxClient, id: string) =>
      client.send(new CopyBackupCommand({ SourceBackupId: id, SourceRegion: SOURCE }));

    const started = await Promise.all([
      ...sourcesA.slice(0, 5).map((id) => copy(a, id)),
      ...sourcesB.map((id) => copy(b, id)),
    ]);
    expect(started.map((r) => r.Backup?.OwnerId)).toEqual([
      ...Array<string>(5).fill(ACCOUNT_A),
      ...Array<string>(5).fill(ACCOUNT_B),
    ]);
    expect(sim.inFlight(DEST, ACCOUNT_A)).toEqual({ total: 5, service: 5, foreign: 0 });
    expect(sim.inFlight(DEST, ACCOUNT_B)).toEqual({ total: 5, service: 5, foreign: 0 });
    expect(sim.inFlight(DEST)).toEqual({ total: 0, service: 0, foreign: 0 });

    const error = await rejection(copy(a, sourcesA[5]!));
    expect(error).toBeInstanceOf(ServiceLimitExceeded);
    expect((error as ServiceLimitExceeded).Limit).toBe('TOTAL_IN_PROGRESS_COPY_BACKUPS');
    expect(sim.copiesOf(sourcesA[0]!, DEST, ACCOUNT_A)).toMatchObject([{ accountId: ACCOUNT_A }]);
    expect(sim.copiesOf(sourcesA[0]!, DEST)).toHaveLength(0);
    expect(sim.peakInFlight(DEST, ACCOUNT_B).total).toBe(5);
    const ids = [...sourcesA, ...sourcesB, ...started.map((r) => r.Backup?.BackupId)];
    expect(new Set(ids).size).toBe(ids.length); // backup ids are unique across accounts
  });

  it('fails the next request of one account only when a rule names it', async () => {
    sim.addRole({ roleArn: ROLE_A });
    seedAccount(ACCOUNT_A, FS_A, 0);
    seedAccount(undefined, FS, 0);
    sim.failNext({
      operation: 'DescribeFileSystems',
      accountId: ACCOUNT_A,
      name: 'InternalServerError',
      status: 500,
    });
    await expect(staticClient(SOURCE).send(new DescribeFileSystemsCommand({}))).resolves.toBeDefined();
    const error = await rejection(
      roleClient(SOURCE, { roleArn: ROLE_A }).send(new DescribeFileSystemsCommand({})),
    );
    expect((error as Error).name).toBe('InternalServerError');
    expect(sim.requests.map((r) => [r.accountId, r.injected ?? 'none'])).toEqual([
      ['123456789012', 'none'],
      [ACCOUNT_A, 'failNext'],
    ]);
  });

  it('finds a source only in its own account', async () => {
    sim.addRole({ roleArn: ROLE_A });
    const [home] = seedAccount(undefined, FS, 1);
    const error = await rejection(
      roleClient(DEST, { roleArn: ROLE_A }).send(
        new CopyBackupCommand({ SourceBackupId: home!, SourceRegion: SOURCE }),
      ),
    );
    expect(error).toBeInstanceOf(BackupNotFound);
  });
});

describe('AssumeRole refused', () => {
  it('surfaces a role that is not registered as AccessDenied, worded as AWS words it', async () => {
    const error = await rejection(
      roleClient(SOURCE, { roleArn: ROLE_A }).send(new DescribeFileSystemsCommand({})),
    );
    expect((error as Error).name).toBe('AccessDenied');
    expect((error as Error).message).toBe(
      `User: arn:aws:iam::123456789012:root is not authorized to perform: sts:AssumeRole on resource: ${ROLE_A}`,
    );
    expect(sim.stsRequests).toMatchObject([{ status: 403, errorName: 'AccessDenied' }]);
    expect(sim.requests).toHaveLength(0); // no FSx call went out without credentials
  });

  it('refuses a missing or wrong ExternalId and accepts the right one', async () => {
    sim.addRole({ roleArn: ROLE_A, externalId: 'dr-ext-1' });
    const names: string[] = [];
    for (const externalId of [undefined, 'dr-ext-2']) {
      const error = await rejection(
        roleCredentials({ roleArn: ROLE_A, ...(externalId && { externalId }) })(),
      );
      names.push((error as Error).name);
    }
    expect(names).toEqual(['AccessDenied', 'AccessDenied']);
    const credentials = await roleCredentials({ roleArn: ROLE_A, externalId: 'dr-ext-1' })();
    expect(credentials.accessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(sim.stsRequests.map((r) => [r.externalIdGiven, r.status])).toEqual([
      [false, 403],
      [true, 403],
      [true, 200],
    ]);
  });

  it.each<[string, Partial<RoleOptions>, RegExp]>([
    ['a session name of one character', { sessionName: 'x' }, /roleSessionName.*greater than or equal to 2/],
    ['a session name with a space', { sessionName: 'fsx dr' }, /roleSessionName.*regular expression/],
    ['a session name of 65 characters', { sessionName: 'x'.repeat(65) }, /less than or equal to 64/],
    ['DurationSeconds 899', { durationSeconds: 899 }, /durationSeconds.*greater than or equal to 900/],
    ['DurationSeconds 43201', { durationSeconds: 43_201 }, /durationSeconds.*less than or equal to 43200/],
    ['DurationSeconds past the role maximum', { durationSeconds: 7_200 }, /MaxSessionDuration/],
  ])('answers ValidationError to %s', async (_what, options, message) => {
    sim.addRole({ roleArn: ROLE_A });
    const error = await rejection(roleCredentials({ roleArn: ROLE_A, ...options })());
    expect((error as Error).name).toBe('ValidationError');
    expect((error as Error).message).toMatch(message);
    expect(sim.stsRequests[0]).toMatchObject({ status: 400, errorName: 'ValidationError' });
  });

  it('issues sessions as long as a role allows, and expires them on the simulator clock', async () => {
    sim.addRole({ roleArn: ROLE_A, maxSessionDurationSeconds: 43_200 });
    const now = sim.clock.now();
    const long = await roleCredentials({ roleArn: ROLE_A, durationSeconds: 43_200 })();
    const short = await roleCredentials({ roleArn: ROLE_A })();
    // Expiration is sent to the second, never later than the simulator's own.
    expect(long.expiration!.getTime()).toBe(Math.floor((now + 43_200_000) / 1000) * 1000);
    expect(short.expiration!.getTime()).toBe(Math.floor((now + 3_600_000) / 1000) * 1000);
  });

  it('lets a test fail the next AssumeRole by name', async () => {
    sim.addRole({ roleArn: ROLE_A });
    sim.failNext({ operation: 'AssumeRole', name: 'RegionDisabledException', status: 403 });
    const error = await rejection(roleCredentials({ roleArn: ROLE_A })());
    expect((error as Error).name).toBe('RegionDisabledException');
    await expect(roleCredentials({ roleArn: ROLE_A })()).resolves.toMatchObject({
      accessKeyId: expect.stringMatching(/^ASIA/) as unknown,
    });
    expect(sim.stsRequests.map((r) => r.injected ?? 'none')).toEqual(['failNext', 'none']);
  });
});

describe('temporary credentials over time', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('refuses expired credentials with ExpiredTokenException, and the provider refreshes them', async () => {
    // The SDK refreshes credentials less than 5 minutes from Expiration by the process clock (Date.now()); the
    // simulator judges expiry by its own. Faking only Date lets the test move both, one after the other.
    vi.useFakeTimers({ toFake: ['Date'], now: sim.clock.now() });
    sim.addRole({ roleArn: ROLE_A });
    seedAccount(ACCOUNT_A, FS_A, 0);
    const a = roleClient(SOURCE, { roleArn: ROLE_A, durationSeconds: 900 });
    await a.send(new DescribeFileSystemsCommand({}));
    const firstKey = sim.stsRequests[0]?.issuedAccessKeyId;

    sim.clock.advance(900_000); // expired for the simulator; the SDK still holds them as fresh
    const error = await rejection(a.send(new DescribeFileSystemsCommand({})));
    expect((error as Error).name).toBe('ExpiredTokenException');
    expect(sim.requests.at(-1)).toMatchObject({ status: 400, errorName: 'ExpiredTokenException' });
    expect(sim.stsRequests).toHaveLength(1); // a client that does not refresh is caught

    vi.setSystemTime(sim.clock.now() - 299_000); // inside the SDK's window before Expiration
    const { FileSystems } = await a.send(new DescribeFileSystemsCommand({}));
    expect(FileSystems?.map((f) => f.FileSystemId)).toEqual([FS_A]);
    expect(sim.stsRequests).toHaveLength(2);
    const secondKey = sim.stsRequests[1]?.issuedAccessKeyId;
    expect(secondKey).not.toBe(firstKey);
    expect(sim.requests.at(-1)).toMatchObject({ status: 200, accessKeyId: secondKey, accountId: ACCOUNT_A });
  });

  it('refuses a key issued before sim.reset() instead of acting in the default account', async () => {
    sim.addRole({ roleArn: ROLE_A });
    const a = roleClient(SOURCE, { roleArn: ROLE_A });
    await a.send(new DescribeFileSystemsCommand({}));
    sim.reset();
    const error = await rejection(a.send(new DescribeFileSystemsCommand({})));
    expect((error as Error).name).toBe('UnrecognizedClientException');
    expect(sim.accounts()).toEqual(['123456789012']);
  });
});

describe('STS reached through the environment', () => {
  afterEach(() => {
    delete process.env['AWS_ENDPOINT_URL_STS'];
  });

  it('assumes the role at AWS_ENDPOINT_URL_STS with the environment credentials and Region', async () => {
    process.env['AWS_ENDPOINT_URL_STS'] = sim.endpoint;
    sim.addRole({ roleArn: ROLE_B, externalId: 'env-ext' });
    seedAccount(ACCOUNT_B, FS_B, 2);
    const client = new FSxClient({
      region: SOURCE,
      endpoint: sim.endpoint,
      maxAttempts: 1,
      credentials: fromTemporaryCredentials({
        params: assumeParams({ roleArn: ROLE_B, externalId: 'env-ext' }),
      }),
    });
    clients.push(client);
    const { Backups } = await client.send(new DescribeBackupsCommand({}));
    expect(Backups?.map((b) => b.OwnerId)).toEqual([ACCOUNT_B, ACCOUNT_B]);
    expect(sim.stsRequests).toMatchObject([
      { region: 'us-east-1', callerAccessKeyId: process.env['AWS_ACCESS_KEY_ID'], status: 200 },
    ]);
  });
});

describe('GetCallerIdentity', () => {
  const callerIdentity = (accessKeyId: string, sessionToken?: string) =>
    fetch(`${sim.endpoint}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20250301/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00`,
        ...(sessionToken !== undefined && { 'x-amz-security-token': sessionToken }),
      },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
  const field = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];

  it('names the assumed role for issued credentials and the default account otherwise', async () => {
    sim.addRole({ roleArn: ROLE_A });
    const credentials = await roleCredentials({ roleArn: ROLE_A, sessionName: 'probe' })();
    const assumed = await (await callerIdentity(credentials.accessKeyId, credentials.sessionToken)).text();
    expect(field(assumed, 'Account')).toBe(ACCOUNT_A);
    expect(field(assumed, 'Arn')).toBe(`arn:aws:sts::${ACCOUNT_A}:assumed-role/fsx-dr/probe`);
    expect(field(assumed, 'UserId')).toMatch(/^AROA[A-Z0-9]{17}:probe$/);
    const root = await (await callerIdentity('AKIDTEST')).text();
    expect(field(root, 'Account')).toBe('123456789012');
    expect(field(root, 'Arn')).toBe('arn:aws:iam::123456789012:root');
  });

  it('answers an expired or mismatched session with STS errors in XML', async () => {
    sim.addRole({ roleArn: ROLE_A });
    const credentials = await roleCredentials({ roleArn: ROLE_A, durationSeconds: 900 })();
    const wrongToken = await callerIdentity(credentials.accessKeyId, 'not-the-token');
    expect(wrongToken.status).toBe(403);
    expect(field(await wrongToken.text(), 'Code')).toBe('InvalidClientTokenId');
    sim.clock.advance(900_000);
    const expired = await callerIdentity(credentials.accessKeyId, credentials.sessionToken);
    expect(expired.status).toBe(400);
    expect(expired.headers.get('content-type')).toBe('text/xml');
    expect(field(await expired.text(), 'Code')).toBe('ExpiredToken');
  });

  it('keeps rejecting services other than FSx and STS', async () => {
    const response = await fetch(`${sim.endpoint}/`, {
      method: 'POST',
      headers: {
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIDTEST/20250301/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00',
      },
      body: '{}',
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
  });
});

describe('the /__sim/ control API with accounts', () => {
  const control = async (body: unknown) => {
    const response = await fetch(`${sim.endpoint}/__sim/control`, {
      method: 'POST',
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('registers roles, seeds an account and reports each account and the STS requests', async () => {
    const seeded = await control([
      { action: 'addRole', roleArn: ROLE_A, externalId: 'ctl-ext' },
      {
        action: 'addFileSystem',
        accountId: ACCOUNT_A,
        region: SOURCE,
        fileSystemId: FS_A,
        type: 'LUSTRE',
        deploymentType: 'PERSISTENT_1',
        dataRepositoryPath: 's3://dr-bucket/data',
        tags: { team: 'hpc' },
      },
      { action: 'addBackup', accountId: ACCOUNT_A, region: SOURCE, fileSystemId: FS_A },
      { action: 'addForeignCopies', accountId: ACCOUNT_A, region: DEST, count: 2 },
      {
        action: 'setFileSystemLifecycle',
        accountId: ACCOUNT_A,
        region: SOURCE,
        fileSystemId: FS_A,
        lifecycle: 'UPDATING',
      },
    ]);
    expect(seeded.status).toBe(200);
    const { FileSystems } = await roleClient(SOURCE, { roleArn: ROLE_A, externalId: 'ctl-ext' }).send(
      new DescribeFileSystemsCommand({}),
    );
    expect(FileSystems?.[0]).toMatchObject({
      Lifecycle: 'UPDATING',
      Tags: [{ Key: 'team', Value: 'hpc' }],
      LustreConfiguration: { DataRepositoryConfiguration: { ImportPath: 's3://dr-bucket/data' } },
    });

    const state = (await (await fetch(`${sim.endpoint}/__sim/state`)).json()) as {
      stsRequests: number;
      regions: Record<string, unknown>;
      accounts: Record<string, { regions: Record<string, { inFlight: { foreign: number } }> }>;
    };
    expect(state.stsRequests).toBe(1);
    expect(state.regions).toEqual({}); // the default account's, untouched
    expect(state.accounts[ACCOUNT_A]?.regions[DEST]?.inFlight.foreign).toBe(2);
    const sts = (await (await fetch(`${sim.endpoint}/__sim/sts-requests`)).json()) as {
      requests: Array<{ roleArn: string; status: number }>;
    };
    expect(sts.requests).toMatchObject([{ roleArn: ROLE_A, status: 200 }]);
  });

  it('refuses an account id that is not 12 digits and a Lifecycle FSx does not have', async () => {
    const badAccount = await control({
      action: 'addFileSystem',
      accountId: '42',
      region: SOURCE,
      fileSystemId: FS,
      type: 'WINDOWS',
    });
    expect(badAccount.status).toBe(400);
    sim.addFileSystem({ region: SOURCE, fileSystemId: FS, type: 'WINDOWS' });
    const badLifecycle = await control({
      action: 'setFileSystemLifecycle',
      region: SOURCE,
      fileSystemId: FS,
      lifecycle: 'ASLEEP',
    });
    expect(badLifecycle.status).toBe(400);
  });
});
