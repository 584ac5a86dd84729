import type { BackupFeeder } from './backup-feeder.js';
import type { ChaosLog } from './chaos-log.js';
import { pause } from './chaos-log.js';
import type { ChaosProfile } from './chaos-profile.js';
import type { ChaosRandom } from './chaos-random.js';
import type { ChaosTopology } from './chaos-topology.js';
import type { ChaosWorld } from './chaos-world.js';
import { drain, type DrainResult } from './drain.js';
import type { FaultPhases } from './fault-phases.js';
import type { ProcessFleet, Role } from './process-fleet.js';
import type { QueueInspector } from './queue-inspector.js';
import { retentionAuditInput, retentionDiagnostics, settleRetention } from './retention-evidence.js';
import { CHAOS_PREFIX } from './chaos-world.js';

export interface ScenarioParts {
  readonly profile: ChaosProfile;
  readonly topology: ChaosTopology;
  readonly world: ChaosWorld;
  readonly fleet: ProcessFleet;
  readonly feeder: BackupFeeder;
  readonly faults: FaultPhases;
  readonly inspector: QueueInspector;
  readonly random: ChaosRandom;
  readonly log: ChaosLog;
}

export interface ScenarioResult {
  readonly rollingRestarts: number;
  readonly outageMs: number;
  /** Fire times of each policy that passed while nothing ran. */
  readonly missedFireTimes: number;
  /** Policies for which a process started after the outage logged a catch-up fire. */
  readonly caughtUp: readonly string[];
  readonly drain: DrainResult;
  /** After the drain: how long until every pair held what its rules keep, if it did within the profile's bound. */
  readonly retention: { readonly settled: boolean; readonly tookMs: number };
}

/**
 * The timeline of a run: the service starts; for `chaosMs` new backups arrive, FSx misbehaves in phases, random
 * processes are SIGKILLed (and started again), scripted rolling restarts and Redis restarts happen at fixed points;
 * then the whole service is down across two fire times while new backups appear, starts again (it must catch up),
 * and drains with FSx healthy.
 */
export async function runScenario(parts: ScenarioParts): Promise<ScenarioResult> {
  const { profile, fleet, log } = parts;
  log.info(`starting ${profile.workers} worker and ${profile.schedulers} scheduler processes`);
  await fleet.startAll();
  const until = Date.now() + profile.chaosMs;
  const kills = new Set<Promise<void>>();
  let rollingRestarts = 0;
  await Promise.all([
    parts.faults.run(until, profile.faultPhaseMs),
    feedUntil(parts, until),
    killUntil(parts, until, kills),
    scriptedEvents(parts, until, () => (rollingRestarts += 1)),
  ]);
  await Promise.all(kills);
  parts.faults.clear();
  const outage = await outageAcrossFireTimes(parts);
  parts.feeder.settle();
  log.info('FSx healthy, sources settled: draining');
  const drained = await drain(parts.world, parts.topology, parts.inspector, profile.drainTimeoutMs, log);
  log.info(`drain ${drained.drained ? 'complete' : 'TIMED OUT'} after ${drained.tookMs} ms`);
  const { world, topology } = parts;
  const retention = await settleRetention(
    async () =>
      retentionAuditInput(
        world.sim,
        world.hooks,
        topology,
        await world.outcomes.list({ limit: 1_000_000 }),
        CHAOS_PREFIX,
      ),
    profile.retention.settleTimeoutMs,
    log,
    () => retentionDiagnostics(world.reader, world.keyPrefix),
  );
  log.info(`retention ${retention.settled ? 'settled' : 'did NOT settle'} after ${retention.tookMs} ms`);
  const caughtUp = caughtUpPolicies(parts, outage.restartedAt);
  return { rollingRestarts, ...outage, caughtUp, drain: drained, retention };
}

async function feedUntil(parts: ScenarioParts, until: number): Promise<void> {
  while (Date.now() + parts.profile.feed.everyMs < until) {
    await pause(parts.profile.feed.everyMs);
    parts.feeder.round();
  }
}

/** Random SIGKILLs, each process back after a short while; kills may overlap, so two can be down at once. */
async function killUntil(parts: ScenarioParts, until: number, kills: Set<Promise<void>>): Promise<void> {
  const { random, fleet, profile } = parts;
  let turn = 0;
  for (;;) {
    await pause(random.between(profile.killEveryMs));
    if (Date.now() >= until) return;
    // The first two kills take one of each kind; then workers die more often, as they hold the copies.
    const role: Role =
      turn < 2 ? (turn === 0 ? 'scheduler' : 'worker') : random.chance(0.65) ? 'worker' : 'scheduler';
    turn += 1;
    const candidates = fleet.idleSlots(role);
    if (candidates.length === 0) continue;
    const victim = random.pick(candidates);
    const kill = fleet.kill(victim.name, random.between(profile.restartDelayMs));
    kills.add(kill);
    void kill.finally(() => kills.delete(kill));
  }
}

/** Rolling restarts and Redis restarts at fixed fractions of the chaos phase, spread so they do not coincide. */
async function scriptedEvents(parts: ScenarioParts, until: number, onRolling: () => void): Promise<void> {
  const { profile, fleet, world, log } = parts;
  const start = until - profile.chaosMs;
  const events: { at: number; run: () => Promise<void> }[] = [];
  for (let i = 0; i < profile.rollingRestarts; i += 1) {
    const at = start + profile.chaosMs * ((i + 0.5) / (profile.rollingRestarts + 1));
    events.push({
      at,
      run: async () => {
        log.info('rolling restart: SIGTERM one process at a time');
        await fleet.rollingRestart();
        onRolling();
      },
    });
  }
  for (let i = 0; i < profile.redisRestarts; i += 1) {
    const at = start + profile.chaosMs * ((i + 1) / (profile.redisRestarts + 1));
    events.push({
      at,
      run: async () => {
        log.info(`Redis fault on ${world.redis.topology} (down ${profile.redisDownMs} ms)`);
        const fault = await world.redisFault(profile.redisDownMs);
        log.info(
          `Redis fault over: ${fault.detail}, writes served again after ${fault.backAt - fault.at} ms`,
        );
      },
    });
  }
  for (const event of events.sort((a, b) => a.at - b.at)) {
    await pause(event.at - Date.now());
    await event.run();
  }
}

/** Everything down (SIGKILL: a power cut, copies in flight) across two fire times; new backups arrive meanwhile. */
async function outageAcrossFireTimes(
  parts: ScenarioParts,
): Promise<{ outageMs: number; missedFireTimes: number; restartedAt: number }> {
  const { fleet, feeder, profile, log } = parts;
  const periodMs = profile.schedulePeriodS * 1_000;
  log.info('outage: every process killed');
  const downAt = Date.now();
  await fleet.stopAll('SIGKILL');
  feeder.everyFileSystem();
  await pause(2 * periodMs + periodMs / 2);
  const restartedAt = Date.now();
  const outageMs = restartedAt - downAt;
  log.info(`outage over after ${outageMs} ms: starting every process`);
  await fleet.startAll();
  return { outageMs, missedFireTimes: Math.floor(outageMs / periodMs), restartedAt };
}

function caughtUpPolicies(parts: ScenarioParts, restartedAt: number): string[] {
  const policies = new Set<string>();
  for (const p of parts.fleet.history) {
    if (p.startedAt < restartedAt) continue;
    for (const line of p.events('schedule.fired')) {
      if (line['catchUp'] === true && typeof line['policy'] === 'string') policies.add(line['policy']);
    }
  }
  return [...policies].sort();
}
