/**
 * Resource quantities and lists, as pkg/apis/core/validation/validation.go
 * (ValidateResourceRequirements, ValidateResourceQuantityValue, validateContainerResourceName,
 * ValidateResourceList for LimitRange/ResourceQuota) and the fractional-byte warnings of
 * pkg/api/pod/warnings.go. Quantities are parsed with apimachinery/quantity.ts.
 */
import { field, type FieldError } from '../../apimachinery/errors.js';
import { compareQuantities, formatQuantity, quantityMilliValue, quantitySign, tryParseQuantity, type Quantity } from '../../apimachinery/quantity.js';
import { isQualifiedName } from '../../apimachinery/validation/names.js';
import { asObj, type Obj } from './helpers.js';

const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
const OVERCOMMIT_FORBIDDEN_PREFIX = 'hugepages-';

function isHugePages(name: string): boolean {
  return name.startsWith(OVERCOMMIT_FORBIDDEN_PREFIX);
}

/** helper.IsNativeResource: no domain, or a *kubernetes.io/ domain. */
export function isNativeResource(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

/** helper.IsExtendedResourceName: domain-qualified, not native, not `requests.`-prefixed. */
function isExtendedResourceName(name: string): boolean {
  if (isNativeResource(name) || name.startsWith('requests.')) return false;
  return isQualifiedName(`requests.${name}`).length === 0;
}

/** Integer-only resources: extended resources (and hugepages are handled apart). */
function isIntegerResource(name: string): boolean {
  return isExtendedResourceName(name);
}

function overcommitAllowed(name: string): boolean {
  return isNativeResource(name) && !isHugePages(name);
}

/** validateResourceName + validateContainerResourceName. */
function containerResourceName(name: string, path: string): FieldError[] {
  const errs = isQualifiedName(name).map((m) => field.invalid(path, name, m));
  if (errs.length) return errs;
  if (!name.includes('/')) {
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !isHugePages(name)) return [field.invalid(path, name, 'must be a standard resource for containers')];
  } else if (!isNativeResource(name) && !isExtendedResourceName(name)) {
    return [field.invalid(path, name, "doesn't follow extended resource name standard")];
  }
  return [];
}

/**
 * Parses one quantity; an unparsable one is reported as Invalid (kube-apiserver rejects it earlier,
 * while decoding, with a 400 — see apiserver/fieldvalidation).
 */
export function parseQ(v: unknown, path: string, errs: FieldError[]): Quantity | undefined {
  const r = tryParseQuantity(v);
  if ('error' in r) {
    errs.push(field.invalid(path, v, r.error));
    return undefined;
  }
  return r.q;
}

/** ValidateResourceQuantityValue: non-negative, integer for integer resources. */
function quantityValue(name: string, q: Quantity, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (quantitySign(q) < 0) errs.push(field.invalid(path, formatQuantity(q), 'must be greater than or equal to 0'));
  if (isIntegerResource(name) && quantityMilliValue(q) % 1000n !== 0n) errs.push(field.invalid(path, formatQuantity(q), 'must be an integer'));
  return errs;
}

/** ValidateResourceRequirements (container and pod-level resources). */
export function validateResourceRequirements(res: unknown, path: string): FieldError[] {
  const r = asObj(res);
  const errs: FieldError[] = [];
  const limPath = `${path}.limits`;
  const reqPath = `${path}.requests`;
  const limits = new Map<string, Quantity>();
  for (const name of Object.keys(asObj(r.limits)).sort()) {
    const p = `${limPath}[${name}]`;
    errs.push(...containerResourceName(name, p));
    const q = parseQ(asObj(r.limits)[name], p, errs);
    if (!q) continue;
    errs.push(...quantityValue(name, q, p));
    limits.set(name, q);
  }
  for (const name of Object.keys(asObj(r.requests)).sort()) {
    const p = `${reqPath}[${name}]`;
    errs.push(...containerResourceName(name, p));
    const q = parseQ(asObj(r.requests)[name], p, errs);
    if (!q) continue;
    errs.push(...quantityValue(name, q, p));
    const lim = limits.get(name);
    if (lim) {
      const c = compareQuantities(q, lim);
      if (c !== 0 && !overcommitAllowed(name)) errs.push(field.invalid(reqPath, formatQuantity(q), `must be equal to ${name} limit of ${formatQuantity(lim)}`));
      else if (c > 0) errs.push(field.invalid(reqPath, formatQuantity(q), `must be less than or equal to ${name} limit of ${formatQuantity(lim)}`));
    } else if (!overcommitAllowed(name) && !(name in asObj(r.limits))) {
      errs.push(field.required(limPath, 'Limit must be set for non overcommitable resources'));
    }
  }
  return errs;
}

/** ValidateResourceList-style checks for quota/limit-range maps: names qualified, quantities ≥ 0. */
export function validateResourceList(list: unknown, path: string): { errs: FieldError[]; parsed: Map<string, Quantity> } {
  const errs: FieldError[] = [];
  const parsed = new Map<string, Quantity>();
  const o: Obj = asObj(list);
  for (const name of Object.keys(o).sort()) {
    const p = `${path}[${name}]`;
    errs.push(...isQualifiedName(name).map((m) => field.invalid(p, name, m)));
    const q = parseQ(o[name], p, errs);
    if (!q) continue;
    errs.push(...quantityValue(name, q, p));
    parsed.set(name, q);
  }
  return { errs, parsed };
}

/** pkg/api/pod/warnings.go: fractional memory / ephemeral-storage byte values. */
export function fractionalByteWarnings(res: unknown, path: string): string[] {
  const r = asObj(res);
  const out: string[] = [];
  for (const kind of ['limits', 'requests'] as const) {
    for (const name of ['memory', 'ephemeral-storage']) {
      const v = asObj(r[kind])[name];
      if (v === undefined) continue;
      const p = tryParseQuantity(v);
      if ('q' in p && quantityMilliValue(p.q) % 1000n !== 0n) {
        out.push(`${path}.${kind}[${name}]: fractional byte value "${formatQuantity(p.q)}" is invalid, must be an integer`);
      }
    }
  }
  return out;
}
