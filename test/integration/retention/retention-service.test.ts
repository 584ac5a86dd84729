import { afterEach, describe, expect, it } from 'vitest';
import { SERVICE_TAG_KEYS } from '../../../src/config/types.js';
import { DeletionStore } from '../../../src/queue/deletion-store.js';
import type { SimulatedBackup } from '../../../simulator/src/index.js';
import { fsId, PipelineHarness } from '../../support/pipeline-harness.js';
import { sample } from '../../support/prometheus-text.js';
import { eventually, runCli, writePolicyFile, type ServiceProcess } from '../../support/service-process.js';
import { Redis } from 'ioredis';

// The whole service (`fsx-dr run`, real Redis, the FSx simulator through the real SDK) across many slots with
// retention on, beside backups of the same file systems that are not its own.
const SOURCE = 'us-east-1';
const DESTS = ['us-west-2', 'eu-west-1'] as const;

function yaml(ids: readonly string[], retention: string, settings: string): string {
  return `settings:
  pollInterval: 50ms
  retention: { ${settings} }
policies:
  - name: prod
    schedule: "* * * * * *"
    source:
      region: ${SOURCE}
      fileSystemIds: [${ids.join(', ')}]
    retention: ${retention}
    destinations:
${DESTS.map((d) => `      - region: ${d}`).join('\n')}
`;
}

describe('retention in fsx-dr run', () => {
  let h: PipelineHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  /** The service's copies of one file system in one Region, newest recovery point first, DELETED left out. */
  function liveCopies(fileSystemId: string, region: string): SimulatedBackup[] {
    return h!.sim
      .backups(region)
      .filter(
        (b) => b.origin === 'service-copy' && b.fileSystemId === fileSystemId && b.lifecycle !== 'DELETED',
      )
      .sort((a, b) => recoveryPoint(b) - recoveryPoint(a));
  }
  const recoveryPoint = (b: SimulatedBackup): number =>
    Date.parse(b.tags.find((t) => t.Key === SERVICE_TAG_KEYS.recoveryPoint)?.Value ?? '');

  /** New source backups, one per file system, then waits for the copies of all of them to be recorded. */
  async function round(ids: readonly string[], total: number): Promise<string[]> {
    const made = ids.map((id) => h!.sim.addBackup({ region: SOURCE, fileSystemId: id }));
    await h!.waitForOutcomes(total, 60_000);
    return made;
  }

  /** Backups of the same file systems in the destinations that are not this deployment's copies. */
  function plantForeign(sources: readonly string[]): string[] {
    const planted: string[] = [];
    for (const [i, source] of sources.entries()) {
      const fileSystemId = fsId(i + 1);
      const ours = {
        [SERVICE_TAG_KEYS.policy]: 'prod',
        [SERVICE_TAG_KEYS.sourceBackupId]: source,
        [SERVICE_TAG_KEYS.sourceRegion]: SOURCE,
        [SERVICE_TAG_KEYS.fileSystemId]: fileSystemId,
        [SERVICE_TAG_KEYS.recoveryPoint]: new Date(Date.now() - 86_400_000).toISOString(),
        [SERVICE_TAG_KEYS.deployment]: h!.redis.prefix,
      };
      for (const region of DESTS) {
        const base = { region, sourceRegion: SOURCE, sourceBackupId: source };
        planted.push(
          h!.sim.addCopy(base),
          h!.sim.addCopy({ ...base, type: 'AWS_BACKUP', tags: ours }),
          h!.sim.addCopy({ ...base, type: 'AUTOMATIC', tags: ours }),
          h!.sim.addCopy({ ...base, tags: { ...ours, [SERVICE_TAG_KEYS.deployment]: 'another-deployment' } }),
        );
      }
    }
    return planted;
  }

  const deleteRequests = () => h!.sim.requests.filter((r) => r.operation === 'DeleteBackup');
  const events = (svc: ServiceProcess, name: string) => svc.events(name);

  it('keepLast 2 over six slots: each pair holds its two newest copies; foreign, AUTOMATIC and AWS_BACKUP backups stay', async () => {
    h = await PipelineHarness.start({ copyDuration: 30, fileSystemFilterFindsCopies: false });
    h.sim.configure({ deleteRequiresTag: { key: SERVICE_TAG_KEYS.deployment, value: h.redis.prefix } });
    const ids = [fsId(1), fsId(2), fsId(3)];
    const first = h.seed(ids);
    const foreign = plantForeign(first);
    const config = await writePolicyFile(yaml(ids, '{ keepLast: 2 }', 'sweepInterval: 1s'));
    const svc = h.run(config);
    await h.waitForOutcomes(6);
    const sources = [first];
    for (let i = 2; i <= 6; i += 1) sources.push(await round(ids, 6 * i));

    // Each pair holds exactly the copies of the two newest source backups (the sweep after the last copy).
    for (const [i, id] of ids.entries()) {
      for (const region of DESTS) {
        await eventually(
          `${id} in ${region} holds 2 copies`,
          () => liveCopies(id, region).length === 2,
          30_000,
        );
        expect(liveCopies(id, region).map((b) => b.sourceBackupId)).toEqual([sources[5]![i], sources[4]![i]]);
      }
    }
    const all = DESTS.flatMap((r) => h!.sim.backups(r));
    const gone = new Set(all.filter((b) => b.lifecycle === 'DELETED').map((b) => b.backupId));
    expect(gone.size).toBe(3 * 2 * 4);
    expect(foreign.filter((id) => gone.has(id))).toEqual([]);
    expect(all.filter((b) => gone.has(b.backupId)).every((b) => b.origin === 'service-copy')).toBe(true);
    // DeleteBackup only ever named the service's copies, one request each (no retry was needed), never refused.
    const named = deleteRequests().map((r) => (r.params as { BackupId: string }).BackupId);
    expect(new Set(named)).toEqual(gone);
    expect(deleteRequests().every((r) => r.status === 200)).toBe(true);
    await eventually('every deletion logged', () => events(svc, 'retention.deleted').length === gone.size);
    expect(events(svc, 'retention.deleted')[0]).toMatchObject({
      backupId: expect.stringMatching(/^backup-/) as string,
      policy: 'prod',
      sourceRegion: SOURCE,
      destinationRegion: expect.stringMatching(/^(us-west-2|eu-west-1)$/) as string,
      why: 'no-rule-keeps-it',
    });
    expect(events(svc, 'retention.failed')).toEqual([]);

    // What `fsx-dr retention` shows for a tighter rule, and that it deletes nothing.
    const tighter = await writePolicyFile(yaml(ids, '{ keepLast: 1 }', 'sweepInterval: 1h'));
    const before = deleteRequests().length;
    const res = await runCli(['retention', '--config', tighter, '--json'], h.env());
    expect(res.code, res.stderr).toBe(0);
    const view = JSON.parse(res.stdout) as {
      pairs: {
        fileSystemId: string;
        destinationRegion: string;
        copies: { backupId: string; action: string; reasons?: string[]; why?: string }[];
      }[];
      regions: {
        region: string;
        serviceCopies: number;
        ignored: Record<string, number>;
        userInitiatedBackups: Record<string, number>;
      }[];
    };
    expect(view.pairs).toHaveLength(6);
    for (const pair of view.pairs) {
      const [newest, older] = liveCopies(pair.fileSystemId, pair.destinationRegion);
      expect(pair.copies).toEqual([
        expect.objectContaining({
          backupId: newest?.backupId,
          action: 'keep',
          reasons: ['last', 'newest-available'],
        }),
        expect.objectContaining({ backupId: older?.backupId, action: 'delete', why: 'no-rule-keeps-it' }),
      ]);
    }
    expect(view.regions.find((r) => r.region === 'us-west-2')).toMatchObject({
      serviceCopies: 6,
      ignored: { 'no-service-tags': 3, 'other-deployment': 3 },
      // USER_INITIATED only: ours (6), the untagged foreign copies and the other deployment's (3 each).
      userInitiatedBackups: { WINDOWS: 12 },
    });
    const table = await runCli(['retention', '--config', tighter], h.env());
    expect(table.stdout).toMatch(/^DESTINATION\s+FILE SYSTEM\s+SOURCE\s+POLICIES\s+BACKUP/);
    expect(table.stdout).toContain('keep (last, newest-available)');
    expect(table.stdout).toContain('delete (no-rule-keeps-it)');
    expect(table.stdout).toContain('Deletes nothing.');
    expect(deleteRequests()).toHaveLength(before);
    expect(DESTS.flatMap((r) => liveCopies(fsId(1), r))).toHaveLength(4);

    // status and metrics show what the sweeps saw.
    const status = await runCli(['status', '--config', config, '--json'], h.env());
    expect(status.code, status.stderr).toBe(0);
    const s = JSON.parse(status.stdout) as {
      retention: {
        pairs: { fileSystemId: string; copiesHeld: number }[];
        regions: { region: string; userInitiatedBackups: Record<string, { held: number; quota?: number }> }[];
      };
    };
    expect(s.retention.pairs).toHaveLength(6);
    expect(s.retention.pairs.every((p) => p.copiesHeld === 2)).toBe(true);
    expect(
      s.retention.regions.find((r) => r.region === 'eu-west-1')?.userInitiatedBackups['WINDOWS'],
    ).toEqual({
      held: 12,
      quota: 500,
    });
    const port = (await svc.waitForEvent('http.listening'))['port'] as number;
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const pair = { policy: 'prod', file_system_id: fsId(2), destination_region: 'eu-west-1' };
    expect(sample(metrics, 'fsxdr_copies_held', pair)).toBe(2);
    expect(sample(metrics, 'fsxdr_backups_held', { region: 'us-west-2', file_system_type: 'WINDOWS' })).toBe(
      12,
    );
    const deletions = { destination_region: 'us-west-2', result: 'deleted' };
    expect(sample(metrics, 'fsxdr_retention_deletions_total', deletions)).toBe(12);
    // The DR evidence report shows the same copies held per pair.
    const report = await runCli(['report', '--config', config, '--format', 'json'], h.env());
    expect(report.code, report.stderr).toBe(0);
    const r = JSON.parse(report.stdout) as { pairs: { copiesHeld: number | null }[]; caveats: string[] };
    expect(r.pairs).toHaveLength(6);
    expect(r.pairs.map((p) => p.copiesHeld)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(r.caveats.join(' ')).not.toContain('Copies held are not reported');
    expect(r.caveats.join(' ')).toContain("Copies held are as each pair's last retention sweep counted them");
  });

  it('dryRun: every would-be deletion is logged, and no DeleteBackup is sent', async () => {
    h = await PipelineHarness.start({ copyDuration: 30 });
    const ids = [fsId(1), fsId(2)];
    const first = h.seed(ids);
    plantForeign(first);
    const config = await writePolicyFile(yaml(ids, '{ keepLast: 2 }', 'dryRun: true, sweepInterval: 1s'));
    const svc = h.run(config);
    await h.waitForOutcomes(4);
    for (let i = 2; i <= 4; i += 1) await round(ids, 4 * i);
    // Each pair holds 4 copies; keepLast 2 would delete the two oldest of each: 2 file systems x 2 Regions x 2.
    const wouldGo = new Set(
      ids.flatMap((id) =>
        DESTS.flatMap((r) =>
          liveCopies(id, r)
            .slice(2)
            .map((b) => b.backupId),
        ),
      ),
    );
    expect(wouldGo.size).toBe(8);
    const logged = (): Set<string> =>
      new Set(events(svc, 'retention.would_delete').map((l) => String(l['backupId'])));
    await eventually(
      'every would-be deletion logged',
      () => [...wouldGo].every((id) => logged().has(id)),
      30_000,
    );
    expect([...logged()].every((id) => wouldGo.has(id))).toBe(true);
    expect(events(svc, 'retention.would_delete')[0]).toMatchObject({
      dryRun: true,
      why: 'no-rule-keeps-it',
      policy: 'prod',
    });
    expect(deleteRequests()).toEqual([]);
    expect(ids.every((id) => DESTS.every((r) => liveCopies(id, r).length === 4))).toBe(true);
    expect(events(svc, 'retention.deleted')).toEqual([]);
  });

  it('maxDeletionsPerSweep holds when a reloaded rule would delete many copies at once', async () => {
    h = await PipelineHarness.start({ copyDuration: 30 });
    const ids = [fsId(1), fsId(2), fsId(3)];
    h.seed(ids);
    const config = await writePolicyFile(
      yaml(ids, '{ keepLast: 10 }', 'sweepInterval: 1s, maxDeletionsPerSweep: 3'),
    );
    const svc = h.run(config);
    await h.waitForOutcomes(6);
    for (let i = 2; i <= 5; i += 1) await round(ids, 6 * i);
    expect(DESTS.flatMap((r) => ids.flatMap((id) => liveCopies(id, r)))).toHaveLength(30);
    // keepLast 1 now: 24 copies to delete, at most 3 per Region per sweep.
    const { writeFile } = await import('node:fs/promises');
    await writeFile(config, yaml(ids, '{ keepLast: 1 }', 'sweepInterval: 1s, maxDeletionsPerSweep: 3'));
    svc.child.kill('SIGHUP');
    await svc.waitForEvent('config.reloaded');
    await eventually(
      'every pair down to 1 copy',
      () => DESTS.every((r) => ids.every((id) => liveCopies(id, r).length === 1)),
      60_000,
    );
    const reader = new Redis(h.redis.url);
    try {
      const records = await new DeletionStore(reader, h.redis.prefix, { maxCount: 1e6, maxAgeMs: 1e12 }).list(
        { limit: 1_000 },
      );
      const deleted = records.filter((r) => r.result === 'deleted');
      expect(deleted).toHaveLength(24);
      const perSweep = new Map<string, number>();
      for (const r of deleted)
        perSweep.set(
          `${r.destinationRegion} ${r.sweepId}`,
          (perSweep.get(`${r.destinationRegion} ${r.sweepId}`) ?? 0) + 1,
        );
      expect(Math.max(...perSweep.values())).toBeLessThanOrEqual(3);
      expect(perSweep.size).toBeGreaterThanOrEqual(8);
    } finally {
      reader.disconnect();
    }
    const swept = events(svc, 'retention.swept');
    expect(swept.every((l) => (l['deletions'] as number) <= 3)).toBe(true);
    expect(swept.some((l) => (l['deferred'] as number) > 0)).toBe(true);
  });
});
