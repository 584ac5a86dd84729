/**
 * An error STS answers with, as its awsQuery protocol puts it on the wire: XML
 * `ErrorResponse/Error{Type,Code,Message}` and the HTTP status. The SDK reads `Error.Code` as the error's name
 * (`AccessDenied`, `ValidationError`, `ExpiredToken`, ...), and builds a modelled class when it knows the code.
 */
export class SimulatedStsError extends Error {
  override readonly name: string;
  readonly status: number;
  /** `Sender` for the caller's fault, `Receiver` for STS's own. */
  readonly type: 'Sender' | 'Receiver';

  constructor(code: string, message: string, status = 400) {
    super(message);
    this.name = code;
    this.status = status;
    this.type = status >= 500 ? 'Receiver' : 'Sender';
  }
}

/** STS's model-constraint failure, worded as STS words it. */
export function stsValidationError(
  member: string,
  value: string | undefined,
  constraint: string,
): SimulatedStsError {
  const shown = value === undefined ? 'null' : `'${value}'`;
  return new SimulatedStsError(
    'ValidationError',
    `1 validation error detected: Value ${shown} at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}
