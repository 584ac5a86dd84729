import { createManualClock, createRealClock, type SimulatorClock } from './clock.js';
import { handleControlRequest } from './control-api.js';
import { listenHttp } from './http-server.js';
import { FaultPlan, type FailNextRule, type HangNextRule } from './fault-plan.js';
import { handleFsxRequest, type RecordedRequest } from './fsx-endpoint.js';
import type { InFlightCount } from './in-flight-ledger.js';
import { viewBackup, type SimulatedBackup } from './render-backup.js';
import { createRandomStreams } from './seeded-random.js';
import {
  DEFAULT_BEHAVIOUR,
  applyBehaviour,
  type FsxSimulatorOptions,
  type ResolvedBehaviour,
  type SimulatorBehaviour,
} from './simulator-options.js';
import {
  SimulatorState,
  type AddBackupInput,
  type AddCopyInput,
  type AddFileSystemInput,
} from './simulator-state.js';

/** A running simulator: its endpoint, the knobs a test turns, and what it observed. */
export interface FsxSimulator {
  /** `http://127.0.0.1:PORT`: give it to the SDK as `endpoint`, or as `AWS_ENDPOINT_URL_FSX`. */
  readonly endpoint: string;
  readonly port: number;
  readonly clock: SimulatorClock;
  /** Every FSx request, in arrival order (control requests are not recorded). */
  readonly requests: readonly RecordedRequest[];
  /** Changes behaviour from now on; a key set to `undefined` gets its default back. */
  configure(patch: SimulatorBehaviour): void;
  /** The behaviour in force, defaults filled in. */
  behaviour(): Readonly<ResolvedBehaviour>;
  addFileSystem(input: AddFileSystemInput): void;
  /** Seeds a backup; returns its id. */
  addBackup(input: AddBackupInput): string;
  /** Seeds a finished copy the service did not make (another tool's, AWS Backup's, another deployment's). */
  addCopy(input: AddCopyInput): string;
  /** A restore from the backup runs for `durationMs`: DeleteBackup says BackupRestoring meanwhile. */
  startRestore(region: string, backupId: string, durationMs: number): void;
  /** Forces a Lifecycle (see `SimulatorState.setLifecycle` for what it does to copy slots). */
  setLifecycle(region: string, backupId: string, lifecycle: string, failureMessage?: string): void;
  /** Copies another tool started: they hold slots of the Region's limit. Returns their ids. */
  addForeignCopies(region: string, count: number, durationMs?: number): string[];
  failNext(rule: FailNextRule): void;
  hangNext(rule?: HangNextRule): void;
  /** Regions that have any state. */
  regions(): string[];
  /** Every backup of a Region, DELETED ones included, as it is now. */
  backups(region: string): SimulatedBackup[];
  /** Copies of a source backup in a destination Region, DELETED ones excluded. */
  copiesOf(sourceBackupId: string, destinationRegion: string): SimulatedBackup[];
  /** Copies in progress in a destination Region now. */
  inFlight(region: string): InFlightCount;
  /** The most copies ever in progress at once in a destination Region (exact, from the copy intervals). */
  peakInFlight(region: string): InFlightCount;
  /** Forgets all state, requests and pending faults and rewinds the seeded randomness; keeps behaviour and clock. */
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
  const state = new SimulatorState(clock, random.ids, options.accountId ?? '123456789012');
  const faults = new FaultPlan();
  const requests: RecordedRequest[] = [];
  let behaviour = applyBehaviour({ ...DEFAULT_BEHAVIOUR }, options);
  const deps = {
    state,
    clock,
    random,
    faults,
    requests,
    behaviour: () => behaviour,
    sleep: (ms: number) => http.sleep(ms),
  };
  const http = await listenHttp(options.port ?? 0, {
    fsx: (headers, body) => handleFsxRequest(deps, headers, body),
    control: (method, path, body) => handleControlRequest(sim, method, path, body),
  });
  const port = http.port;

  const view = (region: string): SimulatedBackup[] =>
    [...(state.peekRegion(region)?.backups.values() ?? [])].map((r) => viewBackup(r, clock.now()));

  const sim: FsxSimulator = {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    clock,
    get requests(): readonly RecordedRequest[] {
      return requests;
    },
    configure: (patch) => {
      behaviour = applyBehaviour(behaviour, patch);
    },
    behaviour: () => behaviour,
    addFileSystem: (input) => {
      state.addFileSystem(input);
    },
    addBackup: (input) => state.addBackup(input).backupId,
    addCopy: (input) => state.addCopy(input).backupId,
    startRestore: (region, backupId, durationMs) => state.startRestore(region, backupId, durationMs),
    setLifecycle: (region, backupId, lifecycle, failureMessage) =>
      state.setLifecycle(region, backupId, lifecycle, failureMessage),
    addForeignCopies: (region, count, durationMs) => state.addForeignCopies(region, count, durationMs),
    failNext: (rule) => faults.failNext(rule),
    hangNext: (rule) => faults.hangNext(rule),
    regions: () => state.regionNames(),
    backups: view,
    copiesOf: (sourceBackupId, destinationRegion) =>
      view(destinationRegion).filter((b) => b.sourceBackupId === sourceBackupId && b.lifecycle !== 'DELETED'),
    inFlight: (region) => state.peekRegion(region)?.ledger.countAt(clock.now()) ?? NO_COPIES,
    peakInFlight: (region) => state.peekRegion(region)?.ledger.peak() ?? NO_COPIES,
    reset: () => {
      state.reset();
      faults.clear();
      requests.length = 0;
      for (const stream of [random.ids, random.faults, random.copyFailures]) stream.reset();
    },
    close: () => http.close(),
  };
  return sim;
}
