import type { FsxSimulator } from '../../simulator/src/index.js';
import type { ChaosLog } from './chaos-log.js';
import type { FeedProfile } from './chaos-profile.js';
import type { ChaosRandom } from './chaos-random.js';
import { isCopyable, type ChaosFileSystem, type ChaosTopology } from './chaos-topology.js';

/** Lifecycle values FSx documents but the service might not expect, and ones it has never seen. */
const ODD_LIFECYCLES = ['TRANSFERRING', 'PENDING', 'OPTIMIZING', 'ARCHIVING'] as const;

export type FeedKind = 'available' | 'creating' | 'long-creating' | 'odd-lifecycle' | 'failed' | 'deleted';

interface Pending {
  readonly region: string;
  readonly backupId: string;
  readonly timer: NodeJS.Timeout;
}

/**
 * New source backups while the service runs, as FSx's automatic backups and people make them: most AVAILABLE at
 * once, some still CREATING for seconds or for longer than the start deadline, some showing an odd Lifecycle for
 * a while, some ending FAILED, and now and then a just-superseded backup deleted (its queued copy must fail with a
 * reason, not hang). `settle()` ends every odd state so the final audit knows what "newest" means.
 */
export class BackupFeeder {
  readonly counts: Record<FeedKind, number> = {
    available: 0,
    creating: 0,
    'long-creating': 0,
    'odd-lifecycle': 0,
    failed: 0,
    deleted: 0,
  };
  private readonly copyable: readonly ChaosFileSystem[];
  private readonly pending = new Map<string, Pending>();
  /** Each special kind comes up at least once, early, whatever the draws: a run must cover all of them. */
  private readonly mustFeed: FeedKind[] = ['long-creating', 'odd-lifecycle', 'deleted', 'failed', 'creating'];

  constructor(
    private readonly sim: FsxSimulator,
    topology: ChaosTopology,
    private readonly profile: FeedProfile,
    private readonly random: ChaosRandom,
    private readonly log: ChaosLog,
  ) {
    this.copyable = topology.fileSystems.filter((f) => isCopyable(f.type));
  }

  /** One round: a new backup on a few file systems. */
  round(): void {
    for (const fs of this.random.sample(this.copyable, this.profile.perRound)) {
      const forced = this.mustFeed.shift();
      const made = this.feed(fs, forced ?? this.kind());
      // A kind this file system cannot take yet (a deletion needs older backups) waits for the next draw.
      if (forced !== undefined && made !== forced) this.mustFeed.unshift(forced);
    }
  }

  /** A new AVAILABLE backup on every file system (while the service is down: the catch-up has to copy them). */
  everyFileSystem(): void {
    for (const fs of this.copyable) this.feed(fs, 'available');
  }

  /** Every backup still CREATING or in an odd Lifecycle becomes AVAILABLE now. */
  settle(): void {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      this.sim.setLifecycle(p.region, p.backupId, 'AVAILABLE');
    }
    this.pending.clear();
  }

  private kind(): FeedKind {
    const p = this.profile;
    const r = this.random.next();
    const thresholds: readonly [FeedKind, number][] = [
      ['creating', p.creatingShare],
      ['long-creating', p.longCreatingShare],
      ['odd-lifecycle', p.oddLifecycleShare],
      ['failed', p.failedShare],
      ['deleted', p.deleteShare],
    ];
    let acc = 0;
    for (const [kind, share] of thresholds) {
      acc += share;
      if (r < acc) return kind;
    }
    return 'available';
  }

  /** Makes one backup of the kind asked for, or an AVAILABLE one when that kind cannot be made; says which. */
  private feed(fs: ChaosFileSystem, kind: FeedKind): FeedKind {
    const base = { region: fs.region, fileSystemId: fs.fileSystemId };
    const now = Date.now();
    switch (kind) {
      case 'available':
        this.sim.addBackup(base);
        break;
      case 'creating':
        this.hold(
          fs.region,
          this.sim.addBackup({ ...base, availableAt: now + this.random.int(1_000, 4_000) }),
        );
        break;
      case 'long-creating': {
        const ms = this.random.between(this.profile.longCreatingMs);
        this.hold(fs.region, this.sim.addBackup({ ...base, availableAt: now + ms }));
        this.log.info(`source backup of ${fs.fileSystemId} stays CREATING for ${Math.round(ms / 1000)} s`);
        break;
      }
      case 'odd-lifecycle':
        this.oddLifecycle(fs);
        break;
      case 'failed':
        this.sim.addBackup({ ...base, lifecycle: 'FAILED', failureMessage: 'Simulated: the backup failed' });
        break;
      case 'deleted':
        if (!this.deleteSuperseded(fs)) return this.feed(fs, 'available');
        break;
    }
    this.counts[kind] += 1;
    return kind;
  }

  /** Keeps a CREATING backup on the list `settle()` ends; it turns AVAILABLE by itself before that. */
  private hold(region: string, backupId: string): void {
    const timer = setTimeout(() => this.pending.delete(backupId), 120_000);
    timer.unref();
    this.pending.set(backupId, { region, backupId, timer });
  }

  private oddLifecycle(fs: ChaosFileSystem): void {
    const backupId = this.sim.addBackup({ region: fs.region, fileSystemId: fs.fileSystemId });
    this.sim.setLifecycle(fs.region, backupId, this.random.pick(ODD_LIFECYCLES));
    const timer = setTimeout(
      () => {
        this.pending.delete(backupId);
        this.sim.setLifecycle(fs.region, backupId, 'AVAILABLE');
      },
      this.random.int(3_000, 12_000),
    );
    timer.unref();
    this.pending.set(backupId, { region: fs.region, backupId, timer });
  }

  /** Deletes the second-newest AVAILABLE backup (likely queued or being copied); false when there is none. */
  private deleteSuperseded(fs: ChaosFileSystem): boolean {
    const available = this.sim
      .backups(fs.region)
      .filter(
        (b) => b.fileSystemId === fs.fileSystemId && b.lifecycle === 'AVAILABLE' && b.origin === 'seeded',
      )
      .sort((a, b) => b.creationTime.getTime() - a.creationTime.getTime());
    const victim = available[1];
    if (!victim || available.length < 3) return false;
    this.sim.setLifecycle(fs.region, victim.backupId, 'DELETED');
    return true;
  }
}
