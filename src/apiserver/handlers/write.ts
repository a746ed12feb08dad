/**
 * POST (create), PUT (update) and PATCH of resources and their status/scale/finalize
 * subresources (k8s.io/apiserver/pkg/endpoints/handlers/{create,update,patch}.go).
 */
import type { KubeObject } from '../../api/types.js';
import { badRequest, methodNotAllowedGeneric, notFoundGeneric } from '../../apimachinery/errors.js';
import type { AdmissionAttributes, Operation } from '../../admission/types.js';
import type { GenericStore } from '../../registry/generic/store.js';
import type { UpdateOptions } from '../../registry/generic/options.js';
import type { ResourceRequest } from './context.js';
import { isDryRun } from './context.js';
import { decodeObjectBody, readBody } from './body.js';
import { negotiate } from './negotiation.js';
import { warningHeaders, writeObject } from './respond.js';
import { applyScale, scaleOf } from './scale.js';
import { checkBodyName, checkBodyType } from './typecheck.js';
import { namespaceFinalizeStrategy } from '../../registry/kinds/core.js';
import type { FieldManagerContext } from '../../registry/fieldmanager/request.js';
import type * as WriteDeps from './write-deps.js';

let d: typeof WriteDeps;
let loading: Promise<void> | undefined;
/** Loads write-deps.ts once (first write); every exported handler awaits it before using `d`. */
function ensureWriteDeps(): Promise<void> {
  return (loading ??= import('./write-deps.js').then((m) => { d = m; }));
}

const FIELD_VALIDATION = new Set(['', 'Ignore', 'Warn', 'Strict']);

function checkWriteParams(r: ResourceRequest, options: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions' = 'UpdateOptions'): void {
  const dry = r.query.getAll('dryRun');
  for (const d of dry) if (d !== 'All') throw badRequest(`Invalid dryRun value: ${JSON.stringify(d)}: supported values: "All"`);
  const fv = r.query.get('fieldValidation') ?? '';
  if (!FIELD_VALIDATION.has(fv)) throw badRequest(`fieldValidation parameter unsupported value: "${fv}"`);
  d.checkFieldManagerOptions(options, r.query.get('fieldManager'), { apply: d.isApplyPatch(r.req.headers['content-type']), force: r.query.get('force') });
}

/** What the field manager (registry/fieldmanager) needs of this request. */
function fieldContext(r: ResourceRequest, subresource: string): FieldManagerContext {
  return { registry: r.registry, served: r.served, subresource, fieldManager: r.query.get('fieldManager'), userAgent: r.req.headers['user-agent'], now: new Date(r.clock.now()) };
}

function attrs(r: ResourceRequest, op: Operation, obj: KubeObject | null, old: KubeObject | null): AdmissionAttributes {
  const s = r.served.spec;
  return {
    operation: op, group: s.group, version: s.version, resource: s.resource, subresource: r.info.subresource,
    kind: s.kind, namespace: s.namespaced ? r.info.namespace : '', name: r.info.name || obj?.metadata?.name || '',
    object: obj, oldObject: old, user: r.user, dryRun: isDryRun(r.query),
  };
}

function respond(r: ResourceRequest, code: number, obj: KubeObject, warnings: string[] = []): void {
  const repr = negotiate(r.req.headers.accept, false);
  const format = repr.kind === 'object' ? repr.format : 'json';
  writeObject(r.res, code, obj, format, warningHeaders(warnings) as Record<string, string>);
}

export async function handleCreate(r: ResourceRequest): Promise<void> {
  await ensureWriteDeps();
  const { served, info } = r;
  if (info.name) throw methodNotAllowedGeneric();
  if (served.spec.namespaced && !info.namespace) throw notFoundGeneric();
  checkWriteParams(r, 'CreateOptions');
  const body = await readBody(r.req);
  // fieldValidation: unknown and duplicate fields of built-in kinds, from the raw body (Strict → 400).
  const fv = d.checkFields({ raw: body, contentType: r.req.headers['content-type'], apiVersion: served.apiVersion, kind: served.spec.kind, directive: d.fieldValidationDirective(r.query.get('fieldValidation')) });
  const obj = decodeObjectBody(body, r.req.headers['content-type']);
  checkBodyType(obj, served.apiVersion, served.spec.kind);
  const stored = r.registry.toStorage(served, obj);
  const unknown = [...fv.warnings, ...d.checkUnknownFields(stored, served.spec.kind, served.spec.version, r.query.get('fieldValidation'))];
  const a = attrs(r, 'CREATE', stored, null);
  await r.admission.mutate(a);
  const ns = served.spec.namespaced ? info.namespace : '';
  const created = await served.store.create(ns, a.object as KubeObject, {
    dryRun: a.dryRun,
    admit: (o) => r.admission.validate({ ...a, object: o, name: o.metadata.name ?? '' }),
    trackFields: await d.fieldTracker(fieldContext(r, '')),
  });
  respond(r, 201, r.registry.toServed(served, created), [...unknown, ...served.store.strategy.warnings(created)]);
}

/**
 * A patch is a precondition on resourceVersion only when the patch itself sets one
 * (handlers/patch.go): otherwise the patched object must not carry the version it was read at,
 * so that a write that races another is retried on the fresh object instead of failing 409.
 * A patch that did set the read version keeps it, and a retry then fails as it should.
 */
function unlessPatchedVersion(patched: KubeObject, current: KubeObject): void {
  if (patched.metadata && patched.metadata.resourceVersion === current.metadata.resourceVersion) delete patched.metadata.resourceVersion;
}

/** The object-level store a subresource writes through, and how it maps bodies to objects. */
function subresourceTarget(r: ResourceRequest): { store: GenericStore; sub: string } {
  const sub = r.info.subresource;
  const spec = r.served.spec;
  if (sub && !spec.subresources.some((s) => s.name === sub)) throw notFoundGeneric();
  return { store: r.served.store, sub };
}

export async function handleUpdate(r: ResourceRequest): Promise<void> {
  await ensureWriteDeps();
  const { served, info } = r;
  if (!info.name) throw methodNotAllowedGeneric();
  checkWriteParams(r);
  const { store, sub } = subresourceTarget(r);
  const body = await readBody(r.req);
  const fv = d.checkFields({
    raw: body, contentType: r.req.headers['content-type'], apiVersion: sub === 'scale' ? 'autoscaling/v1' : served.apiVersion,
    kind: sub === 'scale' ? 'Scale' : served.spec.kind, directive: d.fieldValidationDirective(r.query.get('fieldValidation')),
  });
  const input = decodeObjectBody(body, r.req.headers['content-type']);
  const ns = served.spec.namespaced ? info.namespace : '';
  const dryRun = isDryRun(r.query);
  if (sub === 'scale') {
    checkBodyType(input, 'autoscaling/v1', 'Scale');
    checkBodyName(input, info.name);
    const { object } = await store.update(ns, info.name, (cur) => applyScale(cur as KubeObject, input, store.strategy.scale), {
      dryRun, admit: (o, old) => r.admission.validate(attrs(r, 'UPDATE', o, old)), trackFields: await d.fieldTracker(fieldContext(r, 'scale')),
    });
    respond(r, 200, scaleOf(object, store.strategy.scale));
    return;
  }
  checkBodyType(input, served.apiVersion, served.spec.kind);
  checkBodyName(input, info.name);
  const stored = r.registry.toStorage(served, input);
  const unknown = [...fv.warnings, ...d.checkUnknownFields(stored, served.spec.kind, served.spec.version, r.query.get('fieldValidation'))];
  const a = attrs(r, 'UPDATE', stored, null);
  await r.admission.mutate(a);
  const updater = (): KubeObject => a.object as KubeObject;
  const opts = { dryRun, subresource: sub === 'finalize' ? '' : sub, admit: (o: KubeObject, old: KubeObject | null) => r.admission.validate({ ...a, object: o, oldObject: old }), trackFields: await d.fieldTracker(fieldContext(r, sub)) };
  const { object, created } = sub === 'finalize'
    ? await finalize(store, info.name, updater, opts)
    : await store.update(ns, info.name, updater, opts);
  respond(r, created ? 201 : 200, r.registry.toServed(served, object), [...unknown, ...store.strategy.warnings(object)]);
}

/** namespaces/{name}/finalize: only spec.finalizers change (FinalizeREST). */
function finalize(store: GenericStore, name: string, updater: () => KubeObject, opts: UpdateOptions) {
  return store.update('', name, updater, { ...opts, subresource: '', strategy: namespaceFinalizeStrategy() });
}

export async function handlePatch(r: ResourceRequest): Promise<void> {
  await ensureWriteDeps();
  const { served, info } = r;
  if (!info.name) throw methodNotAllowedGeneric();
  checkWriteParams(r, 'PatchOptions');
  const { store, sub } = subresourceTarget(r);
  const body = await readBody(r.req);
  const contentType = r.req.headers['content-type'];
  if (d.isApplyPatch(contentType) && sub !== 'scale') { await handleApply(r, store, sub, body); return; }
  const ns = served.spec.namespaced ? info.namespace : '';
  const dryRun = isDryRun(r.query);
  const validate = (o: KubeObject, old: KubeObject | null) => r.admission.validate(attrs(r, 'UPDATE', o, old));
  if (sub === 'scale') {
    const { object } = await store.update(ns, info.name, (cur) => {
      const current = scaleOf(cur as KubeObject, store.strategy.scale);
      const patched = d.applyPatchBody(current, body, contentType, 'autoscaling/v1', 'Scale');
      checkBodyType(patched, 'autoscaling/v1', 'Scale');
      unlessPatchedVersion(patched, current);
      return applyScale(cur as KubeObject, patched, store.strategy.scale);
    }, { dryRun, admit: validate, trackFields: await d.fieldTracker(fieldContext(r, 'scale')) });
    respond(r, 200, scaleOf(object, store.strategy.scale));
    return;
  }
  let unknown: string[] = [];
  const { object } = await store.update(ns, info.name, async (cur) => {
    const current = r.registry.toServed(served, cur as KubeObject);
    const patched = d.applyPatchBody(current, body, contentType, served.apiVersion, served.spec.kind);
    unlessPatchedVersion(patched, current);
    // Duplicates come from the patch text, unknown fields from the patched object (as upstream).
    const fv = d.checkPatchFields({ patch: body, patchContentType: contentType, patched, apiVersion: served.apiVersion, kind: served.spec.kind, directive: d.fieldValidationDirective(r.query.get('fieldValidation')) });
    checkBodyType(patched, served.apiVersion, served.spec.kind);
    checkBodyName(patched, info.name);
    const stored = r.registry.toStorage(served, patched);
    unknown = [...fv.warnings, ...d.checkUnknownFields(stored, served.spec.kind, served.spec.version, r.query.get('fieldValidation'))];
    const a = attrs(r, 'UPDATE', stored, cur);
    await r.admission.mutate(a);
    return a.object as KubeObject;
  }, { dryRun, subresource: sub === 'finalize' ? '' : sub, admit: validate, trackFields: await d.fieldTracker(fieldContext(r, sub)) });
  respond(r, 200, r.registry.toServed(served, object), [...unknown, ...store.strategy.warnings(object)]);
}

/**
 * Server-side apply (PATCH application/apply-patch+yaml, handlers/patch.go applyPatcher): the
 * object is created when absent (201); ownership, conflicts and pruning in registry/fieldmanager.
 */
async function handleApply(r: ResourceRequest, store: GenericStore, sub: string, body: Buffer): Promise<void> {
  const { served, info } = r;
  const ns = served.spec.namespaced ? info.namespace : '';
  const { config, repeatedKeys } = d.decodeApplyBody(body, served.apiVersion, served.spec.kind);
  checkBodyName(config, info.name);
  const apply = await d.fieldApplier({ ...fieldContext(r, sub), force: r.query.get('force') === 'true' });
  const validate = (o: KubeObject, old: KubeObject | null) => r.admission.validate(attrs(r, old ? 'UPDATE' : 'CREATE', o, old));
  const directive = d.fieldValidationDirective(r.query.get('fieldValidation'));
  const repeated = directive === 'Ignore' ? [] : repeatedKeys();
  let strict: string[] = [];
  const { object, created } = await store.update(ns, info.name, async (cur) => {
    const current = cur ? r.registry.toServed(served, cur) : null;
    const applied = apply(current, structuredClone(config));
    // After the apply, as applyPatcher: repeated keys under fieldValidation Strict|Warn.
    strict = d.checkApplyBody(repeated, directive).warnings;
    const stored = r.registry.toStorage(served, applied);
    const a = attrs(r, cur ? 'UPDATE' : 'CREATE', stored, cur);
    await r.admission.mutate(a);
    return a.object as KubeObject;
  }, { dryRun: isDryRun(r.query), subresource: sub, admit: validate, forceAllowCreate: true });
  respond(r, created ? 201 : 200, r.registry.toServed(served, object), [...strict, ...store.strategy.warnings(object)]);
}
