import { pino, type DestinationStream, type Logger } from 'pino';

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
];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The root logger: one JSON object per line, ISO time, `err` for errors, secrets redacted. */
export function createLogger(opts: { level?: LogLevel; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: opts.level ?? 'info',
      base: { service: 'fsx-dr' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    opts.destination,
  );
}
