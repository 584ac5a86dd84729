import { describe, expect, it } from 'vitest';
import { slotSteps } from '../src/foreign-slots-chart.js';
import { freeSlotUse, waitingWindow } from '../src/free-slot-time.js';

describe('free slot time', () => {
  it('is the slot-time foreign copies leave, and the service’s share is what it used of it', () => {
    // 5 slots over [0, 100): a foreign copy holds one slot over [0, 50), two over [20, 50); the service holds three
    // over [0, 100) and a fourth over [50, 90).
    const use = freeSlotUse({
      slots: 5,
      from: 0,
      to: 100,
      foreign: [
        { start: 0, end: 50 },
        { start: 20, end: 50 },
      ],
      service: [
        { start: 0, end: 100 },
        { start: 0, end: 100 },
        { start: 0, end: 100 },
        { start: 50, end: 90 },
      ],
    });
    // Free: 4 × 20 + 3 × 30 + 5 × 50 = 420; used: 3 × 100 + 40 = 340; foreign: 50 + 30 = 80.
    expect(use).toMatchObject({ windowMs: 100, freeSlotMs: 420, usedSlotMs: 340, foreignSlotMs: 80 });
    expect(use.share).toBeCloseTo(340 / 420, 12);
    expect(use.overLimitSlotMs).toBe(0);
  });

  it('counts only the window: slots before the first start and after the last start are nobody’s loss', () => {
    const use = freeSlotUse({
      slots: 2,
      from: 10,
      to: 20,
      foreign: [{ start: 0, end: 15 }],
      service: [{ start: 10, end: 40 }],
    });
    expect(use).toMatchObject({ freeSlotMs: 1 * 5 + 2 * 5, usedSlotMs: 10, foreignSlotMs: 5 });
  });

  it('shows over-admission instead of hiding it in a share above 100 %', () => {
    const use = freeSlotUse({
      slots: 1,
      from: 0,
      to: 10,
      foreign: [{ start: 0, end: 10 }],
      service: [{ start: 0, end: 10 }],
    });
    expect(use.overLimitSlotMs).toBe(10);
    expect(use.freeSlotMs).toBe(0);
    expect(use.share).toBeNaN();
  });

  it('has its window from the first copy start to the last copy start', () => {
    expect(
      waitingWindow([
        { start: 30, end: 90 },
        { start: 10, end: 20 },
        { start: 50, end: 51 },
      ]),
    ).toEqual({ from: 10, to: 50 });
  });
});

describe('the chart’s steps', () => {
  it('cuts the window into constant pieces of service and foreign copies', () => {
    expect(
      slotSteps({
        from: 0,
        to: 30,
        service: [{ start: 0, end: 20 }],
        foreign: [{ start: 10, end: 40 }],
      }),
    ).toEqual([
      { start: 0, end: 10, service: 1, foreign: 0 },
      { start: 10, end: 20, service: 1, foreign: 1 },
      { start: 20, end: 30, service: 0, foreign: 1 },
    ]);
  });
});
