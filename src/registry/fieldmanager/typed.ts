/**
 * Schema-aware walks over decoded JSON values, as structured-merge-diff's typed package:
 * toFieldSet (tofieldset.go), merge (merge.go), removeItems (remove.go) and list item keys;
 * compare.go lives in compare.ts, validate.go (fused with ToFieldSet and Merge for applies) in
 * typed-apply.ts. Values are never mutated; outputs share unchanged subtrees.
 */
import { fieldKey, isMember, isObj, pathString, SELF, type Fields, type PathKey } from './fieldset.js';
import { concrete, type ListNode, type MapNode, type TypeNode } from './schema.js';

type Obj = Record<string, unknown>;

export class SchemaError extends Error {}

export function hasKeys(o: object): boolean {
  for (const _ in o) return true;
  return false;
}

/** The type of a map's key: a declared field, else the element type. */
export function fieldType(m: MapNode, k: string): TypeNode | undefined {
  return m.field(k) ?? m.elem;
}

/**
 * The path element of a list item (listItemToPathElement); throws SchemaError for bad items.
 * Not cached per item: a request's objects are freshly decoded, so a cache would only pay off
 * between passes over the same values, and costs a WeakMap entry per item.
 */
export function itemKey(t: ListNode, item: unknown): PathKey {
  return formatItemKey(t, itemKeyFormat(t), item);
}

/** How a list's item keys are written: key names sorted (value.FieldList.Sort), with their JSON. */
export interface ItemKeyFormat {
  readonly names: readonly string[];
  /** `k:{"name":` for the first name, `,"name":` for the others. */
  readonly prefixes: readonly string[];
  readonly defaults: Readonly<Record<string, unknown>> | undefined;
  /** Written keys by key value, for lists keyed by one field (the same names recur request after request). */
  readonly written: Map<unknown, PathKey>;
  /** The same for lists keyed by two fields (ports: containerPort and protocol), by first then second value. */
  readonly written2: Map<unknown, Map<unknown, PathKey>>;
}

/** Bound of each format's `written` cache (it is emptied when full). */
const WRITTEN_MAX = 4096;

const formats = new WeakMap<ListNode, ItemKeyFormat>();

export function itemKeyFormat(t: ListNode): ItemKeyFormat {
  let f = formats.get(t);
  if (f === undefined) {
    const names = [...t.keys].sort();
    const elem = t.elem.kind === 'map' ? t.elem : undefined;
    f = { names, prefixes: names.map((n, i) => `${i ? ',' : 'k:{'}${JSON.stringify(n)}:`), defaults: elem?.defaults, written: new Map(), written2: new Map() };
    formats.set(t, f);
  }
  return f;
}

/**
 * The path element of a list item (listItemToPathElement): `k:{"<name>":<JSON>,…}` with the
 * key fields sorted by name (value.FieldList.Sort), `v:<JSON>` for set items; throws SchemaError
 * for bad items. Called for every item of every keyed list of an
 * applied object, hence the format computed once per list and scalars written without
 * JSON.stringify where that gives the same text.
 */
export function formatItemKey(t: ListNode, f: ItemKeyFormat, item: unknown): PathKey {
  if (t.rel === 'set') {
    if (item === null) throw new SchemaError('associative list without keys has an element that\'s an explicit null');
    if (typeof item === 'object') throw new SchemaError(Array.isArray(item) ? 'not supported: associative list with lists as elements' : 'associative list without keys has an element that\'s a map type');
    return `v:${jsonScalar(item)}`;
  }
  if (!isObj(item)) throw new SchemaError(item === null ? 'associative list with keys may not have a null element' : 'associative list with keys may not have non-map elements');
  if (f.names.length === 1) {
    const v = item[f.names[0]];
    if (typeof v === 'string' || typeof v === 'number') {
      let k = f.written.get(v);
      if (k === undefined) {
        if (f.written.size >= WRITTEN_MAX) f.written.clear();
        k = `${f.prefixes[0]}${jsonScalar(v)}}`;
        f.written.set(v, k);
      }
      return k;
    }
  }
  if (f.names.length === 2) {
    const a = keyValue(f, item, 0);
    const b = keyValue(f, item, 1);
    if ((typeof a === 'string' || typeof a === 'number') && (typeof b === 'string' || typeof b === 'number')) {
      let byB = f.written2.get(a);
      if (byB === undefined) {
        if (f.written2.size >= WRITTEN_MAX) f.written2.clear();
        byB = new Map();
        f.written2.set(a, byB);
      }
      let k = byB.get(b);
      if (k === undefined) {
        if (byB.size >= WRITTEN_MAX) byB.clear();
        k = `${f.prefixes[0]}${jsonScalar(a)}${f.prefixes[1]}${jsonScalar(b)}}`;
        byB.set(b, k);
      }
      return k;
    }
  }
  let s = '';
  for (let i = 0; i < f.names.length; i++) {
    const k = f.names[i];
    let v = item[k];
    if (v === undefined) v = f.defaults?.[k];
    if (v === undefined) throw new SchemaError(`associative list with keys has an element that omits key field ${JSON.stringify(k)} (and doesn't have default value)`);
    s += f.prefixes[i] + jsonScalar(v);
  }
  return f.names.length ? `${s}}` : 'k:{}';
}

/** The item's value of the format's i-th key field, or its schema default. */
function keyValue(f: ItemKeyFormat, item: Record<string, unknown>, i: number): unknown {
  const v = item[f.names[i]];
  return v === undefined ? f.defaults?.[f.names[i]] : v;
}

/** JSON.stringify(v), without calling it for plain strings and finite numbers. */
function jsonScalar(v: unknown): string {
  if (typeof v === 'string') {
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      // Quote, backslash, control characters and lone surrogates are escaped by JSON.stringify.
      if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(v);
    }
    return `"${v}"`;
  }
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return JSON.stringify(v) ?? 'null';
}

export function asMember(n: Fields | undefined): Fields {
  if (n === undefined) return {};
  if (hasKeys(n) && n[SELF] === undefined) n[SELF] = {};
  return n;
}

// --- toFieldSet ------------------------------------------------------------------------------------

/** The set of leaf paths (and list items, map entries) a value specifies (TypedValue.ToFieldSet). */
export function toFieldSet(v: unknown, t: TypeNode): Fields {
  return fsValue(v, t) ?? {};
}

function fsValue(v: unknown, t: TypeNode): Fields | undefined {
  const c = concrete(t, v);
  if (c.kind === 'scalar') return {};
  if (c.kind === 'list') {
    if (c.rel === 'atomic' || !Array.isArray(v)) return {};
    const out: Fields = {};
    let dups: string[] | undefined;
    for (let i = 0; i < v.length; i++) {
      let k: string;
      try { k = itemKey(c, v[i]); } catch { continue; }
      if (out[k] !== undefined) (dups ??= []).push(k);
      else out[k] = asMember(fsValue(v[i], c.elem));
    }
    // A duplicated item is owned as a whole (its key only).
    if (dups) for (const k of dups) out[k] = {};
    return hasKeys(out) ? out : undefined;
  }
  if (c.atomic || !isObj(v)) return {};
  const out: Fields = {};
  for (const k in v) {
    const val = v[k];
    if (val === undefined) continue;
    const declared = c.field(k);
    const ft = declared ?? c.elem;
    const child = ft === undefined ? {} : fsValue(val, ft);
    const member = val === null || (isObj(val) && !hasKeys(val)) || declared === undefined;
    if (member) out[fieldKey(k)] = asMember(child);
    else if (child !== undefined) out[fieldKey(k)] = child;
  }
  return hasKeys(out) ? out : undefined;
}

// --- equality ----------------------------------------------------------------------------------

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  let n = 0;
  for (const k in a as Obj) {
    const x = (a as Obj)[k];
    if (x === undefined) continue;
    n++;
    if (!deepEqual(x, (b as Obj)[k])) return false;
  }
  for (const k in b as Obj) if ((b as Obj)[k] !== undefined) n--;
  return n === 0;
}

// --- merge -----------------------------------------------------------------------------------------

/**
 * lhs merged with rhs (TypedValue.Merge with ruleKeepRHS); explicit nulls in rhs remove the key.
 * Where the result equals lhs, lhs itself is returned (so re-applying an unchanged configuration
 * yields the live object, and comparing it is immediate).
 */
export function merge(lhs: unknown, rhs: unknown, t: TypeNode): unknown {
  if (rhs === undefined) return lhs;
  if (lhs === undefined || lhs === null || rhs === null) return rhs;
  const c = concrete(t, rhs);
  const cl = concrete(t, lhs);
  if (c !== cl && c.kind !== cl.kind) return rhs;
  if (c.kind === 'scalar') return lhs === rhs ? lhs : rhs;
  if (c.kind === 'list') {
    if (c.rel === 'atomic' || !Array.isArray(lhs) || !Array.isArray(rhs) || (lhs.length === 0 && rhs.length === 0)) return deepEqual(lhs, rhs) ? lhs : rhs;
    const out = mergeList(c, lhs, rhs);
    if (out.length === lhs.length && out.every((x, i) => x === lhs[i])) return lhs;
    return out;
  }
  if (c.atomic || !isObj(lhs) || !isObj(rhs)) return deepEqual(lhs, rhs) ? lhs : rhs;
  if (!hasKeys(lhs) && !hasKeys(rhs)) return lhs;
  // The copy is made only once something differs (re-applies mostly change nothing).
  let out: Obj | undefined;
  for (const k in lhs) {
    const lv = lhs[k];
    if (lv === undefined) continue;
    const rv = rhs[k];
    if (rv === undefined) { if (out) out[k] = lv; continue; }
    if (rv === null) { out ??= copyBefore(lhs, k); continue; }
    const ft = fieldType(c, k);
    const m = ft === undefined ? (deepEqual(lv, rv) ? lv : rv) : merge(lv, rv, ft);
    if (m !== lv) out ??= copyBefore(lhs, k);
    if (out) out[k] = m;
  }
  for (const k in rhs) {
    const rv = rhs[k];
    if (rv === undefined || rv === null || (lhs[k] !== undefined)) continue;
    out ??= copyBefore(lhs, undefined);
    out[k] = rv;
  }
  return out ?? lhs;
}

/** The defined entries of `o` before key `stop` (all of them when undefined). */
function copyBefore(o: Obj, stop: string | undefined): Obj {
  const out: Obj = {};
  for (const k in o) {
    if (k === stop) break;
    if (o[k] !== undefined) out[k] = o[k];
  }
  return out;
}

/** Whether two key lists are equal and free of duplicates. */
function sameKeys(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return a.length < 2 || new Set(a).size === a.length;
}

/** visitListItems of merge.go: rhs order for the items both have, lhs-only items kept in place. */
function mergeList(t: ListNode, lhs: unknown[], rhs: unknown[]): unknown[] {
  const lk = lhs.map((x) => itemKey(t, x));
  const rk = rhs.map((x) => itemKey(t, x));
  if (sameKeys(lk, rk)) {
    // Same items in the same order (a re-apply): item-wise merge, as the walk below would do.
    let out: unknown[] | undefined;
    for (let i = 0; i < lhs.length; i++) {
      const v = merge(lhs[i], rhs[i], t.elem);
      if (v !== lhs[i] || v === undefined) out ??= lhs.slice(0, i);
      if (out && v !== undefined) out.push(v);
    }
    return out ?? lhs;
  }
  const lmap = new Map<string, unknown>();
  for (let i = 0; i < lhs.length; i++) lmap.set(lk[i], lmap.has(lk[i]) ? null : lhs[i]);
  const rmap = new Map<string, unknown>();
  for (let i = 0; i < rhs.length; i++) {
    if (rmap.has(rk[i])) throw new SchemaError(`duplicate entries for key ${pathString([rk[i]])}`);
    rmap.set(rk[i], rhs[i]);
  }
  const shared = rk.filter((k) => lmap.has(k));
  let si = 0;
  let nextShared: string | undefined = shared[si++];
  const merged = new Set<string>();
  const out: unknown[] = [];
  const item = (k: string): void => {
    const l = lmap.get(k);
    const r = rmap.get(k);
    const v = merge(l === null ? undefined : l, r, t.elem);
    if (v !== undefined) out.push(v);
  };
  let li = 0;
  let ri = 0;
  while (li < lk.length || ri < rk.length) {
    if (li < lk.length && ri < rk.length) {
      const k = lk[li];
      if (k === rk[ri]) {
        merged.add(k);
        item(k);
        li++; ri++;
        nextShared = shared[si++];
        continue;
      }
      if (rmap.has(k) && nextShared !== undefined && nextShared !== k) { li++; continue; }
    }
    if (li < lk.length) {
      const k = lk[li];
      if (!rmap.has(k)) { out.push(lhs[li]); li++; continue; }
      if (merged.has(k)) li++;
    }
    if (ri < rk.length) {
      const k = rk[ri];
      merged.add(k);
      item(k);
      ri++;
      if (nextShared !== undefined && nextShared === k) nextShared = shared[si++];
    }
  }
  return out;
}

// --- removeItems -----------------------------------------------------------------------------------

/** The value without the member paths of `toRemove` (TypedValue.RemoveItems); emptied containers go too. */
export function removeItems(v: unknown, toRemove: Fields, t: TypeNode): unknown {
  if (!hasKeys(toRemove) || v === null || typeof v !== 'object') return v;
  const c = concrete(t, v);
  if (c.kind === 'list') {
    if (c.rel === 'atomic' || !Array.isArray(v)) return v;
    const out: unknown[] = [];
    for (const item of v) {
      let k: string;
      try { k = itemKey(c, item); } catch { out.push(item); continue; }
      const n = toRemove[k];
      if (n === undefined) { out.push(item); continue; }
      if (isMember(n)) continue;
      const r = removeItems(item, n, c.elem);
      if (r !== undefined) out.push(r);
    }
    return out.length === 0 && v.length > 0 ? undefined : out;
  }
  if (c.kind !== 'map' || c.atomic || !isObj(v)) return v;
  const out: Obj = {};
  let removed = false;
  for (const k in v) {
    const n = toRemove[fieldKey(k)];
    if (n === undefined) { out[k] = v[k]; continue; }
    removed = true;
    if (isMember(n)) continue;
    const ft = fieldType(c, k);
    const r = ft === undefined ? v[k] : removeItems(v[k], n, ft);
    if (r !== undefined) out[k] = r;
  }
  return removed && !hasKeys(out) && hasKeys(v) ? undefined : out;
}
