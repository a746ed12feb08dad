/**
 * Errors of the strategic merge patch, worded and classified as kube-apiserver 1.32 returns them:
 *  - k8s.io/apimachinery/pkg/util/mergepatch/errors.go gives the messages;
 *  - k8s.io/apiserver/pkg/endpoints/handlers/patch.go interpretStrategicMergePatchError maps the
 *    format errors to 400 BadRequest and "lists of lists" to 422 (NewGenericServerResponse, whose
 *    422 message is generic); every other error (unknown field, missing merge key, bad directive,
 *    wrong types) is not a metav1.Status, so responsewriters answer 500 with reason "" (Unknown)
 *    and the raw message, which kubectl prints as `Error from server: <message>`.
 * Go's `%v` rendering of decoded JSON (map[k:v] with sorted keys, [a b]) is mirrored by goFmt.
 */
import { StatusError, badRequest } from '../errors.js';

export const ERR_BAD_JSON_DOC = 'invalid JSON document';
export const ERR_NO_LIST_OF_LISTS = 'lists of lists are not supported';
export const ERR_BAD_PRIMITIVE_LIST = 'invalid patch format of primitive list';
export const ERR_BAD_RETAIN_KEYS = 'invalid patch format of retainKeys';
export const ERR_BAD_SET_ELEMENT_ORDER = 'invalid patch format of setElementOrder list';
export const ERR_UNSUPPORTED_SMP = 'strategic merge patch format is not supported';

/** Media types a custom resource accepts for PATCH (apiextensions-apiserver crdHandler, 1.32 defaults). */
export const CUSTOM_RESOURCE_PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'];

/** 400 for the format errors interpretStrategicMergePatchError lists. */
export function smpFormatError(message: string): StatusError {
  return badRequest(message);
}

/** 422 for ErrNoListOfLists: NewGenericServerResponse keeps its generic 422 message. */
export function smpListOfListsError(): StatusError {
  return new StatusError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
}

/** Any other SMP failure: not a metav1.Status upstream, so 500 with reason "" and the raw message. */
export function smpError(message: string): StatusError {
  return new StatusError(500, '', message);
}

/** 415 for SMP on a kind without Go struct metadata (custom resources), as the CRD handler answers. */
export function smpUnsupportedKind(): StatusError {
  return new StatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${CUSTOM_RESOURCE_PATCH_TYPES.join(', ')}`);
}

/** Go's reflect type name of a decoded JSON value, as `%s` of reflect.TypeOf prints it. */
export function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return '%!s(<nil>)';
  if (Array.isArray(v)) return '[]interface {}';
  switch (typeof v) {
    case 'string': return 'string';
    case 'boolean': return 'bool';
    case 'number': return Number.isInteger(v) ? 'int64' : 'float64';
    case 'object': return 'map[string]interface {}';
    default: return typeof v;
  }
}

function goFloat(n: number): string {
  // strconv.FormatFloat(f, 'g', -1, 64): exponent form when exp < -4 || exp >= 21 (shortest).
  const exp = n === 0 ? 0 : Math.floor(Math.log10(Math.abs(n)));
  if (exp < -4 || exp >= 21) {
    const [m, e] = n.toExponential().split('e');
    const en = Number(e);
    return `${m}e${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(2, '0')}`;
  }
  return String(n);
}

/** fmt `%v` of a decoded JSON value. */
export function goFmt(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goFmt).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `map[${Object.keys(o).sort().map((k) => `${k}:${goFmt(o[k])}`).join(' ')}]`;
  }
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : goFloat(v);
  return String(v);
}

/** mergepatch.ErrBadArgType(expected, actual). */
export function errBadArgType(expected: 'map' | 'slice', actual: unknown): StatusError {
  const e = expected === 'map' ? 'map[string]interface {}' : '[]interface {}';
  return smpError(`expected a ${e}, but received a ${goTypeName(actual)}`);
}

/** mergepatch.ErrNoMergeKey. */
export function errNoMergeKey(m: Record<string, unknown>, key: string): StatusError {
  return smpError(`map: ${goFmt(m)} does not contain declared merge key: ${key}`);
}

/** mergepatch.ErrBadPatchType. */
export function errBadPatchType(t: unknown, m: Record<string, unknown>): StatusError {
  const ts = typeof t === 'string' ? t : t === null || t === undefined ? '%!s(<nil>)' : `%!s(${goTypeName(t)}=${goFmt(t)})`;
  return smpError(`unknown patch type: ${ts} in map: ${goFmt(m)}`);
}
