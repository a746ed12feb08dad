/**
 * The field manager of one write: kube-apiserver's chain of managers
 * (k8s.io/apimachinery/pkg/util/managedfields/internal/fieldmanager.go NewDefaultFieldManager):
 * versionCheck → lastAppliedUpdater → lastAppliedManager → skipNonApplied → capManagers →
 * buildManagerInfo → managedFieldsUpdater → stripMeta → structured merge.
 *
 *  - updateManagedFields (create/update/patch by anyone but an applier): the manager owns what it
 *    changed; errors never fail the write (UpdateNoErrors keeps the live managedFields);
 *  - applyConfiguration (PATCH application/apply-patch+yaml): merge by ownership, conflicts as
 *    409, `force` takes ownership; the kubectl client-side → server-side apply upgrade.
 */
import type { KubeObject, ManagedFieldsEntry } from '../../api/types.js';
import { badRequest, StatusError } from '../../apimachinery/errors.js';
import { difference, FieldsV1Error, forEachMember, isEmptySet, pathString, type Fields } from './fieldset.js';
import { capUpdateManagers, decodeManaged, encodeManaged, managerId, printManager, type Managed, type ManagerSet } from './managed.js';
import type { TypeNode } from './schema.js';
import { compare } from './compare.js';
import { deepEqual, merge, SchemaError, toFieldSet } from './typed.js';
import { typedApply, type TypedApply } from './typed-apply.js';
import { applyConfig, ApplyConflicts, trackUpdate } from './updater.js';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const BEFORE_FIRST_APPLY = 'before-first-apply';
const MAX_ANNOTATIONS_BYTES = 256 * 1024;

/** stripMeta: paths never owned by anyone. */
const STRIP: Fields = {
  'f:apiVersion': {}, 'f:kind': {},
  'f:metadata': {
    '.': {}, 'f:name': {}, 'f:namespace': {}, 'f:creationTimestamp': {}, 'f:selfLink': {}, 'f:uid': {},
    'f:clusterName': {}, 'f:generation': {}, 'f:managedFields': {}, 'f:resourceVersion': {},
  },
};

export interface FieldManagerRequest {
  /** fieldManager, or the User-Agent prefix (managerOrUserAgent); "" becomes "unknown". */
  manager: string;
  /** apiVersion of the request (the served version). */
  apiVersion: string;
  kind: string;
  /** '' for the main resource. */
  subresource: string;
  /** Schema of the kind at apiVersion. */
  schema: TypeNode;
  /** Fields the strategy resets on this endpoint (GetResetFields): never owned, changes ignored. */
  ignored?: Fields;
  /** Request time (RFC 3339, seconds). */
  now: string;
}

function view(o: KubeObject | null): Record<string, unknown> {
  if (!o) return {};
  const meta = o.metadata && typeof o.metadata === 'object' ? o.metadata : {};
  return { ...o, metadata: { ...meta, managedFields: undefined } };
}

/** isResetManagedFields: `[]` or `[{}]`. */
function isReset(mf: unknown): boolean {
  if (!Array.isArray(mf)) return false;
  if (mf.length === 0) return true;
  return mf.length === 1 && mf[0] !== null && typeof mf[0] === 'object' && Object.keys(mf[0] as object).length === 0;
}

function decodeOrEmpty(mf: ManagedFieldsEntry[] | undefined): Managed {
  try { return decodeManaged(mf); } catch { return new Map(); }
}

function managerName(m: string): string {
  return m === '' ? 'unknown' : m;
}

/** The Update path (non-apply writes). Sets obj.metadata.managedFields. Never throws. */
export function updateManagedFields(live: KubeObject | null, obj: KubeObject, req: FieldManagerRequest): void {
  const meta = obj.metadata;
  const liveMF = live?.metadata?.managedFields;
  let managed: Managed;
  if (req.subresource) managed = decodeOrEmpty(liveMF);
  else if (isReset(meta.managedFields)) managed = new Map();
  else {
    try {
      managed = decodeManaged(meta.managedFields);
      if (managed.size === 0) managed = decodeOrEmpty(liveMF);
    } catch { managed = decodeOrEmpty(liveMF); }
  }
  delete meta.managedFields;
  // skipNonApplied: an existing object nobody tracks stays untracked until the first apply.
  if (managed.size === 0 && live) return;
  try {
    track(live, obj, managed, managerName(req.manager), req);
  } catch {
    if (liveMF) meta.managedFields = liveMF;
    return;
  }
  const enc = encodeManaged(managed);
  if (enc) meta.managedFields = enc;
}

function track(live: KubeObject | null, obj: KubeObject, managed: Managed, manager: string, req: FieldManagerRequest): void {
  const id = managerId(manager, 'Update', req.apiVersion, req.subresource);
  const entry = { manager, operation: 'Update' as const, apiVersion: req.apiVersion, subresource: req.subresource, time: req.now };
  trackUpdate(view(live), view(obj), req.schema, managed, id, entry, req.ignored, STRIP);
  capUpdateManagers(managed);
}

export interface ApplyRequest extends FieldManagerRequest { force: boolean }

function typedError(what: string, obj: KubeObject, req: FieldManagerRequest, errs: string[]): StatusError {
  const ns = obj.metadata?.namespace ?? '';
  const name = obj.metadata?.name ?? '';
  const slash = req.apiVersion.indexOf('/');
  const gv = slash < 0 ? `/${req.apiVersion}` : req.apiVersion;
  const msg = errs.length === 1 ? errs[0] : ['errors:', ...errs.map((e) => `  ${e}`)].join('\n');
  return new StatusError(500, '', `failed to create typed ${what} object (${ns}/${name}; ${gv}, Kind=${req.kind}): ${msg}`);
}

/**
 * Server-side apply of `config` onto `live` (null: the object is being created). Returns the
 * object to store (a new value; `live` is not mutated) with managedFields set.
 */
export function applyConfiguration(live: KubeObject | null, config: KubeObject, req: ApplyRequest): KubeObject {
  if (config.metadata?.managedFields !== undefined && config.metadata?.managedFields !== null) throw badRequest('metadata.managedFields must be nil');
  const manager = managerName(req.manager);
  const applierId = managerId(manager, 'Apply', req.apiVersion, req.subresource);
  // As FieldManager.Apply: managed fields are decoded before the configuration is typed.
  const decode = (): Managed => {
    try {
      return decodeManaged(live?.metadata?.managedFields, applierId);
    } catch (e) { throw undecodable(e); }
  };
  let managed = decode();
  const liveView = view(live);
  const typed = typedApply(config, req.schema, managed.get(applierId)?.fields, liveView);
  if (typed.errs.length) throw typedError('patch', config, req, typed.errs);
  let out: KubeObject;
  try {
    out = applyOnce(live, liveView, config, typed, managed, manager, req, req.force);
  } catch (e) {
    if (e instanceof FieldsV1Error) throw undecodable(e);
    if (!(e instanceof ApplyConflicts)) throw wrapSchema(e, config, req);
    if (manager !== 'kubectl') throw conflictError(e, managed);
    // lastAppliedManager: conflicts on fields kubectl client-side apply last set are ours.
    const allowed = allowedFromLastApplied(live, req);
    const rest = allowed ? subtract(e, allowed) : e;
    if (rest.byManager.size) throw conflictError(rest, managed);
    managed = decode();
    out = applyOnce(live, liveView, config, typed, managed, manager, req, true);
  }
  // lastAppliedUpdater: keep kubectl's client-side annotation in step with what it applies.
  if (manager === 'kubectl' && live?.metadata?.annotations?.[LAST_APPLIED]) setLastApplied(out, config);
  return out;
}

function undecodable(e: unknown): StatusError {
  return new StatusError(500, '', `failed to decode managed fields: ${(e as Error).message}`);
}

function wrapSchema(e: unknown, config: KubeObject, req: FieldManagerRequest): unknown {
  return e instanceof SchemaError ? typedError('patch', config, req, [e.message]) : e;
}

function applyOnce(live: KubeObject | null, liveView: Record<string, unknown>, config: KubeObject, typed: TypedApply, managed: Managed, manager: string, req: ApplyRequest, force: boolean): KubeObject {
  if (managed.size === 0 && live) {
    // skipNonApplied: whatever the untracked object holds belongs to "before-first-apply".
    trackUpdate({}, liveView, req.schema, managed, managerId(BEFORE_FIRST_APPLY, 'Update', req.apiVersion, ''),
      { manager: BEFORE_FIRST_APPLY, operation: 'Update', apiVersion: req.apiVersion, subresource: '', time: req.now }, req.ignored, STRIP);
  }
  const id = managerId(manager, 'Apply', req.apiVersion, req.subresource);
  const prevTime = managed.get(id)?.time;
  const entry = { manager, operation: 'Apply' as const, apiVersion: req.apiVersion, subresource: req.subresource, time: prevTime };
  // typedApply leaves the merge to typed.merge when the live object cannot be typed (its error).
  const merged0 = typed.merged ?? merge(liveView, config, req.schema);
  const merged = applyConfig(liveView, merged0, typed.set, req.schema, managed, id, entry, force, req.ignored, STRIP) as KubeObject;
  const changed = !deepEqual(merged, liveView);
  const own = managed.get(id);
  if (own && (changed || own.time === undefined)) managed.set(id, { ...own, time: req.now });
  const out = { ...(changed ? merged : liveView) } as KubeObject;
  // The result shares subtrees with the live object and the configuration: copy what is written.
  out.metadata = out.metadata && typeof out.metadata === 'object' ? { ...out.metadata } : {};
  if (out.metadata.annotations) out.metadata.annotations = { ...out.metadata.annotations };
  delete out.metadata.managedFields;
  const enc = encodeManaged(managed);
  if (enc) out.metadata.managedFields = enc;
  return out;
}

function subtract(c: ApplyConflicts, allowed: Fields): ApplyConflicts {
  const m = new Map<string, Fields>();
  for (const [id, f] of c.byManager) {
    const d = difference(f, allowed);
    if (!isEmptySet(d)) m.set(id, d);
  }
  return new ApplyConflicts(m);
}

/** allowedConflictsFromLastApplied: fields of the annotation whose values the live object still has. */
function allowedFromLastApplied(live: KubeObject | null, req: ApplyRequest): Fields | undefined {
  const text = live?.metadata?.annotations?.[LAST_APPLIED];
  if (!text) return undefined;
  let last: unknown;
  try { last = JSON.parse(text); } catch { return undefined; }
  if (!last || typeof last !== 'object' || (last as KubeObject).apiVersion !== req.apiVersion) return undefined;
  try {
    const set = toFieldSet(last, req.schema);
    const c = compare(last, view(live), req.schema);
    return difference(difference(difference(set, c.modified), c.added), c.removed);
  } catch { return undefined; }
}

/** Go map JSON (sorted keys) of the applied configuration without the annotation, plus "\n". */
function setLastApplied(out: KubeObject, config: KubeObject): void {
  const copy = structuredClone(config);
  if (copy.metadata?.annotations) {
    delete copy.metadata.annotations[LAST_APPLIED];
    if (Object.keys(copy.metadata.annotations).length === 0) delete copy.metadata.annotations;
  }
  const value = `${JSON.stringify(sortKeys(copy))}\n`;
  const ann: Record<string, string> = { ...(out.metadata.annotations ?? {}), [LAST_APPLIED]: value };
  let size = 0;
  for (const [k, v] of Object.entries(ann)) size += k.length + v.length;
  if (size > MAX_ANNOTATIONS_BYTES) delete ann[LAST_APPLIED];
  out.metadata.annotations = ann;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== 'object') return v;
  const o: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) o[k] = sortKeys((v as Record<string, unknown>)[k]);
  return o;
}

/** NewConflictError: 409 Conflict, message as getConflictMessage, one FieldManagerConflict cause per path. */
export function conflictError(c: ApplyConflicts, managed: Managed): StatusError {
  const ids = [...c.byManager.keys()].sort();
  const list: Array<{ who: string; path: string }> = [];
  for (const id of ids) {
    const s = managed.get(id) as ManagerSet | undefined;
    const who = s ? printManager(s) : JSON.stringify(id);
    forEachMember(c.byManager.get(id) as Fields, (p) => list.push({ who, path: pathString(p) }));
  }
  let message: string;
  if (list.length === 1) message = `Apply failed with 1 conflict: conflict with ${list[0].who}: ${list[0].path}`;
  else {
    const lines: string[] = [];
    let last = '';
    for (const x of list) {
      if (x.who !== last) { lines.push(`conflicts with ${x.who}:`); last = x.who; }
      lines.push(`- ${x.path}`);
    }
    message = `Apply failed with ${list.length} conflicts: ${lines.join('\n')}`;
  }
  return new StatusError(409, 'Conflict', message, {
    causes: list.map((x) => ({ reason: 'FieldManagerConflict', message: `conflict with ${x.who}`, field: x.path })),
  });
}

