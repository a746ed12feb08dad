/**
 * An applied configuration typed in one walk (structured-merge-diff's validate.go,
 * TypedValue.ToFieldSet and TypedValue.Merge of the live object with it): the errors, the
 * configuration's field set and the merged object. One walk instead of three because server-side
 * apply of a large object (a Deployment with 200 containers) is bound by these walks
 * (issue 3: ≥ 2,000 applies/s); typed.ts keeps the separate functions the rest uses.
 *
 * Results: validate.go's messages; toFieldSet's set (only meaningful without errors);
 * merge(live, config) — except where the live object has a list item without
 * its key fields: then `merged` is undefined and the caller runs merge() to get its error.
 */
import { fieldKey, isObj, ordered, pathString, SELF, type Fields, type PathKey } from './fieldset.js';
import { concrete, type ListNode, type MapNode, type ScalarNode, type TypeNode } from './schema.js';
import { deepEqual, formatItemKey, hasKeys, itemKeyFormat, merge, type ItemKeyFormat } from './typed.js';

type Obj = Record<string, unknown>;

export interface TypedApply {
  errs: string[];
  /** In FieldsV1 order when built without a reference (nodes taken from `ref` keep theirs). */
  set: Fields;
  /** merge(live, config); undefined when the live object cannot be typed (see the header). */
  merged: unknown;
}

/**
 * `config` validated, its field set, and `live` merged with it (live undefined: nothing to merge
 * into, merged = config).
 *
 * `ref` (optional, e.g. what the same manager applied last time, possibly undecoded FieldsV1):
 * wherever the new set equals it, the returned set reuses ref's nodes (identical objects) instead
 * of building its own, so a re-apply of an unchanged configuration allocates almost nothing and
 * the caller's equality check stops at the first shared node. ref is never modified.
 */
export function typedApply(config: unknown, t: TypeNode, ref?: Fields, live?: unknown): TypedApply {
  const w: Walk = { errs: [], path: [], merged: undefined, untyped: false };
  const set = walk(w, config, t, ref, false, live) ?? {};
  return { errs: w.errs, set, merged: w.untyped ? undefined : w.merged };
}

interface Walk {
  errs: string[];
  path: PathKey[];
  /** The merged value of the node walked last (walk's second result). */
  merged: unknown;
  /** A live list item had no key: merged is not computed. */
  untyped: boolean;
}

function goType(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

function prefix(path: PathKey[]): string {
  return path.length ? `${pathString(path)}: ` : '';
}

/**
 * One node: errors pushed, the field set returned (as fsValue, then asMember when `member`),
 * reusing `ref` where equal; w.merged = merge(lhs, v) as typed.merge computes it.
 */
function walk(w: Walk, v: unknown, t: TypeNode, ref: Fields | undefined, member: boolean, lhs: unknown): Fields | undefined {
  if (v === null || v === undefined) {
    w.merged = v === undefined ? lhs : v;
    return leafNode(ref);
  }
  const untypedNode = t.kind === 'deduced' || t.kind === 'atomic';
  const c = untypedNode ? concrete(t, v) : t as ScalarNode | MapNode | ListNode;
  const hasLhs = lhs !== undefined && lhs !== null;
  // typed.merge: a value of another kind than the live one replaces it.
  const cl = !hasLhs ? undefined : untypedNode ? concrete(t, lhs) : c;
  const replaces = !hasLhs || (cl !== c && cl?.kind !== c.kind);
  if (c.kind === 'scalar') {
    const ok = c.scalar === 'numeric' ? typeof v === 'number' : c.scalar === 'string' ? typeof v === 'string' : c.scalar === 'boolean' ? typeof v === 'boolean' : typeof v !== 'object';
    if (!ok) {
      const want = c.scalar === 'numeric' ? 'numeric (int or float)' : c.scalar === 'untyped' ? 'any scalar' : c.scalar;
      w.errs.push(`${prefix(w.path)}expected ${want}, got ${goType(v)}`);
    }
    w.merged = !replaces && lhs === v ? lhs : v;
    return leafNode(ref);
  }
  if (c.kind === 'list') return walkList(w, v, c, ref, member, replaces ? undefined : lhs);
  w.merged = v;
  if (!isObj(v)) { w.errs.push(`${prefix(w.path)}expected map, got ${goType(v)}`); return {}; }
  const granular = !replaces && !c.atomic && isObj(lhs);
  let built: Fields | undefined;
  let count = 0;
  let changes: Obj | undefined;
  const fields = fieldInfos(c);
  for (const k in v) {
    const f = fields.get(k) ?? fieldInfo(fields, c, k);
    const declared = f.declared;
    const ft = f.type;
    const fk = f.key;
    w.path.push(fk);
    if (ft === undefined) { w.errs.push(`${pathString(w.path)}: field not declared in schema`); w.path.pop(); return {}; }
    const val = v[k];
    const childMember = val === null || (isObj(val) && !hasKeys(val)) || !declared;
    const r = c.atomic ? undefined : refNode(ref, fk);
    const lv = granular ? (lhs as Obj)[k] : undefined;
    const child = walk(w, val, ft, r, childMember, lv);
    w.path.pop();
    // merge: undefined keeps the live value, null removes it, a new key takes the configuration's.
    if (granular && val !== undefined && (val === null ? lv !== undefined : w.merged !== lv)) (changes ??= {})[k] = val === null ? undefined : w.merged;
    if (val === undefined || c.atomic) continue;
    if (built === undefined && child === r) { if (child !== undefined) count++; continue; }
    if (built === undefined) built = copyMatchedFields(v, ref, k, member);
    if (child !== undefined) built[fk] = child;
  }
  w.merged = granular ? mergedMap(lhs as Obj, v, changes) : !replaces && deepEqual(lhs, v) ? lhs : v;
  if (c.atomic) return leafNode(ref);
  if (built === undefined && matchesRef(ref, count, member)) return ref;
  if (built === undefined && count > 0) built = copyMatchedFields(v, ref, undefined, member);
  return seal(built, member);
}

interface FieldInfo { key: PathKey; type: TypeNode | undefined; declared: boolean }

/** Per map node, its fields' path elements and types (one lookup per key instead of two). */
const fieldTables = new WeakMap<MapNode, Map<string, FieldInfo>>();

function fieldInfos(c: MapNode): Map<string, FieldInfo> {
  let m = fieldTables.get(c);
  if (m === undefined) { m = new Map(); fieldTables.set(c, m); }
  return m;
}

function fieldInfo(table: Map<string, FieldInfo>, c: MapNode, k: string): FieldInfo {
  const declared = c.field(k);
  const info = { key: fieldKey(k), type: declared ?? c.elem, declared: declared !== undefined };
  // Free-form keys (labels, annotations, data) are not kept: their number is unbounded.
  if (declared !== undefined) table.set(k, info);
  return info;
}

/**
 * typed.merge of two granular maps from the per-key changes: live's keys in live's order (a
 * change replaces the value, undefined drops the key), then the configuration's new keys.
 */
function mergedMap(lhs: Obj, rhs: Obj, changes: Obj | undefined): Obj {
  if (changes === undefined) return lhs;
  const out: Obj = {};
  for (const k in lhs) {
    const lv = lhs[k];
    if (lv === undefined) continue;
    if (!(k in changes)) { out[k] = lv; continue; }
    const m = changes[k];
    if (m !== undefined) out[k] = m;
  }
  for (const k in changes) {
    if (lhs[k] !== undefined) continue;
    const m = changes[k];
    if (m !== undefined && rhs[k] !== undefined) out[k] = m;
  }
  return out;
}

/** A list node (see walk); `lhs` undefined when the live value is replaced outright. */
function walkList(w: Walk, v: unknown, c: ListNode, ref: Fields | undefined, member: boolean, lhs: unknown): Fields | undefined {
  w.merged = v;
  if (!Array.isArray(v)) { w.errs.push(`${prefix(w.path)}expected list, got ${goType(v)}`); return {}; }
  if (c.rel === 'atomic') {
    for (let i = 0; i < v.length; i++) {
      w.path.push(`i:${i}`);
      walk(w, v[i], c.elem, undefined, false, undefined);
      w.path.pop();
    }
    w.merged = lhs !== undefined && deepEqual(lhs, v) ? lhs : v;
    return leafNode(ref);
  }
  const keys: PathKey[] = [];
  const format = itemKeyFormat(c);
  for (let i = 0; i < v.length; i++) {
    try { keys.push(formatItemKey(c, format, v[i])); } catch (e) { w.errs.push(`${prefix(w.path)}element ${i}: ${(e as Error).message}`); return {}; }
  }
  // Live items in the same order under the same keys (a re-apply): merged item by item here;
  // otherwise typed.merge orders the items (merge.go visitListItems).
  const l = Array.isArray(lhs) ? lhs : undefined;
  const pairwise = l !== undefined && l.length === v.length && l.length > 0 && sameLiveKeys(c, format, l, keys);
  let built: Fields | undefined;
  let count = 0;
  let out: unknown[] | undefined;
  const seen = new Set<string>();
  for (let i = 0; i < v.length; i++) {
    const k = keys[i];
    const dup = seen.has(k);
    seen.add(k);
    if (dup) w.errs.push(`${prefix(w.path)}duplicate entries for key ${pathString([k])}`);
    const r = refNode(ref, k);
    w.path.push(k);
    const child = walk(w, v[i], c.elem, r, true, pairwise ? (l as unknown[])[i] : undefined) as Fields;
    w.path.pop();
    if (pairwise) {
      const m = w.merged;
      if (m !== (l as unknown[])[i] || m === undefined) out ??= (l as unknown[]).slice(0, i);
      if (out && m !== undefined) out.push(m);
    }
    if (dup) continue;
    if (built === undefined && child === r) { count++; continue; }
    if (built === undefined) built = copyMatched(ref, seen, k, member);
    built[k] = child;
  }
  w.merged = pairwise ? out ?? l : mergeWhole(w, lhs, v, c);
  if (built === undefined && matchesRef(ref, count, member)) return ref;
  if (built === undefined && count > 0) built = copyMatched(ref, seen, undefined, member);
  return seal(built, member);
}

/**
 * Whether the live items have exactly these keys in this order (false when one has no key).
 * Duplicate keys need no check here: the configuration's are validation errors.
 */
function sameLiveKeys(c: ListNode, format: ItemKeyFormat, l: unknown[], keys: PathKey[]): boolean {
  for (let i = 0; i < l.length; i++) {
    let k: PathKey;
    try { k = formatItemKey(c, format, l[i]); } catch { return false; }
    if (k !== keys[i]) return false;
  }
  return true;
}

/** typed.merge of a whole list; a live list that cannot be typed marks the walk. */
function mergeWhole(w: Walk, lhs: unknown, v: unknown[], c: ListNode): unknown {
  if (lhs === undefined) return v;
  try { return merge(lhs, v, c); } catch { w.untyped = true; return undefined; }
}

/** A node of `ref` to match, if it is a FieldsV1 object at all. */
function refNode(ref: Fields | undefined, k: string): Fields | undefined {
  const r: unknown = ref?.[k];
  return isObj(r) ? r as Fields : undefined;
}

/** Whether ref equals the node of `count` children, all matched to ref's (and of that membership). */
function matchesRef(ref: Fields | undefined, count: number, member: boolean): ref is Fields {
  if (ref === undefined) return false;
  let n = 0;
  let self = false;
  for (const k in ref) { if (k === SELF) self = true; else n++; }
  return n === count && (count === 0 ? !self && member : self === member);
}

/**
 * A new node, `.` first when it will be a member (the FieldsV1 order, so encoding can keep it).
 */
function fresh(member: boolean): Fields {
  return member ? { [SELF]: {} } : {};
}

/**
 * A built node (from fresh(member)) made final, in FieldsV1 order; a member without children is
 * `{}`, an empty non-member undefined.
 */
function seal(built: Fields | undefined, member: boolean): Fields | undefined {
  if (built === undefined) return member ? {} : undefined;
  for (const k in built) if (k !== SELF) return ordered(built);
  return member ? {} : undefined;
}

/** A leaf (`{}`): ref's own when it is one. */
function leafNode(ref: Fields | undefined): Fields {
  return ref !== undefined && !hasKeys(ref) ? ref : {};
}

/** The list items matched so far (every key in `seen` but `stop`), copied from ref. */
function copyMatched(ref: Fields | undefined, seen: Set<string>, stop: string | undefined, member: boolean): Fields {
  const out = fresh(member);
  for (const k of seen) if (k !== stop && ref?.[k] !== undefined) out[k] = ref[k];
  return out;
}

/** The map entries matched so far (the keys of `v` before `stop` that ref has), copied from ref. */
function copyMatchedFields(v: Obj, ref: Fields | undefined, stop: string | undefined, member: boolean): Fields {
  const out = fresh(member);
  for (const k in v) {
    if (k === stop) break;
    const fk = fieldKey(k);
    if (v[k] !== undefined && ref?.[fk] !== undefined) out[fk] = ref[fk];
  }
  return out;
}
