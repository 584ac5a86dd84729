import { createHash } from 'node:crypto';
import { lifecycleAt, type BackupRecord, type FileSystemRecord } from './backup-record.js';
import type { SimulatorClock } from './clock.js';
import { buildFileSystem, type AddFileSystemInput } from './file-system.js';
import { InFlightLedger } from './in-flight-ledger.js';
import { arnPartitionOf } from './partitions.js';
import { RULES } from './request-validation.js';
import type { SeededRandom } from './seeded-random.js';
import { toWireTags } from './tag-input.js';

import type { AddBackupInput, AddCopyInput } from './seed-inputs.js';

export type { AddFileSystemInput } from './file-system.js';
export type { AddBackupInput, AddCopyInput } from './seed-inputs.js';

/**
 * One simulated account: per Region, its file systems, backups, remembered client request tokens and copy slots.
 * Regions spring into existence on first use, as every Region of a real account is there without asking.
 */
export interface RegionState {
  readonly fileSystems: Map<string, FileSystemRecord>;
  readonly backups: Map<string, BackupRecord>;
  /** ClientRequestToken -> what the first successful request with it asked and got. */
  readonly tokens: Map<string, RememberedToken>;
  readonly ledger: InFlightLedger;
}

export interface RememberedToken {
  readonly operation: string;
  /** Each request member, JSON-encoded, so "same parameters" is a plain comparison. */
  readonly params: Readonly<Record<string, string>>;
  readonly backupId: string;
}

/** What an account needs from the others: backup ids are unique across accounts, and copies share one sequence. */
export interface AccountDirectory {
  /** Whether any account other than `exceptAccountId` holds a backup with this id. */
  isBackupIdTaken(backupId: string, exceptAccountId?: string): boolean;
  nextCopySequence(): number;
}

const DEFAULT_BACKUP_SIZE = 10 * 1024 ** 3;

function toEpochMs(value: Date | number): number {
  return typeof value === 'number' ? value : value.getTime();
}

export class SimulatorState {
  readonly #regions = new Map<string, RegionState>();

  constructor(
    readonly clock: SimulatorClock,
    readonly ids: SeededRandom,
    readonly accountId: string,
    readonly directory: AccountDirectory,
  ) {}

  region(name: string): RegionState {
    let state = this.#regions.get(name);
    if (!state) {
      state = { fileSystems: new Map(), backups: new Map(), tokens: new Map(), ledger: new InFlightLedger() };
      this.#regions.set(name, state);
    }
    return state;
  }

  /** A Region's state without creating it (observing a Region should not make it appear). */
  peekRegion(name: string): RegionState | undefined {
    return this.#regions.get(name);
  }

  regionNames(): string[] {
    return [...this.#regions.keys()].sort();
  }

  /** Whether a Region of this account holds a backup with this id. */
  holdsBackupId(backupId: string): boolean {
    return [...this.#regions.values()].some((r) => r.backups.has(backupId));
  }

  /** A backup id no Region of any account uses yet. */
  newBackupId(): string {
    for (;;) {
      const id = `backup-${this.ids.hex(17)}`;
      if (!this.holdsBackupId(id) && !this.directory.isBackupIdTaken(id, this.accountId)) return id;
    }
  }

  /**
   * Refuses an id a test chose when it is malformed, already in this Region, or used by another account (ids are
   * unique across accounts; the same id in two Regions of one account is left allowed, as it always was).
   */
  #checkChosenBackupId(region: string, backupId: string): void {
    if (!RULES.backupId.pattern.test(backupId))
      throw new Error(`backup id ${backupId} is not a valid FSx id`);
    if (this.find(region, backupId) || this.directory.isBackupIdTaken(backupId, this.accountId)) {
      throw new Error(`backup ${backupId} already exists`);
    }
  }

  /** The FSx-managed key (`aws/fsx`) of a Region: what a backup uses when no key is named. */
  defaultKmsKeyId(region: string): string {
    const h = createHash('sha256').update(`${this.accountId}/${region}`).digest('hex');
    const uuid = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
    return `arn:${arnPartitionOf(region)}:kms:${region}:${this.accountId}:key/${uuid}`;
  }

  /** The next number in the sequence of copies the service started, across accounts (`CopyInfo.sequence`). */
  nextCopySequence(): number {
    return this.directory.nextCopySequence();
  }

  addFileSystem(input: AddFileSystemInput): FileSystemRecord {
    const fs = buildFileSystem(input, {
      accountId: this.accountId,
      kmsKeyId: this.defaultKmsKeyId(input.region),
      creationTime: this.clock.now(),
      backupSizeInBytes: DEFAULT_BACKUP_SIZE,
    });
    this.region(input.region).fileSystems.set(fs.fileSystemId, fs);
    return fs;
  }

  fileSystem(region: string, fileSystemId: string): FileSystemRecord | undefined {
    return this.#regions.get(region)?.fileSystems.get(fileSystemId);
  }

  /** Seeds a backup of a file system added before. */
  addBackup(input: AddBackupInput): BackupRecord {
    const region = this.region(input.region);
    const fileSystem = region.fileSystems.get(input.fileSystemId);
    if (!fileSystem) {
      throw new Error(`add file system ${input.fileSystemId} in ${input.region} before seeding its backups`);
    }
    const backupId = input.backupId ?? this.newBackupId();
    this.#checkChosenBackupId(input.region, backupId);
    const now = this.clock.now();
    const availableAt = input.availableAt === undefined ? undefined : toEpochMs(input.availableAt);
    const record: BackupRecord = {
      accountId: this.accountId,
      backupId,
      region: input.region,
      fileSystem,
      ...(input.volumeId !== undefined && { volumeId: input.volumeId }),
      type: input.type ?? 'AUTOMATIC',
      creationTime: input.creationTime === undefined ? now : toEpochMs(input.creationTime),
      ...(availableAt !== undefined && { availableAt }),
      tags: toWireTags(input.tags),
      kmsKeyId: input.kmsKeyId ?? fileSystem.kmsKeyId,
      sizeInBytes: input.sizeInBytes ?? fileSystem.backupSizeInBytes,
      origin: 'seeded',
    };
    const lifecycle = input.lifecycle ?? (availableAt === undefined ? 'AVAILABLE' : 'CREATING');
    const derived = availableAt === undefined ? 'AVAILABLE' : 'CREATING';
    if (lifecycle !== derived) {
      record.override = {
        lifecycle,
        ...(input.failureMessage !== undefined && { failureMessage: input.failureMessage }),
      };
    }
    region.backups.set(backupId, record);
    if (lifecycle === 'DELETED') this.markDeleted(record, now);
    return record;
  }

  /** Seeds a finished copy of an existing source backup that the service did not make (see `AddCopyInput`). */
  addCopy(input: AddCopyInput): BackupRecord {
    const source = this.find(input.sourceRegion, input.sourceBackupId);
    if (!source) throw new Error(`no source backup ${input.sourceBackupId} in ${input.sourceRegion}`);
    const backupId = input.backupId ?? this.newBackupId();
    this.#checkChosenBackupId(input.region, backupId);
    const record: BackupRecord = {
      accountId: this.accountId,
      backupId,
      region: input.region,
      fileSystem: source.fileSystem,
      ...(source.volumeId !== undefined && { volumeId: source.volumeId }),
      type: input.type ?? 'USER_INITIATED',
      creationTime: input.creationTime === undefined ? this.clock.now() : toEpochMs(input.creationTime),
      tags: toWireTags(input.tags),
      kmsKeyId: input.kmsKeyId ?? this.defaultKmsKeyId(input.region),
      sizeInBytes: source.sizeInBytes,
      origin: 'foreign-copy',
      source: { backupId: source.backupId, region: input.sourceRegion },
    };
    if (input.lifecycle !== undefined && input.lifecycle !== 'AVAILABLE') {
      record.override = { lifecycle: input.lifecycle };
    }
    this.region(input.region).backups.set(backupId, record);
    if (input.lifecycle === 'DELETED') this.markDeleted(record, this.clock.now());
    return record;
  }

  /** A file system is restored from the backup for `durationMs`: DeleteBackup says BackupRestoring meanwhile. */
  startRestore(regionName: string, backupId: string, durationMs: number): void {
    const record = this.find(regionName, backupId);
    if (!record) throw new Error(`no backup ${backupId} in ${regionName}`);
    record.restoringUntil = this.clock.now() + durationMs;
  }

  find(region: string, backupId: string): BackupRecord | undefined {
    return this.#regions.get(region)?.backups.get(backupId);
  }

  /** Whether FSx still lists a backup: deleted ones linger as DELETED for `deletedVisibleMs`, then vanish. */
  isListed(record: BackupRecord, t: number, deletedVisibleMs: number): boolean {
    return record.deletedAt === undefined || t < record.deletedAt + deletedVisibleMs;
  }

  /**
   * Forces a Lifecycle from now on. On a copy, anything but COPYING ends its slot now; COPYING holds the slot
   * open until the next call. DELETED deletes the backup (as DeleteBackup would, with no checks).
   */
  setLifecycle(regionName: string, backupId: string, lifecycle: string, failureMessage?: string): void {
    const record = this.find(regionName, backupId);
    if (!record) throw new Error(`no backup ${backupId} in ${regionName}`);
    const now = this.clock.now();
    if (lifecycle === 'DELETED') return this.markDeleted(record, now);
    delete record.deletedAt;
    record.override = { lifecycle, ...(failureMessage !== undefined && { failureMessage }) };
    if (!record.copy) return;
    const slot = record.copy.slot;
    if (lifecycle !== 'COPYING') {
      if (slot.end > now) slot.end = now;
    } else if (slot.end > now) {
      slot.end = Infinity;
    } else {
      const origin = record.origin === 'foreign-copy' ? 'foreign' : 'service';
      record.copy = {
        ...record.copy,
        slot: this.region(regionName).ledger.open(backupId, origin, now, Infinity),
      };
    }
  }

  markDeleted(record: BackupRecord, t: number, via: 'DeleteBackup' | 'control' = 'control'): void {
    record.deletedAt = t;
    record.deletedVia = via;
    if (record.copy && record.copy.slot.end > t) record.copy.slot.end = t;
  }

  /** Copies in any Region, still COPYING at `t`, whose source is this backup. */
  copiesInProgressOf(sourceRegion: string, sourceBackupId: string, t: number): BackupRecord[] {
    const found: BackupRecord[] = [];
    for (const region of this.#regions.values()) {
      for (const record of region.backups.values()) {
        if (record.source?.backupId !== sourceBackupId || record.source.region !== sourceRegion) continue;
        if (lifecycleAt(record, t).lifecycle === 'COPYING') found.push(record);
      }
    }
    return found;
  }

  /**
   * Copies that something other than the service started (a person, another tool): they hold slots of the
   * Region's limit for `durationMs`, or until `setLifecycle`/deletion when no duration is given.
   */
  addForeignCopies(regionName: string, count: number, durationMs?: number): string[] {
    const region = this.region(regionName);
    const now = this.clock.now();
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const fileSystem: FileSystemRecord = {
        accountId: this.accountId,
        region: regionName,
        fileSystemId: `fs-${this.ids.hex(17)}`,
        type: 'WINDOWS',
        lifecycle: 'AVAILABLE',
        tags: [],
        volumeIds: [],
        kmsKeyId: this.defaultKmsKeyId(regionName),
        creationTime: now,
        backupSizeInBytes: DEFAULT_BACKUP_SIZE,
      };
      const backupId = this.newBackupId();
      const slot = region.ledger.open(backupId, 'foreign', now, now + (durationMs ?? Infinity));
      region.backups.set(backupId, {
        accountId: this.accountId,
        backupId,
        region: regionName,
        fileSystem,
        type: 'USER_INITIATED',
        creationTime: now,
        tags: [],
        kmsKeyId: this.defaultKmsKeyId(regionName),
        sizeInBytes: DEFAULT_BACKUP_SIZE,
        origin: 'foreign-copy',
        source: { backupId: `backup-${this.ids.hex(17)}`, region: regionName },
        copy: { slot },
      });
      ids.push(backupId);
    }
    return ids;
  }
}
