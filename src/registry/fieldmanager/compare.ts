/**
 * typed.Compare of structured-merge-diff (compare.go): which leaf paths (and list items, map
 * entries) were added, modified or removed between two values of one schema.
 */
import { fieldKey, insertPath, isMember, isObj, SELF, type Fields, type PathKey } from './fieldset.js';
import { concrete, type ListNode, type TypeNode } from './schema.js';
import { asMember, deepEqual, fieldType, hasKeys, itemKey } from './typed.js';

export interface Comparison { added: Fields; modified: Fields; removed: Fields }

function emptyCollection(v: unknown): boolean {
  return v === undefined || v === null || (Array.isArray(v) ? v.length === 0 : isObj(v) && !hasKeys(v));
}


/**
 * lhs → rhs differences (TypedValue.Compare). One deviation, on purpose: an added or removed
 * *struct* (a map with declared fields) is not itself recorded, only what it holds — upstream's
 * Go zero values make most structs pre-exist, so their own paths rarely show up there either.
 */
export function compare(lhs: unknown, rhs: unknown, t: TypeNode, mask?: Fields): Comparison {
  const c: Comparison = { added: {}, modified: {}, removed: {} };
  cmp(lhs, rhs, t, [], c, false, mask);
  return c;
}

/** Attaches a whole subtree (what one side alone has) at `path` of a comparison set. */
function attach(root: Fields, path: PathKey[], node: Fields): void {
  if (path.length === 0) { Object.assign(root, node); return; }
  let n = root;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i];
    let c = n[k];
    if (c === undefined) { c = {}; n[k] = c; } else if (!hasKeys(c)) c[SELF] = {};
    n = c;
  }
  const last = path[path.length - 1];
  const prev = n[last];
  if (prev === undefined) n[last] = node;
  else {
    if (!hasKeys(prev) || prev[SELF] !== undefined || isMember(node)) node = asMember(node);
    Object.assign(prev, node);
  }
}

/**
 * The comparison entries of a value only one side has: every leaf, and every container the
 * compare walk would record itself (maps with free keys, lists, and anything inside a list item).
 * undefined when nothing is recorded (a null: Go's zero value).
 */
function subtree(v: unknown, t: TypeNode, inItem: boolean): Fields | undefined {
  if (v === null || v === undefined) return undefined;
  const c = concrete(t, v);
  if (c.kind === 'scalar') return {};
  if (c.kind === 'list') {
    if (c.rel === 'atomic' || !Array.isArray(v) || v.length === 0) return {};
    const out: Fields = {};
    const seen = new Set<string>();
    for (const item of v) {
      let k: string;
      try { k = itemKey(c, item); } catch { continue; }
      if (seen.has(k)) { out[k] = {}; continue; }
      seen.add(k);
      out[k] = asMember(subtree(item, c.elem, true));
    }
    return asMember(out);
  }
  if (c.atomic || !isObj(v) || !hasKeys(v)) return {};
  const out: Fields = {};
  for (const k in v) {
    const ft = fieldType(c, k);
    const child = ft === undefined ? (v[k] === null ? undefined : {}) : subtree(v[k], ft, inItem);
    if (child !== undefined) out[fieldKey(k)] = child;
  }
  if (!hasKeys(out)) return undefined;
  return c.elem !== undefined || inItem ? asMember(out) : out;
}

/**
 * `inItem`: below a list item that only one side has (there every container counts, as upstream).
 * `mask` (optional): only paths inside this set matter to the caller, so children whose path
 * element it lacks are not visited; what is recorded for visited paths is unchanged.
 */
function cmp(l: unknown, r: unknown, t: TypeNode, path: PathKey[], out: Comparison, inItem: boolean, mask: Fields | undefined): void {
  if (l === r) return;
  if (l === undefined || r === undefined) {
    const n = subtree(l ?? r, t, inItem);
    if (n !== undefined) attach(l === undefined ? out.added : out.removed, path, n);
    return;
  }
  const cl = l === undefined ? undefined : concrete(t, l);
  const cr = r === undefined ? undefined : concrete(t, r);
  const c = cr ?? cl;
  if (c === undefined) return;
  if (cl !== undefined && cr !== undefined && cl !== cr && (cl.kind !== cr.kind)) { leaf(l, r, path, out); return; }
  if (c.kind === 'scalar') { leaf(l, r, path, out); return; }
  if (c.kind === 'list') {
    if (c.rel === 'atomic' || (emptyCollection(l) && emptyCollection(r)) || !(Array.isArray(l) || l == null) || !(Array.isArray(r) || r == null)) { leaf(l, r, path, out); return; }
    cmpList(c, Array.isArray(l) ? l : [], Array.isArray(r) ? r : [], path, out, inItem, mask);
    if (l === undefined) insertPath(out.added, path);
    else if (r === undefined) insertPath(out.removed, path);
    return;
  }
  if (c.atomic || (emptyCollection(l) && emptyCollection(r)) || !(isObj(l) || l == null) || !(isObj(r) || r == null)) { leaf(l, r, path, out); return; }
  const lo = isObj(l) ? l : undefined;
  const ro = isObj(r) ? r : undefined;
  if (lo) {
    for (const k in lo) {
      const lv = lo[k];
      if (lv === undefined) continue;
      const fk = fieldKey(k);
      const m = mask?.[fk];
      if (mask && !m) continue;
      const ft = fieldType(c, k);
      path.push(fk);
      if (ft === undefined) leaf(lv, ro?.[k], path, out);
      else cmp(lv, ro?.[k], ft, path, out, inItem, m);
      path.pop();
    }
  }
  if (ro) {
    for (const k in ro) {
      const rv = ro[k];
      if (rv === undefined || (lo !== undefined && lo[k] !== undefined)) continue;
      const fk = fieldKey(k);
      const m = mask?.[fk];
      if (mask && !m) continue;
      const ft = fieldType(c, k);
      path.push(fk);
      if (ft === undefined) leaf(undefined, rv, path, out);
      else cmp(undefined, rv, ft, path, out, inItem, m);
      path.pop();
    }
  }
  if (path.length > 0 && (c.elem !== undefined || inItem)) {
    if (l === undefined) insertPath(out.added, path);
    else if (r === undefined) insertPath(out.removed, path);
  }
}

/** A null on one side only stands for Go's zero value of a non-omitempty field: no change. */
function leaf(l: unknown, r: unknown, path: PathKey[], out: Comparison): void {
  if (l === undefined) { if (r !== null) insertPath(out.added, path); }
  else if (r === undefined) { if (l !== null) insertPath(out.removed, path); }
  else if (!deepEqual(l, r)) insertPath(out.modified, path);
}

function groupItems(t: ListNode, items: unknown[]): Map<string, unknown[]> {
  const m = new Map<string, unknown[]>();
  for (const it of items) {
    let k: string;
    try { k = itemKey(t, it); } catch { continue; }
    const g = m.get(k);
    if (g) g.push(it); else m.set(k, [it]);
  }
  return m;
}

function cmpList(t: ListNode, l: unknown[], r: unknown[], path: PathKey[], out: Comparison, inItem: boolean, mask: Fields | undefined): void {
  const lg = groupItems(t, l);
  const rg = groupItems(t, r);
  const visit = (k: string): void => {
    const m = mask?.[k];
    if (mask && !m) return;
    const a = lg.get(k) ?? [];
    const b = rg.get(k) ?? [];
    path.push(k);
    if (a.length <= 1 && b.length <= 1) cmp(a[0], b[0], t.elem, path, out, inItem || a.length === 0 || b.length === 0, m);
    else if (a.length >= 2 && b.length >= 2) { if (!deepEqual(a, b)) insertPath(out.modified, path); }
    else if (a.length >= 2) { if (b.length) cmp(undefined, b[0], t.elem, path, out, true, m); insertPath(out.removed, path); }
    else { if (a.length) cmp(a[0], undefined, t.elem, path, out, true, m); insertPath(out.added, path); }
    path.pop();
  };
  for (const k of lg.keys()) visit(k);
  for (const k of rg.keys()) if (!lg.has(k)) visit(k);
}
