import { pino, type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { LOG_EVENTS, type LogEventFields, type LogEventName } from './log-events.js';
import type { LogLevel } from './log-levels.js';

/**
 * Paths pino blanks out wherever they appear in a log line: credentials, tokens, passwords, authorisation
 * headers. Job payloads are never logged whole, but a stray object carrying one of these keys stays safe.
 */
export const REDACTED_PATHS = [
  'password',
  '*.password',
  'secretAccessKey',
  '*.secretAccessKey',
  'accessKeyId',
  '*.accessKeyId',
  'sessionToken',
  '*.sessionToken',
  'credentials',
  '*.credentials',
  'authorization',
  '*.authorization',
  '*.headers.authorization',
  'clientRequestToken',
  '*.clientRequestToken',
  'ClientRequestToken',
  '*.ClientRequestToken',
  'token',
  '*.token',
  // ioredis puts the failed command on its errors: after a failed AUTH that is the password.
  'err.command',
  '*.err.command',
  'command',
];

/**
 * An error as log fields: its name and message only. Never the error object itself: client libraries hang their
 * request on it (ioredis: the failed command, with the password after a failed AUTH).
 */
export function errorFields(err: unknown): { errorName: string; errorMessage: string } {
  if (err instanceof Error) return { errorName: err.name, errorMessage: err.message };
  return { errorName: 'Error', errorMessage: String(err) };
}

export { LOG_LEVELS, type LogLevel } from './log-levels.js';

/**
 * The root logger: one JSON object per line, ISO time, errors as `errorName`/`errorMessage` (`errorFields`),
 * secrets redacted. `pretty` renders the same lines (same events, same fields, same redaction) for a person at a
 * terminal.
 */
export function createLogger(
  opts: { level?: LogLevel; destination?: DestinationStream; format?: 'json' | 'pretty' } = {},
): Logger {
  const destination =
    opts.destination ??
    (opts.format === 'pretty'
      ? pretty({
          sync: true,
          translateTime: 'SYS:HH:MM:ss.l',
          ignore: 'service,pid,hostname',
          messageKey: 'msg',
          messageFormat: '{event} {msg}',
        })
      : undefined);
  return pino(
    {
      level: opts.level ?? 'info',
      base: { service: 'fsx-dr' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

/**
 * Logs one catalogued event (src/log-events.ts) at its catalogued level. The only way an `event` gets into a log
 * line, so the README's table, the level and the fields cannot drift from the code.
 */
export function logEvent<N extends LogEventName>(
  log: Logger,
  name: N,
  fields: LogEventFields<N>,
  msg: string,
): void {
  const line: Record<string, unknown> = { event: name, ...fields };
  log[LOG_EVENTS[name].level](line, msg);
}
