/**
 * Resource lists (name → quantity string) as quota and limit ranges handle them
 * (k8s.io/apiserver/pkg/quota/v1/resources.go): add, subtract, compare, all on exact
 * quantities, results in canonical form.
 */
import { compareQuantities, formatQuantity, parseQuantity, type Quantity } from '../quantity.js';

export type ResourceList = Record<string, string>;

function q(v: string | undefined): Quantity {
  return parseQuantity(v ?? '0');
}

/** a + b (exact; the result keeps a's format unless a is zero, as Quantity.Add). */
export function addQuantity(a: string | undefined, b: string | undefined): string {
  const x = q(a);
  const y = q(b);
  const e = Math.min(x.exponent, y.exponent);
  const m = x.mantissa * 10n ** BigInt(x.exponent - e) + y.mantissa * 10n ** BigInt(y.exponent - e);
  return formatQuantity({ mantissa: m, exponent: e, format: x.mantissa === 0n ? y.format : x.format });
}

export function subtractQuantity(a: string | undefined, b: string | undefined): string {
  const y = q(b);
  return addQuantity(a, formatQuantity({ ...y, mantissa: -y.mantissa }));
}

export function cmpQuantity(a: string | undefined, b: string | undefined): number {
  return compareQuantities(q(a), q(b));
}

/** Element-wise sum (keys of both). */
export function addLists(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = addQuantity(out[k], v);
  return out;
}

export function subtractLists(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = subtractQuantity(out[k], v);
  return out;
}

/** Element-wise max (keys of both). */
export function maxLists(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = { ...a };
  for (const [k, v] of Object.entries(b)) if (out[k] === undefined || cmpQuantity(v, out[k]) > 0) out[k] = v;
  return out;
}

/** Only the named keys. */
export function maskList(a: ResourceList, names: Iterable<string>): ResourceList {
  const out: ResourceList = {};
  for (const n of names) if (a[n] !== undefined) out[n] = a[n];
  return out;
}

/** Canonical quantity text (for messages: "1500m", "2Gi"). */
export function canonical(v: string): string {
  return formatQuantity(q(v));
}
