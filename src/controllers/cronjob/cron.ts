/**
 * Cron schedules as the CronJob controller evaluates them (github.com/robfig/cron/v3
 * ParseStandard + SpecSchedule.Next): five fields minute hour day-of-month month day-of-week,
 * `*`/`?`, ranges, steps, lists, month/day names, the descriptors @yearly/@annually/@monthly/
 * @weekly/@daily/@midnight/@hourly and `@every <duration>`, evaluated in an IANA time zone
 * (through Intl). Day matching: when day-of-month or day-of-week is a bare `*` (the "star bit"),
 * both must match, else either. Next() walks the wall clock the way robfig does, stepping hours
 * and minutes in absolute time, so a time skipped by a DST jump does not run that day and a
 * repeated hour runs twice.
 */

interface Bounds { min: number; max: number; names?: Record<string, number> }

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DOWS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const MINUTE: Bounds = { min: 0, max: 59 };
const HOUR: Bounds = { min: 0, max: 23 };
const DOM: Bounds = { min: 1, max: 31 };
const MONTH: Bounds = { min: 1, max: 12, names: MONTHS };
const DOW: Bounds = { min: 0, max: 6, names: DOWS };

/** A field: the allowed values, and whether it was written as a bare `*`/`?` (robfig's starBit). */
export interface CronField { values: Set<number>; star: boolean }

export interface CronSchedule {
  kind: 'spec';
  minute: CronField; hour: CronField; dom: CronField; month: CronField; dow: CronField;
  timeZone: string;
}
export interface EverySchedule { kind: 'every'; delayMs: number }
export type Schedule = CronSchedule | EverySchedule;

function num(expr: string, names?: Record<string, number>): number {
  const n = names?.[expr.toLowerCase()];
  if (n !== undefined) return n;
  if (!/^\d+$/.test(expr)) throw new Error(`failed to parse int from ${expr}`);
  return Number(expr);
}

function parseRange(expr: string, b: Bounds, into: Set<number>): boolean {
  const [rangePart, stepPart, extra] = expr.split('/');
  if (extra !== undefined) throw new Error(`too many slashes: ${expr}`);
  const lh = (rangePart ?? '').split('-');
  let start: number;
  let end: number;
  let star = false;
  if (lh[0] === '*' || lh[0] === '?') { start = b.min; end = b.max; star = true; }
  else {
    if (lh.length > 2) throw new Error(`too many hyphens: ${expr}`);
    start = num(lh[0] ?? '', b.names);
    end = lh.length === 2 ? num(lh[1] ?? '', b.names) : start;
  }
  let step = 1;
  if (stepPart !== undefined) {
    step = num(stepPart);
    if (lh.length === 1 && !star) end = b.max;
  }
  if (start < b.min) throw new Error(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max) throw new Error(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end) throw new Error(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new Error(`step of range should be a positive number: ${expr}`);
  for (let i = start; i <= end; i += step) into.add(i);
  return star && step <= 1;
}

function parseField(expr: string, b: Bounds): CronField {
  const values = new Set<number>();
  let star = false;
  for (const part of expr.split(',')) if (parseRange(part, b, values)) star = true;
  return { values, star };
}

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go time.ParseDuration (positive durations). */
function parseGoDuration(s: string): number {
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let m: RegExpExecArray | null;
  let pos = 0;
  while ((m = re.exec(s))) { total += Number(m[1]) * (UNITS[m[2] as string] as number); pos = re.lastIndex; }
  if (pos !== s.length || s.length === 0) throw new Error(`time: invalid duration ${JSON.stringify(s)}`);
  return total;
}

/** cron.ParseStandard, in `timeZone` (IANA; a `TZ=`/`CRON_TZ=` prefix overrides it). Throws on errors. */
export function parseSchedule(specIn: string, timeZone = 'UTC'): Schedule {
  let spec = specIn.trim();
  let tz = timeZone;
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const i = spec.indexOf(' ');
    tz = spec.slice(spec.indexOf('=') + 1, i < 0 ? undefined : i);
    spec = i < 0 ? '' : spec.slice(i).trim();
  }
  if (!isValidTimeZone(tz)) throw new Error(`provided bad location ${tz}: unknown time zone ${tz}`);
  if (spec.startsWith('@every ')) {
    const ms = parseGoDuration(spec.slice(7).trim());
    return { kind: 'every', delayMs: Math.max(1000, Math.floor(ms / 1000) * 1000) };
  }
  if (spec.startsWith('@')) {
    const d = DESCRIPTORS[spec];
    if (!d) throw new Error(`unrecognized descriptor: ${spec}`);
    spec = d;
  }
  const f = spec.split(/\s+/).filter(Boolean);
  if (f.length !== 5) throw new Error(`expected exactly 5 fields, found ${f.length}: ${spec}`);
  return {
    kind: 'spec', timeZone: tz,
    minute: parseField(f[0] as string, MINUTE), hour: parseField(f[1] as string, HOUR), dom: parseField(f[2] as string, DOM),
    month: parseField(f[3] as string, MONTH), dow: parseField(f[4] as string, DOW),
  };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

export function isValidTimeZone(tz: string): boolean {
  if (tz === 'UTC' || tz === 'Local' || tz === '') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Wall-clock fields of `ms` in `tz`. */
export interface Wall { year: number; month: number; day: number; hour: number; minute: number; second: number; weekday: number }

export function wallTime(ms: number, tz: string): Wall {
  if (tz === 'UTC' || tz === '' || tz === 'Local') {
    const d = new Date(ms);
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), weekday: d.getUTCDay() };
  }
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(tz, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(ms))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const w = { year: p.year as number, month: p.month as number, day: p.day as number, hour: (p.hour as number) % 24, minute: p.minute as number, second: p.second as number, weekday: 0 };
  w.weekday = new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay();
  return w;
}

/** UTC offset of `tz` at `ms`, in ms (east positive). */
export function offsetAt(ms: number, tz: string): number {
  const w = wallTime(ms, tz);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(ms / 1000) * 1000;
}

/** time.Date(y, mo, d, h, mi, s, 0, tz): normalises overflowing fields; a wall time in a DST gap moves forward. */
export function fromWall(year: number, month: number, day: number, hour: number, minute: number, second: number, tz: string): number {
  const guess = Date.UTC(year, month - 1, day, hour, minute, second);
  const o1 = offsetAt(guess, tz);
  const t = guess - o1;
  const o2 = offsetAt(t, tz);
  return o1 === o2 ? t : guess - o2;
}

/** RFC 3339 in `tz` (Go's time.RFC3339: `Z` for UTC, else ±hh:mm). */
export function formatRfc3339In(ms: number, tz: string): string {
  const w = wallTime(ms, tz);
  const off = Math.round(offsetAt(ms, tz) / 60_000);
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const base = `${String(w.year).padStart(4, '0')}-${p2(w.month)}-${p2(w.day)}T${p2(w.hour)}:${p2(w.minute)}:${p2(w.second)}`;
  if (off === 0 && (tz === 'UTC' || tz === '' || tz === 'Local')) return `${base}Z`;
  const sign = off < 0 ? '-' : '+';
  return `${base}${sign}${p2(Math.floor(Math.abs(off) / 60))}:${p2(Math.abs(off) % 60)}`;
}

function dayMatches(s: CronSchedule, w: Wall): boolean {
  const dom = s.dom.values.has(w.day);
  const dow = s.dow.values.has(w.weekday);
  return s.dom.star || s.dow.star ? dom && dow : dom || dow;
}

/** Schedule.Next: the first activation strictly after `afterMs` (whole seconds), or undefined within 5 years. */
export function nextAfter(s: Schedule, afterMs: number): number | undefined {
  if (s.kind === 'every') return Math.floor(afterMs / 1000) * 1000 + s.delayMs;
  const tz = s.timeZone;
  let t = Math.floor(afterMs / 1000) * 1000 + 1000;
  let added = false;
  const yearLimit = wallTime(t, tz).year + 5;
  for (let guard = 0; guard < 100_000; guard++) {
    let w = wallTime(t, tz);
    if (w.year > yearLimit) return undefined;
    let wrap = false;
    while (!s.month.values.has(w.month)) {
      if (!added) { added = true; t = fromWall(w.year, w.month, 1, 0, 0, 0, tz); w = wallTime(t, tz); }
      t = fromWall(w.year, w.month + 1, 1, 0, 0, 0, tz);
      w = wallTime(t, tz);
      if (w.month === 1) { wrap = true; break; }
    }
    if (wrap) continue;
    while (!dayMatches(s, w)) {
      if (!added) { added = true; t = fromWall(w.year, w.month, w.day, 0, 0, 0, tz); w = wallTime(t, tz); }
      t = fromWall(w.year, w.month, w.day + 1, 0, 0, 0, tz);
      w = wallTime(t, tz);
      if (w.hour !== 0) { t += (w.hour > 12 ? 24 - w.hour : -w.hour) * 3_600_000; w = wallTime(t, tz); }
      if (w.day === 1) { wrap = true; break; }
    }
    if (wrap) continue;
    while (!s.hour.values.has(w.hour)) {
      if (!added) { added = true; t = fromWall(w.year, w.month, w.day, w.hour, 0, 0, tz); }
      t += 3_600_000;
      w = wallTime(t, tz);
      if (w.hour === 0) { wrap = true; break; }
    }
    if (wrap) continue;
    while (!s.minute.values.has(w.minute)) {
      if (!added) { added = true; t = Math.floor(t / 60_000) * 60_000; }
      t += 60_000;
      w = wallTime(t, tz);
      if (w.minute === 0) { wrap = true; break; }
    }
    if (wrap) continue;
    if (w.second !== 0) {
      // Seconds must be 0 (ParseStandard): move to the next minute and look again.
      if (!added) added = true;
      t = Math.floor(t / 60_000) * 60_000 + 60_000;
      continue;
    }
    return t;
  }
  return undefined;
}
