/**
 * Timestamp rendering as Go's metav1.Time (RFC 3339, whole seconds, always UTC with `Z`:
 * `2024-01-02T03:04:05Z`) and metav1.MicroTime (six fractional digits: `2024-01-02T03:04:05.000000Z`),
 * per k8s.io/apimachinery/pkg/apis/meta/v1/time.go and micro_time.go (MarshalJSON).
 */

/** Accepts epoch milliseconds or a Date. */
export type TimeInput = number | Date;

function toDate(t: TimeInput): Date {
  return typeof t === 'number' ? new Date(t) : t;
}

/** metav1.Time: RFC 3339 truncated to the second (Go truncates; it never rounds). */
export function formatTime(t: TimeInput): string {
  const iso = toDate(t).toISOString(); // 2024-01-02T03:04:05.678Z
  return `${iso.slice(0, 19)}Z`;
}

/**
 * metav1.MicroTime: RFC 3339 with microseconds. JavaScript clocks give milliseconds, so the last
 * three digits are zero unless `micros` (0–999, the sub-millisecond part) is supplied.
 */
export function formatMicroTime(t: TimeInput, micros = 0): string {
  const iso = toDate(t).toISOString();
  const us = Math.max(0, Math.min(999, Math.trunc(micros)));
  return `${iso.slice(0, 23)}${String(us).padStart(3, '0')}Z`;
}

/**
 * Parses an RFC 3339 timestamp (as metav1.Time.UnmarshalJSON, which accepts any offset and
 * fractional seconds) to epoch milliseconds; returns undefined if it is not RFC 3339.
 */
export function parseTime(s: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.exec(s);
  if (!m) return undefined;
  const ms = Date.parse(s.toUpperCase());
  return Number.isNaN(ms) ? undefined : ms;
}

/** Re-render any RFC 3339 timestamp at second precision in UTC (what a round trip through metav1.Time does). */
export function normalizeTime(s: string): string | undefined {
  const ms = parseTime(s);
  return ms === undefined ? undefined : formatTime(ms);
}
