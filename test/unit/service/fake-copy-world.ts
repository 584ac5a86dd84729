import { pino, type Logger } from 'pino';
import type { CopyJobData } from '../../../src/copy/copy-job.js';
import type { CopyOutcome } from '../../../src/copy/outcome.js';
import type {
  BackupState,
  CopyGateway,
  CopyRequest,
  CopySource,
  OutcomeRecorder,
} from '../../../src/copy/ports.js';
import { DEFAULT_RETRY_LIMITS, type RetryLimits } from '../../../src/copy/retry-policy.js';
import { toFsxErrorFacts } from '../../../src/fsx/error-facts.js';
import type { CopyJobPorts } from '../../../src/service/process-copy-job.js';

export const T0 = Date.parse('2026-06-01T00:00:00Z');
export const SOURCE = {
  region: 'us-east-1',
  backupId: 'backup-0source',
  fileSystemId: 'fs-00000000000000001',
};
export const DESTINATION = 'us-west-2';
/** The deployment every job of these tests belongs to (its copies' `fsx-dr:deployment` tag). */
export const DEPLOYMENT = 'fsx-dr-test';
/** The service tags a copy of the source by this deployment carries. */
export const OWN_TAGS: Readonly<Record<string, string>> = {
  'fsx-dr:source-backup-id': SOURCE.backupId,
  'fsx-dr:deployment': DEPLOYMENT,
};

/** An error shaped as the AWS SDK throws it: a name, `$fault` and the HTTP status. */
export function sdkError(name: string, status: number, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`Simulated ${name}`), {
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    ...extra,
  });
}

/** A copy in the fake destination; `lifecycles` is what its next polls see. */
type StoredCopy = { -readonly [K in keyof BackupState]: BackupState[K] } & { lifecycles: string[] };

/** What one FSx call does, in order; a call past the end of its script does the normal thing. */
export type Scripted = 'ok' | 'lost' | Error;

/**
 * FSx as the copy logic sees it, in memory: one source backup, the copies in the destination, CopyBackup's
 * idempotency token, and scripts for errors and for the Lifecycle each poll of a copy sees.
 */
export class FakeFsx implements CopyGateway {
  readonly calls: { op: string; at: number; req?: CopyRequest }[] = [];
  readonly copies = new Map<string, StoredCopy>();
  private readonly tokens = new Map<string, string>();
  source: BackupState | undefined = { backupId: SOURCE.backupId, lifecycle: 'AVAILABLE' };
  copyBackupScript: Scripted[] = [];
  describeScript: Scripted[] = [];
  findScript: Scripted[] = [];
  /** The Lifecycles each poll of a new copy sees, in order; the last one stays. */
  copyLifecycles = ['CREATING', 'AVAILABLE'];
  /** Listings do not show which source a copy was made from (FSx's views disagree for a while). */
  hideSourceIds = false;

  constructor(private readonly clock: { now: number }) {}

  private next(script: Scripted[]): Scripted {
    return script.shift() ?? 'ok';
  }

  /** A copy of the source in the destination: by default this deployment's own (its tags). */
  addCopy(
    lifecycle: string,
    creationTime = this.clock.now,
    tags: Readonly<Record<string, string>> = OWN_TAGS,
  ): string {
    const id = `backup-copy${this.copies.size + 1}`;
    this.copies.set(id, {
      backupId: id,
      lifecycle,
      sourceBackupId: SOURCE.backupId,
      sourceRegion: SOURCE.region,
      creationTime,
      sizeInBytes: 1024,
      tags,
      lifecycles: [lifecycle],
    });
    return id;
  }

  copyBackup(req: CopyRequest): Promise<BackupState> {
    this.calls.push({ op: 'CopyBackup', at: this.clock.now, req });
    const step = this.next(this.copyBackupScript);
    if (step instanceof Error) return Promise.reject(step);
    let id = this.tokens.get(req.clientRequestToken);
    if (id === undefined) {
      id = this.addCopy(this.copyLifecycles[0] ?? 'CREATING', this.clock.now, req.tags);
      const copy = this.copies.get(id);
      if (copy) copy.lifecycles = [...this.copyLifecycles];
      this.tokens.set(req.clientRequestToken, id);
    }
    if (step === 'lost') return Promise.reject(sdkError('InternalServerError', 500));
    return Promise.resolve({ backupId: id, lifecycle: this.copies.get(id)?.lifecycle ?? 'CREATING' });
  }

  describeBackup(region: string, backupId: string): Promise<BackupState | undefined> {
    this.calls.push({ op: region === SOURCE.region ? 'DescribeSource' : 'DescribeCopy', at: this.clock.now });
    const step = this.next(this.describeScript);
    if (step instanceof Error) return Promise.reject(step);
    if (region === SOURCE.region) return Promise.resolve(this.source);
    const copy = this.copies.get(backupId);
    if (!copy) return Promise.resolve(undefined);
    const lifecycle = copy.lifecycles.length > 1 ? copy.lifecycles.shift() : copy.lifecycles[0];
    if (lifecycle !== undefined) copy.lifecycle = lifecycle;
    const { lifecycles: _script, ...state } = copy;
    return Promise.resolve(state);
  }

  findCopiesOf(destinationRegion: string, source: CopySource): Promise<BackupState[]> {
    this.calls.push({ op: 'ListCopies', at: this.clock.now });
    const step = this.next(this.findScript);
    if (step instanceof Error) return Promise.reject(step);
    if (this.hideSourceIds || destinationRegion !== DESTINATION) return Promise.resolve([]);
    return Promise.resolve(
      [...this.copies.values()].filter(
        (c) => c.sourceBackupId === source.sourceBackupId && c.sourceRegion === source.sourceRegion,
      ),
    );
  }

  count(op: string): number {
    return this.calls.filter((c) => c.op === op).length;
  }
}

/** The outcome store in memory: one outcome per job, and the "already copied" markers. */
export class FakeOutcomes implements OutcomeRecorder {
  readonly outcomes = new Map<string, CopyOutcome>();
  readonly copied = new Map<string, string>();

  record(outcome: CopyOutcome, copyKeyId: string): Promise<boolean> {
    if (this.outcomes.has(outcome.jobId)) return Promise.resolve(false);
    this.outcomes.set(outcome.jobId, outcome);
    if (outcome.status === 'succeeded') this.copied.set(copyKeyId, outcome.destinationBackupId ?? '');
    return Promise.resolve(true);
  }

  copiedAs(copyKeyId: string): Promise<string | undefined> {
    return Promise.resolve(this.copied.get(copyKeyId));
  }
}

/** A copy job's world: fake FSx and store, a clock that moves only when the job sleeps, and its log lines. */
export class CopyWorld {
  readonly clock = { now: T0 };
  readonly fsx = new FakeFsx(this.clock);
  readonly store = new FakeOutcomes();
  readonly sleeps: number[] = [];
  readonly retries: string[] = [];
  readonly lines: Record<string, unknown>[] = [];
  readonly abort = new AbortController();
  /** Aborts the job (shutdown) during this sleep, counted from 1. */
  abortOnSleep: number | undefined;
  limits: RetryLimits = DEFAULT_RETRY_LIMITS;
  saved: CopyJobData[] = [];

  readonly logger: Logger = pino(
    { level: 'debug', base: {} },
    { write: (line: string) => void this.lines.push(JSON.parse(line) as Record<string, unknown>) },
  );

  ports(): CopyJobPorts {
    return {
      fsx: this.fsx,
      outcomes: this.store,
      errorFacts: toFsxErrorFacts,
      logger: this.logger,
      limits: this.limits,
      now: () => this.clock.now,
      random: () => 0.5,
      sleep: (ms, signal) => {
        this.sleeps.push(ms);
        if (this.abortOnSleep === this.sleeps.length) this.abort.abort();
        if (signal.aborted)
          return Promise.reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
        this.clock.now += ms;
        return Promise.resolve();
      },
      onRetry: (name) => void this.retries.push(name),
    };
  }

  data(patch: Partial<CopyJobData> = {}): CopyJobData {
    return {
      sourceRegion: SOURCE.region,
      sourceBackupId: SOURCE.backupId,
      destinationRegion: DESTINATION,
      policy: 'gold',
      fileSystemId: SOURCE.fileSystemId,
      sourceCreatedAt: T0 - 60_000,
      slotMs: T0,
      copyTags: false,
      tags: OWN_TAGS,
      enqueuedAt: T0,
      startDeadlineAt: T0 + 8 * 3_600_000,
      completionDeadlineMs: 48 * 3_600_000,
      pollIntervalMs: 30_000,
      ...patch,
    };
  }

  events(name: string): Record<string, unknown>[] {
    return this.lines.filter((l) => l['event'] === name);
  }
}
