/**
 * The log levels `LOG_LEVEL` accepts (pino's). Apart from the logger so that the environment can be validated
 * without loading pino: src/config stays pure.
 */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
