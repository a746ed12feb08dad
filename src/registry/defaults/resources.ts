/**
 * SetDefaults_ResourceList (pkg/apis/core/v1/defaults.go): every quantity of a ResourceList is
 * rounded up to milli precision, and (as the decode/encode round trip of resource.Quantity does)
 * comes back in canonical form: `0.5` → `500m`, `1` (a JSON number) → `"1"`, `1.5Gi` → `1536Mi`,
 * `0.0001` → `1m`. zz_generated.defaults.go applies it to container resources, pod overhead,
 * PVC requests/limits/capacity, PV capacity, node capacity/allocatable, LimitRange items and
 * ResourceQuota hard/used. Values that do not parse are left for validation to report.
 */
import { formatQuantity, parseQuantity, scaledValue, type Quantity } from '../../apimachinery/quantity.js';
import { objOf } from './util.js';

const MILLI = -3;

/** Quantity.RoundUp(-3): values finer than 1m are rounded up (away from zero) to 1m steps. */
function roundUpToMilli(q: Quantity): Quantity {
  if (q.exponent >= MILLI) return q;
  let mantissa = scaledValue(q, MILLI);
  let exponent = MILLI;
  while (mantissa !== 0n && mantissa % 10n === 0n) { mantissa /= 10n; exponent++; }
  return { mantissa, exponent: mantissa === 0n ? 0 : exponent, format: q.format };
}

/** Recent inputs and their canonical forms: objects repeat the same few quantities ("1", "1Gi", "500m"). */
const CACHE_MAX = 4096;
const cache = new Map<string | number, string | null>();

function compute(v: string | number): string | null {
  try {
    return formatQuantity(roundUpToMilli(parseQuantity(v)));
  } catch {
    return null;
  }
}

/** The canonical milli-rounded form of one quantity, or undefined when it does not parse. */
export function defaultedQuantity(v: unknown): string | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  let out = cache.get(v);
  if (out === undefined) {
    out = compute(v);
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(v, out);
  }
  return out ?? undefined;
}

/** SetDefaults_ResourceList on a map of resource name → quantity (in place). */
export function defaultResourceList(list: unknown): void {
  const o = objOf(list);
  if (!o) return;
  for (const [name, v] of Object.entries(o)) {
    const q = defaultedQuantity(v);
    if (q !== undefined) o[name] = q;
  }
}

/** A ResourceRequirements' limits and requests. */
export function defaultResourceRequirements(r: unknown): void {
  const o = objOf(r);
  if (!o) return;
  defaultResourceList(o.limits);
  defaultResourceList(o.requests);
}
