import {
  isTerminal,
  lifecycles,
  startCopy,
  type BaselineIo,
  type BaselineReport,
  type StartResult,
} from './baseline-io.js';
import type { CopyTarget } from './copy-set.js';

const DESCRIBE_BATCH = 50;
const REFUSED_CONCURRENCY = 64;

/**
 * Baseline (b): start every copy at once, and every `retryMs` try again each copy FSx refused. It fills the slots
 * but turns the five-copy limit into a stream of ServiceLimitExceeded answers, the "pages all night" failure.
 *
 * Within one sweep a Region that refused once stays full until time moves (on the virtual clock it does not move
 * during a sweep), so the rest of that Region's sweep is sent concurrently: the same requests and the same
 * answers as sending them one by one, in a fraction of the wall time.
 */
export async function runRetryAll(
  copies: readonly CopyTarget[],
  io: BaselineIo,
  opts: { readonly retryMs: number },
): Promise<BaselineReport> {
  const started = Date.now();
  let pending = [...copies];
  const inFlight = new Map<string, Set<string>>();
  let refusals = 0;
  let failed = 0;
  for (;;) {
    const full = new Set<string>();
    const refusedLater: CopyTarget[] = [];
    const stillPending: CopyTarget[] = [];
    for (const copy of pending) {
      if (full.has(copy.destinationRegion)) {
        refusedLater.push(copy);
        continue;
      }
      const result = await startCopy(io, copy);
      if (result === 'refused') {
        refusals += 1;
        full.add(copy.destinationRegion);
        stillPending.push(copy);
      } else {
        add(inFlight, copy.destinationRegion, result.backupId);
      }
    }
    for (let i = 0; i < refusedLater.length; i += REFUSED_CONCURRENCY) {
      const batch = refusedLater.slice(i, i + REFUSED_CONCURRENCY);
      const results: StartResult[] = await Promise.all(batch.map((c) => startCopy(io, c)));
      results.forEach((result, k) => {
        const copy = batch[k];
        if (copy === undefined) return;
        if (result === 'refused') {
          refusals += 1;
          stillPending.push(copy);
        } else add(inFlight, copy.destinationRegion, result.backupId);
      });
    }
    pending = stillPending;
    if (pending.length === 0 && [...inFlight.values()].every((s) => s.size === 0)) break;
    await io.sleep(opts.retryMs);
    failed += await forgetFinished(io, inFlight);
  }
  return { strategy: 'retry-all', copies: copies.length, refusals, failed, wallMs: Date.now() - started };
}

function add(inFlight: Map<string, Set<string>>, region: string, backupId: string): void {
  let ids = inFlight.get(region);
  if (!ids) {
    ids = new Set();
    inFlight.set(region, ids);
  }
  ids.add(backupId);
}

/** Checks the copies in flight, 50 per DescribeBackups; returns how many ended other than AVAILABLE. */
async function forgetFinished(io: BaselineIo, inFlight: Map<string, Set<string>>): Promise<number> {
  let failed = 0;
  for (const [region, ids] of inFlight) {
    const all = [...ids];
    for (let i = 0; i < all.length; i += DESCRIBE_BATCH) {
      const states = await lifecycles(io, region, all.slice(i, i + DESCRIBE_BATCH));
      for (const [id, lifecycle] of states) {
        if (!isTerminal(lifecycle)) continue;
        ids.delete(id);
        if (lifecycle !== 'AVAILABLE') failed += 1;
      }
    }
  }
  return failed;
}
