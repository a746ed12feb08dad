/**
 * Value helpers of the strategic merge patch (strategic.ts): copies of patch values, upstream's
 * discardNullValuesFromPatch + removeDirectives, `$patch` on a map (handleDirectiveInMergeMap),
 * extractKey and extractRetainKeysPatchStrategy of
 * k8s.io/apimachinery/pkg/util/strategicpatch/patch.go.
 */
import { errBadPatchType, goTypeName, smpError, smpFormatError } from './strategic-errors.js';
import { isObj } from './strategic-order.js';

type Obj = Record<string, unknown>;

export const DIRECTIVE = '$patch';

export function setKey(o: Obj, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
  else o[k] = v;
}

/** Deep copy of a decoded JSON value taken from the patch as is. */
export function copyValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copyValue);
  if (isObj(v)) {
    const out: Obj = {};
    for (const k of Object.keys(v)) setKey(out, k, copyValue(v[k]));
    return out;
  }
  return v;
}

export const DROP = Symbol('drop');

/**
 * A patch value for a field absent from (or of another type than) the original: a copy with
 * discardNullValuesFromPatch (when `discardNulls`) then removeDirectives applied — maps carrying
 * `$patch` are dropped. Returns DROP when the value itself is such a map.
 */
export function cleanPatchValue(v: unknown, discardNulls: boolean): unknown {
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const x of v) {
      const c = cleanPatchValue(x, discardNulls);
      if (c !== DROP) out.push(c);
    }
    return out;
  }
  if (isObj(v)) {
    const d = v[DIRECTIVE];
    if (d !== undefined && !(discardNulls && d === null)) return DROP;
    const out: Obj = {};
    for (const k of Object.keys(v)) {
      const x = v[k];
      if (x === null && discardNulls) continue;
      const c = cleanPatchValue(x, discardNulls);
      if (c !== DROP) setKey(out, k, c);
    }
    return out;
  }
  return v;
}

/** Go type identity used by `reflect.TypeOf(a) != reflect.TypeOf(b)`. */
export function goType(v: unknown): string {
  return goTypeName(v);
}

/** extractRetainKeysPatchStrategy: the non-retainKeys strategy. */
export function nonRetainStrategy(strategies: readonly string[]): string {
  if (strategies.length === 1) return strategies[0] === 'retainKeys' ? '' : (strategies[0] as string);
  if (strategies.length === 2) {
    if (strategies[0] === 'retainKeys') return strategies[1] as string;
    if (strategies[1] === 'retainKeys') return strategies[0] as string;
  }
  if (strategies.length === 0) return '';
  throw smpError(`unexpected patch strategy: [${strategies.join(' ')}]`);
}

/** extractKey: "<prefix>/<field>" → field. */
export function extractKey(s: string, prefix: string, errMessage: string): string {
  const i = s.indexOf('/');
  if (i < 0 || s.slice(0, i) !== prefix) throw smpFormatError(errMessage);
  return s.slice(i + 1);
}

/** handleDirectiveInMergeMap. */
export function directiveInMergeMap(directive: unknown, patch: Obj): Obj {
  if (directive === 'replace') {
    const out: Obj = {};
    for (const k of Object.keys(patch)) if (k !== DIRECTIVE) setKey(out, k, copyValue(patch[k]));
    return out;
  }
  if (directive === 'delete') return {};
  throw errBadPatchType(directive, patch);
}
