import { z } from 'zod';
import { behaviourSchema, controlActionSchema } from './control-schema.js';
import type { FsxSimulator } from './start-fsx-simulator.js';
import type { SimulatorBehaviour } from './simulator-options.js';

export type { ControlAction } from './control-schema.js';

/**
 * The `/__sim/` HTTP API, for a process that did not start the simulator (the demo, a chaos run, a shell):
 *
 * - `GET /__sim/state`: `{ now, clock, requests, stsRequests, defaultAccountId, regions: { <region>: { inFlight,
 *   peakInFlight, backups } }, accounts: { <account>: { regions: { ... } } } }` (`regions` is the default account's)
 * - `GET /__sim/requests`: `{ requests: RecordedRequest[] }`; `GET /__sim/sts-requests`: `{ requests:
 *   RecordedStsRequest[] }`
 * - `POST /__sim/control`: one action or a list of actions, answered with `{ results: [...] }` in order:
 *   `{ action: 'addRole', roleArn, externalId?, maxSessionDurationSeconds? }`,
 *   `{ action: 'addFileSystem', region, fileSystemId, type, accountId?, deploymentType?, storageType?, volumeIds?,
 *   kmsKeyId?, tags?, lifecycle?, dataRepositoryPath? }`, `{ action: 'setFileSystemLifecycle', region, fileSystemId,
 *   lifecycle, accountId? }`,
 *   `{ action: 'addBackup', region, fileSystemId, accountId?, backupId?, lifecycle?, creationTime?, availableAt?,
 *   type?, tags?, sizeInBytes?, kmsKeyId?, volumeId? }` -> `{ backupId }`, `{ action: 'addCopy', region,
 *   sourceRegion, sourceBackupId, accountId?, backupId?, type?, lifecycle?, creationTime?, tags?, kmsKeyId? }` ->
 *   `{ backupId }`, `{ action: 'startRestore', region, backupId, durationMs, accountId? }`, `{ action: 'setLifecycle',
 *   region, backupId, lifecycle, failureMessage?, accountId? }`, `{ action: 'addForeignCopies', region, count,
 *   durationMs?, accountId? }` -> `{ backupIds }`,
 *   `{ action: 'failNext', operation, name, region?, accountId?, message?, members?, status?, count?, afterEffect? }`
 *   (an STS action such as `AssumeRole` as `operation` fails STS requests), `{ action: 'hangNext', operation?,
 *   region?, accountId?, count?, afterEffect? }`, `{ action: 'configure', options }` (the JSON-expressible options;
 *   `null` restores a default), `{ action: 'advanceClock', ms }`, `{ action: 'setClock', time }` (epoch ms or ISO
 *   string), `{ action: 'reset' }`.
 *
 * Times are epoch ms or ISO strings; an absent `accountId` is the default account. Errors answer 400 `{ error }`.
 */

/** JSON has no `undefined`: `null` in `configure.options` means "back to the default". */
export function parseBehaviour(options: Record<string, unknown>): SimulatorBehaviour {
  const parsed = behaviourSchema.parse(
    Object.fromEntries(Object.entries(options).map(([k, v]) => [k, v === null ? undefined : v])),
  );
  return parsed;
}

/** Runs actions in order; returns one result per action. */
export function runControlActions(sim: FsxSimulator, input: unknown): unknown[] {
  const actions = z.array(controlActionSchema).parse(Array.isArray(input) ? input : [input]);
  return actions.map((a) => {
    switch (a.action) {
      case 'addRole': {
        const { action: _, ...rest } = a;
        sim.addRole(rest);
        return { roleArn: a.roleArn };
      }
      case 'addFileSystem': {
        const { action: _, ...rest } = a;
        sim.addFileSystem(rest);
        return { fileSystemId: a.fileSystemId };
      }
      case 'setFileSystemLifecycle':
        sim.setFileSystemLifecycle(a.region, a.fileSystemId, a.lifecycle, a.accountId);
        return {};
      case 'addBackup': {
        const { action: _, ...rest } = a;
        return { backupId: sim.addBackup(rest) };
      }
      case 'addCopy': {
        const { action: _, ...rest } = a;
        return { backupId: sim.addCopy(rest) };
      }
      case 'startRestore':
        sim.startRestore(a.region, a.backupId, a.durationMs, a.accountId);
        return {};
      case 'setLifecycle':
        sim.setLifecycle(a.region, a.backupId, a.lifecycle, a.failureMessage, a.accountId);
        return {};
      case 'addForeignCopies':
        return { backupIds: sim.addForeignCopies(a.region, a.count, a.durationMs, a.accountId) };
      case 'failNext': {
        const { action: _, ...rule } = a;
        sim.failNext(rule);
        return {};
      }
      case 'hangNext': {
        const { action: _, ...rule } = a;
        sim.hangNext(rule);
        return {};
      }
      case 'configure':
        sim.configure(parseBehaviour(a.options));
        return {};
      case 'advanceClock':
        sim.clock.advance(a.ms);
        return { now: new Date(sim.clock.now()).toISOString() };
      case 'setClock':
        sim.clock.set(a.time);
        return { now: new Date(sim.clock.now()).toISOString() };
      case 'reset':
        sim.reset();
        return {};
    }
  });
}

function describeRegions(sim: FsxSimulator, accountId: string): Record<string, unknown> {
  const regions: Record<string, unknown> = {};
  for (const region of sim.regions(accountId)) {
    regions[region] = {
      inFlight: sim.inFlight(region, accountId),
      peakInFlight: sim.peakInFlight(region, accountId),
      backups: sim.backups(region, accountId),
    };
  }
  return regions;
}

/** The `/__sim/state` document: `regions` stays the default account's, as it was before accounts. */
export function describeState(sim: FsxSimulator): Record<string, unknown> {
  const accounts: Record<string, unknown> = {};
  for (const accountId of sim.accounts()) accounts[accountId] = { regions: describeRegions(sim, accountId) };
  return {
    now: new Date(sim.clock.now()).toISOString(),
    clock: sim.clock.kind,
    requests: sim.requests.length,
    stsRequests: sim.stsRequests.length,
    defaultAccountId: sim.defaultAccountId,
    regions: describeRegions(sim, sim.defaultAccountId),
    accounts,
  };
}

/** Routes one `/__sim/` request; a failed action answers 400 with the reason. */
export function handleControlRequest(
  sim: FsxSimulator,
  method: string,
  path: string,
  body: string,
): { status: number; body: unknown } {
  try {
    if (method === 'GET' && path === '/__sim/state') return { status: 200, body: describeState(sim) };
    if (method === 'GET' && path === '/__sim/requests')
      return { status: 200, body: { requests: sim.requests } };
    if (method === 'GET' && path === '/__sim/sts-requests') {
      return { status: 200, body: { requests: sim.stsRequests } };
    }
    if (method === 'POST' && path === '/__sim/control') {
      const input: unknown = JSON.parse(body === '' ? '{}' : body);
      return { status: 200, body: { results: runControlActions(sim, input) } };
    }
    return { status: 404, body: { error: `no control route ${method} ${path}` } };
  } catch (error) {
    return { status: 400, body: { error: error instanceof Error ? error.message : String(error) } };
  }
}
