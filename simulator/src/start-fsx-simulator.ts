import { createManualClock, createRealClock, type SimulatorClock } from './clock.js';
import { handleControlRequest } from './control-api.js';
import { listenHttp } from './http-server.js';
import { FaultPlan, type FailNextRule, type HangNextRule } from './fault-plan.js';
import { setFileSystemLifecycle } from './file-system.js';
import { handleFsxRequest, type RecordedRequest } from './fsx-endpoint.js';
import type { InFlightCount } from './in-flight-ledger.js';
import { viewBackup, type SimulatedBackup } from './render-backup.js';
import { createRandomStreams } from './seeded-random.js';
import { sigV4CredentialOf } from './sigv4-credential.js';
import { SimulatorAccounts } from './simulator-accounts.js';
import {
  DEFAULT_BEHAVIOUR,
  applyBehaviour,
  type FsxSimulatorOptions,
  type ResolvedBehaviour,
  type SimulatorBehaviour,
} from './simulator-options.js';
import type { AddBackupInput, AddCopyInput, AddFileSystemInput } from './simulator-state.js';
import { StsDirectory, type AddRoleInput } from './sts-directory.js';
import { handleStsRequest, type RecordedStsRequest } from './sts-endpoint.js';

/**
 * A running simulator: its endpoint, the knobs a test turns, and what it observed. Methods that take a trailing
 * `accountId` act in the default account when it is absent, so a test of one account never names one.
 */
export interface FsxSimulator {
  /**
   * `http://127.0.0.1:PORT`: give it to the SDK as `endpoint`, or as `AWS_ENDPOINT_URL_FSX` (and
   * `AWS_ENDPOINT_URL_STS`, for AssumeRole).
   */
  readonly endpoint: string;
  readonly port: number;
  readonly clock: SimulatorClock;
  /** Every FSx request, in arrival order (control and STS requests are not recorded here). */
  readonly requests: readonly RecordedRequest[];
  /** Every STS request (AssumeRole, GetCallerIdentity, ...), in arrival order. */
  readonly stsRequests: readonly RecordedStsRequest[];
  /** The default account: where requests with keys AssumeRole did not issue act. */
  readonly defaultAccountId: string;
  /** Changes behaviour from now on; a key set to `undefined` gets its default back. */
  configure(patch: SimulatorBehaviour): void;
  /** The behaviour in force, defaults filled in. */
  behaviour(): Readonly<ResolvedBehaviour>;
  /** A role AssumeRole may assume (creating its account, the ARN's 12 digits). */
  addRole(input: AddRoleInput): void;
  addFileSystem(input: AddFileSystemInput): void;
  /** Sets a file system's Lifecycle (AVAILABLE, CREATING, FAILED, DELETING, MISCONFIGURED, UPDATING, ...). */
  setFileSystemLifecycle(region: string, fileSystemId: string, lifecycle: string, accountId?: string): void;
  /** Seeds a backup; returns its id. */
  addBackup(input: AddBackupInput): string;
  /** Seeds a finished copy the service did not make (another tool's, AWS Backup's, another deployment's). */
  addCopy(input: AddCopyInput): string;
  /** A restore from the backup runs for `durationMs`: DeleteBackup says BackupRestoring meanwhile. */
  startRestore(region: string, backupId: string, durationMs: number, accountId?: string): void;
  /** Forces a Lifecycle (see `SimulatorState.setLifecycle` for what it does to copy slots). */
  setLifecycle(
    region: string,
    backupId: string,
    lifecycle: string,
    failureMessage?: string,
    accountId?: string,
  ): void;
  /** Copies another tool started: they hold slots of the Region's limit. Returns their ids. */
  addForeignCopies(region: string, count: number, durationMs?: number, accountId?: string): string[];
  /** Fails the next matching FSx request, or STS request when `operation` names an STS action (`AssumeRole`). */
  failNext(rule: FailNextRule): void;
  hangNext(rule?: HangNextRule): void;
  /** Accounts that exist: the default one, those named by seeding, and the accounts of roles. */
  accounts(): string[];
  /** Regions of an account that have any state. */
  regions(accountId?: string): string[];
  /** Every backup of a Region, DELETED ones included, as it is now. */
  backups(region: string, accountId?: string): SimulatedBackup[];
  /** Copies of a source backup in a destination Region, DELETED ones excluded. */
  copiesOf(sourceBackupId: string, destinationRegion: string, accountId?: string): SimulatedBackup[];
  /** Copies in progress in a destination Region of an account now. */
  inFlight(region: string, accountId?: string): InFlightCount;
  /** The most copies ever in progress at once in a destination Region (exact, from the copy intervals). */
  peakInFlight(region: string, accountId?: string): InFlightCount;
  /**
   * Forgets all state (every account's, roles and issued credentials), requests and pending faults and rewinds the
   * seeded randomness; keeps behaviour and clock.
   */
  reset(): void;
  /** Stops listening and ends every connection, hung ones included. */
  close(): Promise<void>;
}

const NO_COPIES: InFlightCount = Object.freeze({ total: 0, service: 0, foreign: 0 });

function createClock(options: FsxSimulatorOptions): SimulatorClock {
  if (options.clock === undefined || options.clock === 'real') return createRealClock();
  if (options.clock === 'manual') {
    const start = options.startTime ?? Date.now();
    return createManualClock(typeof start === 'number' ? start : start.getTime());
  }
  return options.clock;
}

/** Starts the simulator on 127.0.0.1 (an ephemeral port unless `port` is given). Close it in `afterAll`. */
export async function startFsxSimulator(options: FsxSimulatorOptions = {}): Promise<FsxSimulator> {
  const clock = createClock(options);
  const random = createRandomStreams(options.seed ?? 1);
  const defaultAccountId = options.accountId ?? '123456789012';
  const accounts = new SimulatorAccounts(clock, random.ids, defaultAccountId);
  const sts = new StsDirectory(defaultAccountId, random.credentials);
  const faults = new FaultPlan();
  const requests: RecordedRequest[] = [];
  const stsRequests: RecordedStsRequest[] = [];
  let behaviour = applyBehaviour({ ...DEFAULT_BEHAVIOUR }, options);
  const deps = {
    accounts,
    sts,
    clock,
    random,
    faults,
    requests,
    stsRequests,
    behaviour: () => behaviour,
    sleep: (ms: number) => http.sleep(ms),
  };
  const http = await listenHttp(options.port ?? 0, {
    aws: async (headers, body) => {
      const credential = sigV4CredentialOf(headers);
      if (credential?.service === 'sts') return handleStsRequest(deps, credential, body);
      return handleFsxRequest(deps, headers, credential, body);
    },
    control: (method, path, body) => handleControlRequest(sim, method, path, body),
  });
  const port = http.port;

  const account = (accountId?: string) => accounts.account(accountId);
  /** For a change to something that must exist: a wrong account is an error, not a new empty account. */
  const existing = (accountId?: string) => {
    const state = accounts.peek(accountId);
    if (!state) throw new Error(`no account ${accountId ?? defaultAccountId} in the simulator`);
    return state;
  };
  const view = (region: string, accountId?: string): SimulatedBackup[] =>
    [...(accounts.peek(accountId)?.peekRegion(region)?.backups.values() ?? [])].map((r) =>
      viewBackup(r, clock.now()),
    );
  const ledger = (region: string, accountId?: string) => accounts.peek(accountId)?.peekRegion(region)?.ledger;

  const sim: FsxSimulator = {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    clock,
    get requests(): readonly RecordedRequest[] {
      return requests;
    },
    get stsRequests(): readonly RecordedStsRequest[] {
      return stsRequests;
    },
    defaultAccountId,
    configure: (patch) => {
      behaviour = applyBehaviour(behaviour, patch);
    },
    behaviour: () => behaviour,
    addRole: (input) => {
      account(sts.addRole(input).accountId);
    },
    addFileSystem: (input) => {
      account(input.accountId).addFileSystem(input);
    },
    setFileSystemLifecycle: (region, fileSystemId, lifecycle, accountId) => {
      const fs = existing(accountId).fileSystem(region, fileSystemId);
      if (!fs)
        throw new Error(`no file system ${fileSystemId} in ${region} of ${accountId ?? defaultAccountId}`);
      setFileSystemLifecycle(fs, lifecycle);
    },
    addBackup: (input) => account(input.accountId).addBackup(input).backupId,
    addCopy: (input) => account(input.accountId).addCopy(input).backupId,
    startRestore: (region, backupId, durationMs, accountId) =>
      existing(accountId).startRestore(region, backupId, durationMs),
    setLifecycle: (region, backupId, lifecycle, failureMessage, accountId) =>
      existing(accountId).setLifecycle(region, backupId, lifecycle, failureMessage),
    addForeignCopies: (region, count, durationMs, accountId) =>
      account(accountId).addForeignCopies(region, count, durationMs),
    failNext: (rule) => faults.failNext(rule),
    hangNext: (rule) => faults.hangNext(rule),
    accounts: () => accounts.accountIds(),
    regions: (accountId) => accounts.peek(accountId)?.regionNames() ?? [],
    backups: view,
    copiesOf: (sourceBackupId, destinationRegion, accountId) =>
      view(destinationRegion, accountId).filter(
        (b) => b.sourceBackupId === sourceBackupId && b.lifecycle !== 'DELETED',
      ),
    inFlight: (region, accountId) => ledger(region, accountId)?.countAt(clock.now()) ?? NO_COPIES,
    peakInFlight: (region, accountId) => ledger(region, accountId)?.peak() ?? NO_COPIES,
    reset: () => {
      accounts.reset();
      sts.reset();
      faults.clear();
      requests.length = 0;
      stsRequests.length = 0;
      for (const stream of [random.ids, random.faults, random.copyFailures, random.credentials])
        stream.reset();
    },
    close: () => http.close(),
  };
  return sim;
}
