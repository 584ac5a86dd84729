import { describe, expect, it } from 'vitest';
import {
  countRecoveries,
  distinctOutcomeEvents,
  serviceEvents,
  type RecoveryInput,
  type ServiceEvent,
} from '../src/lost-write-recoveries.js';

const FAULT = { at: 10_000, backAt: 12_000 };

function ev(event: string, time: number, jobId: string, destinationBackupId?: string): ServiceEvent {
  return { event, time, jobId, ...(destinationBackupId ? { destinationBackupId } : {}) };
}

function count(events: ServiceEvent[], extra: Partial<RecoveryInput> = {}) {
  return countRecoveries({
    events,
    faults: [FAULT],
    jobsAtEnd: new Set(events.map((e) => e.jobId)),
    outcomeJobs: new Set(),
    succeededCopies: new Set(),
    ...extra,
  });
}

/**
 * The chaos report's count of writes a Redis failover lost and what made up for each, fed the evidence each case
 * leaves in the service's logs. A clean run counts nothing.
 */
describe('lost-write recoveries', () => {
  it('counts nothing for copies that went as planned', () => {
    const r = count([
      ev('copy.started', 1_000, 'j1', 'b1'),
      ev('copy.succeeded', 2_000, 'j1', 'b1'),
      ev('copy.attached', 3_000, 'j2', 'b2'),
      ev('copy.succeeded', 4_000, 'j2', 'b2'),
    ]);
    expect(r).toMatchObject({
      checkpointsByLookup: 0,
      checkpointsByToken: 0,
      checkpointsAcrossFault: 0,
      outcomesRewritten: 0,
      jobsLostCopyFound: 0,
    });
  });

  it('counts a lost checkpoint rebuilt by the look-up, and one rebuilt by the token, across the fault', () => {
    const r = count([
      ev('copy.started', 9_000, 'j1', 'b1'),
      ev('copy.attached', 13_000, 'j1', 'b1'),
      ev('copy.started', 9_500, 'j2', 'b2'),
      ev('copy.started', 12_500, 'j2', 'b2'),
      // A second copy under one job is no recovery (the audit calls it a duplicate).
      ev('copy.started', 9_600, 'j3', 'b3'),
      ev('copy.started', 13_600, 'j3', 'b9'),
    ]);
    expect(r).toMatchObject({ checkpointsByLookup: 1, checkpointsByToken: 1, checkpointsAcrossFault: 2 });
  });

  it('takes an outcome written again after the fault for the same one, and a real second outcome for what it is', () => {
    const events = [
      ev('copy.succeeded', 9_900, 'j1', 'b1'),
      ev('copy.succeeded', 12_100, 'j1', 'b1'),
      ev('copy.succeeded', 5_000, 'j2', 'b2'),
      ev('copy.failed', 13_000, 'j2', 'b2'),
      ev('copy.succeeded', 1_000, 'j3', 'b3'),
      ev('copy.succeeded', 2_000, 'j3', 'b3'),
    ];
    const r = count(events);
    expect(r.outcomesRewritten).toBe(1);
    expect([...r.rewrittenJobs]).toEqual(['j1']);
    const perJob = new Map([
      ['j1', 2],
      ['j2', 2],
      ['j3', 2],
    ]);
    expect(distinctOutcomeEvents(perJob, r.rewrittenJobs)).toEqual(
      new Map([
        ['j1', 1],
        ['j2', 2],
        ['j3', 2],
      ]),
    );
  });

  it('counts a job lost whole whose copy a later job found', () => {
    const r = count(
      [
        ev('copy.started', 9_900, 'lost', 'b1'),
        ev('copy.attached', 15_000, 'next', 'b1'),
        ev('copy.succeeded', 16_000, 'next', 'b1'),
      ],
      { jobsAtEnd: new Set(['next']), outcomeJobs: new Set(['next']), succeededCopies: new Set(['b1']) },
    );
    expect(r.jobsLostCopyFound).toBe(1);
  });

  it('reads the events from log lines, in time order', () => {
    expect(
      serviceEvents([
        { event: 'copy.succeeded', time: '2026-01-01T00:00:02.000Z', jobId: 'j', destinationBackupId: 'b' },
        { event: 'copy.started', time: '2026-01-01T00:00:01.000Z', jobId: 'j', destinationBackupId: 'b' },
        { event: 'schedule.fired', time: '2026-01-01T00:00:00.000Z' },
      ]).map((e) => e.event),
    ).toEqual(['copy.started', 'copy.succeeded']);
  });
});
