import {
  CopyBackupCommand,
  DescribeBackupsCommand,
  FSxClient,
  paginateDescribeBackups,
  paginateDescribeFileSystems,
  type Backup,
  type FileSystem,
  type Filter,
} from '@aws-sdk/client-fsx';
import type { BackupState, CopyGateway, CopyRequest, CopySource } from '../copy/ports.js';
import { ProtocolError } from '../copy/service-errors.js';
import type { AccountCredentials } from './assume-role.js';
import type { DestinationBackup } from '../retention/destination-backup.js';
import type { SourceBackup } from '../schedule/plan-copies.js';
import type { DescribedFileSystem } from '../schedule/select-file-systems.js';
import { deleteBackup, describeBackupsById, listUserInitiatedBackups } from './destination-backups.js';

export interface FsxGatewayOptions {
  /** Give up on one HTTP request after this long (a response that never comes must not hang a copy). */
  readonly requestTimeoutMs?: number;
  /** The SDK's own attempts per call (it retries 5xx and throttling itself). */
  readonly maxAttempts?: number;
  /** Overrides the endpoint (tests pass the simulator's; otherwise the SDK reads AWS_ENDPOINT_URL_FSX). */
  readonly endpoint?: string;
  /** The account's credentials (an assumed role); absent: the SDK's default chain, the service's own. */
  readonly credentials?: AccountCredentials;
}

const FILTER_VALUES_PER_FILTER = 20;
/**
 * Source listings in flight at once. Modest on purpose: FSx publishes no DescribeBackups rate limit, and the SDK
 * retries throttling, but a slot's listing should not crowd out the copy workers' polls.
 */
const LISTING_CONCURRENCY = 4;

function toBackupState(b: Backup): BackupState {
  return {
    backupId: b.BackupId ?? '',
    ...(b.Lifecycle !== undefined ? { lifecycle: b.Lifecycle } : {}),
    ...(b.FailureDetails?.Message !== undefined ? { failureMessage: b.FailureDetails.Message } : {}),
    ...(typeof (b as { SizeInBytes?: unknown }).SizeInBytes === 'number'
      ? { sizeInBytes: (b as { SizeInBytes: number }).SizeInBytes }
      : {}),
    ...(b.ProgressPercent !== undefined ? { progressPercent: b.ProgressPercent } : {}),
    ...(b.SourceBackupId !== undefined ? { sourceBackupId: b.SourceBackupId } : {}),
    ...(b.SourceBackupRegion !== undefined ? { sourceRegion: b.SourceBackupRegion } : {}),
    ...(b.CreationTime instanceof Date ? { creationTime: b.CreationTime.getTime() } : {}),
    ...(b.Tags !== undefined
      ? {
          tags: Object.fromEntries(
            b.Tags.flatMap((t) => (t.Key === undefined ? [] : [[t.Key, t.Value ?? '']])),
          ),
        }
      : {}),
  };
}

function toSourceBackup(b: Backup): SourceBackup | undefined {
  const fileSystemId = b.FileSystem?.FileSystemId;
  if (!b.BackupId || !fileSystemId) return undefined;
  // FSx returns both on every backup. Without a CreationTime the newest backup cannot be told, and a copy would
  // carry no recovery point (RPO and retention read it); without a Lifecycle, whether it may be copied. The slot's
  // planning is retried rather than done on half an answer.
  if (!(b.CreationTime instanceof Date) || b.Lifecycle === undefined) {
    throw new ProtocolError(
      `DescribeBackups answered ${b.BackupId} without its ${b.Lifecycle === undefined ? 'Lifecycle' : 'CreationTime'}`,
    );
  }
  const tags: Record<string, string> = {};
  for (const t of b.Tags ?? []) if (t.Key !== undefined) tags[t.Key] = t.Value ?? '';
  return {
    backupId: b.BackupId,
    fileSystemId,
    lifecycle: b.Lifecycle,
    creationTime: b.CreationTime.getTime(),
    ...(b.FileSystem?.FileSystemType !== undefined ? { fileSystemType: b.FileSystem.FileSystemType } : {}),
    tags,
  };
}

function toDescribedFileSystem(fs: FileSystem): DescribedFileSystem | undefined {
  if (!fs.FileSystemId || !fs.FileSystemType) return undefined;
  const tags: Record<string, string> = {};
  for (const t of fs.Tags ?? []) if (t.Key !== undefined) tags[t.Key] = t.Value ?? '';
  const deploymentType =
    fs.LustreConfiguration?.DeploymentType ??
    fs.WindowsConfiguration?.DeploymentType ??
    fs.OpenZFSConfiguration?.DeploymentType ??
    fs.OntapConfiguration?.DeploymentType;
  const repository = fs.LustreConfiguration?.DataRepositoryConfiguration;
  return {
    fileSystemId: fs.FileSystemId,
    type: fs.FileSystemType,
    // A file system without a Lifecycle cannot be told ready: treated as not available, never as copyable.
    lifecycle: fs.Lifecycle ?? 'UNKNOWN',
    tags,
    ...(deploymentType !== undefined ? { deploymentType } : {}),
    ...(fs.StorageType !== undefined ? { storageType: fs.StorageType } : {}),
    s3Linked: repository?.ImportPath !== undefined || repository?.ExportPath !== undefined,
  };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The service's only door to FSx: one SDK client per Region (CopyBackup is called in the destination Region),
 * paginated listings, and SDK shapes turned into the plain ones the core takes. Holds no policy.
 */
export class FsxGateway implements CopyGateway {
  private readonly clients = new Map<string, FSxClient>();

  constructor(private readonly options: FsxGatewayOptions = {}) {}

  client(region: string): FSxClient {
    let c = this.clients.get(region);
    if (!c) {
      c = new FSxClient({
        region,
        maxAttempts: this.options.maxAttempts ?? 3,
        // Without throwOnRequestTimeout the SDK only warns on a time-out and keeps waiting for ever.
        requestHandler: {
          requestTimeout: this.options.requestTimeoutMs ?? 30_000,
          connectionTimeout: 5_000,
          throwOnRequestTimeout: true,
        },
        ...(this.options.endpoint !== undefined ? { endpoint: this.options.endpoint } : {}),
        ...(this.options.credentials !== undefined ? { credentials: this.options.credentials } : {}),
      });
      this.clients.set(region, c);
    }
    return c;
  }

  /**
   * Every backup of the given file systems in a Region, all pages (filters hold at most 20 values). A policy of
   * 10,000 file systems is 500 listings: one after another they take 500 round trips (about 25 s at 50 ms each),
   * so up to LISTING_CONCURRENCY run at once. The result is in the same order as listing them one by one, and the
   * first failure fails the whole listing (no further chunk is started), as before.
   */
  async listSourceBackups(region: string, fileSystemIds: readonly string[]): Promise<SourceBackup[]> {
    const groups = chunks(fileSystemIds, FILTER_VALUES_PER_FILTER);
    const results: SourceBackup[][] = [];
    let next = 0;
    let failed = false;
    const lister = async (): Promise<void> => {
      while (!failed && next < groups.length) {
        const index = next;
        next += 1;
        try {
          results[index] = await this.listFileSystemBackups(region, groups[index] ?? []);
        } catch (err) {
          failed = true;
          throw err;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(LISTING_CONCURRENCY, groups.length) }, lister));
    return results.flat();
  }

  /** One filtered listing (at most 20 file systems), every page. */
  private async listFileSystemBackups(region: string, ids: string[]): Promise<SourceBackup[]> {
    const out: SourceBackup[] = [];
    const filters: Filter[] = [{ Name: 'file-system-id', Values: ids }];
    for await (const page of paginateDescribeBackups({ client: this.client(region) }, { Filters: filters })) {
      for (const b of page.Backups ?? []) {
        const s = toSourceBackup(b);
        if (s) out.push(s);
      }
    }
    return out;
  }

  /** Every file system of a Region (all pages), with its tags, type and lifecycle: what selectors choose from. */
  async listFileSystems(region: string): Promise<DescribedFileSystem[]> {
    const out: DescribedFileSystem[] = [];
    for await (const page of paginateDescribeFileSystems({ client: this.client(region) }, {})) {
      for (const fs of page.FileSystems ?? []) {
        const described = toDescribedFileSystem(fs);
        if (described) out.push(described);
      }
    }
    return out;
  }

  /** One backup's state, or undefined when FSx says it does not exist. */
  async describeBackup(region: string, backupId: string): Promise<BackupState | undefined> {
    try {
      const res = await this.client(region).send(new DescribeBackupsCommand({ BackupIds: [backupId] }));
      const b = res.Backups?.find((x) => x.BackupId === backupId);
      return b ? toBackupState(b) : undefined;
    } catch (err) {
      if ((err as { name?: unknown }).name === 'BackupNotFound') return undefined;
      throw err;
    }
  }

  /**
   * Several backups of a Region in one DescribeBackups (at most 50 ids; every page, should FSx page them). Throws
   * what FSx throws: one missing id fails the whole call with BackupNotFound, and the caller finds which.
   */
  async describeBackupStates(region: string, backupIds: readonly string[]): Promise<BackupState[]> {
    const out: BackupState[] = [];
    const ids = [...backupIds];
    for await (const page of paginateDescribeBackups({ client: this.client(region) }, { BackupIds: ids })) {
      for (const b of page.Backups ?? [])
        if (b.BackupId && ids.includes(b.BackupId)) out.push(toBackupState(b));
    }
    return out;
  }

  /**
   * Every copy in a destination Region (user-initiated backups that name a source), any Lifecycle, anyone's, with
   * their tags: one listing that answers the look-ups of several copies at once (see `SharedCopyLookup`).
   */
  async listCopies(destinationRegion: string): Promise<BackupState[]> {
    const filters: Filter[] = [{ Name: 'backup-type', Values: ['USER_INITIATED'] }];
    const out: BackupState[] = [];
    for await (const page of paginateDescribeBackups(
      { client: this.client(destinationRegion) },
      { Filters: filters },
    )) {
      for (const b of page.Backups ?? []) {
        if (b.BackupId && b.SourceBackupId !== undefined) out.push(toBackupState(b));
      }
    }
    return out;
  }

  /**
   * Copies of a source backup already in a destination Region (any Lifecycle, anyone's, with their tags), found by
   * the copy's `SourceBackupId`/`SourceBackupRegion` over a listing of the Region's user-initiated backups. FSx has no
   * filter on the source backup, and the `file-system-id` filter is not promised to find copies there
   * (docs/fsx-notes.md, "Finding copies in the destination"), so it is not used: the look-up lists the whole Region.
   */
  async findCopiesOf(destinationRegion: string, source: CopySource): Promise<BackupState[]> {
    const filters: Filter[] = [{ Name: 'backup-type', Values: ['USER_INITIATED'] }];
    const out: BackupState[] = [];
    for await (const page of paginateDescribeBackups(
      { client: this.client(destinationRegion) },
      { Filters: filters },
    )) {
      for (const b of page.Backups ?? []) {
        // A listing entry without an id cannot be followed: attaching to it would hold a slot for nothing.
        if (!b.BackupId) continue;
        if (b.SourceBackupId === source.sourceBackupId && b.SourceBackupRegion === source.sourceRegion) {
          out.push(toBackupState(b));
        }
      }
    }
    return out;
  }

  /** Every USER_INITIATED backup of a Region (copies are user-initiated in their destination), all pages. */
  listUserInitiatedBackups(region: string): Promise<DestinationBackup[]> {
    return listUserInitiatedBackups(this.client(region));
  }

  /** The backups of a Region FSx still knows, by id; a missing one is absent from the map. */
  describeBackups(region: string, backupIds: readonly string[]): Promise<Map<string, DestinationBackup>> {
    return describeBackupsById(this.client(region), backupIds);
  }

  /** DeleteBackup in the backup's Region, idempotent on `clientRequestToken`. */
  deleteBackup(region: string, backupId: string, clientRequestToken: string): Promise<void> {
    return deleteBackup(this.client(region), backupId, clientRequestToken);
  }

  /** CopyBackup in the destination Region. Returns the new (or, for a repeated token, the existing) copy. */
  async copyBackup(req: CopyRequest): Promise<BackupState> {
    const tags = Object.entries(req.tags).map(([Key, Value]) => ({ Key, Value }));
    const res = await this.client(req.destinationRegion).send(
      new CopyBackupCommand({
        SourceBackupId: req.sourceBackupId,
        // No SourceRegion means an in-Region copy.
        ...(req.sourceRegion !== req.destinationRegion ? { SourceRegion: req.sourceRegion } : {}),
        ...(req.kmsKeyId !== undefined ? { KmsKeyId: req.kmsKeyId } : {}),
        CopyTags: req.copyTags,
        ...(tags.length > 0 ? { Tags: tags } : {}),
        ClientRequestToken: req.clientRequestToken,
      }),
    );
    if (!res.Backup?.BackupId) {
      throw new ProtocolError('CopyBackup returned no backup id');
    }
    return toBackupState(res.Backup);
  }

  destroy(): void {
    for (const c of this.clients.values()) c.destroy();
    this.clients.clear();
  }
}
