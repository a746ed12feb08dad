/**
 * RFC 7386 JSON Merge Patch with the exact behaviour kube-apiserver gets from
 * gopkg.in/evanphx/json-patch.v4 MergePatch (merge.go), used for
 * `application/merge-patch+json`: null deletes a member, objects merge recursively, anything
 * else (arrays included) replaces. v4 details kept:
 *  - a patch that is JSON null → 400 "Invalid JSON Patch"; a scalar patch → 400 likewise;
 *  - a patch that is an array, or a document that is not an object, yields the patch itself
 *    (members with null values pruned from nested objects; nulls inside arrays kept);
 *  - when a patch object replaces a non-object value its null members are pruned; when an
 *    array replaces an object, it is taken as is.
 * Pure: neither input is mutated and the result shares no structure with the patch.
 */
import { badRequest } from '../errors.js';

export const INVALID_JSON_PATCH_MESSAGE = 'Invalid JSON Patch';

type Obj = Record<string, unknown>;
const hasOwn = Object.prototype.hasOwnProperty;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function setMember(o: Obj, key: string, val: unknown): void {
  Object.defineProperty(o, key, { value: val, writable: true, enumerable: true, configurable: true });
}

/** pruneNulls on a fresh copy: drop null members of objects, recursively (array elements stay). */
function prunedCopy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => (x === null ? null : prunedCopy(x)));
  if (isObj(v)) {
    const out: Obj = {};
    for (const k of Object.keys(v)) if (v[k] !== null) setMember(out, k, prunedCopy(v[k]));
    return out;
  }
  return v;
}

function copy(v: unknown): unknown {
  return v === undefined ? undefined : structuredClone(v);
}

/** mergeDocs into `doc` (already a private copy). */
function mergeDocs(doc: Obj, patch: Obj): void {
  for (const k of Object.keys(patch)) {
    const v = patch[k];
    if (v === null) { delete doc[k]; continue; }
    const cur = hasOwn.call(doc, k) ? doc[k] : undefined;
    if (cur === undefined || cur === null) { setMember(doc, k, prunedCopy(v)); continue; }
    setMember(doc, k, merge(cur, v));
  }
}

function merge(cur: unknown, patch: unknown): unknown {
  if (!isObj(cur)) return prunedCopy(patch);
  if (!isObj(patch)) return copy(patch);
  mergeDocs(cur, patch);
  return cur;
}

/**
 * Applies merge patch `patch` (parsed JSON) to `doc` (parsed JSON) and returns the result.
 * Throws 400 `Invalid JSON Patch` for a null or scalar patch, as kube-apiserver does.
 */
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  if (patch === null || patch === undefined) throw badRequest(INVALID_JSON_PATCH_MESSAGE);
  if (!isObj(patch)) {
    if (Array.isArray(patch)) return prunedCopy(patch);
    throw badRequest(INVALID_JSON_PATCH_MESSAGE);
  }
  if (!isObj(doc)) return prunedCopy(patch);
  const out = structuredClone(doc);
  mergeDocs(out, patch);
  return out;
}
