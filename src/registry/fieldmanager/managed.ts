/**
 * metadata.managedFields ⇄ per-manager field sets, as k8s.io/apimachinery/pkg/util/managedfields/
 * internal: managedfields.go (decode/encode, entry order), BuildManagerIdentifier (manager +
 * operation + apiVersion (Update only) + subresource, as JSON), capmanagers.go (at most 10 Update
 * entries, the oldest merged into "ancient-changes" per apiVersion) and conflict.go's printManager.
 */
import type { ManagedFieldsEntry } from '../../api/types.js';
import { fromFieldsV1, isObj, toFieldsV1, union, type Fields } from './fieldset.js';

export type Operation = 'Apply' | 'Update';

export interface ManagerSet {
  manager: string;
  operation: Operation;
  apiVersion: string;
  subresource: string;
  time: string | undefined;
  fields: Fields;
  /** Whether `fields` still is the decoded (already sorted) FieldsV1 value. */
  pristine: boolean;
  /** Decoded without FieldsV1 validation (decodeManaged's `unchecked`): checkedFields before use. */
  unchecked?: boolean;
}

/** Manager identifier → its set. */
export type Managed = Map<string, ManagerSet>;

export const MAX_UPDATE_MANAGERS = 10;
const ANCIENT = 'ancient-changes';

/** BuildManagerIdentifier: JSON of the entry without fields and time (and apiVersion for Apply). */
export function managerId(manager: string, operation: Operation, apiVersion: string, subresource: string): string {
  const o: Record<string, string> = {};
  if (manager) o.manager = manager;
  o.operation = operation;
  if (operation === 'Update' && apiVersion) o.apiVersion = apiVersion;
  if (subresource) o.subresource = subresource;
  return JSON.stringify(o);
}

/**
 * DecodeManagedFields; throws an Error with the upstream wording on a bad entry. The FieldsV1 of
 * the entry whose identifier is `unchecked` is not walked now (an apply compares it with the
 * configuration's set first, which proves it well formed when equal): callers pass it through
 * checkedFields before any other use.
 */
export function decodeManaged(entries: readonly ManagedFieldsEntry[] | undefined | null, unchecked?: string): Managed {
  const out: Managed = new Map();
  if (!entries) return out;
  entries.forEach((e, i) => {
    if (e === null || typeof e !== 'object') throw new Error(`invalid managed fields entry ${i}`);
    if (e.operation !== 'Apply' && e.operation !== 'Update') throw new Error('operation must be `Apply` or `Update`');
    if (!e.apiVersion) throw new Error('apiVersion must not be empty');
    if (e.fieldsType === undefined || e.fieldsType === '') throw new Error(`missing fieldsType in managed fields entry ${i}`);
    if (e.fieldsType !== 'FieldsV1') throw new Error(`invalid fieldsType ${JSON.stringify(e.fieldsType)} in managed fields entry ${i}`);
    const manager = typeof e.manager === 'string' ? e.manager : '';
    const sub = typeof e.subresource === 'string' ? e.subresource : '';
    const id = managerId(manager, e.operation, e.apiVersion, sub);
    const lazy = id === unchecked && isObj(e.fieldsV1);
    out.set(id, {
      manager, operation: e.operation, apiVersion: e.apiVersion, subresource: sub,
      time: typeof e.time === 'string' ? e.time : undefined, fields: lazy ? e.fieldsV1 as Fields : fromFieldsV1(e.fieldsV1), pristine: true,
      ...(lazy ? { unchecked: true } : {}),
    });
  });
  return out;
}

/** The fields of a set decoded `unchecked`, validated now (throws as decodeManaged would). */
export function checkedFields(s: ManagerSet): Fields {
  return s.unchecked ? fromFieldsV1(s.fields) : s.fields;
}

function seconds(t: string | undefined): number {
  if (!t) return 0;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

/** encodeManagedFields: sorted by operation, time, manager, apiVersion, subresource; undefined when empty. */
export function encodeManaged(m: Managed): ManagedFieldsEntry[] | undefined {
  if (m.size === 0) return undefined;
  const sets = [...m.values()].sort((p, q) => {
    if (p.operation !== q.operation) return p.operation < q.operation ? -1 : 1;
    const ps = seconds(p.time);
    const qs = seconds(q.time);
    if (ps !== qs) return ps - qs;
    if (p.manager !== q.manager) return p.manager < q.manager ? -1 : 1;
    if (p.apiVersion !== q.apiVersion) return p.apiVersion < q.apiVersion ? -1 : 1;
    return p.subresource < q.subresource ? -1 : p.subresource > q.subresource ? 1 : 0;
  });
  return sets.map((s) => {
    const e: ManagedFieldsEntry = { manager: s.manager, operation: s.operation, apiVersion: s.apiVersion };
    if (s.time !== undefined) e.time = s.time;
    e.fieldsType = 'FieldsV1';
    e.fieldsV1 = s.pristine ? s.fields : toFieldsV1(s.fields);
    if (s.subresource) e.subresource = s.subresource;
    return e;
  });
}

/** capUpdateManagers. */
export function capUpdateManagers(m: Managed, max = MAX_UPDATE_MANAGERS): void {
  const updaters = [...m.keys()].filter((k) => (m.get(k) as ManagerSet).operation === 'Update');
  if (updaters.length <= max) return;
  updaters.sort((a, b) => {
    const d = seconds(m.get(a)?.time) - seconds(m.get(b)?.time);
    return d !== 0 ? d : a < b ? -1 : a > b ? 1 : 0;
  });
  const firstOfVersion = new Map<string, string>();
  let length = updaters.length;
  for (let i = 0; i < updaters.length && length > max; i++) {
    const id = updaters[i];
    const vs = m.get(id) as ManagerSet;
    const bucket = managerId(ANCIENT, 'Update', vs.apiVersion, '');
    const first = firstOfVersion.get(vs.apiVersion);
    if (first === undefined) { firstOfVersion.set(vs.apiVersion, id); continue; }
    if (!m.has(bucket)) {
      const s = m.get(first) as ManagerSet;
      m.delete(first);
      m.set(bucket, { ...s, manager: ANCIENT, subresource: '' });
    }
    const b = m.get(bucket) as ManagerSet;
    m.set(bucket, { ...b, fields: union(vs.fields, b.fields), pristine: false, time: vs.time });
    m.delete(id);
    length--;
  }
}

/** printManager of conflict.go: `"name"`, `with subresource "s"`, `using v` for updaters. */
export function printManager(s: ManagerSet): string {
  let out = JSON.stringify(s.manager);
  if (s.subresource) out += ` with subresource ${JSON.stringify(s.subresource)}`;
  if (s.operation === 'Update') out += ` using ${s.apiVersion}`;
  return out;
}
