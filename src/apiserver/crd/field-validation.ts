/**
 * fieldValidation for custom resources (k8s.io/apiserver handlers with the CR decoder's unknown
 * field paths): Strict → 400 `<Kind> in version "<v>" cannot be handled as a <Kind>: strict
 * decoding error: unknown field "spec.x", …`; Warn (the default) → one `unknown field "spec.x"`
 * warning each; Ignore → nothing. Objects that were not pruned report nothing.
 */
import { badRequest } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../api/types.js';
import { unknownFieldsOf } from '../../registry/crd/unknown-fields.js';

/** Returns the warnings to send; throws 400 under Strict. */
export function checkUnknownFields(obj: KubeObject, kind: string, version: string, fieldValidation: string | null): string[] {
  const unknown = unknownFieldsOf(obj);
  if (!unknown.length || fieldValidation === 'Ignore') return [];
  const each = unknown.map((p) => `unknown field "${p}"`);
  if (fieldValidation === 'Strict') throw badRequest(`${kind} in version "${version}" cannot be handled as a ${kind}: strict decoding error: ${each.join(', ')}`);
  return each;
}
