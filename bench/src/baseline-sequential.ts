import { isTerminal, lifecycles, startCopy, type BaselineIo, type BaselineReport } from './baseline-io.js';
import type { CopyTarget } from './copy-set.js';

/**
 * Baseline (a), what simple scheduled scripts do: start one copy, poll it until it is done, start the next. It
 * never meets the five-copy limit, and never uses more than one of the five slots.
 */
export async function runSequential(
  copies: readonly CopyTarget[],
  io: BaselineIo,
  opts: { readonly pollMs: number; readonly retryMs: number },
): Promise<BaselineReport> {
  const started = Date.now();
  let refusals = 0;
  let failed = 0;
  for (const copy of copies) {
    let result = await startCopy(io, copy);
    while (result === 'refused') {
      refusals += 1;
      await io.sleep(opts.retryMs);
      result = await startCopy(io, copy);
    }
    for (;;) {
      await io.sleep(opts.pollMs);
      const lifecycle = (await lifecycles(io, copy.destinationRegion, [result.backupId])).get(
        result.backupId,
      );
      if (isTerminal(lifecycle)) {
        if (lifecycle !== 'AVAILABLE') failed += 1;
        break;
      }
    }
  }
  return { strategy: 'sequential', copies: copies.length, refusals, failed, wallMs: Date.now() - started };
}
