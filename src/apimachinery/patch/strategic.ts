/**
 * Strategic merge patch (`application/strategic-merge-patch+json`) for built-in kinds, applied as
 * kube-apiserver 1.32 applies it: k8s.io/apimachinery/pkg/util/strategicpatch/patch.go
 * StrategicMergeMapPatch with MergeOptions{MergeParallelList: true, IgnoreUnmatchedNulls: true},
 * driven by the Go struct tags of the kind (see strategic-schema.ts for the metadata).
 *
 * Semantics mirrored (function names are upstream's):
 *  - mergeMap: objects merge recursively; `null` deletes; `$patch: replace|delete` on a map;
 *    `$retainKeys` (applyRetainKeysDirective); `$setElementOrder/<list>` (mergePatchIntoOriginal);
 *    `$deleteFromPrimitiveList/<list>`; values new to the original are taken with nulls and
 *    directive maps removed; mismatched types are replaced;
 *  - fields with patchStrategy "replace" and lists without "merge" are replaced by the patch value
 *    as sent; lists with "merge" merge by patchMergeKey (maps) or as sets (scalars), with `$patch:
 *    delete|replace` items; merged order per normalizeElementOrder (strategic-order.ts);
 *  - errors carry upstream's messages and status codes (strategic-errors.ts).
 *
 * Contract: pure. Neither input is mutated. The result shares untouched subtrees with `original`
 * (copy-on-write: only the objects and lists on a changed path are copied), never with `patch`.
 * applyStrategicMergePatch always returns a fresh root and a fresh (shallow) `metadata`, so
 * setting metadata fields on the result is safe; deeper in-place edits must copy first.
 */
import {
  ERR_BAD_PRIMITIVE_LIST, ERR_BAD_RETAIN_KEYS, ERR_BAD_SET_ELEMENT_ORDER,
  errBadArgType, errBadPatchType, errNoMergeKey, goFmt, smpError, smpFormatError,
  smpListOfListsError, smpUnsupportedKind,
} from './strategic-errors.js';
import { type ElemKind, isObj, normalizeElementOrder, partitionMaps, partitionPrimitives } from './strategic-order.js';
import { type SchemaNode, builtinPatchSchemas, lookupForSlice, lookupForStruct, schemaName } from './strategic-schema.js';
import { DIRECTIVE, DROP, cleanPatchValue, copyValue, directiveInMergeMap, extractKey, goType, nonRetainStrategy, setKey } from './strategic-values.js';

type Obj = Record<string, unknown>;
const hasOwn = Object.prototype.hasOwnProperty;

const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER = '$setElementOrder';

/**
 * Applies a strategic merge patch to `original` (the live object, decoded JSON) for the built-in
 * kind `apiVersion`/`kind` (the request's version; for /scale pass autoscaling/v1 Scale).
 * Throws a StatusError: 415 for kinds without Go struct metadata (custom resources), 400 for a
 * patch that is not a JSON object or has a malformed directive, 422 for lists of lists, and 500
 * with reason "" for the other upstream failures (unknown field, missing merge key, …).
 */
export function applyStrategicMergePatch(original: object, patch: unknown, apiVersion: string, kind: string): object {
  const root = builtinPatchSchemas().root(apiVersion, kind);
  if (!root) throw smpUnsupportedKind();
  const out = applyStrategicMergePatchWithSchema(original, patch, root) as Obj;
  // The apiserver stamps metadata (resourceVersion, managedFields, …) on the result: give it a
  // root and a metadata object of its own so that cannot write through to `original`.
  const copy: Obj = out === original ? { ...out } : out;
  if (isObj(copy.metadata) && original !== null && copy.metadata === (original as Obj).metadata) copy.metadata = { ...copy.metadata };
  return copy;
}

/** True when `apiVersion kind` has SMP metadata (a built-in kind of 1.32). */
export function supportsStrategicMergePatch(apiVersion: string, kind: string): boolean {
  return builtinPatchSchemas().root(apiVersion, kind) !== undefined;
}

/** The same over an explicit root schema (tests use the upstream MergeItem schema). */
export function applyStrategicMergePatchWithSchema(original: object, patch: unknown, schema: SchemaNode): object {
  // The handler decodes the body into map[string]interface{}: JSON null leaves it empty; other
  // non-objects fail with encoding/json's message (400).
  if (patch === null || patch === undefined) return original;
  if (!isObj(patch)) {
    const what = Array.isArray(patch) ? 'array' : typeof patch === 'boolean' ? 'bool' : typeof patch;
    throw smpFormatError(`json: cannot unmarshal ${what} into Go value of type map[string]interface {}`);
  }
  return mergeMap(isObj(original) ? original : {}, patch, schema);
}

/** applyRetainKeysDirective: validate the patch against `$retainKeys`, then drop other keys from `out`. */
function applyRetainKeys(out: Obj, patch: Obj): void {
  const list = patch[RETAIN_KEYS];
  if (!Array.isArray(list)) throw smpFormatError(ERR_BAD_RETAIN_KEYS);
  const keep = new Set<unknown>(list);
  for (const k of Object.keys(patch)) {
    if (k === RETAIN_KEYS || patch[k] === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!keep.has(k)) throw smpFormatError(ERR_BAD_RETAIN_KEYS);
  }
  for (const k of Object.keys(out)) if (!keep.has(k)) delete out[k];
}

/** mergeMap: returns a new object (a shallow copy of `original` with the patch merged in). */
function mergeMap(original: Obj | undefined, patch: Obj, schema: SchemaNode): Obj {
  if (hasOwn.call(patch, DIRECTIVE)) return directiveInMergeMap(patch[DIRECTIVE], patch);
  const out: Obj = original ? { ...original } : {};
  if (hasOwn.call(patch, RETAIN_KEYS)) applyRetainKeys(out, patch);

  let done: Set<string> | undefined;
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    done ??= new Set();
    done.add(key);
    const handled = mergeSetElementOrder(out, patch, key, schema);
    if (handled !== undefined) done.add(handled);
  }

  for (const rawKey of Object.keys(patch)) {
    if (rawKey === RETAIN_KEYS || done?.has(rawKey)) continue;
    const patchV = patch[rawKey];
    let k = rawKey;
    let isDeleteList = false;
    if (rawKey.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      k = extractKey(rawKey, DELETE_FROM_PRIMITIVE_LIST, ERR_BAD_PRIMITIVE_LIST);
      isDeleteList = true;
    }
    if (patchV === null) {
      delete out[k];
      continue;
    }
    if (!hasOwn.call(out, k)) {
      if (!isDeleteList) {
        const c = cleanPatchValue(patchV, true);
        if (c !== DROP) setKey(out, k, c);
      }
      continue;
    }
    const origV = out[k];
    if (goType(origV) !== goType(patchV)) {
      if (!isDeleteList) {
        const c = cleanPatchValue(patchV, true);
        if (c === DROP) delete out[k];
        else setKey(out, k, c);
      }
      continue;
    }
    if (isObj(origV)) {
      const r = lookupForStruct(schema, k);
      const strategy = nonRetainStrategy(r.strategies);
      setKey(out, k, strategy !== 'replace' ? mergeMap(origV, patchV as Obj, r.schema) : copyValue(patchV));
    } else if (Array.isArray(origV)) {
      const r = lookupForSlice(schema, k);
      const strategy = nonRetainStrategy(r.strategies);
      setKey(out, k, mergeSliceHandler(origV, patchV as unknown[], r.schema, strategy, r.mergeKey, isDeleteList));
    } else {
      const c = cleanPatchValue(patchV, false);
      if (c === DROP) delete out[k];
      else setKey(out, k, c);
    }
  }
  return out;
}

/**
 * mergePatchIntoOriginal for one `$setElementOrder/<field>` key: merges the field's list (if the
 * patch carries it) and orders the result by the directive. Returns the field name when the
 * field's patch list was consumed.
 */
function mergeSetElementOrder(out: Obj, patch: Obj, key: string, schema: SchemaNode): string | undefined {
  const order = patch[key];
  if (!Array.isArray(order)) throw errBadArgType('slice', order);
  const field = extractKey(key, SET_ELEMENT_ORDER, ERR_BAD_SET_ELEMENT_ORDER);
  const foundOriginal = hasOwn.call(out, field);
  const foundPatch = hasOwn.call(patch, field);
  const originalList = out[field];
  const patchList = patch[field];
  if (foundOriginal && !Array.isArray(originalList)) throw errBadArgType('slice', originalList);
  if (foundPatch && !Array.isArray(patchList)) throw errBadArgType('slice', patchList);
  const origArr = foundOriginal ? (originalList as unknown[]) : [];
  const patchArr = foundPatch ? (patchList as unknown[]) : [];
  const r = lookupForSlice(schema, field);
  const strategy = nonRetainStrategy(r.strategies);
  validatePatchWithSetOrderList(patchArr, order, r.mergeKey);

  let merged: unknown[];
  const alias: AliasView = { view: origArr };
  if (foundOriginal && !foundPatch) merged = origArr;
  else if (!foundOriginal && foundPatch) merged = cleanPatchValue(patchArr, false) as unknown[];
  else if (foundOriginal && foundPatch) merged = mergeSliceHandler(origArr, patchArr, r.schema, strategy, r.mergeKey, false, alias);
  else return undefined;

  const [patchItems, serverOnly] = r.mergeKey === '' ? partitionPrimitives(merged, order) : partitionMaps(merged, order, r.mergeKey);
  // Upstream reads the live list after mergeSlice wrote into its backing array (see AliasView).
  const kind = sliceElementKind(alias.view, patchArr);
  setKey(out, field, normalizeElementOrder(patchItems, serverOnly, order, alias.view, r.mergeKey, kind));
  return field;
}

/** validatePatchWithSetOrderList: the patch list's items appear in `$setElementOrder` in the same relative order. */
function validatePatchWithSetOrderList(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  let items = patchList;
  if (mergeKey !== '') {
    items = [];
    for (const v of patchList) {
      if (!isObj(v)) throw errBadArgType('map', v);
      if (v[DIRECTIVE] !== 'delete') items.push(v);
    }
  }
  let pi = 0;
  let oi = 0;
  while (pi < items.length && oi < order.length) {
    const item = items[pi];
    if (isObj(item) && hasOwn.call(item, DIRECTIVE)) {
      pi++;
      continue;
    }
    if (mergeKeyValueEqual(item, order[oi], mergeKey)) pi++;
    oi++;
  }
  if (pi < items.length && oi >= order.length) {
    throw smpError(`The order in patch list:\n${goFmt(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goFmt(order)}\n`);
  }
}

function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (mergeKey === '') return left === right;
  if (!isObj(left)) throw errBadArgType('map', left);
  if (!isObj(right)) throw errBadArgType('map', right);
  if (!hasOwn.call(left, mergeKey)) throw errNoMergeKey(left, mergeKey);
  if (!hasOwn.call(right, mergeKey)) throw errNoMergeKey(right, mergeKey);
  return left[mergeKey] === right[mergeKey];
}

/** sliceElementType: all items of all lists share one Go type, which is not a list. */
function sliceElementKind(...lists: unknown[][]): ElemKind {
  let first: string | undefined;
  for (const list of lists) {
    for (const v of list) {
      const t = goType(v);
      if (first === undefined) {
        if (v === null) throw smpError('runtime error: invalid memory address or nil pointer dereference');
        first = t;
        if (Array.isArray(v)) throw smpListOfListsError();
      } else if (t !== first) {
        throw smpError(`list element types are not identical: ${goFmt(lists)}`);
      }
    }
  }
  if (first === undefined) throw smpError('no elements in any of the given slices');
  return first === 'map[string]interface {}' ? 'map' : 'scalar';
}

/**
 * Go slice aliasing that upstream's result depends on: mergeSlice deletes `$patch: delete` items
 * in place (append(s[:i], s[i+1:]...)) and then appends new items into the same backing array,
 * which mergePatchIntoOriginal still reads as the live order (`originalFieldValue`, length n).
 * `view` replays those writes: after the call it holds what that Go slice then contains.
 */
interface AliasView { view: unknown[] }

/** mergeSliceHandler: merge when the strategy is "merge" (or for deletion lists), else take the patch list as is. */
function mergeSliceHandler(original: unknown[], patch: unknown[], elem: SchemaNode, strategy: string, mergeKey: string, isDeleteList: boolean, alias?: AliasView): unknown[] {
  if (strategy === 'merge' || isDeleteList) return mergeSlice(original, patch, elem, mergeKey, isDeleteList, alias);
  return copyValue(patch) as unknown[];
}

/** mergeSlice: returns a new list (or `original` itself when both are empty). */
function mergeSlice(original: unknown[], patch: unknown[], elem: SchemaNode, mergeKey: string, isDeleteList: boolean, alias?: AliasView): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = sliceElementKind(original, patch);
  let merged: unknown[];
  let orig = original;
  let pat = patch;
  if (kind !== 'map') {
    if (isDeleteList) {
      const del = new Set(patch);
      return original.filter((v) => !del.has(v));
    }
    merged = deduplicateScalars(original.concat(patch));
  } else {
    if (mergeKey === '') throw smpError(`cannot merge lists without merge key for ${schemaName(elem)}`);
    const backing = original.slice();
    let live: number;
    [orig, pat, live] = mergeSliceWithSpecialElements(backing, patch, mergeKey);
    merged = mergeSliceWithoutSpecialElements(orig, pat, mergeKey, elem);
    // Appends after in-place deletions land in the backing array (capacity >= its original length).
    for (let i = live; i < backing.length && i < merged.length; i++) backing[i] = merged[i];
    if (alias) alias.view = backing;
  }
  const [patchItems, serverOnly] = mergeKey === '' ? partitionPrimitives(merged, pat) : partitionMaps(merged, pat, mergeKey);
  return normalizeElementOrder(patchItems, serverOnly, pat, orig, mergeKey, kind);
}

/** deduplicateScalars: upstream's in-place dedupe (moves the last item into a removed slot). */
function deduplicateScalars(s: unknown[]): unknown[] {
  let length = s.length - 1;
  for (let i = 0; i < length; i++) {
    for (let j = i + 1; j <= length; j++) {
      if (s[i] === s[j]) {
        s[j] = s[length];
        s.length = length;
        length--;
        j--;
      }
    }
  }
  return s;
}

/**
 * mergeSliceWithSpecialElements: apply `$patch: delete|replace` items. Deletions shift `backing`
 * in place like Go's append(s[:i], s[i+1:]...). Returns [original', patch without directives,
 * index of `backing` where later appends land].
 */
function mergeSliceWithSpecialElements(backing: unknown[], patch: unknown[], mergeKey: string): [unknown[], unknown[], number] {
  const plain: unknown[] = [];
  let live = backing.length;
  let replace = false;
  for (const v of patch) {
    const m = v as Obj;
    if (!hasOwn.call(m, DIRECTIVE)) {
      plain.push(v);
      continue;
    }
    const t = m[DIRECTIVE];
    if (t === 'delete') {
      if (!hasOwn.call(m, mergeKey)) throw errNoMergeKey(m, mergeKey);
      const value = m[mergeKey];
      for (;;) {
        let at = -1;
        for (let i = 0; i < live; i++) {
          const x = backing[i];
          if (!isObj(x)) throw smpError(`value for key ${i} is not a map`);
          if (hasOwn.call(x, mergeKey) && x[mergeKey] === value) {
            at = i;
            break;
          }
        }
        if (at < 0) break;
        backing.copyWithin(at, at + 1, live);
        live--;
      }
    } else if (t === 'replace') {
      replace = true;
    } else if (t === 'merge') {
      throw smpError('merging lists cannot yet be specified in the patch');
    } else {
      throw errBadPatchType(t, m);
    }
  }
  // After a replace nothing is appended to the backing array: report it as full.
  if (replace) return [plain.map(copyValue), [], backing.length];
  return [backing.slice(0, live), plain, live];
}

/** mergeSliceWithoutSpecialElements: merge each patch item into the first original item with its key, else append it. */
function mergeSliceWithoutSpecialElements(original: unknown[], patch: unknown[], mergeKey: string, elem: SchemaNode): unknown[] {
  const out = original.slice();
  let index: Map<unknown, number> | undefined;
  for (const v of patch) {
    const m = v as Obj;
    if (!hasOwn.call(m, mergeKey)) throw errNoMergeKey(m, mergeKey);
    const value = m[mergeKey];
    if (!index) {
      index = new Map();
      for (let i = 0; i < out.length; i++) {
        const x = out[i];
        if (!isObj(x)) throw smpError(`value for key ${i} is not a map`);
        if (hasOwn.call(x, mergeKey) && !index.has(x[mergeKey])) index.set(x[mergeKey], i);
      }
    }
    const at = index.get(value);
    if (at !== undefined) {
      out[at] = mergeMap(out[at] as Obj, m, elem);
    } else {
      if (!index.has(value)) index.set(value, out.length);
      out.push(copyValue(v));
    }
  }
  return out;
}
