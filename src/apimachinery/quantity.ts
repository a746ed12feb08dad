/**
 * resource.Quantity, as k8s.io/apimachinery/pkg/api/resource (quantity.go, suffix.go, amount.go):
 * parsing with the same scanner and errors, the same rounding (values finer than 1n are rounded
 * up, away from zero; BinarySI values are capped at 2^63-1), the canonical string form
 * (`1.5Gi` → `1536Mi`, `0.5` → `500m`, `1e3` → `1e3`) and exact comparisons.
 *
 * A quantity is held exactly as `mantissa × 10^exponent` with a BigInt mantissa, plus the format
 * its suffix chose (which only affects the canonical string).
 */

export type QuantityFormat = 'DecimalExponent' | 'BinarySI' | 'DecimalSI';

export interface Quantity {
  readonly mantissa: bigint;
  readonly exponent: number;
  readonly format: QuantityFormat;
}

export const QUANTITY_SPLIT_RE = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
export const ERR_FORMAT_WRONG = `quantities must match the regular expression '${QUANTITY_SPLIT_RE}'`;
export const ERR_NUMERIC = 'unable to parse numeric part of quantity';
export const ERR_SUFFIX = "unable to parse quantity's suffix";

export class QuantityParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuantityParseError';
  }
}

const DEC_SUFFIX: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BIN_SUFFIX: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DEC_BY_EXP = new Map(Object.entries(DEC_SUFFIX).map(([k, v]) => [v, k]));
const BIN_BY_EXP = new Map<number, string>([[0, ''], ...Object.entries(BIN_SUFFIX).map(([k, v]) => [v, k] as [number, string])]);
const INT64_MAX = (1n << 63n) - 1n;
const NANO = -9;
const SUFFIX_CHARS = 'eEinumkKMGTP';

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

interface Scanned { positive: boolean; num: string; denom: string; suffix: string }

/** parseQuantityString: sign, leading zeros, integer digits, optional '.' + digits, suffix. */
function scan(str: string): Scanned {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (str[0] === '-') { positive = false; pos++; } else if (str[0] === '+') pos++;
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return { positive, num: '0', denom: '', suffix: '' };
  const numStart = pos;
  while (pos < end && isDigit(str[pos])) pos++;
  const num = str.slice(numStart, pos) || '0';
  let denom = '';
  if (pos < end && str[pos] === '.') {
    pos++;
    const ds = pos;
    while (pos < end && isDigit(str[pos])) pos++;
    denom = str.slice(ds, pos);
  }
  const suffixStart = pos;
  while (pos < end && SUFFIX_CHARS.includes(str[pos]!)) pos++;
  if (pos < end && (str[pos] === '-' || str[pos] === '+')) pos++;
  while (pos < end && isDigit(str[pos])) pos++;
  if (pos < end) throw new QuantityParseError(ERR_FORMAT_WRONG);
  return { positive, num, denom, suffix: str.slice(suffixStart) };
}

/** suffixHandler.interpret: base (10 or 2), exponent and format of a suffix. */
function interpret(s: string): { base: 10 | 2; exponent: number; format: QuantityFormat } | undefined {
  if (s in DEC_SUFFIX) return { base: 10, exponent: DEC_SUFFIX[s]!, format: 'DecimalSI' };
  if (s in BIN_SUFFIX) return { base: 2, exponent: BIN_SUFFIX[s]!, format: 'BinarySI' };
  if (s.length > 1 && (s[0] === 'e' || s[0] === 'E')) {
    const rest = s.slice(1);
    if (!/^[+-]?[0-9]+$/.test(rest)) return undefined;
    const n = Number(rest);
    if (!Number.isSafeInteger(n) || n > 2147483647 || n < -2147483648) return undefined;
    return { base: 10, exponent: n, format: 'DecimalExponent' };
  }
  return undefined;
}

const pow10 = (n: number): bigint => 10n ** BigInt(n);
const abs = (n: bigint): bigint => (n < 0n ? -n : n);

/** ParseQuantity. Throws QuantityParseError with upstream's messages. */
export function parseQuantity(input: string | number): Quantity {
  const str = typeof input === 'number' ? String(input) : input;
  if (str.length === 0) throw new QuantityParseError(ERR_FORMAT_WRONG);
  if (str === '0') return { mantissa: 0n, exponent: 0, format: 'DecimalSI' };
  const s = scan(str);
  const suf = interpret(s.suffix);
  if (!suf) throw new QuantityParseError(ERR_SUFFIX);
  let mantissa = BigInt(s.num + s.denom);
  let exponent = -s.denom.length;
  let format = suf.format;
  if (suf.base === 10) exponent += suf.exponent;
  else mantissa <<= BigInt(suf.exponent);
  // Round non-zero values up (away from zero) to 1n.
  if (mantissa !== 0n && exponent < NANO) {
    const d = pow10(NANO - exponent);
    let q = mantissa / d;
    if (mantissa % d !== 0n) q += 1n;
    mantissa = q;
    exponent = NANO;
  }
  if (format === 'BinarySI') {
    if (cmpAbs(mantissa, exponent, INT64_MAX, 0) > 0) { mantissa = INT64_MAX; exponent = 0; }
    if (mantissa !== 0n && cmpAbs(mantissa, exponent, 1n, 0) < 0) format = 'DecimalSI';
  }
  if (!s.positive) mantissa = -mantissa;
  return normalize({ mantissa, exponent, format });
}

/** Strips trailing decimal zeros into the exponent (value unchanged). */
function normalize(q: Quantity): Quantity {
  if (q.mantissa === 0n) return { mantissa: 0n, exponent: 0, format: q.format };
  let m = q.mantissa;
  let e = q.exponent;
  while (m % 10n === 0n) { m /= 10n; e++; }
  return { mantissa: m, exponent: e, format: q.format };
}

function cmpAbs(m1: bigint, e1: number, m2: bigint, e2: number): number {
  const e = Math.min(e1, e2);
  const a = abs(m1) * pow10(e1 - e);
  const b = abs(m2) * pow10(e2 - e);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Quantity.Cmp: -1, 0 or 1. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  const e = Math.min(a.exponent, b.exponent);
  const x = a.mantissa * pow10(a.exponent - e);
  const y = b.mantissa * pow10(b.exponent - e);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function quantitySign(q: Quantity): number {
  return q.mantissa < 0n ? -1 : q.mantissa > 0n ? 1 : 0;
}

export function isZeroQuantity(q: Quantity): boolean {
  return q.mantissa === 0n;
}

/** The value scaled to 10^scale, rounded up (away from zero), as Quantity.ScaledValue. */
export function scaledValue(q: Quantity, scale: number): bigint {
  const shift = q.exponent - scale;
  if (shift >= 0) return q.mantissa * pow10(shift);
  const d = pow10(-shift);
  let v = q.mantissa / d;
  if (q.mantissa % d !== 0n) v += q.mantissa < 0n ? -1n : 1n;
  return v;
}

/** Quantity.Value (rounded up to an integer). */
export function quantityValue(q: Quantity): bigint {
  return scaledValue(q, 0);
}

/** Quantity.MilliValue. */
export function quantityMilliValue(q: Quantity): bigint {
  return scaledValue(q, -3);
}

/** Quantity.String(): the canonical form (CanonicalizeBytes). */
export function formatQuantity(q: Quantity): string {
  if (q.mantissa === 0n) return '0';
  let format = q.format;
  if (format === 'BinarySI') {
    const small = cmpAbs(q.mantissa, q.exponent, 1024n, 0) < 0;
    const exactInt = q.exponent >= 0;
    if (small || !exactInt) format = 'DecimalSI';
  }
  if (format === 'BinarySI') {
    let n = q.mantissa * pow10(q.exponent);
    let exp = 0;
    while (n % 1024n === 0n && exp < 60) { n /= 1024n; exp += 10; }
    return `${n}${BIN_BY_EXP.get(exp) ?? ''}`;
  }
  let m = q.mantissa;
  let e = q.exponent;
  while (m % 10n === 0n) { m /= 10n; e++; }
  while (e % 3 !== 0) { m *= 10n; e--; }
  if (format === 'DecimalExponent') return e === 0 ? `${m}` : `${m}e${e}`;
  // DecimalSI beyond exa has no suffix of its own: keep the mantissa in E.
  if (e > 18) { m *= pow10(e - 18); e = 18; }
  return `${m}${DEC_BY_EXP.get(e) ?? ''}`;
}

/** Parses and re-serialises a quantity string (what a decode/encode round trip does). */
export function canonicalQuantity(input: string | number): string {
  return formatQuantity(parseQuantity(input));
}

/** Parse without throwing: the quantity, or the upstream error message. */
export function tryParseQuantity(input: unknown): { q: Quantity } | { error: string } {
  if (typeof input !== 'string' && typeof input !== 'number') return { error: ERR_FORMAT_WRONG };
  try {
    return { q: parseQuantity(input) };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}
