/**
 * Ownership bookkeeping of one write, as structured-merge-diff merge/update.go (Updater.update,
 * Update, Apply, prune) over the Managed map of managed.ts. Pure: values in, values out.
 */
import { difference, intersection, isEmptySet, isMember, recursiveDifference, SELF, union, type Fields } from './fieldset.js';
import { checkedFields, type Managed, type ManagerSet } from './managed.js';
import type { TypeNode } from './schema.js';
import { compare } from './compare.js';
import { removeItems } from './typed.js';

/** Conflicts per manager identifier (merge.Conflicts grouped). */
export class ApplyConflicts extends Error {
  constructor(readonly byManager: Map<string, Fields>) {
    super('apply conflicts');
  }
}

function withSet(s: ManagerSet, fields: Fields): ManagerSet {
  return { ...s, fields, pristine: false };
}

/** What the other managers own together: the only paths whose changes can conflict or drop ownership. */
function othersFields(managed: Managed, self: string): Fields {
  let all: Fields = {};
  for (const [id, s] of managed) if (id !== self) all = union(all, s.fields);
  return all;
}

/**
 * Updater.update: the comparison live → new, conflicts with other managers on what changed,
 * and (when allowed) ownership of changed fields taken from them and of removed fields dropped.
 * `onlyOthers`: the caller needs no comparison beyond what other managers own, so the walk is
 * limited to their paths (for an apply of a 200-container Deployment whose only other manager
 * owns status, that skips the whole spec); the result then holds only those paths.
 */
export function updateOwnership(live: unknown, next: unknown, t: TypeNode, managed: Managed, self: string, force: boolean, ignored: Fields | undefined, onlyOthers = false): { added: Fields; modified: Fields; removed: Fields } {
  const mask = onlyOthers ? othersFields(managed, self) : undefined;
  const c = mask && isEmptySet(mask) ? { added: {}, modified: {}, removed: {} } : compare(live, next, t, mask);
  if (ignored) {
    c.added = recursiveDifference(c.added, ignored);
    c.modified = recursiveDifference(c.modified, ignored);
    c.removed = recursiveDifference(c.removed, ignored);
  }
  const changed = union(c.modified, c.added);
  const conflicts = new Map<string, Fields>();
  if (!isEmptySet(changed)) {
    for (const [id, s] of managed) {
      if (id === self) continue;
      const x = intersection(s.fields, changed);
      if (!isEmptySet(x)) conflicts.set(id, x);
    }
  }
  if (!force && conflicts.size) throw new ApplyConflicts(conflicts);
  for (const [id, x] of conflicts) {
    const s = managed.get(id) as ManagerSet;
    managed.set(id, withSet(s, difference(s.fields, x)));
  }
  if (!isEmptySet(c.removed)) {
    for (const [id, s] of managed) {
      if (id === self) continue;
      const d = difference(s.fields, c.removed);
      if (d !== s.fields) managed.set(id, withSet(s, d));
    }
  }
  for (const [id, s] of managed) if (isEmptySet(s.fields)) managed.delete(id);
  return c;
}

/** Updater.Update for manager `self`: it gains what changed. Returns whether it changed anything. */
export function trackUpdate(live: unknown, next: unknown, t: TypeNode, managed: Managed, self: string, entry: Omit<ManagerSet, 'fields' | 'pristine'>, ignored: Fields | undefined, strip: Fields): boolean {
  // As managedFieldsUpdater: the change is computed for a stand-in manager, so the real one loses
  // removed and overwritten fields like everyone else, then gets the changed ones.
  const c = updateOwnership(live, next, t, managed, '\u0000current-operation', true, ignored);
  let gained = union(c.modified, c.added);
  if (ignored) gained = recursiveDifference(gained, ignored);
  gained = difference(gained, strip);
  if (isEmptySet(gained)) return false;
  const prev = managed.get(self);
  managed.set(self, { ...entry, fields: prev ? union(prev.fields, gained) : gained, pristine: false });
  return true;
}

/**
 * Updater.Apply: given the configuration's field set (`configSet`) and the live object merged with
 * it (`merged`, typed-apply.ts), give the applier exactly the fields it applied, prune what it
 * applied last time and no longer does (unless someone else owns it), and detect conflicts.
 * Returns the new object.
 */
export function applyConfig(live: unknown, merged: unknown, configSet: Fields, t: TypeNode, managed: Managed, self: string, entry: Omit<ManagerSet, 'fields' | 'pristine'>, force: boolean, ignored: Fields | undefined, strip: Fields): unknown {
  const prev = managed.get(self);
  let lastSet = prev?.fields;
  let set = configSet;
  if (ignored) set = recursiveDifference(set, ignored);
  set = difference(set, strip);
  // Re-applying the same configuration (the common case) keeps the stored, already sorted set
  // (equal to one just built, it needs no FieldsV1 validation either).
  const same = lastSet !== undefined && sameFields(set, lastSet);
  if (same) set = lastSet as Fields;
  else if (prev?.unchecked) lastSet = checkedFields(prev);
  // Without a last set, configSet was built in FieldsV1 order (typed-apply.ts) and the
  // differences above keep key order: it is stored as it is.
  managed.set(self, { ...entry, fields: set, pristine: same ? prev?.pristine ?? false : prev === undefined });
  if (lastSet && !same) merged = prune(merged, t, managed, lastSet, set);
  updateOwnership(live, merged, t, managed, self, force, ignored, true);
  if (isEmptySet(set)) managed.delete(self);
  return merged;
}

/** Equality of two sets (key order aside); `b` may be undecoded FieldsV1 (non-objects are unequal). */
function sameFields(a: Fields, b: Fields): boolean {
  if (a === b) return true;
  if (b === null || typeof b !== 'object' || Array.isArray(b)) return false;
  let n = 0;
  for (const k in a) {
    const y = b[k];
    if (y === undefined || !sameFields(a[k], y)) return false;
    n++;
  }
  for (const _ in b) n--;
  return n === 0;
}

/** Paths of `candidates` nobody owns (a path stays when it, or something below it, is owned). */
function unowned(candidates: Fields, owned: Fields | undefined): Fields {
  const out: Fields = {};
  for (const k in candidates) {
    if (k === SELF) continue;
    const c = candidates[k];
    const o = owned?.[k];
    if (isMember(c)) {
      if (o === undefined) { out[k] = {}; continue; }
      if (isMember(o)) continue;
      // A list item goes whole unless someone owns the item itself (RemoveItems + addBack*).
      if (k[0] === 'k' || k[0] === 'v') { out[k] = {}; continue; }
      const sub = unowned(c, o);
      if (!isEmptySet(sub)) out[k] = sub;
      continue;
    }
    const sub = unowned(c, o);
    if (!isEmptySet(sub)) out[k] = sub;
  }
  return out;
}

/** Updater.prune: removes what the applier applied last time, no longer applies, and no one else owns. */
function prune(merged: unknown, t: TypeNode, managed: Managed, lastSet: Fields, set: Fields): unknown {
  const candidates = difference(lastSet, set);
  if (isEmptySet(candidates)) return merged;
  let owned: Fields = {};
  for (const s of managed.values()) owned = union(owned, s.fields);
  const toRemove = unowned(candidates, owned);
  if (isEmptySet(toRemove)) return merged;
  return removeItems(merged, toRemove, t) ?? {};
}
