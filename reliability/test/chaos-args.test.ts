import { describe, expect, it } from 'vitest';
import { parseChaosArgs } from '../src/chaos-args.js';

describe('npm run chaos -- arguments', () => {
  it.each([
    [[], { quick: false, report: 'out' }],
    [['--quick'], { quick: true, report: 'out' }],
    [['--quick', '--no-report'], { quick: true, report: 'none' }],
    [['--publish'], { quick: false, report: 'publish' }],
    [['--seed', '1234'], { seed: 1234, report: 'out' }],
  ])('%j', (argv, expected) => {
    expect(parseChaosArgs(argv)).toMatchObject(expected);
  });

  it.each([
    [['--quick', '--publish'], /not with --quick/],
    [['--publish', '--no-report'], /contradict/],
    [['--seed', '0'], /--seed must be a positive integer/],
    [['--fast'], /Unknown option '--fast'/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseChaosArgs(argv)).toThrow(message);
  });
});
