/**
 * RFC 6902 JSON Patch with kube-apiserver's semantics: those of gopkg.in/evanphx/json-patch.v4
 * (v4.12), which staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go uses. Our own code,
 * not fast-json-patch, because v4 deviates from the RFC in ways clients can observe:
 *  - `replace` of a missing object member succeeds (it sets the member);
 *  - negative array indices are accepted (-1 = last element; for `add`, -1 = append);
 *  - `copy` from a missing object member inserts null;
 *  - `test` of a missing member passes when the expected value is null;
 *  - `replace`/`test` with path "" act on the whole document.
 * Deviation kept here: `test` compares parsed values (so 1 equals 1.0), where v4 compares
 * compacted raw bytes for scalars.
 *
 * Errors: a malformed patch document → 400 with Go's decoding message; more than 10000
 * operations → 413; any failing operation → 422 Invalid with the generic message
 * kube-apiserver sends (errors.NewGenericServerResponse drops the json-patch detail; the detail is
 * kept on the thrown error as `patchError` for logs). Inputs are never mutated.
 */
import { badRequest, StatusError } from '../errors.js';

export const MAX_JSON_PATCH_OPERATIONS = 10000;
export const JSON_PATCH_REJECTED_MESSAGE = 'the server rejected our request due to an error in our request';

export type JSONValue = null | boolean | number | string | JSONValue[] | { [k: string]: JSONValue };
export type JSONPatchOperation = Record<string, unknown>;

/** A failed operation: the 422 kube-apiserver returns, with the json-patch library's message attached. */
export class JSONPatchApplyError extends StatusError {
  readonly patchError: string;
  constructor(patchError: string) {
    super(422, 'Invalid', JSON_PATCH_REJECTED_MESSAGE, {});
    this.patchError = patchError;
  }
}

class OpError extends Error {}

function goTypeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'boolean') return 'bool';
  return typeof v; // string | number
}

/**
 * jsonpatch.DecodePatch on an already-parsed body: must be an array of objects (null = no-op).
 * Throws 400 `json: cannot unmarshal object into Go value of type jsonpatch.Patch` and the like.
 */
export function decodeJSONPatch(body: unknown): JSONPatchOperation[] {
  if (body === null) return [];
  if (!Array.isArray(body)) throw badRequest(`json: cannot unmarshal ${goTypeName(body)} into Go value of type jsonpatch.Patch`);
  for (const op of body) {
    if (op !== null && (typeof op !== 'object' || Array.isArray(op))) {
      throw badRequest(`json: cannot unmarshal ${goTypeName(op)} into Go value of type jsonpatch.Operation`);
    }
  }
  return body.map((op) => (op ?? {}) as JSONPatchOperation);
}

/** RFC 6901 token decoding: `~1` → `/` first, then `~0` → `~`. */
export function decodePointerToken(t: string): string {
  return t.replace(/~1/g, '/').replace(/~0/g, '~');
}

type Container = JSONValue[] | { [k: string]: JSONValue };
const hasOwn = Object.prototype.hasOwnProperty;

/** strconv.Atoi (decimal, optional sign, leading zeros allowed). */
function atoi(key: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(key)) return undefined;
  const n = Number(key);
  return Number.isSafeInteger(n) ? n : undefined;
}

function invalidIndex(idx: number): OpError {
  return new OpError(`Unable to access invalid index: ${idx}: invalid index referenced`);
}

/** Index into an array for get/set/remove, with v4's negative-index support. */
function arrayIndex(ary: JSONValue[], key: string): number {
  const i = atoi(key);
  if (i === undefined) throw new OpError(`strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`);
  let idx = i;
  if (idx < 0) {
    if (idx < -ary.length) throw invalidIndex(idx);
    idx += ary.length;
  }
  if (idx >= ary.length) throw invalidIndex(idx);
  return idx;
}

/** Go's nil for both "absent" and JSON null (partialDoc.get returns nil, nil). */
function get(c: Container, key: string): JSONValue | undefined {
  if (Array.isArray(c)) return c[arrayIndex(c, key)] ?? undefined;
  return hasOwn.call(c, key) ? c[key] ?? undefined : undefined;
}

function add(c: Container, key: string, val: JSONValue): void {
  if (!Array.isArray(c)) { setMember(c, key, val); return; }
  if (key === '-') { c.push(val); return; }
  const i = atoi(key);
  if (i === undefined) throw new OpError(`value was not a proper array index: '${key}': strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`);
  const size = c.length + 1;
  let idx = i;
  if (idx >= size) throw invalidIndex(idx);
  if (idx < 0) {
    if (idx < -size) throw invalidIndex(idx);
    idx += size;
  }
  c.splice(idx, 0, val);
}

function setMember(o: { [k: string]: JSONValue }, key: string, val: JSONValue): void {
  // defineProperty so that "__proto__" is an ordinary member, as in Go maps.
  Object.defineProperty(o, key, { value: val, writable: true, enumerable: true, configurable: true });
}

function set(c: Container, key: string, val: JSONValue): void {
  if (Array.isArray(c)) c[arrayIndex(c, key)] = val;
  else setMember(c, key, val);
}

function remove(c: Container, key: string): void {
  if (Array.isArray(c)) { c.splice(arrayIndex(c, key), 1); return; }
  if (!hasOwn.call(c, key)) throw new OpError(`Unable to remove nonexistent key: ${key}: missing value`);
  delete c[key];
}

/** findObject: the container holding the last token, or undefined if any parent is missing. */
function findObject(root: Container, path: string): { con: Container; key: string } | undefined {
  const split = path.split('/');
  if (split.length < 2) return undefined;
  let doc: Container = root;
  for (const part of split.slice(1, -1)) {
    let next: JSONValue | undefined;
    try { next = get(doc, decodePointerToken(part)); } catch { return undefined; }
    if (next === undefined || next === null || typeof next !== 'object') return undefined;
    doc = next;
  }
  return { con: doc, key: decodePointerToken(split[split.length - 1]!) };
}

function clone(v: unknown): JSONValue {
  return v === undefined ? null : (structuredClone(v) as JSONValue);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao);
  if (ak.length !== Object.keys(bo).length) return false;
  return ak.every((k) => hasOwn.call(bo, k) && deepEqual(ao[k], bo[k]));
}

function strField(op: JSONPatchOperation, name: 'path' | 'from'): string | undefined {
  const v = op[name];
  return typeof v === 'string' ? v : undefined;
}

interface State { doc: Container }

function applyOne(st: State, op: JSONPatchOperation): void {
  const kind = typeof op.op === 'string' ? op.op : 'unknown';
  const hasValue = hasOwn.call(op, 'value');
  const value = (): JSONValue => clone(op.value);
  const path = strField(op, 'path');
  switch (kind) {
    case 'add': {
      if (path === undefined) throw new OpError('add operation failed to decode path: missing value');
      const t = findObject(st.doc, path);
      if (!t) throw new OpError(`add operation does not apply: doc is missing path: "${path}": missing value`);
      try { add(t.con, t.key, value()); } catch (e) { throw new OpError(`error in add for path: '${path}': ${(e as Error).message}`); }
      return;
    }
    case 'remove': {
      if (path === undefined) throw new OpError('remove operation failed to decode path: missing value');
      const t = findObject(st.doc, path);
      if (!t) throw new OpError(`remove operation does not apply: doc is missing path: "${path}": missing value`);
      try { remove(t.con, t.key); } catch (e) { throw new OpError(`error in remove for path: '${path}': ${(e as Error).message}`); }
      return;
    }
    case 'replace': {
      if (path === undefined) throw new OpError('replace operation failed to decode path: operation missing path field: missing value');
      if (path === '') {
        const v = value();
        if (v === null || typeof v !== 'object') throw new OpError('replace operation value must be object or array');
        st.doc = v;
        return;
      }
      const t = findObject(st.doc, path);
      if (!t) throw new OpError(`replace operation does not apply: doc is missing path: ${path}: missing value`);
      try { get(t.con, t.key); } catch { throw new OpError(`replace operation does not apply: doc is missing key: ${path}: missing value`); }
      try { set(t.con, t.key, value()); } catch (e) { throw new OpError(`error in remove for path: '${path}': ${(e as Error).message}`); }
      return;
    }
    case 'move': {
      const from = strField(op, 'from');
      if (from === undefined) throw new OpError('move operation failed to decode from: operation, missing from field: missing value');
      const f = findObject(st.doc, from);
      if (!f) throw new OpError(`move operation does not apply: doc is missing from path: ${from}: missing value`);
      let val: JSONValue | undefined;
      try {
        val = get(f.con, f.key);
        remove(f.con, f.key);
      } catch (e) { throw new OpError(`error in move for path: '${f.key}': ${(e as Error).message}`); }
      if (path === undefined) throw new OpError('move operation failed to decode path: operation missing path field: missing value');
      const t = findObject(st.doc, path);
      if (!t) throw new OpError(`move operation does not apply: doc is missing destination path: ${path}: missing value`);
      try { add(t.con, t.key, val ?? null); } catch (e) { throw new OpError(`error in move for path: '${path}': ${(e as Error).message}`); }
      return;
    }
    case 'copy': {
      const from = strField(op, 'from');
      if (from === undefined) throw new OpError('copy operation failed to decode from: operation, missing from field: missing value');
      const f = findObject(st.doc, from);
      if (!f) throw new OpError(`copy operation does not apply: doc is missing from path: ${from}: missing value`);
      let val: JSONValue | undefined;
      try { val = get(f.con, f.key); } catch (e) { throw new OpError(`error in copy for from: '${from}': ${(e as Error).message}`); }
      if (path === undefined) throw new OpError('copy operation failed to decode path: missing value');
      const t = findObject(st.doc, path);
      if (!t) throw new OpError(`copy operation does not apply: doc is missing destination path: ${path}: missing value`);
      try { add(t.con, t.key, clone(val)); } catch (e) { throw new OpError(`error while adding value during copy: ${(e as Error).message}`); }
      return;
    }
    case 'test': {
      if (path === undefined) throw new OpError('test operation failed to decode path: operation missing path field: missing value');
      const failed = new OpError(`testing value ${path} failed: test failed`);
      if (path === '') {
        if (!deepEqual(st.doc, op.value)) throw failed;
        return;
      }
      const t = findObject(st.doc, path);
      if (!t) throw new OpError(`test operation does not apply: is missing path: ${path}: missing value`);
      let val: JSONValue | undefined;
      try { val = get(t.con, t.key); } catch (e) { throw new OpError(`error in test for path: '${path}': ${(e as Error).message}`); }
      if (val === undefined) {
        // Absent and null look alike in v4; both pass against an absent or null expected value.
        if (!hasValue || op.value === null) return;
        throw failed;
      }
      if (!hasValue || !deepEqual(val, op.value)) throw failed;
      return;
    }
    default:
      throw new OpError(`Unexpected kind: ${kind}`);
  }
}

/**
 * Applies `ops` (from decodeJSONPatch, or a raw parsed body) to `doc` and returns the patched copy.
 * `doc` must be a JSON object or array (the serialized current object).
 */
export function applyJSONPatch<T>(doc: T, patch: unknown): T {
  const ops = decodeJSONPatch(patch);
  if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
    throw new StatusError(413, 'RequestEntityTooLarge', `Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`);
  }
  if (doc === null || typeof doc !== 'object') throw new JSONPatchApplyError('json: cannot unmarshal document into jsonpatch container');
  const st: State = { doc: structuredClone(doc) as unknown as Container };
  for (const op of ops) {
    try {
      applyOne(st, op);
    } catch (e) {
      if (e instanceof OpError) throw new JSONPatchApplyError(e.message);
      throw e;
    }
  }
  return st.doc as unknown as T;
}
