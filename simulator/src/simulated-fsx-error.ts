/**
 * An error the simulator answers with, exactly as FSx puts it on the wire: the name goes into `x-amzn-errortype`
 * and `__type`, the members beside `Message`, so the SDK throws its own class (`ServiceLimitExceeded`, ...) carrying
 * them. Handlers throw it; the wire server turns it into a response.
 */
export class SimulatedFsxError extends Error {
  override readonly name: string;
  /** 400 for client faults, 500 for server faults (the SDK retries 5xx). */
  readonly status: number;
  /** Modelled members such as `Limit`, `BackupId`, `Parameter`. */
  readonly members: Readonly<Record<string, unknown>>;

  constructor(name: string, message: string, members: Record<string, unknown> = {}, status = 400) {
    super(message);
    this.name = name;
    this.status = status;
    this.members = members;
  }

  /** The JSON 1.1 error body. */
  toWireBody(): Record<string, unknown> {
    return { __type: this.name, Message: this.message, ...this.members };
  }
}

/** FSx's generic validation failure, worded like the service's own messages. */
export function badRequest(message: string): SimulatedFsxError {
  return new SimulatedFsxError('BadRequest', message);
}

/** The message FSx gives for a member that breaks its model constraint. */
export function constraintViolation(member: string, value: unknown, constraint: string): SimulatedFsxError {
  const shown = typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
  return badRequest(
    `1 validation error detected: Value ${shown} at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}

export function backupNotFound(backupId: string): SimulatedFsxError {
  // BackupNotFound models only Message; BackupId is an extra member the SDK may or may not keep.
  return new SimulatedFsxError('BackupNotFound', `Backup ${backupId} does not exist.`, {
    BackupId: backupId,
  });
}

export function serviceLimitExceeded(limit: string, message: string): SimulatedFsxError {
  return new SimulatedFsxError('ServiceLimitExceeded', message, { Limit: limit });
}

export function internalServerError(): SimulatedFsxError {
  return new SimulatedFsxError(
    'InternalServerError',
    'An internal server error occurred (simulated).',
    {},
    500,
  );
}

export function throttlingException(): SimulatedFsxError {
  return new SimulatedFsxError('ThrottlingException', 'Rate exceeded (simulated).');
}
