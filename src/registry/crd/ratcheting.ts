/**
 * Validation ratcheting on update (CRDValidationRatcheting, beta and on by default since 1.30;
 * apiextensions-apiserver pkg/apiserver/validation/ratcheting.go): an error reported at a field
 * whose value is unchanged from the old object is dropped, so objects stored before a schema
 * tightened can still be updated elsewhere. Errors without a correlatable path are kept.
 */
import type { FieldError } from '../../apimachinery/errors.js';
import { isObject } from './schema.js';

const MISSING = Symbol('missing');

/** The value at a field path such as `spec.items[0].name` (MISSING when a step is absent). */
export function valueAt(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[2] !== undefined) {
      if (!Array.isArray(cur)) return MISSING;
      cur = cur[Number(m[2])];
    } else {
      if (!isObject(cur) || !(m[1] in cur)) return MISSING;
      cur = cur[m[1]];
    }
    if (cur === undefined) return MISSING;
  }
  return cur;
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Drops errors whose field holds the same value in `obj` and `old`. */
export function ratchet(errs: FieldError[], obj: unknown, old: unknown): FieldError[] {
  return errs.filter((e) => {
    if (!e.field || e.field === '<nil>') return true;
    return !same(valueAt(obj, e.field), valueAt(old, e.field));
  });
}
