import { randomUUID } from 'node:crypto';
import { assumeRole } from './assume-role.js';
import type { SimulatorClock } from './clock.js';
import type { FaultDecision, FaultPlan, InjectedFault } from './fault-plan.js';
import type { SigV4Credential } from './sigv4-credential.js';
import type { CallerCheck, CallerIdentity, StsDirectory } from './sts-directory.js';
import { SimulatedStsError } from './sts-error.js';
import { STS_VERSION, assumeRoleXml, getCallerIdentityXml, stsErrorXml } from './sts-wire.js';
import type { WireResponse } from './wire-response.js';

/**
 * STS on the simulator's one endpoint (a request whose SigV4 scope names `sts`): AssumeRole and GetCallerIdentity,
 * in the awsQuery protocol the SDK speaks (sts-wire.ts). Faults come only from one-shot rules naming the action
 * (`sim.failNext({ operation: 'AssumeRole', ... })`); FSx's fault rates and latency leave STS alone.
 */

/** One STS request as a test reads it back from `sim.stsRequests`. */
export interface RecordedStsRequest {
  /** Arrival on the simulator clock (epoch ms). */
  readonly time: number;
  readonly action: string;
  readonly region: string;
  readonly callerAccessKeyId?: string;
  readonly callerAccountId: string;
  readonly roleArn?: string;
  readonly roleSessionName?: string;
  /** Whether the request carried an ExternalId (its value is a secret of sorts, so it is not kept). */
  readonly externalIdGiven: boolean;
  readonly durationSeconds?: string;
  /** HTTP status sent; absent while pending, and for ever when the request hung. */
  status?: number;
  errorName?: string;
  /** AssumeRole only: the access key id of the credentials issued (also when an after-effect fault lost them). */
  issuedAccessKeyId?: string;
  injected?: InjectedFault;
}

export interface StsEndpointDeps {
  readonly sts: StsDirectory;
  readonly clock: SimulatorClock;
  readonly faults: FaultPlan;
  readonly stsRequests: RecordedStsRequest[];
}

function xmlResponse(status: number, body: string, requestId: string): WireResponse {
  return { status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
}

function errorResponse(error: SimulatedStsError, requestId: string): WireResponse {
  return xmlResponse(error.status, stsErrorXml(error, requestId), requestId);
}

/** The error STS gives credentials it will not take, or undefined when they are good. */
function credentialError(check: CallerCheck): SimulatedStsError | undefined {
  switch (check.kind) {
    case 'valid':
      return undefined;
    case 'expired':
      return new SimulatedStsError('ExpiredToken', 'The security token included in the request is expired');
    case 'invalid-token':
      return new SimulatedStsError(
        'InvalidClientTokenId',
        'The security token included in the request is invalid.',
        403,
      );
  }
}

function optional(params: URLSearchParams, name: string): string | undefined {
  return params.get(name) ?? undefined;
}

function recordOf(
  now: number,
  params: URLSearchParams,
  credential: SigV4Credential,
  caller: CallerIdentity,
): RecordedStsRequest {
  const roleArn = optional(params, 'RoleArn');
  const roleSessionName = optional(params, 'RoleSessionName');
  const durationSeconds = optional(params, 'DurationSeconds');
  const record: RecordedStsRequest = {
    time: now,
    action: params.get('Action') ?? '',
    region: credential.region,
    callerAccessKeyId: credential.accessKeyId,
    callerAccountId: caller.accountId,
    ...(roleArn !== undefined && { roleArn }),
    ...(roleSessionName !== undefined && { roleSessionName }),
    externalIdGiven: params.has('ExternalId'),
    ...(durationSeconds !== undefined && { durationSeconds }),
  };
  return record;
}

/** Runs the action: its XML answer, or the STS error it ends in (a simulator bug is a 500). */
function runAction(
  deps: StsEndpointDeps,
  params: URLSearchParams,
  caller: CallerIdentity,
  record: RecordedStsRequest,
  requestId: string,
): string | SimulatedStsError {
  try {
    const version = params.get('Version');
    if (version !== STS_VERSION) {
      return new SimulatedStsError(
        'InvalidAction',
        `Could not find operation ${record.action} for version ${version}`,
      );
    }
    switch (record.action) {
      case 'AssumeRole': {
        const issued = assumeRole(
          deps.sts,
          caller,
          {
            roleArn: record.roleArn,
            roleSessionName: record.roleSessionName,
            externalId: optional(params, 'ExternalId'),
            durationSeconds: record.durationSeconds,
          },
          record.time,
        );
        record.issuedAccessKeyId = issued.accessKeyId;
        return assumeRoleXml(issued, requestId);
      }
      case 'GetCallerIdentity':
        return getCallerIdentityXml(caller, requestId);
      default:
        return new SimulatedStsError(
          'InvalidAction',
          `Could not find operation ${record.action} for version ${STS_VERSION}`,
        );
    }
  } catch (error) {
    if (error instanceof SimulatedStsError) return error;
    return new SimulatedStsError('InternalFailure', `Simulator bug: ${String(error)}`, 500);
  }
}

/** What the endpoint decided: the response, and what to record about it. */
interface Answer {
  readonly response: WireResponse | 'hang';
  readonly errorName?: string;
  readonly injected?: InjectedFault;
}

function errorAnswer(error: SimulatedStsError, requestId: string, injected?: InjectedFault): Answer {
  return {
    response: errorResponse(error, requestId),
    errorName: error.name,
    ...(injected !== undefined && { injected }),
  };
}

function faultAnswer(decision: Exclude<FaultDecision, { kind: 'none' }>, requestId: string): Answer {
  switch (decision.kind) {
    case 'hang':
      return { response: 'hang', injected: 'hang' };
    case 'error': {
      const { name, message, status } = decision.error;
      return errorAnswer(new SimulatedStsError(name, message, status), requestId, 'failNext');
    }
    case 'malformed':
      // Not produced for STS (no rates apply), answered as a cut-off body should it ever be.
      return { response: xmlResponse(200, '<AssumeRoleResponse', requestId), injected: 'malformed' };
  }
}

function decide(
  deps: StsEndpointDeps,
  params: URLSearchParams,
  check: CallerCheck,
  record: RecordedStsRequest,
  requestId: string,
): Answer {
  const refused = credentialError(check);
  if (refused) return errorAnswer(refused, requestId);
  const info = { operation: record.action, region: record.region, accountId: check.caller.accountId };
  const before = deps.faults.namedOnly(info, false);
  if (before.kind !== 'none') return faultAnswer(before, requestId);
  const result = runAction(deps, params, check.caller, record, requestId);
  if (result instanceof SimulatedStsError) return errorAnswer(result, requestId);
  const after = deps.faults.namedOnly(info, true);
  if (after.kind !== 'none') return faultAnswer(after, requestId);
  return { response: xmlResponse(200, result, requestId) };
}

export function handleStsRequest(
  deps: StsEndpointDeps,
  credential: SigV4Credential,
  body: string,
): WireResponse | 'hang' {
  const requestId = randomUUID();
  const now = deps.clock.now();
  const params = new URLSearchParams(body);
  const check = deps.sts.identify(credential, now);
  const record = recordOf(now, params, credential, check.caller);
  deps.stsRequests.push(record);
  const answer = decide(deps, params, check, record, requestId);
  if (answer.injected !== undefined) record.injected = answer.injected;
  if (answer.errorName !== undefined) record.errorName = answer.errorName;
  if (answer.response !== 'hang') record.status = answer.response.status;
  return answer.response;
}
