/**
 * Structured logs (pino, JSON lines on stderr). Secrets never go into log fields: request logs
 * carry method, path, user name, status and duration only — no headers, no bodies.
 *
 * pino is loaded on the first line actually written, not at start-up: importing it (≈ 25 module
 * files) costs ≈ 20–30 ms, and at the default level `keks start` writes nothing until it stops.
 * Until then the logger is a stand-in that knows its level and bindings: calls below the level are
 * dropped without loading anything, `child()` records bindings, `isLevelEnabled` answers from the
 * level; the first enabled call (or any other pino property) creates the real pino logger — and
 * the child chain, with the same options and bindings — and forwards to it, so every line is
 * exactly what pino writes.
 */
import { createRequire } from 'node:module';
import type * as Pino from 'pino';

export type Logger = Pino.Logger;
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** pino's level values. */
const LEVEL_VALUES: Readonly<Record<string, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

const requireCjs = createRequire(import.meta.url);
let pinoModule: typeof Pino | undefined;
function pino(): typeof Pino {
  return (pinoModule ??= requireCjs('pino') as typeof Pino);
}

const noop = (): void => undefined;

/**
 * A Logger that creates its pino logger (`make`) on first need. `level` is the level it starts
 * with (a child's is its parent's unless given).
 */
function lazyLogger(make: () => Logger, level: () => string): Logger {
  let real: Logger | undefined;
  let ownLevel: string | undefined;
  const get = (): Logger => {
    if (!real) {
      real = make();
      if (ownLevel !== undefined) real.level = ownLevel;
    }
    return real;
  };
  const current = (): string => (real ? real.level : ownLevel ?? level());
  const threshold = (): number => LEVEL_VALUES[current()] ?? LEVEL_VALUES.info;
  return new Proxy({} as Logger, {
    get(_target, prop) {
      if (typeof prop === 'string' && prop !== 'silent' && prop in LEVEL_VALUES) {
        if (!real && LEVEL_VALUES[prop] < threshold()) return noop;
        return (...args: unknown[]) => (get()[prop as 'info'] as (...a: unknown[]) => void)(...args);
      }
      if (!real) {
        if (prop === 'level') return current();
        if (prop === 'isLevelEnabled') return (l: string) => (LEVEL_VALUES[l] ?? Infinity) >= threshold();
        if (prop === 'child') {
          return (bindings: Pino.Bindings, opts?: Pino.ChildLoggerOptions) =>
            lazyLogger(() => get().child(bindings, opts), () => (typeof opts?.level === 'string' ? opts.level : current()));
        }
      }
      const r = get() as unknown as Record<string | symbol, unknown>;
      const v = r[prop];
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(r) : v;
    },
    set(_target, prop, value: unknown) {
      if (prop === 'level' && !real) { ownLevel = String(value); return true; }
      (get() as unknown as Record<string | symbol, unknown>)[prop] = value;
      return true;
    },
  });
}

export function createLogger(level: LogLevel = 'info', name = 'keks'): Logger {
  return lazyLogger(() => {
    const p = pino();
    return p.pino({ name, level, base: undefined, timestamp: p.stdTimeFunctions.isoTime }, p.destination({ fd: 2, sync: false }));
  }, () => level);
}

export const silentLogger: Logger = lazyLogger(() => pino().pino({ level: 'silent' }), () => 'silent');
