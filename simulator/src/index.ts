/**
 * # FSx simulator
 *
 * A stand-in for Amazon FSx that the real `@aws-sdk/client-fsx` talks to over HTTP, so tests and the demo run the
 * service end to end without AWS. It follows docs/fsx-notes.md; where FSx is undocumented, the choice made is
 * written beside the code that makes it.
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
 * in the SigV4 credential scope, so one endpoint serves every Region (no signature is checked). Operations:
 * DescribeBackups, CopyBackup, DeleteBackup, CreateBackup, DescribeFileSystems; anything else is
 * `UnknownOperationException`. Errors are 400 (500 for server faults) with `x-amzn-errortype` and
 * `{ __type, Message, ...members }`, so the SDK throws its own error classes.
 *
 * ## Time
 * Lifecycles are computed from the clock on every read: a copy is COPYING for `copyDuration` and then AVAILABLE (or
 * FAILED when `copyFailure`/`copyFailureRate` says so); a CreateBackup backup is CREATING for `creationDuration`.
 * With `clock: 'manual'` nothing moves until `sim.clock.advance(ms)` / `sim.clock.set(ms)`.
 *
 * ## Faults
 * `failNext` (any named error, once or `count` times, before or after the operation takes effect), `hangNext`,
 * and seeded rates `serverErrorRate`, `throttleRate`, `hangRate`, `malformedRate` (limited to `faultOperations`),
 * `latencyMs`, `dropFields`, `unknownLifecycle`. All settable later with `sim.configure`.
 *
 * ## Observation
 * `sim.requests`, `sim.backups(region)`, `sim.copiesOf(source, region)`, `sim.inFlight(region)`,
 * `sim.peakInFlight(region)` (exact maximum overlap of copy intervals, service and foreign copies apart).
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
export type { AddBackupInput, AddCopyInput, AddFileSystemInput } from './simulator-state.js';
export type { FailNextRule, HangNextRule, InjectedFault } from './fault-plan.js';
export type { RecordedRequest, SimulatedOperation } from './fsx-endpoint.js';
export type { CopyOrigin, InFlightCount } from './in-flight-ledger.js';
export type { BackupField, SimulatedBackup } from './render-backup.js';
export type { BackupOrigin } from './backup-record.js';
export type { WireTag } from './request-validation.js';
export { runControlActions, parseBehaviour, type ControlAction } from './control-api.js';
export { partitionOf, type AwsPartition } from './partitions.js';
export { fsxClientFor } from './fsx-client-for.js';
