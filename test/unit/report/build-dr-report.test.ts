import { describe, expect, it } from 'vitest';
import type { CopyOutcome } from '../../../src/copy/outcome.js';
import { buildDrReport, type DrReportInput } from '../../../src/report/build-dr-report.js';
import type { PairSpec } from '../../../src/report/report-model.js';

const H = 3_600_000;
const D = 24 * H;
/** Hours from an origin, so each case reads as a timeline. */
const T0 = Date.parse('2026-03-01T00:00:00.000Z');
const at = (hours: number): string => new Date(T0 + hours * H).toISOString();
const FS = 'fs-00000000000000001';

let jobs = 0;
function outcome(o: {
  status?: CopyOutcome['status'];
  backupAt?: number;
  finishedAt: number;
  policy?: string;
  fs?: string;
  dest?: string;
  errorName?: string;
  backup?: string;
  withRecoveryPoint?: boolean;
}): CopyOutcome {
  jobs += 1;
  const backup = o.backup ?? `backup-${String(o.backupAt ?? jobs).replace('.', '_')}`;
  return {
    status: o.status ?? 'succeeded',
    jobId: `job-${jobs}`,
    policy: o.policy ?? 'gold',
    fileSystemId: o.fs ?? FS,
    sourceRegion: 'us-east-1',
    sourceBackupId: backup,
    ...(o.backupAt !== undefined && o.withRecoveryPoint !== false ? { sourceCreatedAt: at(o.backupAt) } : {}),
    destinationRegion: o.dest ?? 'us-west-2',
    ...((o.status ?? 'succeeded') === 'succeeded' ? { destinationBackupId: `copy-of-${backup}` } : {}),
    attempts: 1,
    enqueuedAt: at(o.finishedAt - 1),
    finishedAt: at(o.finishedAt),
    ...(o.errorName !== undefined ? { errorName: o.errorName, errorMessage: 'simulated' } : {}),
  };
}

const pair = (over: Partial<PairSpec> = {}): PairSpec => ({
  account: 'default',
  policy: 'gold',
  sourceRegion: 'us-east-1',
  fileSystemId: FS,
  destinationRegion: 'us-west-2',
  rpoMs: 26 * H,
  ...over,
});

/** Daily backups at midnight, each copied two hours later, from day `from` to day `to` (inclusive). */
function daily(from: number, to: number, skip: readonly number[] = []): CopyOutcome[] {
  const out: CopyOutcome[] = [];
  for (let d = from; d <= to; d += 1) {
    if (!skip.includes(d)) out.push(outcome({ backupAt: d * 24, finishedAt: d * 24 + 2 }));
  }
  return out;
}

function report(input: Partial<DrReportInput> & { outcomes: readonly CopyOutcome[] }) {
  return buildDrReport({ now: T0 + 10 * D, periodMs: 10 * D, knownCopies: [], pairs: [pair()], ...input });
}

describe('buildDrReport: breaches, share within RPO', () => {
  const cases: {
    name: string;
    outcomes: CopyOutcome[];
    rpoH?: number;
    share: number;
    breaches: { start: number; end: number | null; lengthH: number; before?: boolean }[];
  }[] = [
    {
      name: 'a copy every day within a 26h RPO: 100 %, no breach',
      outcomes: daily(-1, 9),
      share: 1,
      breaches: [],
    },
    {
      name: 'one day missed: a breach from backup + RPO to the next copy',
      // Day 4's backup never copied: the recovery point of day 3 (72h) passes 26h at 98h; day 5's copy lands at 122h.
      outcomes: daily(-1, 9, [4]),
      share: 1 - 24 / 240,
      breaches: [{ start: 98, end: 122, lengthH: 24 }],
    },
    {
      name: 'copies stop: the breach goes on at the end of the period',
      outcomes: daily(-1, 6),
      // Day 6's recovery point (144h) passes the RPO at 170h; the period ends at 240h.
      share: 1 - 70 / 240,
      breaches: [{ start: 170, end: null, lengthH: 70 }],
    },
    {
      name: 'a breach that began before the period: its true start and full length',
      // Copies up to day -3 only, then from day 2: the recovery point of -72h passed 26h at -46h.
      outcomes: [...daily(-5, -3), ...daily(2, 9)],
      share: 1 - 50 / 240,
      breaches: [{ start: -46, end: 50, lengthH: 96, before: true }],
    },
    {
      name: 'a late copy of an old backup does not heal a breach: one breach, not two',
      outcomes: [
        ...daily(-1, 2),
        // At 110h a copy lands of the 60h backup (50h old): still past the RPO. Day 5's copy heals at 122h.
        outcome({ backupAt: 60, finishedAt: 110 }),
        ...daily(5, 9),
      ],
      share: 1 - (122 - 74) / 240,
      breaches: [{ start: 74, end: 122, lengthH: 48 }],
    },
    {
      name: 'a tighter RPO counts the daily sawtooth: breached 2h a day after each 24h',
      outcomes: daily(-1, 9),
      rpoH: 24,
      // Each recovery point is 24h old at the next midnight, and the next copy lands at 02:00.
      share: 1 - (10 * 2) / 240,
      breaches: Array.from({ length: 10 }, (_, d) => ({ start: d * 24, end: d * 24 + 2, lengthH: 2 })),
    },
  ];
  it.each(cases)('$name', ({ outcomes, rpoH, share, breaches }) => {
    const r = report({ outcomes, pairs: [pair({ rpoMs: (rpoH ?? 26) * H })] });
    const p = r.pairs[0]!;
    expect(p.withinRpoShare).toBeCloseTo(share, 9);
    expect(
      p.breaches.map((b) => ({
        start: (Date.parse(b.start) - T0) / H,
        end: b.end === null ? null : (Date.parse(b.end) - T0) / H,
        lengthH: b.lengthMs / H,
        ...(b.startedBeforePeriod ? { before: true } : {}),
      })),
    ).toEqual(breaches);
    expect(p.breaches.filter((b) => b.ongoing)).toHaveLength(breaches.filter((b) => b.end === null).length);
    expect(r.totals.breaches).toBe(breaches.length);
    expect(p.withinRpoMs + p.breachedMs + p.noCopyMs).toBe(10 * D);
  });
});

describe('buildDrReport: recovery point age over time', () => {
  it('gives each stretch the age at its ends: a sawtooth that drops when a copy lands', () => {
    const r = report({ outcomes: daily(-1, 9, [4]) });
    const tl = r.pairs[0]!.timeline.map((s) => ({
      from: (Date.parse(s.from) - T0) / H,
      to: (Date.parse(s.to) - T0) / H,
      state: s.state,
      age: [s.ageFromMs! / H, s.ageToMs! / H],
    }));
    expect(tl.slice(0, 2)).toEqual([
      { from: 0, to: 2, state: 'within', age: [24, 26] },
      { from: 2, to: 26, state: 'within', age: [2, 26] },
    ]);
    expect(tl.filter((s) => s.from >= 74 && s.to <= 146)).toEqual([
      { from: 74, to: 98, state: 'within', age: [2, 26] },
      { from: 98, to: 122, state: 'breached', age: [26, 50] },
      { from: 122, to: 146, state: 'within', age: [2, 26] },
    ]);
    expect(r.pairs[0]!.newestCopy).toMatchObject({
      sourceBackupId: 'backup-216',
      recoveryPoint: at(216),
      recoveryPointAgeMs: 24 * H,
    });
  });

  it('says "no copy" until the first copy is known, and counts that time outside the RPO', () => {
    const r = report({ outcomes: daily(3, 9) });
    const p = r.pairs[0]!;
    expect(p.timeline[0]).toMatchObject({ from: at(0), to: at(74), state: 'no-copy', ageFromMs: null });
    expect(p.noCopyMs).toBe(74 * H);
    expect(p.withinRpoShare).toBeCloseTo(1 - 74 / 240, 9);
    expect(p.breaches).toEqual([]);
  });

  it('a pair of the config with no copy at all: no copy known the whole period, 0 %', () => {
    const r = report({
      outcomes: daily(-1, 9),
      pairs: [pair(), pair({ fileSystemId: 'fs-00000000000000002' })],
    });
    const p = r.pairs.find((x) => x.fileSystemId === 'fs-00000000000000002')!;
    expect(p).toMatchObject({ withinRpoShare: 0, noCopyMs: 10 * D, newestCopy: null, breaches: [] });
    expect(p.copies).toEqual({ succeeded: 0, failed: 0, failedByReason: {} });
  });
});

describe('buildDrReport: history shorter than the period', () => {
  it('says so plainly, with when it begins and the retention that trimmed it', () => {
    const r = report({
      outcomes: daily(6, 9),
      periodMs: 30 * D,
      retention: { maxCount: 10_000, maxAgeMs: 4 * D },
    });
    expect(r.history).toMatchObject({
      oldestOutcome: at(146),
      coversPeriod: false,
      uncoveredMs: 146 * H + 20 * D,
      retention: { maxCount: 10_000, maxAgeMs: 4 * D },
    });
    expect(r.caveats[0]).toBe(
      'The outcome history kept in Redis is shorter than the 30d asked for: it begins at 2026-03-07T02:00:00.000Z; ' +
        'nothing in the first 26d 2h of the period can be proven from outcome records (the newest copy of each pair ' +
        'is kept beyond them). Outcomes are kept for at most 4d and 10000 records (settings.outcomeRetention).',
    );
  });

  it('a history that reaches back over the whole period carries no such caveat', () => {
    const r = report({ outcomes: daily(-1, 9) });
    expect(r.history.coversPeriod).toBe(true);
    expect(r.caveats.some((c) => c.includes('shorter'))).toBe(false);
  });

  it('no records at all: says nothing can be proven', () => {
    const r = report({ outcomes: [] });
    expect(r.history).toMatchObject({ oldestOutcome: null, coversPeriod: false, uncoveredMs: 10 * D });
    expect(r.caveats[0]).toMatch(/^No outcome records are kept in Redis/);
  });

  it('the newest-copy record proves a recovery point whose outcome was trimmed', () => {
    const r = report({
      outcomes: [],
      knownCopies: [
        {
          policy: 'gold',
          sourceRegion: 'us-east-1',
          fileSystemId: FS,
          destinationRegion: 'us-west-2',
          sourceBackupId: 'backup-old',
          destinationBackupId: 'backup-copy',
          sourceCreatedAt: T0 - 2 * H,
          finishedAt: at(-1),
        },
      ],
    });
    const p = r.pairs[0]!;
    expect(p.timeline[0]).toMatchObject({ from: at(0), to: at(24), state: 'within', ageFromMs: 2 * H });
    expect(p.breaches).toEqual([
      {
        start: at(24),
        end: null,
        lengthMs: 216 * H,
        inPeriodMs: 216 * H,
        startedBeforePeriod: false,
        ongoing: true,
      },
    ]);
  });
});

describe('buildDrReport: copies, policies and accounts', () => {
  it('counts succeeded and failed copies in the period by reason (expired as CompletionDeadlineExceeded)', () => {
    const r = report({
      outcomes: [
        ...daily(-3, 9),
        outcome({ status: 'failed', finishedAt: 30, errorName: 'CopyFailed' }),
        outcome({ status: 'failed', finishedAt: 31, errorName: 'CopyFailed' }),
        outcome({ status: 'failed', finishedAt: 32, errorName: 'AccessDeniedException' }),
        outcome({ status: 'expired', finishedAt: 33 }),
        outcome({ status: 'failed', finishedAt: -5, errorName: 'CopyFailed' }),
      ],
    });
    expect(r.pairs[0]!.copies).toEqual({
      succeeded: 10,
      failed: 4,
      failedByReason: { CopyFailed: 2, AccessDeniedException: 1, CompletionDeadlineExceeded: 1 },
    });
    expect(r.totals).toMatchObject({ succeeded: 10, failed: 4 });
  });

  it('a copy made by another policy of the same file system and destination proves the RPO of both', () => {
    const r = report({
      outcomes: daily(-1, 9).map((o) => ({ ...o, policy: 'silver' })),
      pairs: [pair(), pair({ policy: 'silver', rpoMs: 48 * H })],
    });
    const gold = r.pairs.find((p) => p.policy === 'gold')!;
    const silver = r.pairs.find((p) => p.policy === 'silver')!;
    expect(gold.withinRpoShare).toBe(1);
    expect(gold.copies.succeeded).toBe(0);
    expect(silver.copies.succeeded).toBe(10);
  });

  it('every pair carries the account, default until policies name one', () => {
    const r = report({ outcomes: daily(-1, 9) });
    expect(r.pairs.map((p) => p.account)).toEqual(['default']);
  });

  it('a policy only the records know is listed as not in the config, without an RPO', () => {
    const r = report({
      outcomes: [...daily(-1, 9), outcome({ policy: 'retired', backupAt: 40, finishedAt: 41 })],
    });
    const retired = r.pairs.find((p) => p.policy === 'retired')!;
    expect(retired).toMatchObject({ inConfig: false, rpoMs: null, withinRpoShare: null });
    expect(r.caveats).toContain('Policies in the records but not in the config: retired.');
  });

  it('without a config: pairs from the records, no RPO, and a caveat that says why', () => {
    const r = buildDrReport({ now: T0 + 10 * D, periodMs: 10 * D, knownCopies: [], outcomes: daily(-1, 9) });
    expect(r.configGiven).toBe(false);
    expect(r.pairs).toHaveLength(1);
    expect(r.pairs[0]).toMatchObject({ rpoMs: null, withinRpoShare: null, breaches: [] });
    expect(r.pairs[0]!.timeline.every((s) => s.state === 'no-rpo')).toBe(true);
    expect(r.caveats).toContain(
      'No --config was given: the pairs come from the records, and no RPO is known to measure against.',
    );
  });

  it('a record without its recovery point borrows it from another record of the same backup, or proves nothing', () => {
    const r = report({
      outcomes: [
        outcome({ backupAt: -2, finishedAt: -1 }),
        // Same source backup copied to another Region: that record carries the creation time.
        outcome({ backupAt: 10, finishedAt: 11, dest: 'eu-west-1' }),
        outcome({ backupAt: 10, finishedAt: 12, withRecoveryPoint: false }),
        outcome({ backup: 'backup-mystery', finishedAt: 40 }),
      ],
    });
    const p = r.pairs.find((x) => x.destinationRegion === 'us-west-2')!;
    expect(p.newestCopy?.sourceBackupId).toBe('backup-10');
    expect(p.copiesWithoutRecoveryPoint).toBe(1);
    expect(r.caveats.some((c) => c.startsWith('1 succeeded copies were recorded without'))).toBe(true);
  });

  it('copies held under retention: null (not reported) until something reports them', () => {
    expect(report({ outcomes: daily(-1, 9) }).pairs[0]!.copiesHeld).toBeNull();
    const at = '2026-06-01T11:59:00.000Z';
    const r = report({ outcomes: daily(-1, 9), copiesHeld: () => ({ count: 7, at }) });
    expect(r.pairs[0]!.copiesHeld).toBe(7);
    expect(r.pairs[0]!.copiesHeldAt).toBe(at);
    expect(r.caveats.filter((c) => c.includes('retention'))).toEqual([
      `Copies held are as each pair's last retention sweep counted them (the oldest count from ${at}), not as of the report.`,
    ]);
  });
});

describe('buildDrReport: accounts', () => {
  it('keeps pairs of two accounts apart once records carry an account (same file system id, same Region)', () => {
    const other = daily(-1, 9).map((o) => ({ ...o, account: 'prod-eu', jobId: `${o.jobId}-eu` }));
    const r = report({
      outcomes: [...daily(-1, 9, [4]), ...other],
      pairs: [pair(), pair({ account: 'prod-eu' })],
    });
    expect(r.pairs.map((p) => [p.account, p.breaches.length, p.copies.succeeded])).toEqual([
      ['default', 1, 9],
      ['prod-eu', 0, 10],
    ]);
  });
});
