import type { CopyOutcome } from '../../src/copy/outcome.js';
import { decideRetention } from '../../src/retention/decide-retention.js';
import type { ZonedRetentionRules } from '../../src/retention/retention-types.js';

/**
 * The retention verdict of a chaos run, from the simulator's ground truth (who made each backup, its source, when it
 * became AVAILABLE, who deleted it and when), never from what the service says about itself:
 *
 * - **not the service's**: backups a DeleteBackup deleted that this deployment's service did not copy (other tools'
 *   copies, AWS_BACKUP or AUTOMATIC backups, another deployment's copies, bait carrying our tags), and DeleteBackup
 *   requests that named such a backup or went to a source Region at all, whatever FSx answered;
 * - **newest deleted**: a copy deleted while no other AVAILABLE copy of its pair had a newer recovery point (or, for a
 *   FAILED copy, while none was newer at all): the copy that keeps later copies incremental;
 * - **deleted while referenced**: a copy deleted while a copy job that names it (its checkpoint, or the copy it
 *   attached to) was still unfinished: the job's outcome was recorded after the deletion;
 * - **pairs as the rules keep**: after the drain, each configured pair holds exactly the copies the pure decision
 *   keeps over the pair's copies as FSx holds them (AVAILABLE and FAILED; none in progress).
 */
export interface DestinationFact {
  readonly backupId: string;
  readonly region: string;
  /** The simulator's record of who made it: `service-copy` is a CopyBackup request's. */
  readonly origin: string;
  readonly type: string;
  readonly lifecycle: string;
  /** The `fsx-dr:deployment` tag, if any. */
  readonly deployment?: string;
  /** Whether it carries an `fsx-dr:recovery-point` tag (without one retention can never decide about it). */
  readonly hasRecoveryPointTag?: boolean;
  readonly sourceRegion?: string;
  readonly sourceBackupId?: string;
  /** The file system of the copy's source (the simulator's truth). */
  readonly fileSystemId: string;
  /** The source backup's CreationTime, when the source is known to the simulator. */
  readonly recoveryPointMs?: number;
  /** For the service's copies: when the copy turned AVAILABLE (absent when it ended FAILED). */
  readonly availableAt?: number;
  readonly failed?: boolean;
  readonly deletedAt?: number;
  readonly deletedVia?: string;
}

export interface DeleteRequestFact {
  readonly time: number;
  readonly region: string;
  readonly backupId: string;
  readonly status?: number;
}

export interface RetentionPairSpec {
  readonly sourceRegion: string;
  readonly fileSystemId: string;
  readonly destinationRegion: string;
  readonly rules: readonly ZonedRetentionRules[];
}

export interface RetentionAuditInput {
  /** Every backup of every destination Region, DELETED ones included. */
  readonly backups: readonly DestinationFact[];
  readonly deleteRequests: readonly DeleteRequestFact[];
  readonly outcomes: readonly CopyOutcome[];
  readonly pairs: readonly RetentionPairSpec[];
  readonly sourceRegions: readonly string[];
  readonly deployment: string;
  readonly now: number;
}

export interface RetentionAudit {
  /** The service's copies a DeleteBackup deleted. */
  readonly deleted: number;
  readonly deleteRequests: number;
  readonly notServiceDeleted: number;
  readonly deleteRequestsToOthers: number;
  readonly newestDeleted: number;
  readonly deletedWhileReferenced: number;
  /** The service's copies without a recovery point tag: retention keeps them for ever. */
  readonly withoutRecoveryPoint: number;
  readonly pairs: number;
  readonly pairsAsRulesKeep: number;
  /** Backups that are not the service's copies, in the destination Regions, and how many are still there. */
  readonly othersSeen: number;
  readonly othersLeft: number;
  readonly problems: readonly string[];
}

const isOurs = (b: DestinationFact, deployment: string): boolean =>
  b.origin === 'service-copy' && b.type === 'USER_INITIATED' && b.deployment === deployment;

const pairOf = (b: DestinationFact): string => `${b.sourceRegion ?? '?'}|${b.fileSystemId}|${b.region}`;

/** Whether `c` was an AVAILABLE copy at `t`. */
function availableAt(c: DestinationFact, t: number): boolean {
  return c.availableAt !== undefined && c.availableAt <= t && (c.deletedAt === undefined || c.deletedAt > t);
}

export function auditRetention(input: RetentionAuditInput): RetentionAudit {
  const problems: string[] = [];
  const byId = new Map(input.backups.map((b) => [`${b.region}|${b.backupId}`, b]));
  const ours = input.backups.filter((b) => isOurs(b, input.deployment));
  const byPair = new Map<string, DestinationFact[]>();
  for (const b of ours) byPair.set(pairOf(b), [...(byPair.get(pairOf(b)) ?? []), b]);

  const deletedByRequest = input.backups.filter((b) => b.deletedVia === 'DeleteBackup');
  const notServiceDeleted = deletedByRequest.filter((b) => !isOurs(b, input.deployment));
  for (const b of notServiceDeleted)
    problems.push(
      `deleted ${b.backupId} in ${b.region}: not this deployment's copy (${b.origin}, ${b.type})`,
    );
  const sources = new Set(input.sourceRegions);
  const toOthers = input.deleteRequests.filter((r) => {
    const b = byId.get(`${r.region}|${r.backupId}`);
    return sources.has(r.region) || b === undefined || !isOurs(b, input.deployment);
  });
  for (const r of toOthers)
    problems.push(`DeleteBackup sent for ${r.backupId} in ${r.region}: not this deployment's copy`);

  let newestDeleted = 0;
  let whileReferenced = 0;
  const deletedOurs = deletedByRequest.filter((b) => isOurs(b, input.deployment));
  for (const d of deletedOurs) {
    const t = d.deletedAt ?? 0;
    const rp = d.recoveryPointMs ?? -Infinity;
    const superseded = (byPair.get(pairOf(d)) ?? []).some(
      (c) =>
        c.backupId !== d.backupId &&
        availableAt(c, t) &&
        (c.recoveryPointMs ?? -Infinity) >= rp &&
        ((c.recoveryPointMs ?? -Infinity) > rp || (!d.failed && c.backupId < d.backupId)),
    );
    if (!superseded) {
      newestDeleted += 1;
      problems.push(
        `deleted ${d.backupId} in ${d.region}: no newer AVAILABLE copy of its pair at ${new Date(t).toISOString()}`,
      );
    }
    const referencing = input.outcomes.filter(
      (o) =>
        o.destinationBackupId === d.backupId &&
        o.destinationRegion === d.region &&
        Date.parse(o.finishedAt) > t,
    );
    if (referencing.length > 0) {
      whileReferenced += 1;
      problems.push(
        `deleted ${d.backupId} in ${d.region} while job ${referencing.map((o) => o.jobId).join(', ')} followed it`,
      );
    }
  }

  const withoutRecoveryPoint = ours.filter((b) => b.hasRecoveryPointTag === false);
  for (const b of withoutRecoveryPoint)
    problems.push(`copy ${b.backupId} in ${b.region} carries no fsx-dr:recovery-point tag`);

  let asRulesKeep = 0;
  for (const spec of input.pairs) {
    const key = `${spec.sourceRegion}|${spec.fileSystemId}|${spec.destinationRegion}`;
    const live = (byPair.get(key) ?? []).filter((c) => c.deletedAt === undefined || c.deletedAt > input.now);
    const kept = decideRetention(
      live.map((c) => ({
        backupId: c.backupId,
        recoveryPointMs: c.recoveryPointMs ?? 0,
        lifecycle: c.failed
          ? 'FAILED'
          : c.availableAt !== undefined && c.availableAt <= input.now
            ? 'AVAILABLE'
            : 'COPYING',
        referenced: false,
      })),
      spec.rules,
      input.now,
    )
      .filter((v) => v.action === 'keep')
      .map((v) => v.backupId)
      .sort();
    const held = live.map((c) => c.backupId).sort();
    if (JSON.stringify(kept) === JSON.stringify(held)) asRulesKeep += 1;
    else problems.push(`pair ${key} holds [${held.join(', ')}], its rules keep [${kept.join(', ')}]`);
  }

  const others = input.backups.filter((b) => !isOurs(b, input.deployment));
  return {
    deleted: deletedOurs.length,
    deleteRequests: input.deleteRequests.length,
    notServiceDeleted: notServiceDeleted.length,
    deleteRequestsToOthers: toOthers.length,
    newestDeleted,
    deletedWhileReferenced: whileReferenced,
    withoutRecoveryPoint: withoutRecoveryPoint.length,
    pairs: input.pairs.length,
    pairsAsRulesKeep: asRulesKeep,
    othersSeen: others.length,
    othersLeft: others.filter((b) => b.deletedAt === undefined).length,
    problems,
  };
}
