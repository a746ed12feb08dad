/**
 * Small helpers the defaulters share. Objects are decoded JSON, so "nil" in the upstream Go
 * code is `undefined` or `null` here; an empty Go map or slice with `omitempty` never reaches
 * the wire, so defaulters only write maps and lists that end up non-empty.
 */

export type Obj = Record<string, unknown>;

/** A plain JSON object, or undefined for anything else (null, arrays, scalars). */
export function objOf(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

/** The JSON objects of a list (non-objects are skipped: validation reports them). */
export function itemsOf(v: unknown): Obj[] {
  if (!Array.isArray(v)) return [];
  const out: Obj[] = [];
  for (const x of v) {
    if (x !== null && typeof x === 'object' && !Array.isArray(x)) out.push(x as Obj);
  }
  return out;
}

/** Go's "pointer or value is nil": absent or null. */
export function isNil(v: unknown): boolean {
  return v === undefined || v === null;
}

/** Go's zero value of a string field: absent, null or "". */
export function isEmptyString(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}

/** Go's zero value of a numeric field: absent, null or 0. */
export function isZeroNumber(v: unknown): boolean {
  return v === undefined || v === null || v === 0;
}

/** `len(x) == 0` for a Go slice or map. */
export function isEmptyCollection(v: unknown): boolean {
  if (Array.isArray(v)) return v.length === 0;
  const o = objOf(v);
  return o === undefined || Object.keys(o).length === 0;
}

/** Sets `o[key] = value` when the field is nil (a pointer field or a struct-valued field). */
export function defaultNil(o: Obj, key: string, value: unknown): void {
  if (isNil(o[key])) o[key] = value;
}

/** Sets `o[key] = value` when the string field is empty. */
export function defaultString(o: Obj, key: string, value: string): void {
  if (isEmptyString(o[key])) o[key] = value;
}

/** The object at `o[key]`, created (as `{}`) when absent: a Go non-pointer struct is always there. */
export function struct(o: Obj, key: string): Obj {
  const cur = objOf(o[key]);
  if (cur) return cur;
  const fresh: Obj = {};
  o[key] = fresh;
  return fresh;
}

/** Deep copy of JSON data (quantities, selectors and policies copied from one field to another). */
export function clone<T>(v: T): T {
  return structuredClone(v);
}
