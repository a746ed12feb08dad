/**
 * resource.Quantity round trip for printing: ParseQuantity(s).String() as
 * k8s.io/apimachinery/pkg/api/resource/quantity.go (v0.32) computes it, so cells show the
 * canonical form a real server stores ("1024Mi" → "1Gi", "2000m" → "2", "0.5" → "500m",
 * "1.5Gi" → "1536Mi"), and strings ParseQuantity keeps verbatim ("1Gi", "500m", "129e6") stay.
 * Unparseable input is returned unchanged (a real server would have rejected it).
 */

type Format = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

interface Parsed { positive: boolean; value: string; num: string; denom: string; suffix: string }

const DIGITS = '0123456789';
const SUFFIX_CHARS = 'eEinumkKMGTP';
const DECIMAL_SUFFIX: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIX: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_BY_EXP = new Map(Object.entries(DECIMAL_SUFFIX).map(([k, v]) => [v, k]));
const BINARY_BY_EXP = new Map<number, string>([[0, ''], ...Object.entries(BINARY_SUFFIX).map(([k, v]) => [v, k] as [number, string])]);
const MAX_INT64 = (1n << 63n) - 1n;

/** quantity.go parseQuantityString. */
function parseString(str: string): Parsed | undefined {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (str[0] === '-') { positive = false; pos++; } else if (str[0] === '+') pos++;
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' };
  let i = pos;
  while (i < end && DIGITS.includes(str[i])) i++;
  const num = str.slice(pos, i) || '0';
  if (i >= end) return { positive, value: str, num, denom: '', suffix: '' };
  pos = i;
  let denom = '';
  if (str[pos] === '.') {
    pos++;
    i = pos;
    while (i < end && DIGITS.includes(str[i])) i++;
    denom = str.slice(pos, i);
    if (i >= end) return { positive, value: str, num, denom, suffix: '' };
    pos = i;
  }
  const value = str.slice(0, pos);
  const suffixStart = pos;
  while (pos < end && SUFFIX_CHARS.includes(str[pos])) pos++;
  if (pos < end && (str[pos] === '-' || str[pos] === '+')) pos++;
  while (pos < end && DIGITS.includes(str[pos])) pos++;
  if (pos < end) return undefined;
  return { positive, value, num, denom, suffix: str.slice(suffixStart) };
}

/** quantitySuffixer.interpret: base, exponent and format of a suffix. */
function interpret(suffix: string): { base: 2 | 10; exponent: number; format: Format } | undefined {
  if (suffix in DECIMAL_SUFFIX) return { base: 10, exponent: DECIMAL_SUFFIX[suffix], format: 'DecimalSI' };
  if (suffix in BINARY_SUFFIX) return { base: 2, exponent: BINARY_SUFFIX[suffix], format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E')) {
    const rest = suffix.slice(1);
    const body = rest[0] === '-' || rest[0] === '+' ? rest.slice(1) : rest;
    if (body === '' || [...body].some((c) => !DIGITS.includes(c))) return undefined;
    return { base: 10, exponent: Number(rest), format: 'DecimalExponent' };
  }
  return undefined;
}

function abs(v: bigint): bigint { return v < 0n ? -v : v; }

/** Quantity.CanonicalizeBytes of the exact value unscaled × 10^exp10. */
function canonicalize(unscaled: bigint, exp10: number, format: Format): string {
  if (unscaled === 0n) return '0';
  const negative = unscaled < 0n;
  let mag = abs(unscaled);
  if (format === 'BinarySI') {
    // |q| < 1024 → DecimalSI; a non-integer would lose precision → DecimalSI.
    const integral = exp10 >= 0 ? mag * 10n ** BigInt(exp10) : (mag % 10n ** BigInt(-exp10) === 0n ? mag / 10n ** BigInt(-exp10) : -1n);
    if (integral >= 1024n) {
      let times = 0;
      let n = integral;
      while (n >= 1024n && n % 1024n === 0n) { n /= 1024n; times++; }
      return (negative ? '-' : '') + n.toString() + (BINARY_BY_EXP.get(times * 10) ?? '');
    }
    format = 'DecimalSI';
  }
  let exp = exp10;
  while (mag >= 10n && mag % 10n === 0n) { mag /= 10n; exp++; }
  while (exp % 3 !== 0) { mag *= 10n; exp--; }
  const suffix = format === 'DecimalExponent' ? (exp === 0 ? '' : `e${exp}`) : DECIMAL_BY_EXP.get(exp) ?? '';
  return (negative ? '-' : '') + mag.toString() + suffix;
}

/** ParseQuantity(str).String(); str itself when it is not a valid quantity. */
export function canonicalQuantity(str: string): string {
  if (str === '' || str === '0') return str;
  const p = parseString(str);
  if (!p) return str;
  const suf = interpret(p.suffix);
  if (!suf) return str;
  let { format } = suf;
  const { base, exponent } = suf;

  // The int64 fast path: ParseQuantity keeps the input string when it is already canonical.
  let precision: number;
  let scale = 0;
  let mantissa = 1n;
  if (base === 10) {
    scale = exponent;
    precision = 18 - (p.num.length + p.denom.length);
  } else if (exponent >= 0 && p.denom.length === 0) {
    mantissa = 1n << BigInt(exponent);
    precision = 15 - p.num.length - Math.trunc((exponent * 3) / 10) - 1;
  } else {
    precision = -1;
  }
  if (precision >= 0 && scale - p.denom.length >= -9) {
    scale -= p.denom.length;
    const shifted = p.num + p.denom;
    const value = BigInt(shifted);
    const result = value * mantissa;
    if (value <= MAX_INT64 && result <= MAX_INT64) {
      if (format === 'BinarySI' ? exponent % 10 === 0 && (value & 7n) !== 0n
        : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0') {
        return str;
      }
      return canonicalize(p.positive ? result : -result, scale, format);
    }
  }

  // The inf.Dec path: exact value, rounded up to nano precision, capped at MaxInt64.
  const digits = p.value[0] === '+' || p.value[0] === '-' ? p.value.slice(1) : p.value;
  const [intPart, fracPart = ''] = digits.split('.');
  let unscaled = BigInt((intPart || '0') + fracPart);
  let exp10 = -fracPart.length;
  if (base === 10) exp10 += exponent;
  else unscaled *= 1n << BigInt(exponent);
  if (exp10 < -9 && unscaled !== 0n) {
    const div = 10n ** BigInt(-9 - exp10);
    unscaled = (unscaled + div - 1n) / div;
    exp10 = -9;
  }
  const max = MAX_INT64;
  if (exp10 >= 0 ? unscaled * 10n ** BigInt(exp10) > max : unscaled > max * 10n ** BigInt(-exp10)) {
    unscaled = max;
    exp10 = 0;
  }
  if (format === 'BinarySI' && unscaled !== 0n && (exp10 >= 0 ? false : unscaled < 10n ** BigInt(-exp10))) format = 'DecimalSI';
  return canonicalize(p.positive ? unscaled : -unscaled, exp10, format);
}
