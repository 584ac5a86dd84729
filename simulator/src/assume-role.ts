import type { CallerIdentity, IssuedCredentials, StsDirectory } from './sts-directory.js';
import { SimulatedStsError, stsValidationError } from './sts-error.js';

/**
 * STS AssumeRole, as the simulator answers it: the request's model constraints (ValidationError), then whether the
 * caller may assume the role (AccessDenied: the role is not registered, or its ExternalId was not given exactly),
 * then the session length (the role's MaxSessionDuration; one hour for a role assumed with role credentials, which
 * AWS calls role chaining). Every registered role trusts every caller: the simulator has no IAM policies.
 */
export interface AssumeRoleRequest {
  readonly roleArn: string | undefined;
  readonly roleSessionName: string | undefined;
  readonly externalId: string | undefined;
  /** As sent: a form value is text until checked. */
  readonly durationSeconds: string | undefined;
}

const SESSION_NAME = /^[\w+=,.@-]*$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]*$/;
const CHAINED_MAX_SECONDS = 3600;

function checkLength(member: string, value: string, min: number, max: number): void {
  if (value.length < min) {
    throw stsValidationError(member, value, `Member must have length greater than or equal to ${min}`);
  }
  if (value.length > max) {
    throw stsValidationError(member, value, `Member must have length less than or equal to ${max}`);
  }
}

function checkPattern(member: string, value: string, pattern: RegExp, shown: string): void {
  if (!pattern.test(value)) {
    throw stsValidationError(member, value, `Member must satisfy regular expression pattern: ${shown}`);
  }
}

/** DurationSeconds: an integer 900–43200, 3600 when absent. */
function parseDuration(value: string | undefined): number {
  if (value === undefined) return 3600;
  const seconds = Number(value);
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(seconds)) {
    throw stsValidationError('durationSeconds', value, 'Member must be an integer');
  }
  if (seconds < 900) {
    throw stsValidationError('durationSeconds', value, 'Member must have value greater than or equal to 900');
  }
  if (seconds > 43200) {
    throw stsValidationError('durationSeconds', value, 'Member must have value less than or equal to 43200');
  }
  return seconds;
}

interface ValidRequest {
  readonly roleArn: string;
  readonly roleSessionName: string;
  readonly externalId: string | undefined;
  readonly durationSeconds: number;
}

function validate(request: AssumeRoleRequest): ValidRequest {
  const { roleArn, roleSessionName, externalId } = request;
  if (roleArn === undefined) throw stsValidationError('roleArn', undefined, 'Member must not be null');
  checkLength('roleArn', roleArn, 20, 2048);
  if (roleSessionName === undefined) {
    throw stsValidationError('roleSessionName', undefined, 'Member must not be null');
  }
  checkLength('roleSessionName', roleSessionName, 2, 64);
  checkPattern('roleSessionName', roleSessionName, SESSION_NAME, '[\\w+=,.@-]*');
  if (externalId !== undefined) {
    checkLength('externalId', externalId, 2, 1224);
    checkPattern('externalId', externalId, EXTERNAL_ID, '[\\w+=,.@:\\/-]*');
  }
  return { roleArn, roleSessionName, externalId, durationSeconds: parseDuration(request.durationSeconds) };
}

function accessDenied(caller: CallerIdentity, roleArn: string): SimulatedStsError {
  return new SimulatedStsError(
    'AccessDenied',
    `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    403,
  );
}

/** Issues credentials for the role, or throws the error STS would answer with. */
export function assumeRole(
  directory: StsDirectory,
  caller: CallerIdentity,
  request: AssumeRoleRequest,
  now: number,
): IssuedCredentials {
  const valid = validate(request);
  const role = directory.role(valid.roleArn);
  if (!role) throw accessDenied(caller, valid.roleArn);
  if (role.externalId !== undefined && valid.externalId !== role.externalId) {
    throw accessDenied(caller, valid.roleArn);
  }
  if (caller.issued !== undefined && valid.durationSeconds > CHAINED_MAX_SECONDS) {
    throw new SimulatedStsError(
      'ValidationError',
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
  }
  if (valid.durationSeconds > role.maxSessionDurationSeconds) {
    throw new SimulatedStsError(
      'ValidationError',
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    );
  }
  return directory.issue(role, valid.roleSessionName, now + valid.durationSeconds * 1000);
}
