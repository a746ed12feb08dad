/**
 * Unknown fields dropped by pruning, remembered per object so the write handler can apply
 * `fieldValidation` (Strict → 400, Warn → Warning headers) as apiextensions-apiserver's
 * decoder does with returnUnknownFieldPaths. Kept in a WeakMap: nothing leaks into the object.
 */
const UNKNOWN = new WeakMap<object, string[]>();

export function recordUnknownFields(obj: object, paths: string[]): void {
  if (paths.length) UNKNOWN.set(obj, paths);
  else UNKNOWN.delete(obj);
}

/** The pruned field paths of `obj` (e.g. ["spec.bogus"]), empty when none. */
export function unknownFieldsOf(obj: object): string[] {
  return UNKNOWN.get(obj) ?? [];
}
