import type { Config } from '../config/types.js';
import type { Environment } from '../config/environment.js';
import { PlanQueue } from '../queue/plan-queue.js';
import { withRedis } from './with-redis.js';
import type { Output } from './output.js';

/**
 * `fsx-dr copy-now --policy P`: fires one slot of a policy now. It adds the plan job a scheduler would add; a
 * running `fsx-dr run` (scheduler role) plans it within a moment, and its copies go through the same queues, limits
 * and exactly-once rules as scheduled ones.
 */
export async function runCopyNow(
  args: { policy: string; json: boolean },
  config: Config,
  env: Environment,
  out: Output,
): Promise<number> {
  if (!config.policies.some((p) => p.name === args.policy)) {
    out.stderr(
      `no policy named ${args.policy} in ${config.files.join(', ')} (policies: ${config.policies.map((p) => p.name).join(', ')})`,
    );
    return 1;
  }
  return withRedis(env, out, async (redis) => {
    const plans = new PlanQueue(redis, env.prefix);
    try {
      const slotMs = Date.now();
      const jobId = await plans.add(args.policy, slotMs);
      const slot = new Date(slotMs).toISOString();
      out.stdout(
        args.json
          ? JSON.stringify({ policy: args.policy, slot, planJobId: jobId })
          : `fired ${args.policy} for slot ${slot} (plan job ${jobId}); a running scheduler plans it now`,
      );
      return 0;
    } finally {
      await plans.close();
    }
  });
}
