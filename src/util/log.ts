/**
 * Structured logs (pino, JSON lines on stderr). Secrets never go into log fields: request logs
 * carry method, path, user name, status and duration only — no headers, no bodies.
 */
import { pino, destination, stdTimeFunctions, type Logger } from 'pino';

export type { Logger };
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export function createLogger(level: LogLevel = 'info', name = 'keks'): Logger {
  return pino({ name, level, base: undefined, timestamp: stdTimeFunctions.isoTime }, destination({ fd: 2, sync: false }));
}

export const silentLogger: Logger = pino({ level: 'silent' });
