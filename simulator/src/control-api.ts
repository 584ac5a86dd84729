import { z } from 'zod';
import type { FsxSimulator } from './start-fsx-simulator.js';
import type { SimulatorBehaviour } from './simulator-options.js';

/**
 * The `/__sim/` HTTP API, for a process that did not start the simulator (the demo, a chaos run, a shell):
 *
 * - `GET /__sim/state`: `{ now, clock, requests, regions: { <region>: { inFlight, peakInFlight, backups } } }`
 * - `GET /__sim/requests`: `{ requests: RecordedRequest[] }`
 * - `POST /__sim/control`: one action or a list of actions, answered with `{ results: [...] }` in order:
 *   `{ action: 'addFileSystem', region, fileSystemId, type, deploymentType?, storageType?, volumeIds?, kmsKeyId? }`,
 *   `{ action: 'addBackup', region, fileSystemId, backupId?, lifecycle?, creationTime?, availableAt?, type?, tags?,
 *   sizeInBytes?, kmsKeyId?, volumeId? }` -> `{ backupId }`, `{ action: 'addCopy', region, sourceRegion,
 *   sourceBackupId, backupId?, type?, lifecycle?, creationTime?, tags?, kmsKeyId? }` -> `{ backupId }`,
 *   `{ action: 'startRestore', region, backupId, durationMs }`, `{ action: 'setLifecycle', region, backupId, lifecycle,
 *   failureMessage? }`, `{ action: 'addForeignCopies', region, count, durationMs? }` -> `{ backupIds }`,
 *   `{ action: 'failNext', operation, name, region?, message?, members?, status?, count?, afterEffect? }`,
 *   `{ action: 'hangNext', operation?, region?, count?, afterEffect? }`, `{ action: 'configure', options }` (the
 *   JSON-expressible options; `null` restores a default), `{ action: 'advanceClock', ms }`,
 *   `{ action: 'setClock', time }` (epoch ms or ISO string), `{ action: 'reset' }`.
 *
 * Times are epoch ms or ISO strings. Errors answer 400 `{ error }`.
 */
const time = z.union([
  z.number(),
  z
    .string()
    .transform((s) => Date.parse(s))
    .pipe(z.number()),
]);
const tags = z.union([
  z.record(z.string(), z.string()),
  z.array(z.object({ Key: z.string(), Value: z.string() })),
]);
const fileSystemType = z.enum(['WINDOWS', 'LUSTRE', 'OPENZFS', 'ONTAP']);
const rate = z.number().min(0).max(1);

const behaviourSchema = z.object({
  pageSize: z.number().int().optional(),
  copyLimit: z.number().int().optional(),
  copyDuration: z.number().optional(),
  copyFailureRate: rate.optional(),
  creationDuration: z.number().optional(),
  backupQuota: z.number().optional(),
  invalidKmsKeys: z
    .object({ destination: z.array(z.string()).optional(), source: z.array(z.string()).optional() })
    .optional(),
  regionsWithoutMultiAz: z.array(z.string()).optional(),
  deleteBlockedAfterCopyMs: z.number().optional(),
  deleteRequiresTag: z.object({ key: z.string(), value: z.string() }).optional(),
  fileSystemFilterFindsCopies: z.boolean().optional(),
  deletedVisibleMs: z.number().optional(),
  latencyMs: z.number().optional(),
  serverErrorRate: rate.optional(),
  throttleRate: rate.optional(),
  hangRate: rate.optional(),
  malformedRate: rate.optional(),
  faultOperations: z.array(z.string()).optional(),
  dropFields: z
    .array(
      z.enum([
        'BackupId',
        'Lifecycle',
        'FailureDetails',
        'Type',
        'ProgressPercent',
        'CreationTime',
        'KmsKeyId',
        'ResourceARN',
        'Tags',
        'FileSystem',
        'OwnerId',
        'SourceBackupId',
        'SourceBackupRegion',
        'ResourceType',
        'Volume',
        'SizeInBytes',
      ]),
    )
    .optional(),
  unknownLifecycle: z.string().optional(),
});

export const controlActionSchema = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('addFileSystem'),
    region: z.string(),
    fileSystemId: z.string(),
    type: fileSystemType,
    deploymentType: z.string().optional(),
    storageType: z.string().optional(),
    volumeIds: z.array(z.string()).optional(),
    kmsKeyId: z.string().optional(),
    backupSizeInBytes: z.number().optional(),
  }),
  z.object({
    action: z.literal('addBackup'),
    region: z.string(),
    fileSystemId: z.string(),
    backupId: z.string().optional(),
    lifecycle: z.string().optional(),
    failureMessage: z.string().optional(),
    creationTime: time.optional(),
    availableAt: time.optional(),
    type: z.enum(['AUTOMATIC', 'USER_INITIATED', 'AWS_BACKUP']).optional(),
    tags: tags.optional(),
    sizeInBytes: z.number().optional(),
    kmsKeyId: z.string().optional(),
    volumeId: z.string().optional(),
  }),
  z.object({
    action: z.literal('addCopy'),
    region: z.string(),
    sourceRegion: z.string(),
    sourceBackupId: z.string(),
    backupId: z.string().optional(),
    type: z.enum(['AUTOMATIC', 'USER_INITIATED', 'AWS_BACKUP']).optional(),
    lifecycle: z.string().optional(),
    creationTime: time.optional(),
    tags: tags.optional(),
    kmsKeyId: z.string().optional(),
  }),
  z.object({
    action: z.literal('startRestore'),
    region: z.string(),
    backupId: z.string(),
    durationMs: z.number().min(0),
  }),
  z.object({
    action: z.literal('setLifecycle'),
    region: z.string(),
    backupId: z.string(),
    lifecycle: z.string(),
    failureMessage: z.string().optional(),
  }),
  z.object({
    action: z.literal('addForeignCopies'),
    region: z.string(),
    count: z.number().int().min(1),
    durationMs: z.number().optional(),
  }),
  z.object({
    action: z.literal('failNext'),
    operation: z.string(),
    name: z.string(),
    region: z.string().optional(),
    message: z.string().optional(),
    members: z.record(z.string(), z.unknown()).optional(),
    status: z.number().int().optional(),
    count: z.number().int().optional(),
    afterEffect: z.boolean().optional(),
  }),
  z.object({
    action: z.literal('hangNext'),
    operation: z.string().optional(),
    region: z.string().optional(),
    count: z.number().int().optional(),
    afterEffect: z.boolean().optional(),
  }),
  z.object({ action: z.literal('configure'), options: z.record(z.string(), z.unknown()) }),
  z.object({ action: z.literal('advanceClock'), ms: z.number() }),
  z.object({ action: z.literal('setClock'), time }),
  z.object({ action: z.literal('reset') }),
]);

/** One `/__sim/control` action (also the shape of a launcher seed file's `actions`). */
export type ControlAction = z.input<typeof controlActionSchema>;

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
      case 'addFileSystem': {
        const { action: _, ...rest } = a;
        sim.addFileSystem(rest);
        return { fileSystemId: a.fileSystemId };
      }
      case 'addBackup': {
        const { action: _, ...rest } = a;
        return { backupId: sim.addBackup(rest) };
      }
      case 'addCopy': {
        const { action: _, ...rest } = a;
        return { backupId: sim.addCopy(rest) };
      }
      case 'startRestore':
        sim.startRestore(a.region, a.backupId, a.durationMs);
        return {};
      case 'setLifecycle':
        sim.setLifecycle(a.region, a.backupId, a.lifecycle, a.failureMessage);
        return {};
      case 'addForeignCopies':
        return { backupIds: sim.addForeignCopies(a.region, a.count, a.durationMs) };
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

/** The `/__sim/state` document. */
export function describeState(sim: FsxSimulator): Record<string, unknown> {
  const regions: Record<string, unknown> = {};
  for (const region of sim.regions()) {
    regions[region] = {
      inFlight: sim.inFlight(region),
      peakInFlight: sim.peakInFlight(region),
      backups: sim.backups(region),
    };
  }
  return {
    now: new Date(sim.clock.now()).toISOString(),
    clock: sim.clock.kind,
    requests: sim.requests.length,
    regions,
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
    if (method === 'POST' && path === '/__sim/control') {
      const input: unknown = JSON.parse(body === '' ? '{}' : body);
      return { status: 200, body: { results: runControlActions(sim, input) } };
    }
    return { status: 404, body: { error: `no control route ${method} ${path}` } };
  } catch (error) {
    return { status: 400, body: { error: error instanceof Error ? error.message : String(error) } };
  }
}
