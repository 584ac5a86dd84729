import { describe, expect, it } from 'vitest';
import { admissionPriority, MOST_URGENT_PRIORITY } from '../../../src/schedule/admission-priority.js';

const NOW = Date.UTC(2026, 11, 4, 12);
const H = 3_600_000;

describe('admissionPriority', () => {
  it('orders: no copy yet, then by RPO deadline (overdue first), then pairs without rpo by age of their newest copy', () => {
    const cases = [
      { name: 'no copy yet', facts: { rpoMs: 26 * H } },
      { name: 'no copy yet, no rpo', facts: {} },
      { name: 'overdue by a day', facts: { newestRecoveryPointAt: NOW - 50 * H, rpoMs: 26 * H } },
      { name: 'overdue by a second', facts: { newestRecoveryPointAt: NOW - 2 * H - 1_000, rpoMs: 2 * H } },
      { name: 'due now', facts: { newestRecoveryPointAt: NOW - 2 * H, rpoMs: 2 * H } },
      { name: 'due in 1 ms', facts: { newestRecoveryPointAt: NOW - 2 * H + 1, rpoMs: 2 * H } },
      { name: 'due in 30 min', facts: { newestRecoveryPointAt: NOW - 25.5 * H, rpoMs: 26 * H } },
      { name: 'due in 1 h', facts: { newestRecoveryPointAt: NOW - H, rpoMs: 2 * H } },
      { name: 'due in 5 years', facts: { newestRecoveryPointAt: NOW, rpoMs: 5 * 8760 * H } },
      { name: 'no rpo, copy 10 years old', facts: { newestRecoveryPointAt: NOW - 10 * 8760 * H } },
      { name: 'no rpo, copy 10 h old', facts: { newestRecoveryPointAt: NOW - 10 * H } },
      { name: 'no rpo, copy 3 h old', facts: { newestRecoveryPointAt: NOW - 3 * H } },
      { name: 'no rpo, copy made now', facts: { newestRecoveryPointAt: NOW } },
    ];
    const priorities = cases.map((c) => admissionPriority(c.facts, NOW));
    expect(priorities[0]).toBe(MOST_URGENT_PRIORITY);
    expect(priorities[1]).toBe(MOST_URGENT_PRIORITY);
    for (let i = 2; i < cases.length; i += 1) {
      expect(priorities[i], `${cases[i - 1]?.name} before ${cases[i]?.name}`).toBeGreaterThan(
        priorities[i - 1] ?? 0,
      );
    }
    for (const p of priorities) {
      expect(Number.isInteger(p)).toBe(true);
      expect(p).toBeGreaterThanOrEqual(1);
      expect(p).toBeLessThanOrEqual(2 ** 21 - 1);
    }
  });

  it('tells apart deadlines a few milliseconds apart (a compressed benchmark) and hours apart (an estate)', () => {
    const at = (slackMs: number) =>
      admissionPriority({ newestRecoveryPointAt: NOW - 1_000 + slackMs, rpoMs: 1_000 }, NOW);
    expect(at(5)).toBeLessThan(at(10));
    expect(at(250)).toBeLessThan(at(260));
    expect(at(3 * H)).toBeLessThan(at(3 * H + 60_000));
  });

  it('stays in range for any deadline, however far', () => {
    for (const rp of [0, NOW - 1e13, NOW + 1e13]) {
      for (const rpoMs of [undefined, 1, 1e13]) {
        const p = admissionPriority(
          { newestRecoveryPointAt: rp, ...(rpoMs !== undefined ? { rpoMs } : {}) },
          NOW,
        );
        expect(p).toBeGreaterThanOrEqual(2);
        expect(p).toBeLessThanOrEqual(2 ** 21 - 1);
      }
    }
  });
});
