import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../src/bench-args.js';

const ROOT = '/repo';

describe('npm run bench -- arguments', () => {
  it('writes to the ignored bench/out/ by default, quick runs under their own names', () => {
    expect(parseBenchArgs([], ROOT)).toMatchObject({ out: '/repo/bench/out', name: 'latest', quick: false });
    expect(parseBenchArgs(['--quick'], ROOT)).toMatchObject({
      out: '/repo/bench/out',
      name: 'quick',
      chartName: 'quick-in-flight.svg',
    });
  });

  it('writes the committed bench/results/ only with --publish, on a full run', () => {
    expect(parseBenchArgs(['--publish'], ROOT)).toMatchObject({
      out: '/repo/bench/results',
      name: 'latest',
      chartName: 'in-flight.svg',
    });
  });

  it.each([
    [['--publish', '--quick'], /not with --quick/],
    [['--publish', '--skip-scale'], /not with --skip-scale/],
    [['--publish', '--skip-economy'], /not with --skip-economy/],
    [['--publish', '--out', '/tmp/x'], /not with --out/],
    [['--fast'], /Unknown option '--fast'/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseBenchArgs(argv, ROOT)).toThrow(message);
  });

  it('takes --out for a folder of your own', () => {
    expect(parseBenchArgs(['--quick', '--out', '/tmp/bench'], ROOT).out).toBe('/tmp/bench');
  });
});
