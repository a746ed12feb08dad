/**
 * Element order of merged lists in a strategic merge patch, exactly as
 * k8s.io/apimachinery/pkg/util/strategicpatch/patch.go (normalizeElementOrder, normalizeSliceOrder,
 * mergeSortedSlice, partition*ByPresentInList, index) orders them:
 *  - items present in the patch (or `$setElementOrder`) are sorted by that order, server-only items
 *    by the live order, then the two runs are interleaved using the live order;
 *  - upstream sorts with Go's sort.SliceStable and a comparator that answers "less" whenever an
 *    item is missing from the order list (not a strict weak order), so the outcome depends on the
 *    algorithm: goSliceStable replays Go's insertion-sort + symMerge steps. When every item is in
 *    the order list the comparator is consistent and a plain stable sort gives the same result.
 * `index()` lookups are precomputed into Maps (first occurrence wins, as the linear scan does).
 */
import { errBadArgType, errNoMergeKey, smpError } from './strategic-errors.js';

type Obj = Record<string, unknown>;
const hasOwn = Object.prototype.hasOwnProperty;

export function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** "map" when list items are JSON objects (merge by key), else "scalar". */
export type ElemKind = 'map' | 'scalar';

/** index()'s getValFn: the merge key value for maps (nil when absent), the item itself otherwise. */
function keyOf(item: unknown, mergeKey: string, kind: ElemKind): unknown {
  if (kind === 'map') return isObj(item) ? item[mergeKey] : undefined;
  return item;
}

/** Position of each key value in `order` (first occurrence), i.e. upstream index() as a Map. */
function orderIndex(order: readonly unknown[], mergeKey: string, kind: ElemKind): Map<unknown, number> {
  const m = new Map<unknown, number>();
  for (let i = 0; i < order.length; i++) {
    const k = keyOf(order[i], mergeKey, kind);
    if (!m.has(k)) m.set(k, i);
  }
  return m;
}

/** Go sort.SliceStable(data, less) over index-based less: insertion sort of 20-blocks, then symMerge. */
export function goSliceStable<T>(data: T[], less: (a: T, b: T) => boolean): void {
  const n = data.length;
  const lessAt = (i: number, j: number): boolean => less(data[i] as T, data[j] as T);
  const swap = (i: number, j: number): void => {
    const t = data[i] as T;
    data[i] = data[j] as T;
    data[j] = t;
  };
  const insertion = (a: number, b: number): void => {
    for (let i = a + 1; i < b; i++) for (let j = i; j > a && lessAt(j, j - 1); j--) swap(j, j - 1);
  };
  const swapRange = (a: number, b: number, k: number): void => {
    for (let i = 0; i < k; i++) swap(a + i, b + i);
  };
  const rotate = (a: number, m: number, b: number): void => {
    let i = m - a;
    let j = b - m;
    while (i !== j) {
      if (i > j) {
        swapRange(m - i, m, j);
        i -= j;
      } else {
        swapRange(m - i, m + j - i, i);
        j -= i;
      }
    }
    swapRange(m - i, m, i);
  };
  const symMerge = (a: number, m: number, b: number): void => {
    if (m - a === 1) {
      let i = m;
      let j = b;
      while (i < j) {
        const h = (i + j) >>> 1;
        if (lessAt(h, a)) i = h + 1;
        else j = h;
      }
      for (let k = a; k < i - 1; k++) swap(k, k + 1);
      return;
    }
    if (b - m === 1) {
      let i = a;
      let j = m;
      while (i < j) {
        const h = (i + j) >>> 1;
        if (!lessAt(m, h)) i = h + 1;
        else j = h;
      }
      for (let k = m; k > i; k--) swap(k, k - 1);
      return;
    }
    const mid = (a + b) >>> 1;
    const nn = mid + m;
    let start: number;
    let r: number;
    if (m > mid) {
      start = nn - b;
      r = mid;
    } else {
      start = a;
      r = m;
    }
    const p = nn - 1;
    while (start < r) {
      const c = (start + r) >>> 1;
      if (!lessAt(p - c, c)) start = c + 1;
      else r = c;
    }
    const end = nn - start;
    if (start < m && m < end) rotate(start, m, end);
    if (a < start && start < mid) symMerge(a, start, mid);
    if (mid < end && end < b) symMerge(mid, end, b);
  };
  let blockSize = 20;
  let a = 0;
  let b = blockSize;
  while (b <= n) {
    insertion(a, b);
    a = b;
    b += blockSize;
  }
  insertion(a, n);
  while (blockSize < n) {
    a = 0;
    b = 2 * blockSize;
    while (b <= n) {
      symMerge(a, a + blockSize, b);
      a = b;
      b += 2 * blockSize;
    }
    const m = a + blockSize;
    if (m < n) symMerge(a, m, n);
    blockSize *= 2;
  }
}

/** validateMergeKeyInLists: every item of every list is a map carrying the merge key. */
function validateMergeKeyInLists(mergeKey: string, ...lists: readonly unknown[][]): void {
  for (const list of lists) {
    for (const item of list) {
      if (!isObj(item)) throw errBadArgType('map', item);
      if (!hasOwn.call(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
    }
  }
}

/** normalizeSliceOrder: sort `toSort` by `order`; for maps, `$patch: delete` items go last. Returns a new array. */
function normalizeSliceOrder(toSort: unknown[], order: unknown[], mergeKey: string, kind: ElemKind): unknown[] {
  let items = toSort;
  let toDelete: unknown[] = [];
  if (kind === 'map') {
    validateMergeKeyInLists(mergeKey, toSort, order);
    items = [];
    for (const v of toSort) {
      if ((v as Obj)['$patch'] === 'delete') toDelete.push(v);
      else items.push(v);
    }
  } else {
    items = toSort.slice();
    toDelete = [];
  }
  if (items.length > 1) {
    const idx = orderIndex(order, mergeKey, kind);
    const pos = items.map((v) => idx.get(keyOf(v, mergeKey, kind)) ?? -1);
    if (pos.every((p) => p >= 0)) {
      // Consistent comparator: any stable sort by position gives Go's result.
      let sorted = true;
      for (let i = 1; i < pos.length && sorted; i++) if ((pos[i] as number) < (pos[i - 1] as number)) sorted = false;
      if (!sorted) {
        const pairs = items.map((v, i) => ({ v, p: pos[i] as number }));
        pairs.sort((x, y) => x.p - y.p);
        items = pairs.map((x) => x.v);
      }
    } else {
      const pairs = items.map((v, i) => ({ v, p: pos[i] as number }));
      goSliceStable(pairs, (x, y) => (x.p >= 0 && y.p >= 0 ? x.p < y.p : true));
      items = pairs.map((x) => x.v);
    }
  }
  return toDelete.length ? items.concat(toDelete) : items;
}

/** mergeSortedSlice: interleave server-only items (`left`) into patch items (`right`) by the live order. */
function mergeSortedSlice(left: unknown[], right: unknown[], serverOrder: unknown[], mergeKey: string, kind: ElemKind): unknown[] {
  if (left.length === 0) return right;
  if (right.length === 0) return left;
  const idx = orderIndex(serverOrder, mergeKey, kind);
  const at = (v: unknown): number => idx.get(keyOf(v, mergeKey, kind)) ?? -1;
  const out: unknown[] = new Array<unknown>(left.length + right.length);
  let i = 0;
  let j = 0;
  for (let k = 0; k < out.length; k++) {
    if (i >= left.length) out[k] = right[j++];
    else if (j >= right.length) out[k] = left[i++];
    else {
      const li = at(left[i]);
      const ri = at(right[j]);
      if (li >= 0 && ri >= 0 && li < ri) out[k] = left[i++];
      else out[k] = right[j++];
    }
  }
  return out;
}

/** normalizeElementOrder: patch items by patchOrder, server-only items by serverOrder, then interleaved. */
export function normalizeElementOrder(patch: unknown[], serverOnly: unknown[], patchOrder: unknown[], serverOrder: unknown[], mergeKey: string, kind: ElemKind): unknown[] {
  const p = normalizeSliceOrder(patch, patchOrder, mergeKey, kind);
  const s = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(s, p, serverOrder, mergeKey, kind);
}

/** partitionPrimitivesByPresentInList: [items present in partitionBy, the others]. */
export function partitionPrimitives(list: unknown[], partitionBy: unknown[]): [unknown[], unknown[]] {
  const inPatch = new Set(partitionBy);
  const patch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of list) (inPatch.has(v) ? patch : serverOnly).push(v);
  return [patch, serverOnly];
}

/**
 * partitionMapsByPresentInList, with findMapInSliceBasedOnKeyValue's errors: every listed item
 * must be a map with the merge key; scanning `partitionBy` fails on a non-map met before a match.
 */
export function partitionMaps(list: unknown[], partitionBy: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const first = new Map<unknown, number>();
  let badAt = -1;
  for (let i = 0; i < partitionBy.length; i++) {
    const v = partitionBy[i];
    if (!isObj(v)) {
      badAt = i;
      break;
    }
    if (hasOwn.call(v, mergeKey) && !first.has(v[mergeKey])) first.set(v[mergeKey], i);
  }
  const patch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of list) {
    if (!isObj(v)) throw errBadArgType('map', v);
    if (!hasOwn.call(v, mergeKey)) throw errNoMergeKey(v, mergeKey);
    const at = first.get(v[mergeKey]);
    if (at === undefined && badAt >= 0) throw smpError(`value for key ${badAt} is not a map`);
    (at !== undefined ? patch : serverOnly).push(v);
  }
  return [patch, serverOnly];
}
