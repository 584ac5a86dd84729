/**
 * # FSx simulator
 *
 * A stand-in for Amazon FSx (and the STS AssumeRole that reaches other accounts) that the real `@aws-sdk/client-fsx`
 * and `@aws-sdk/credential-providers` talk to over HTTP, so tests and the demo run the service end to end without
 * AWS. It follows docs/fsx-notes.md; where FSx is undocumented, the choice made is written beside the code that
 * makes it.
 *
 * ## Use
 * ```ts
 * const sim = await startFsxSimulator({ clock: 'manual', pageSize: 7 });
 * const fsx = new FSxClient({ region: 'us-west-2', endpoint: sim.endpoint, credentials });
 * sim.addFileSystem({ region: 'us-east-1', fileSystemId: 'fs-0123456789abcdef0', type: 'WINDOWS' });
 * const source = sim.addBackup({ region: 'us-east-1', fileSystemId: 'fs-0123456789abcdef0' });
 * await fsx.send(new CopyBackupCommand({ SourceBackupId: source, SourceRegion: 'us-east-1' }));
 * sim.clock.advance(1_000); // the copy is AVAILABLE now
 * await sim.close();
 * ```
 *
 * ## Wire
 * `POST /` with `x-amz-target: AWSSimbaAPIService_v20180301.<Operation>` and a JSON 1.1 body; the Region is the one
 * in the SigV4 credential scope, so one endpoint serves every Region (no signature is checked), and the account is
 * the access key's. Operations: DescribeBackups, CopyBackup, DeleteBackup, CreateBackup, DescribeFileSystems;
 * anything else is `UnknownOperationException`. Errors are 400 (500 for server faults) with `x-amzn-errortype` and
 * `{ __type, Message, ...members }`, so the SDK throws its own error classes.
 *
 * ## Accounts and STS
 * State (file systems, backups, client request tokens, the five-copies ledger) belongs to one account. A request's
 * account is its access key's: `sim.addRole({ roleArn, externalId? })` registers a role in the ARN's account, and
 * STS on the same endpoint (SigV4 scope `sts`; awsQuery `AssumeRole`, `GetCallerIdentity`) issues `ASIA...`
 * credentials that act in it until their Expiration on the simulator clock (then `ExpiredTokenException`). Any
 * other key acts in the default account (`options.accountId`, default 123456789012), so a test that never names
 * an account sees one. `fromTemporaryCredentials({ params, clientConfig: { endpoint: sim.endpoint, region } })`, or
 * `AWS_ENDPOINT_URL_STS`, points the SDK's AssumeRole here. STS requests are in `sim.stsRequests`.
 *
 * ## Time
 * Lifecycles are computed from the clock on every read: a copy is COPYING for `copyDuration` and then AVAILABLE (or
 * FAILED when `copyFailure`/`copyFailureRate` says so); a CreateBackup backup is CREATING for `creationDuration`.
 * With `clock: 'manual'` nothing moves until `sim.clock.advance(ms)` / `sim.clock.set(ms)`.
 *
 * ## Faults
 * `failNext` (any named error, once or `count` times, before or after the operation takes effect; an STS action
 * named as `operation` fails STS requests), `hangNext`, and seeded rates `serverErrorRate`, `throttleRate`, `hangRate`, `malformedRate` (limited to `faultOperations`),
 * `latencyMs`, `dropFields`, `unknownLifecycle`. All settable later with `sim.configure`.
 *
 * ## Observation
 * `sim.requests`, `sim.stsRequests`, `sim.accounts()`, `sim.backups(region)`, `sim.copiesOf(source, region)`,
 * `sim.inFlight(region)`, `sim.peakInFlight(region)` (exact maximum overlap of copy intervals, service and foreign
 * copies apart); each takes a trailing account id (default: the default account).
 *
 * ## HTTP control API (for a process that did not start the simulator)
 * `GET /__sim/state`, `GET /__sim/requests`, `POST /__sim/control` with one action or a list, e.g.
 * `{"action":"addFileSystem","region":"us-east-1","fileSystemId":"fs-0123456789abcdef0","type":"WINDOWS"}`,
 * `{"action":"addBackup",...}`, `{"action":"addForeignCopies","region":"us-west-2","count":5}`,
 * `{"action":"configure","options":{"throttleRate":0.1}}`, `{"action":"advanceClock","ms":60000}`.
 * The full list is in `control-api.ts`. `scripts/fsx-simulator.ts` runs the simulator as its own process.
 */
export { startFsxSimulator, type FsxSimulator } from './start-fsx-simulator.js';
export type {
  CopyInfo,
  CreationInfo,
  FsxSimulatorOptions,
  RequestInfo,
  ResolvedBehaviour,
  SimulatorBehaviour,
} from './simulator-options.js';
export type { SimulatorClock } from './clock.js';
export type { AddBackupInput, AddCopyInput } from './seed-inputs.js';
export { FILE_SYSTEM_LIFECYCLES, type AddFileSystemInput } from './file-system.js';
export type { TagInput } from './tag-input.js';
export type { AddRoleInput } from './sts-directory.js';
export type { RecordedStsRequest } from './sts-endpoint.js';
export type { FailNextRule, HangNextRule, InjectedFault } from './fault-plan.js';
export type { RecordedRequest, SimulatedOperation } from './fsx-endpoint.js';
export type { CopyOrigin, InFlightCount } from './in-flight-ledger.js';
export type { BackupField, SimulatedBackup } from './render-backup.js';
export type { BackupOrigin } from './backup-record.js';
export type { WireTag } from './request-validation.js';
export { runControlActions, parseBehaviour, type ControlAction } from './control-api.js';
export { partitionOf, type AwsPartition } from './partitions.js';
export { fsxClientFor } from './fsx-client-for.js';
