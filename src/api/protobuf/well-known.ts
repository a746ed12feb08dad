/**
 * JSON forms of the apimachinery types whose Go JSON is not their proto shape:
 * meta/v1 Time, MicroTime and Duration (k8s.io/apimachinery/pkg/apis/meta/v1/{time,micro_time,duration}.go)
 * and Go's time.Duration.String / time.ParseDuration. Pure functions, no protobuf dependency.
 */
import { ProtobufDecodeError } from './errors.js';

/** Seconds + nanos as protobufjs hands them over (int64 may arrive as a Long-like object). */
export type Int64 = number | { toNumber(): number };

export function int64ToNumber(v: Int64 | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'number' ? v : v.toNumber();
}

const MAX_SECONDS = 253402300799; // 9999-12-31T23:59:59Z: Go's RFC3339 formatting is only meaningful up to year 9999
const MIN_SECONDS = -62135596800; // 0001-01-01T00:00:00Z (Go's zero time)

function normalise(seconds: number, nanos: number): [number, number] {
  let s = seconds + Math.floor(nanos / 1e9);
  let n = nanos % 1e9;
  if (n < 0) { n += 1e9; s -= 1; }
  if (!Number.isFinite(s) || s > MAX_SECONDS || s < MIN_SECONDS) throw new ProtobufDecodeError(`time out of range: ${seconds}s`);
  return [s, n];
}

function isoSeconds(seconds: number): string {
  // Date covers years 1..9999 exactly; toISOString gives YYYY-MM-DDTHH:MM:SS.sssZ.
  return new Date(seconds * 1000).toISOString().slice(0, 19);
}

/** metav1.Time → RFC3339 with whole seconds in UTC (`2024-01-02T03:04:05Z`), as Time.MarshalJSON. */
export function formatTime(seconds: number, nanos: number): string {
  const [s] = normalise(seconds, nanos);
  return `${isoSeconds(s)}Z`;
}

/** metav1.MicroTime → RFC3339 with exactly six fractional digits (`RFC3339Micro`). */
export function formatMicroTime(seconds: number, nanos: number): string {
  const [s, n] = normalise(seconds, nanos);
  return `${isoSeconds(s)}.${String(Math.floor(n / 1000)).padStart(6, '0')}Z`;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;

/** Parses an RFC3339 timestamp (as Go's time.Parse(time.RFC3339)) into seconds + nanos since the epoch. */
export function parseTime(text: string): { seconds: number; nanos: number } {
  const m = RFC3339.exec(text);
  if (!m) throw new ProtobufDecodeError(`invalid RFC3339 time ${JSON.stringify(text)}`);
  const [, y, mo, d, h, mi, s, frac = '', zone = 'Z'] = m;
  const base = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  let offset = 0;
  if (zone !== 'Z' && zone !== 'z') offset = (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 3600 + Number(zone.slice(4, 6)) * 60);
  // Date.UTC maps years 0..99 to 1900+; correct with setUTCFullYear semantics.
  const date = new Date(base);
  date.setUTCFullYear(Number(y));
  return { seconds: Math.floor(date.getTime() / 1000) - offset, nanos: frac ? Number(frac.padEnd(9, '0')) : 0 };
}

// ---- Go time.Duration ------------------------------------------------------------------------

/** Formats v / 10**prec with trailing zeros (and the dot, if nothing is left) trimmed, as Go's fmtFrac. */
function fraction(v: bigint, prec: number): [string, bigint] {
  let digits = '';
  let print = false;
  for (let i = 0; i < prec; i++) {
    const digit = v % 10n;
    print ||= digit !== 0n;
    if (print) digits = digit.toString() + digits;
    v /= 10n;
  }
  return [print ? `.${digits}` : '', v];
}

/** Go's time.Duration.String: `1h2m3.5s`, `1.5ms`, `0s`. */
export function formatDuration(nanoseconds: Int64 | bigint): string {
  let u = typeof nanoseconds === 'bigint' ? nanoseconds : BigInt(int64ToNumber(nanoseconds));
  const neg = u < 0n;
  if (neg) u = -u;
  let out: string;
  if (u < 1_000_000_000n) {
    if (u === 0n) return '0s';
    const [prec, unit] = u < 1000n ? [0, 'ns'] : u < 1_000_000n ? [3, 'µs'] : [6, 'ms'];
    const [frac, whole] = fraction(u, prec);
    out = `${whole}${frac}${unit}`;
  } else {
    const [frac, secs] = fraction(u, 9);
    out = `${secs % 60n}${frac}s`;
    const mins = secs / 60n;
    if (mins > 0n) {
      out = `${mins % 60n}m${out}`;
      const hours = mins / 60n;
      if (hours > 0n) out = `${hours}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}

const UNIT_NANOS: Record<string, bigint> = {
  ns: 1n, us: 1000n, 'µs': 1000n, 'μs': 1000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n,
};

/** Go's time.ParseDuration (`300ms`, `-1.5h`, `2h45m`), in nanoseconds. */
export function parseDuration(text: string): bigint {
  const m = /^([-+]?)(.*)$/s.exec(text) as RegExpExecArray;
  let rest = m[2] as string;
  if (rest === '0') return 0n;
  if (rest === '') throw new ProtobufDecodeError(`invalid duration ${JSON.stringify(text)}`);
  let total = 0n;
  while (rest !== '') {
    const part = /^(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/.exec(rest);
    if (!part || (part[1] === '' && !part[2])) throw new ProtobufDecodeError(`invalid duration ${JSON.stringify(text)}`);
    const unit = UNIT_NANOS[part[3] as string] as bigint;
    const frac = part[2] ?? '';
    total += BigInt(part[1] || '0') * unit + (frac ? (BigInt(frac) * unit) / 10n ** BigInt(frac.length) : 0n);
    rest = rest.slice(part[0].length);
  }
  return m[1] === '-' ? -total : total;
}

// ---- bytes -------------------------------------------------------------------------------------

/** `[]byte` → standard base64 with padding, as encoding/json. */
export function bytesToBase64(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
}

export function base64ToBytes(text: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) throw new ProtobufDecodeError(`illegal base64 data ${JSON.stringify(text.slice(0, 32))}`);
  return Buffer.from(text, 'base64');
}
