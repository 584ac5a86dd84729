import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { createLogger } from '../../src/log.js';

export type LoggedLine = Record<string, unknown> & { event?: string };

/** The service's own logger (same redaction, same shape), writing its JSON lines into an array a test reads. */
export function memoryLogger(): { logger: Logger; lines: LoggedLine[]; text: () => string } {
  const lines: LoggedLine[] = [];
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) {
        if (line === '') continue;
        raw.push(line);
        lines.push(JSON.parse(line) as LoggedLine);
      }
      done();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), lines, text: () => raw.join('\n') };
}
