import type { InFlightCount } from './in-flight-ledger.js';
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { BackupRecord } from './backup-record.js';
import type { SimulatorClock } from './clock.js';
import { copyBackup } from './copy-backup.js';
import { createBackup } from './create-backup.js';
import { deleteBackup } from './delete-backup.js';
import { describeBackups } from './describe-backups.js';
import { describeFileSystems } from './describe-file-systems.js';
import type { FaultDecision, FaultPlan, InjectedFault } from './fault-plan.js';
import type { OperationContext, OperationHandler } from './operation-context.js';
import { renderBackup } from './render-backup.js';
import { requestObject } from './request-validation.js';
import type { RandomStreams } from './seeded-random.js';
import { headerValue, type SigV4Credential } from './sigv4-credential.js';
import { SimulatedFsxError, badRequest } from './simulated-fsx-error.js';
import type { SimulatorAccounts } from './simulator-accounts.js';
import type { ResolvedBehaviour } from './simulator-options.js';
import type { SimulatorState } from './simulator-state.js';
import type { CallerCheck, StsDirectory } from './sts-directory.js';
import type { WireResponse } from './wire-response.js';

/**
 * The FSx JSON 1.1 protocol (docs/fsx-notes.md, "Wire protocol"): operation from `x-amz-target`, Region from the SigV4
 * credential scope, account from its access key, faults before and after the operation, and the response FSx would
 * send.
 */
const TARGET_PREFIX = 'AWSSimbaAPIService_v20180301.';

/** The operations the simulator answers; any other is UnknownOperationException. */
export const SIMULATED_OPERATIONS = {
  CopyBackup: copyBackup,
  CreateBackup: createBackup,
  DeleteBackup: deleteBackup,
  DescribeBackups: describeBackups,
  DescribeFileSystems: describeFileSystems,
} as const satisfies Record<string, OperationHandler>;

export type SimulatedOperation = keyof typeof SIMULATED_OPERATIONS;

/** One FSx request as a test reads it back from `sim.requests`. */
export interface RecordedRequest {
  /** Arrival on the simulator clock (epoch ms). */
  readonly time: number;
  readonly operation: string;
  readonly region: string;
  /** The account the request acted in: its access key's (the default account for keys AssumeRole did not issue). */
  readonly accountId: string;
  /** The access key it was signed with; absent when it was not signed. */
  readonly accessKeyId?: string;
  /** The parsed JSON body (undefined when it did not parse). */
  readonly params: unknown;
  /** HTTP status sent; absent while pending, and for ever when the request hung. */
  status?: number;
  /** The error name sent, if any. */
  errorName?: string;
  /** The fault that shaped the response, if one did. */
  injected?: InjectedFault;
  /**
   * CopyBackup only: copies in progress in the Region (of the request's account) when it arrived, to catch
   * over-admission.
   */
  inFlightAtArrival?: InFlightCount;
}

export interface FsxEndpointDeps {
  readonly accounts: SimulatorAccounts;
  readonly sts: StsDirectory;
  readonly clock: SimulatorClock;
  readonly random: RandomStreams;
  readonly faults: FaultPlan;
  readonly requests: RecordedRequest[];
  behaviour(): ResolvedBehaviour;
  /** Resolves after `ms` real milliseconds, rejects when the simulator closes. */
  sleep(ms: number): Promise<void>;
}

function errorResponse(error: SimulatedFsxError): WireResponse {
  return {
    status: error.status,
    headers: { 'x-amzn-errortype': error.name },
    body: JSON.stringify(error.toWireBody()),
  };
}

function parseBody(body: string): unknown {
  try {
    return JSON.parse(body === '' ? '{}' : body) as unknown;
  } catch {
    return undefined;
  }
}

export async function handleFsxRequest(
  deps: FsxEndpointDeps,
  headers: IncomingHttpHeaders,
  credential: SigV4Credential | undefined,
  rawBody: string,
): Promise<WireResponse | 'hang'> {
  const response = await answer(deps, headers, credential, rawBody);
  if (response === 'hang') return response;
  return {
    ...response,
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-requestid': randomUUID(),
      ...response.headers,
    },
  };
}

/** The handler a request names, or the error AWS gives a request it cannot route. */
function routeRequest(
  target: string,
  credential: SigV4Credential | undefined,
): OperationHandler | SimulatedFsxError {
  if (!credential) {
    return new SimulatedFsxError(
      'MissingAuthenticationTokenException',
      'Missing Authentication Token',
      {},
      403,
    );
  }
  if (credential.service !== 'fsx') {
    const message = `Credential should be scoped to correct service: 'fsx'.`;
    return new SimulatedFsxError('InvalidSignatureException', message, {}, 403);
  }
  const operation = target.slice(TARGET_PREFIX.length);
  if (target.startsWith(TARGET_PREFIX) && Object.hasOwn(SIMULATED_OPERATIONS, operation)) {
    return SIMULATED_OPERATIONS[operation as SimulatedOperation];
  }
  const message = `Operation '${target}' is not supported by the FSx simulator.`;
  return new SimulatedFsxError('UnknownOperationException', message);
}

/**
 * The error FSx gives credentials it will not take: temporary ones past their Expiration on the simulator clock
 * (so a client that does not refresh is caught), or an issued key sent without its own session token.
 */
function credentialError(check: CallerCheck): SimulatedFsxError | undefined {
  switch (check.kind) {
    case 'valid':
      return undefined;
    case 'expired':
      return new SimulatedFsxError(
        'ExpiredTokenException',
        'The security token included in the request is expired',
      );
    case 'invalid-token':
      return new SimulatedFsxError(
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      );
  }
}

/** Runs the operation: its JSON output, or the FSx error it ends in (a simulator bug is a 500). */
function runOperation(
  ctx: OperationContext,
  handler: OperationHandler,
  params: unknown,
): string | SimulatedFsxError {
  try {
    if (params === undefined) throw badRequest('The request body is not valid JSON.');
    return JSON.stringify(handler(ctx, requestObject(params)));
  } catch (error) {
    if (error instanceof SimulatedFsxError) return error;
    return new SimulatedFsxError('InternalServerError', `Simulator bug: ${String(error)}`, {}, 500);
  }
}

async function answer(
  deps: FsxEndpointDeps,
  headers: IncomingHttpHeaders,
  credential: SigV4Credential | undefined,
  rawBody: string,
): Promise<WireResponse | 'hang'> {
  const target = headerValue(headers, 'x-amz-target');
  const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target;
  const region = credential?.region ?? '';
  const params = parseBody(rawBody);
  const time = deps.clock.now();
  const check = deps.sts.identify(credential, time);
  const { accountId } = check.caller;
  const record: RecordedRequest = {
    time,
    operation,
    region,
    accountId,
    ...(credential !== undefined && { accessKeyId: credential.accessKeyId }),
    params,
  };
  if (operation === 'CopyBackup') {
    record.inFlightAtArrival = deps.accounts.peek(accountId)?.peekRegion(region)?.ledger.countAt(time) ?? {
      total: 0,
      service: 0,
      foreign: 0,
    };
  }
  deps.requests.push(record);
  const finish = (response: WireResponse, injected?: InjectedFault): WireResponse => {
    record.status = response.status;
    const errorName = response.headers['x-amzn-errortype'];
    if (errorName !== undefined) record.errorName = errorName;
    if (injected !== undefined) record.injected = injected;
    return response;
  };

  const handler = routeRequest(target, credential);
  if (handler instanceof SimulatedFsxError) return finish(errorResponse(handler));
  const refused = credentialError(check);
  if (refused) return finish(errorResponse(refused));
  const behaviour = deps.behaviour();
  const info = { operation, region, accountId };
  const latency = typeof behaviour.latencyMs === 'number' ? behaviour.latencyMs : behaviour.latencyMs(info);
  if (latency > 0) await deps.sleep(latency);

  const before = deps.faults.beforeEffect(info, behaviour, deps.random.faults);
  if (before.kind !== 'none') return applyFault(before, record, finish, '{}');
  const state = deps.accounts.account(accountId);
  const body = runOperation(operationContext(deps, state, behaviour, region), handler, params);
  if (body instanceof SimulatedFsxError) return finish(errorResponse(body));
  const after = deps.faults.afterEffect(info, behaviour, deps.random.faults);
  if (after.kind !== 'none') return applyFault(after, record, finish, body);
  return finish({ status: 200, headers: {}, body });
}

function applyFault(
  decision: Exclude<FaultDecision, { kind: 'none' }>,
  record: RecordedRequest,
  finish: (response: WireResponse, injected?: InjectedFault) => WireResponse,
  body: string,
): WireResponse | 'hang' {
  switch (decision.kind) {
    case 'hang':
      record.injected = 'hang';
      return 'hang';
    case 'error':
      return finish(errorResponse(decision.error), decision.injected);
    case 'malformed':
      // Half of the real answer: what a connection cut mid-body or a broken proxy delivers.
      return finish(
        { status: 200, headers: {}, body: body.slice(0, Math.max(1, Math.floor(body.length / 2))) },
        'malformed',
      );
  }
}

function operationContext(
  deps: FsxEndpointDeps,
  state: SimulatorState,
  behaviour: ResolvedBehaviour,
  region: string,
): OperationContext {
  const now = deps.clock.now();
  return {
    region,
    now,
    state,
    behaviour,
    copyFailureRandom: deps.random.copyFailures,
    renderBackup: (backup: BackupRecord) =>
      renderBackup(backup, {
        now,
        dropFields: behaviour.dropFields,
        unknownLifecycle: behaviour.unknownLifecycle,
      }),
  };
}
