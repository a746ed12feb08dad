/**
 * The CEL functions keks supports: the standard library parts real CRDs use (size, type
 * conversions, string predicates, matches) plus the Kubernetes extension libraries' string
 * and list functions (k8s.io/apiserver/pkg/cel/library: strings ext, regex find/findAll,
 * lists isSorted/sum/min/max/indexOf). Names outside FUNCTIONS are rejected at CRD creation.
 */
import { CelDuration, CelEvalError, CelTimestamp, CelUint, type CelValue } from './ast.js';

type Fn = (target: CelValue | undefined, args: CelValue[]) => CelValue;

export function typeName(v: CelValue): string {
  if (v === null) return 'null_type';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'double';
  if (typeof v === 'string') return 'string';
  if (v instanceof CelUint) return 'uint';
  if (v instanceof CelDuration) return 'google.protobuf.Duration';
  if (v instanceof CelTimestamp) return 'google.protobuf.Timestamp';
  if (Array.isArray(v)) return 'list';
  return 'map';
}

function noOverload(name: string, ...vs: CelValue[]): CelEvalError {
  return new CelEvalError(`no such overload: ${name}(${vs.map(typeName).join(', ')})`);
}

function str(name: string, v: CelValue | undefined): string {
  if (typeof v !== 'string') throw noOverload(name, v ?? null);
  return v;
}

/** RE2 syntax as JS RegExp (the subset CRDs use is shared; (?i) leading flag is translated). */
export function re2(pattern: string): RegExp {
  let flags = 'u';
  let p = pattern;
  const m = /^\(\?([ims]+)\)/.exec(p);
  if (m) { p = p.slice(m[0].length); if (m[1].includes('i')) flags += 'i'; if (m[1].includes('s')) flags += 's'; if (m[1].includes('m')) flags += 'm'; }
  try {
    return new RegExp(p, flags);
  } catch {
    try { return new RegExp(p, flags.replace('u', '')); } catch (e) { throw new CelEvalError(`invalid regex: ${(e as Error).message}`); }
  }
}

/** Go duration strings ("1h30m", "500ms"), as time.ParseDuration. */
export function parseDuration(s: string): bigint {
  const units: Record<string, bigint> = { ns: 1n, us: 1000n, 'µs': 1000n, ms: 1000000n, s: 1000000000n, m: 60000000000n, h: 3600000000000n };
  const m = /^([-+]?)((?:[0-9.]+(?:ns|us|µs|ms|s|m|h))+|0)$/.exec(s);
  if (!m) throw new CelEvalError(`invalid duration: ${JSON.stringify(s)}`);
  let total = 0n;
  for (const part of m[2].matchAll(/([0-9.]+)(ns|us|µs|ms|s|m|h)/g)) {
    total += BigInt(Math.round(Number(part[1]) * Number(units[part[2]])));
  }
  return m[1] === '-' ? -total : total;
}

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

export function checkInt(v: bigint): bigint {
  if (v < I64_MIN || v > I64_MAX) throw new CelEvalError('integer overflow');
  return v;
}

function toInt(v: CelValue): bigint {
  if (typeof v === 'bigint') return v;
  if (v instanceof CelUint) return checkInt(v.v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new CelEvalError('double out of int range');
    return checkInt(BigInt(Math.trunc(v)));
  }
  if (typeof v === 'string') {
    if (!/^[-+]?[0-9]+$/.test(v)) throw new CelEvalError(`type conversion error from 'string' to 'int'`);
    return checkInt(BigInt(v));
  }
  if (v instanceof CelTimestamp) return BigInt(Math.floor(v.ms / 1000));
  throw noOverload('int', v);
}

function toStringValue(v: CelValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return String(v);
  if (v instanceof CelUint) return String(v.v);
  if (v instanceof CelDuration) return `${Number(v.ns) / 1e9}s`;
  if (v instanceof CelTimestamp) return new Date(v.ms).toISOString().replace('.000Z', 'Z');
  throw noOverload('string', v);
}

function list(name: string, v: CelValue | undefined): CelValue[] {
  if (!Array.isArray(v)) throw noOverload(name, v ?? null);
  return v;
}

export function celSize(v: CelValue): bigint {
  if (typeof v === 'string') return BigInt([...v].length);
  if (Array.isArray(v)) return BigInt(v.length);
  if (v !== null && typeof v === 'object' && !(v instanceof CelUint) && !(v instanceof CelDuration) && !(v instanceof CelTimestamp)) return BigInt(Object.keys(v).length);
  throw noOverload('size', v);
}

export function compareValues(a: CelValue, b: CelValue): number {
  const na = typeof a === 'bigint' || typeof a === 'number' || a instanceof CelUint;
  const nb = typeof b === 'bigint' || typeof b === 'number' || b instanceof CelUint;
  if (na && nb) {
    const x = a instanceof CelUint ? a.v : a as bigint | number;
    const y = b instanceof CelUint ? b.v : b as bigint | number;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (a instanceof CelDuration && b instanceof CelDuration) return a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0;
  if (a instanceof CelTimestamp && b instanceof CelTimestamp) return a.ms - b.ms;
  throw new CelEvalError(`no such overload: ${typeName(a)} < ${typeName(b)}`);
}

function parseTimestamp(s: string): CelTimestamp {
  const ms = Date.parse(s);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(s) || Number.isNaN(ms)) throw new CelEvalError(`invalid timestamp: ${JSON.stringify(s)}`);
  return new CelTimestamp(ms);
}

export const FUNCTIONS: Record<string, Fn> = {
  size: (t, a) => celSize(t ?? a[0]),
  int: (_t, a) => toInt(a[0]),
  uint: (_t, a) => { const i = toInt(a[0]); if (i < 0n) throw new CelEvalError('uint overflow'); return new CelUint(i); },
  double: (_t, a) => {
    const v = a[0];
    if (typeof v === 'number') return v;
    if (typeof v === 'bigint') return Number(v);
    if (v instanceof CelUint) return Number(v.v);
    if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
    throw noOverload('double', v);
  },
  string: (_t, a) => toStringValue(a[0]),
  bool: (_t, a) => {
    const v = a[0];
    if (typeof v === 'boolean') return v;
    if (typeof v === 'string' && ['true', 'false', 'True', 'False', 'TRUE', 'FALSE', 't', 'f', '1', '0'].includes(v)) return ['true', 'True', 'TRUE', 't', '1'].includes(v);
    throw noOverload('bool', v);
  },
  dyn: (_t, a) => a[0],
  duration: (_t, a) => {
    if (a[0] instanceof CelDuration) return a[0];
    return new CelDuration(parseDuration(str('duration', a[0])));
  },
  timestamp: (_t, a) => (a[0] instanceof CelTimestamp ? a[0] : parseTimestamp(str('timestamp', a[0]))),
  startsWith: (t, a) => str('startsWith', t).startsWith(str('startsWith', a[0])),
  endsWith: (t, a) => str('endsWith', t).endsWith(str('endsWith', a[0])),
  contains: (t, a) => str('contains', t).includes(str('contains', a[0])),
  matches: (t, a) => (t === undefined ? re2(str('matches', a[1])).test(str('matches', a[0])) : re2(str('matches', a[0])).test(str('matches', t))),
  find: (t, a) => re2(str('find', a[0])).exec(str('find', t))?.[0] ?? '',
  findAll: (t, a) => {
    const all = [...str('findAll', t).matchAll(new RegExp(re2(str('findAll', a[0])).source, 'gu'))].map((m) => m[0]);
    return a.length > 1 ? all.slice(0, Number(a[1])) : all;
  },
  split: (t, a) => {
    const parts = str('split', t).split(str('split', a[0]));
    if (a.length > 1) {
      const n = Number(a[1]);
      if (n === 0) return [];
      if (n > 0 && parts.length > n) return [...parts.slice(0, n - 1), parts.slice(n - 1).join(str('split', a[0]))];
    }
    return parts;
  },
  lowerAscii: (t) => str('lowerAscii', t).replace(/[A-Z]/g, (c) => c.toLowerCase()),
  upperAscii: (t) => str('upperAscii', t).replace(/[a-z]/g, (c) => c.toUpperCase()),
  trim: (t) => str('trim', t).trim(),
  replace: (t, a) => {
    const s = str('replace', t);
    const from = str('replace', a[0]);
    const to = str('replace', a[1]);
    if (a.length < 3 || Number(a[2]) < 0) return s.split(from).join(to);
    const parts = s.split(from);
    const n = Number(a[2]);
    return parts.slice(0, n + 1).join(to) + (parts.length > n + 1 ? from + parts.slice(n + 1).join(from) : '');
  },
  substring: (t, a) => {
    const cps = [...str('substring', t)];
    const start = Number(a[0]);
    const end = a.length > 1 ? Number(a[1]) : cps.length;
    if (start < 0 || end > cps.length || start > end) throw new CelEvalError(`index out of range: ${start}`);
    return cps.slice(start, end).join('');
  },
  charAt: (t, a) => [...str('charAt', t)][Number(a[0])] ?? '',
  indexOf: (t, a) => {
    if (Array.isArray(t)) return BigInt(t.findIndex((x) => celEquals(x, a[0])));
    return BigInt(str('indexOf', t).indexOf(str('indexOf', a[0])));
  },
  lastIndexOf: (t, a) => {
    if (Array.isArray(t)) { for (let i = t.length - 1; i >= 0; i--) if (celEquals(t[i], a[0])) return BigInt(i); return -1n; }
    return BigInt(str('lastIndexOf', t).lastIndexOf(str('lastIndexOf', a[0])));
  },
  join: (t, a) => list('join', t).map((x) => str('join', x)).join(a.length ? str('join', a[0]) : ''),
  isSorted: (t) => { const l = list('isSorted', t); for (let i = 1; i < l.length; i++) if (compareValues(l[i - 1], l[i]) > 0) return false; return true; },
  sum: (t) => list('sum', t).reduce<CelValue>((acc, x) => (typeof acc === 'number' || typeof x === 'number' ? Number(acc) + Number(x) : (acc as bigint) + (x as bigint)), 0n),
  min: (t) => { const l = list('min', t); if (!l.length) throw new CelEvalError('min called on empty list'); return l.reduce((m, x) => (compareValues(x, m) < 0 ? x : m)); },
  max: (t) => { const l = list('max', t); if (!l.length) throw new CelEvalError('max called on empty list'); return l.reduce((m, x) => (compareValues(x, m) > 0 ? x : m)); },
  getSeconds: (t) => { if (t instanceof CelDuration) return t.ns / 1000000000n; if (t instanceof CelTimestamp) return BigInt(new Date(t.ms).getUTCSeconds()); throw noOverload('getSeconds', t ?? null); },
  getMilliseconds: (t) => { if (t instanceof CelDuration) return t.ns / 1000000n; if (t instanceof CelTimestamp) return BigInt(new Date(t.ms).getUTCMilliseconds()); throw noOverload('getMilliseconds', t ?? null); },
  getMinutes: (t) => { if (t instanceof CelDuration) return t.ns / 60000000000n; if (t instanceof CelTimestamp) return BigInt(new Date(t.ms).getUTCMinutes()); throw noOverload('getMinutes', t ?? null); },
  getHours: (t) => { if (t instanceof CelDuration) return t.ns / 3600000000000n; if (t instanceof CelTimestamp) return BigInt(new Date(t.ms).getUTCHours()); throw noOverload('getHours', t ?? null); },
};

/** Which functions may be called as a method (`x.f()`) and which as globals (`f(x)`). */
export const GLOBAL_FUNCTIONS = new Set(['size', 'int', 'uint', 'double', 'string', 'bool', 'dyn', 'duration', 'timestamp', 'matches']);

export function celEquals(a: CelValue, b: CelValue): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  const num = (v: CelValue) => typeof v === 'bigint' || typeof v === 'number' || v instanceof CelUint;
  if (num(a) && num(b)) return compareValues(a, b) === 0;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => celEquals(x, b[i]));
  if (a instanceof CelDuration) return b instanceof CelDuration && a.ns === b.ns;
  if (a instanceof CelTimestamp) return b instanceof CelTimestamp && a.ms === b.ms;
  if (typeof a === 'object' && typeof b === 'object' && !Array.isArray(b) && !(b instanceof CelUint) && !(b instanceof CelDuration) && !(b instanceof CelTimestamp)) {
    const ka = Object.keys(a);
    const ob = b as Record<string, CelValue>;
    return ka.length === Object.keys(ob).length && ka.every((k) => k in ob && celEquals((a as Record<string, CelValue>)[k], ob[k]));
  }
  return false;
}
