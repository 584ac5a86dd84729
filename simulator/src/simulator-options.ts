import type { BackupField } from './render-backup.js';
import type { SimulatorClock } from './clock.js';

/** What a copy looks like when the simulator decides its duration and fate (at CopyBackup time). */
export interface CopyInfo {
  readonly destinationBackupId: string;
  readonly destinationRegion: string;
  readonly sourceBackupId: string;
  readonly sourceRegion: string;
  readonly fileSystemId: string;
  readonly fileSystemType: string;
  readonly sizeInBytes: number;
  readonly startedAt: number;
  /** 1 for the first copy the service started since start or reset, 2 for the next, ... (across accounts) */
  readonly sequence: number;
  /** The account the copy is made in (the caller's). */
  readonly accountId: string;
}

/** A backup being created by CreateBackup. */
export interface CreationInfo {
  readonly backupId: string;
  readonly region: string;
  readonly fileSystemId: string;
  readonly fileSystemType: string;
}

/** KMS keys FSx refuses: as a copy's destination key, or as its source backup's key. */
export interface InvalidKmsKeys {
  readonly destination?: readonly string[] | undefined;
  readonly source?: readonly string[] | undefined;
}

/** A request as the fault and latency settings see it. */
export interface RequestInfo {
  readonly operation: string;
  readonly region: string;
  /** The caller's account (from its access key). */
  readonly accountId: string;
}

/**
 * Everything about the simulated service a test may change while it runs (`sim.configure`). Setting a key to
 * `undefined` puts its default back.
 */
export interface SimulatorBehaviour {
  /** Most backups per DescribeBackups page (1–50, default 50); small values force real pagination. */
  pageSize?: number | undefined;
  /** Copies in progress allowed per destination Region (FSx: 5). */
  copyLimit?: number | undefined;
  /** How long a copy stays COPYING, in ms (default 1000). A function sees each copy. */
  copyDuration?: number | ((info: CopyInfo) => number) | undefined;
  /** Returns a FailureDetails message to make a copy end FAILED instead of AVAILABLE. */
  copyFailure?: ((info: CopyInfo) => string | undefined) | undefined;
  /** Share of copies (0–1, seeded) that end FAILED when `copyFailure` does not decide. */
  copyFailureRate?: number | undefined;
  /** How long a CreateBackup backup stays CREATING, in ms (default 1000). */
  creationDuration?: number | ((info: CreationInfo) => number) | undefined;
  /** USER_INITIATED backups (copies included) allowed per Region; unset means no quota. */
  backupQuota?: number | undefined;
  /** KMS keys FSx should refuse: as the destination key of a copy, or as the key of its source backup. */
  invalidKmsKeys?: InvalidKmsKeys | undefined;
  /** Regions without Windows Multi-AZ: copying a MULTI_AZ_1 backup there is IncompatibleRegionForMultiAZ. */
  regionsWithoutMultiAz?: readonly string[] | undefined;
  /** After a copy finishes, DeleteBackup of it says BackupBeingCopied for this long (default 0). */
  deleteBlockedAfterCopyMs?: number | undefined;
  /**
   * DeleteBackup only on backups carrying this tag (key and value), AccessDeniedException otherwise: what an IAM
   * policy with an `aws:ResourceTag/KEY` condition on fsx:DeleteBackup does. Unset: no such condition.
   */
  deleteRequiresTag?: { readonly key: string; readonly value: string } | undefined;
  /**
   * Whether DescribeBackups' `file-system-id` filter matches copies in their destination Region (default true, as
   * the one AWS example suggests). No document promises it, and the filter has had bugs: set false to prove code
   * does not rely on it.
   */
  fileSystemFilterFindsCopies?: boolean | undefined;
  /** A deleted backup is listed as DELETED for this long, then vanishes (default 60000). */
  deletedVisibleMs?: number | undefined;
  /** Delay before each FSx response, in real milliseconds (not the simulator clock). */
  latencyMs?: number | ((request: RequestInfo) => number) | undefined;
  /** Share of requests answered 500 InternalServerError (before any effect). */
  serverErrorRate?: number | undefined;
  /** Share of requests answered 400 ThrottlingException (before any effect). */
  throttleRate?: number | undefined;
  /** Share of requests never answered (before any effect); the socket stays open until `close()`. */
  hangRate?: number | undefined;
  /** Share of requests answered 200 with a body that is not JSON (after the effect: the call did happen). */
  malformedRate?: number | undefined;
  /** Operations the rates above apply to (default: all). */
  faultOperations?: readonly string[] | undefined;
  /** Backup members left out of every response (e.g. `Lifecycle`), to test code that trusts the shape. */
  dropFields?: readonly BackupField[] | undefined;
  /** A Lifecycle value never seen before (e.g. `ARCHIVING`) reported instead of COPYING and CREATING. */
  unknownLifecycle?: string | undefined;
}

/** Options fixed when the simulator starts, plus the initial behaviour. */
export interface FsxSimulatorOptions extends SimulatorBehaviour {
  /** `real` (default), `manual` (moved by `sim.clock.advance/set`), or a clock of your own. */
  clock?: 'real' | 'manual' | SimulatorClock;
  /** Start of a `manual` clock, epoch ms (default: now). */
  startTime?: number | Date;
  /** Seed of ids, fault draws and failure draws (default 1), so a run repeats. */
  seed?: number;
  /** TCP port on 127.0.0.1 (default 0: any free port). */
  port?: number;
  /**
   * The default account (default 123456789012): where a request goes whose access key the simulator did not issue
   * (through AssumeRole), and where seeding that names no account puts things.
   */
  accountId?: string;
}

/** Behaviour with its defaults filled in. */
export interface ResolvedBehaviour {
  pageSize: number;
  copyLimit: number;
  copyDuration: number | ((info: CopyInfo) => number);
  copyFailure?: ((info: CopyInfo) => string | undefined) | undefined;
  copyFailureRate: number;
  creationDuration: number | ((info: CreationInfo) => number);
  backupQuota?: number | undefined;
  invalidKmsKeys: InvalidKmsKeys;
  regionsWithoutMultiAz: readonly string[];
  deleteBlockedAfterCopyMs: number;
  deleteRequiresTag?: { readonly key: string; readonly value: string } | undefined;
  fileSystemFilterFindsCopies: boolean;
  deletedVisibleMs: number;
  latencyMs: number | ((request: RequestInfo) => number);
  serverErrorRate: number;
  throttleRate: number;
  hangRate: number;
  malformedRate: number;
  faultOperations?: readonly string[] | undefined;
  dropFields: readonly BackupField[];
  unknownLifecycle?: string | undefined;
}

export const DEFAULT_BEHAVIOUR: Readonly<ResolvedBehaviour> = Object.freeze({
  pageSize: 50,
  copyLimit: 5,
  copyDuration: 1000,
  copyFailureRate: 0,
  creationDuration: 1000,
  invalidKmsKeys: {},
  regionsWithoutMultiAz: [],
  deleteBlockedAfterCopyMs: 0,
  fileSystemFilterFindsCopies: true,
  deletedVisibleMs: 60_000,
  latencyMs: 0,
  serverErrorRate: 0,
  throttleRate: 0,
  hangRate: 0,
  malformedRate: 0,
  dropFields: [],
});

const BEHAVIOUR_KEYS: ReadonlySet<string> = new Set<keyof SimulatorBehaviour>([
  'pageSize',
  'copyLimit',
  'copyDuration',
  'copyFailure',
  'copyFailureRate',
  'creationDuration',
  'backupQuota',
  'invalidKmsKeys',
  'regionsWithoutMultiAz',
  'deleteBlockedAfterCopyMs',
  'deleteRequiresTag',
  'fileSystemFilterFindsCopies',
  'deletedVisibleMs',
  'latencyMs',
  'serverErrorRate',
  'throttleRate',
  'hangRate',
  'malformedRate',
  'faultOperations',
  'dropFields',
  'unknownLifecycle',
]);

/** Applies a patch: present keys replace, `undefined` restores the default, unknown keys are ignored. */
export function applyBehaviour(current: ResolvedBehaviour, patch: SimulatorBehaviour): ResolvedBehaviour {
  const next: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (!BEHAVIOUR_KEYS.has(key)) continue;
    next[key] = value === undefined ? (DEFAULT_BEHAVIOUR as unknown as Record<string, unknown>)[key] : value;
  }
  const resolved = next as unknown as ResolvedBehaviour;
  checkBehaviour(resolved);
  return resolved;
}

function checkBehaviour(b: ResolvedBehaviour): void {
  const fail = (what: string): never => {
    throw new Error(`FSx simulator option ${what}`);
  };
  if (!Number.isInteger(b.pageSize) || b.pageSize < 1 || b.pageSize > 50)
    fail('pageSize must be an integer 1–50');
  if (!Number.isInteger(b.copyLimit) || b.copyLimit < 0) fail('copyLimit must be a non-negative integer');
  for (const key of [
    'copyFailureRate',
    'serverErrorRate',
    'throttleRate',
    'hangRate',
    'malformedRate',
  ] as const) {
    if (!(b[key] >= 0 && b[key] <= 1)) fail(`${key} must be between 0 and 1`);
  }
  if (b.backupQuota !== undefined && !(b.backupQuota >= 0)) fail('backupQuota must be non-negative');
  if (!(b.deleteBlockedAfterCopyMs >= 0)) fail('deleteBlockedAfterCopyMs must be non-negative');
  if (!(b.deletedVisibleMs >= 0)) fail('deletedVisibleMs must be non-negative');
}
