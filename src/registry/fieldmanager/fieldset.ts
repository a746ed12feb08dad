/**
 * Sets of field paths, kept in the FieldsV1 shape itself (sigs.k8s.io/structured-merge-diff
 * fieldpath.Set and its serialize.go): a node is an object whose keys are path elements —
 * `f:<field>`, `k:<json of the sorted key fields>` (list-map items), `v:<json>` (set items),
 * `i:<n>` (list indexes) — and a node is a *member* of the set when it is empty (`{}`) or has
 * the key `.`. The root is never a member. Keeping this shape means decoding managedFields is free
 * (the stored JSON is the set) and encoding only sorts keys.
 *
 * Sets are treated as immutable values: operations return new nodes and may share untouched
 * subtrees with their inputs.
 */

/** A FieldsV1 node. */
export interface Fields { [pathElement: string]: Fields }

/** One path element (the key of a FieldsV1 node). */
export type PathKey = string;

export const SELF = '.';

function hasAnyKey(n: Fields): boolean {
  for (const _ in n) return true;
  return false;
}

/** Whether a (non-root) node is itself in the set. */
export function isMember(n: Fields): boolean {
  return n[SELF] !== undefined || !hasAnyKey(n);
}

export function isEmptySet(root: Fields): boolean {
  return !hasAnyKey(root);
}

/** Builds a node from membership and children (children may be undefined or empty). */
function makeNode(member: boolean, children: Fields | undefined): Fields | undefined {
  const has = children !== undefined && hasAnyKey(children);
  if (!has) return member ? {} : undefined;
  if (member) return { [SELF]: {}, ...children };
  return children;
}

function childrenOf(n: Fields): Fields | undefined {
  if (n[SELF] === undefined) return n;
  const out: Fields = {};
  for (const k in n) if (k !== SELF) out[k] = n[k];
  return out;
}

/** a ∪ b (fieldpath.Set.Union). */
export function union(a: Fields, b: Fields): Fields {
  if (a === b || !hasAnyKey(b)) return a;
  if (!hasAnyKey(a)) return b;
  const out: Fields = { ...a };
  for (const k in b) {
    if (k === SELF) continue;
    const x = a[k];
    out[k] = x === undefined ? b[k] : unionNode(x, b[k]);
  }
  return out;
}

function unionNode(x: Fields, y: Fields): Fields {
  if (x === y) return x;
  const member = isMember(x) || isMember(y);
  const kids = union(childrenOf(x) ?? {}, childrenOf(y) ?? {});
  return makeNode(member, kids) as Fields;
}

/** a − b: removes the members of b, not their descendants (fieldpath.Set.Difference). */
export function difference(a: Fields, b: Fields): Fields {
  if (a === b) return {};
  if (!hasAnyKey(b) || !hasAnyKey(a)) return a;
  let out: Fields | undefined;
  for (const k in b) {
    if (k === SELF) continue;
    const x = a[k];
    if (x === undefined) continue;
    const y = b[k];
    const member = isMember(x) && !isMember(y);
    const kids = difference(childrenOf(x) ?? {}, childrenOf(y) ?? {});
    const n = makeNode(member, kids);
    out ??= { ...a };
    if (n === undefined) delete out[k];
    else out[k] = n;
  }
  return out ?? a;
}

/** a ∩ b (fieldpath.Set.Intersection). */
export function intersection(a: Fields, b: Fields): Fields {
  const out: Fields = {};
  if (!hasAnyKey(a) || !hasAnyKey(b)) return out;
  const [small, big] = Object.keys(a).length <= Object.keys(b).length ? [a, b] : [b, a];
  for (const k in small) {
    if (k === SELF) continue;
    const y = big[k];
    if (y === undefined) continue;
    const x = small[k];
    const member = isMember(x) && isMember(y);
    const n = makeNode(member, intersection(childrenOf(x) ?? {}, childrenOf(y) ?? {}));
    if (n !== undefined) out[k] = n;
  }
  return out;
}

/** a minus every path of b and everything below it (fieldpath.Set.RecursiveDifference). */
export function recursiveDifference(a: Fields, b: Fields): Fields {
  if (!hasAnyKey(b) || !hasAnyKey(a)) return a;
  let out: Fields | undefined;
  for (const k in b) {
    if (k === SELF) continue;
    const x = a[k];
    if (x === undefined) continue;
    const y = b[k];
    out ??= { ...a };
    if (isMember(y)) { delete out[k]; continue; }
    const n = makeNode(isMember(x), recursiveDifference(childrenOf(x) ?? {}, y));
    if (n === undefined) delete out[k];
    else out[k] = n;
  }
  return out ?? a;
}

/** Whether the path (a list of keys) is a member. */
export function hasPath(root: Fields, path: readonly PathKey[]): boolean {
  let n: Fields | undefined = root;
  for (const k of path) {
    n = n[k];
    if (n === undefined) return false;
  }
  return path.length > 0 && isMember(n);
}

/** The subtree at a path (the node), or undefined. */
export function nodeAt(root: Fields, path: readonly PathKey[]): Fields | undefined {
  let n: Fields | undefined = root;
  for (const k of path) {
    n = n[k];
    if (n === undefined) return undefined;
  }
  return n;
}

/** Calls fn with every member path, in sorted order. */
export function forEachMember(root: Fields, fn: (path: PathKey[]) => void): void {
  const walk = (n: Fields, prefix: PathKey[]): void => {
    for (const k of sortedKeys(n)) {
      if (k === SELF) continue;
      const c = n[k];
      const p = [...prefix, k];
      if (isMember(c)) fn(p);
      walk(c, p);
    }
  };
  walk(root, []);
}

/** Inserts a path as a member, mutating `root` (for builders that own their sets). */
export function insertPath(root: Fields, path: readonly PathKey[]): void {
  let n = root;
  for (let i = 0; i < path.length; i++) {
    const k = path[i];
    let c = n[k];
    const last = i === path.length - 1;
    if (c === undefined) {
      c = {};
      n[k] = c; // a fresh intermediate node gets a child next: not a member
    } else if (last && hasAnyKey(c) && c[SELF] === undefined) {
      c[SELF] = {};
    } else if (!last && !hasAnyKey(c)) {
      // c was a member leaf and gets children: keep it a member.
      c[SELF] = {};
    }
    n = c;
  }
}

// --- ordering and (de)serialisation -------------------------------------------------------------

const RANK: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

/** value.Compare of structured-merge-diff (numbers < strings < booleans < lists < maps < null). */
export function compareValues(a: unknown, b: unknown): number {
  const ta = valueRank(a);
  const tb = valueRank(b);
  if (ta !== tb) return ta - tb;
  switch (ta) {
    case 0: return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
    case 1: return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
    case 2: return a === b ? 0 : a ? 1 : -1;
    case 3: {
      const x = a as unknown[];
      const y = b as unknown[];
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = compareValues(x[i], y[i]);
        if (c) return c;
      }
      return x.length - y.length;
    }
    case 4: return compareFieldLists(fieldList(a as Record<string, unknown>), fieldList(b as Record<string, unknown>));
    default: return 0;
  }
}

type FieldList = ReadonlyArray<readonly [string, unknown]>;

/** A map as value.FieldList: entries sorted by name. */
function fieldList(o: Record<string, unknown>): FieldList {
  return Object.keys(o).sort().map((k) => [k, o[k]] as const);
}

function valueRank(v: unknown): number {
  if (typeof v === 'number') return 0;
  if (typeof v === 'string') return 1;
  if (typeof v === 'boolean') return 2;
  if (Array.isArray(v)) return 3;
  if (v !== null && typeof v === 'object') return 4;
  return 5;
}

/** FieldList.Compare: names, then values, entry by entry; the shorter list first. */
function compareFieldLists(a: FieldList, b: FieldList): number {
  for (let i = 0; ; i++) {
    if (i >= a.length && i >= b.length) return 0;
    if (i >= a.length) return -1;
    if (i >= b.length) return 1;
    if (a[i][0] !== b[i][0]) return a[i][0] < b[i][0] ? -1 : 1;
    const c = compareValues(a[i][1], b[i][1]);
    if (c) return c;
  }
}

/** PathElement.Compare on serialised keys: fields, then keys, then values, then indexes. */
export function comparePathKeys(a: PathKey, b: PathKey): number {
  const ra = RANK[a[0]] ?? 9;
  const rb = RANK[b[0]] ?? 9;
  if (ra !== rb) return ra - rb;
  if (a === b) return 0;
  switch (ra) {
    case 0: return a < b ? -1 : 1;
    case 1: return compareFieldLists(parsedKey(a) as FieldList, parsedKey(b) as FieldList);
    case 3: return Number(a.slice(2)) - Number(b.slice(2));
    default: return compareValues(parsedKey(a), parsedKey(b));
  }
}

const parsedKeys = new Map<string, unknown>();

/**
 * The JSON of a `k:` (as a sorted FieldList) or `v:` element, parsed once: sorting a large set
 * compares the same keys often.
 */
function parsedKey(k: PathKey): unknown {
  let v = parsedKeys.get(k);
  if (v === undefined) {
    if (parsedKeys.size > 50_000) parsedKeys.clear();
    v = JSON.parse(k.slice(2)) as unknown;
    if (k[0] === 'k') v = fieldList(isObj(v) ? v : {});
    parsedKeys.set(k, v);
  }
  return v;
}

/** A JSON object (not null, not an array). */
export function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function sortedKeys(n: Fields): string[] {
  const keys = Object.keys(n);
  if (keys.length < 2) return keys;
  // Field names only (the usual node): their order is plain string order, which sort() gives
  // without a comparator call per pair.
  let fieldsOnly = true;
  for (const k of keys) {
    const c = k.charCodeAt(0);
    if (c !== 0x66 /* f */ && c !== 0x2e /* . */) { fieldsOnly = false; break; }
  }
  if (fieldsOnly) keys.sort();
  else keys.sort(comparePathKeys);
  return keys;
}

/** The FieldsV1 JSON value of a set, keys in upstream order (`.` first, then PathElement order). */
export function toFieldsV1(root: Fields): Fields {
  // Nodes already in that order (kubectl sends keys sorted; sets reuse encoded nodes) are kept
  // themselves when their children are too: sets are immutable values, sharing is safe.
  const node = ordered(root);
  let out: Fields | undefined = node === root ? undefined : node;
  for (const k in node) {
    if (k === SELF) continue;
    const c = node[k];
    const e = toFieldsV1(c);
    if (e !== c) (out ??= { ...node })[k] = e;
  }
  return out ?? node;
}

/** The node itself when its keys are in FieldsV1 order, else a copy in that order (children shared). */
export function ordered(n: Fields): Fields {
  if (inOrder(n)) return n;
  const out: Fields = {};
  if (n[SELF] !== undefined) out[SELF] = {};
  for (const k of sortedKeys(n)) if (k !== SELF) out[k] = n[k];
  return out;
}

/** Whether a node's keys are `.` (if present) first, then in PathElement order. */
function inOrder(n: Fields): boolean {
  let prev: string | undefined;
  for (const k in n) {
    if (k === SELF) { if (prev !== undefined) return false; continue; }
    if (prev !== undefined && comparePathKeys(prev, k) >= 0) return false;
    prev = k;
  }
  return true;
}

/** A malformed FieldsV1 value. */
export class FieldsV1Error extends Error {}

/** Decodes a FieldsV1 value; throws a FieldsV1Error on a malformed one (FieldsToSet). */
export function fromFieldsV1(v: unknown): Fields {
  if (v === null || v === undefined) return {};
  check(v, 0);
  return v as Fields;
}

function check(v: unknown, depth: number): void {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new FieldsV1Error('FieldsV1 nodes must be objects');
  if (depth > 256) throw new FieldsV1Error('FieldsV1 too deep');
  for (const k in v as Fields) {
    if (k !== SELF && !(k.length >= 2 && k[1] === ':' && RANK[k[0]] !== undefined)) throw new FieldsV1Error(`invalid path element ${JSON.stringify(k)}`);
    check((v as Fields)[k], depth + 1);
  }
}

// --- path elements ------------------------------------------------------------------------------

const fieldKeys = new Map<string, PathKey>();

/**
 * `f:<name>`. The few thousand field names in use are kept: a fresh concatenation would be
 * hashed and internalised again each time it is used as a property key (a third of a field-set
 * walk's cost on a 200-container Deployment).
 */
export function fieldKey(name: string): PathKey {
  let k = fieldKeys.get(name);
  if (k === undefined) {
    if (fieldKeys.size >= 20_000) fieldKeys.clear();
    k = `f:${name}`;
    fieldKeys.set(name, k);
  }
  return k;
}

/** value.ToString: Go %q for strings, %v for the rest. */
function valueToString(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(valueToString).join(',')}]`;
  if (typeof v === 'object') return `{${Object.keys(v as object).sort().map((k) => `${k}=${valueToString((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return String(v);
}

/** fieldpath.Path.String of one element: `.name`, `[k=v,…]`, `[=v]`, `[n]`. */
export function pathElementString(k: PathKey): string {
  switch (k[0]) {
    case 'f': return `.${k.slice(2)}`;
    case 'k': {
      const o = JSON.parse(k.slice(2)) as Record<string, unknown>;
      return `[${Object.keys(o).map((n) => `${n}=${valueToString(o[n])}`).join(',')}]`;
    }
    case 'v': return `[=${valueToString(JSON.parse(k.slice(2)))}]`;
    case 'i': return `[${k.slice(2)}]`;
    default: return '{{invalid path element}}';
  }
}

export function pathString(path: readonly PathKey[]): string {
  return path.map(pathElementString).join('');
}
