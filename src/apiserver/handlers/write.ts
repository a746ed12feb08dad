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
import { applyPatchBody } from './patch.js';
import { warningHeaders, writeObject } from './respond.js';
import { applyScale, scaleOf } from './scale.js';
import { checkBodyName, checkBodyType } from './typecheck.js';
import { namespaceFinalizeStrategy } from '../../registry/kinds/core.js';

const FIELD_VALIDATION = new Set(['', 'Ignore', 'Warn', 'Strict']);

function checkWriteParams(r: ResourceRequest): void {
  const dry = r.query.getAll('dryRun');
  for (const d of dry) if (d !== 'All') throw badRequest(`Invalid dryRun value: ${JSON.stringify(d)}: supported values: "All"`);
  const fv = r.query.get('fieldValidation') ?? '';
  if (!FIELD_VALIDATION.has(fv)) throw badRequest(`fieldValidation parameter unsupported value: "${fv}"`);
  const fm = r.query.get('fieldManager') ?? '';
  if (fm.length > 128) throw badRequest(`fieldManager: Too long: may not be more than 128 bytes`);
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
  const { served, info } = r;
  if (info.name) throw methodNotAllowedGeneric();
  if (served.spec.namespaced && !info.namespace) throw notFoundGeneric();
  checkWriteParams(r);
  const body = await readBody(r.req);
  const obj = decodeObjectBody(body, r.req.headers['content-type']);
  checkBodyType(obj, served.apiVersion, served.spec.kind);
  const stored = r.registry.toStorage(served, obj);
  const a = attrs(r, 'CREATE', stored, null);
  await r.admission.mutate(a);
  const ns = served.spec.namespaced ? info.namespace : '';
  const created = await served.store.create(ns, a.object as KubeObject, {
    dryRun: a.dryRun,
    admit: (o) => r.admission.validate({ ...a, object: o, name: o.metadata.name ?? '' }),
  });
  respond(r, 201, r.registry.toServed(served, created), served.store.strategy.warnings(created));
}

/** The object-level store a subresource writes through, and how it maps bodies to objects. */
function subresourceTarget(r: ResourceRequest): { store: GenericStore; sub: string } {
  const sub = r.info.subresource;
  const spec = r.served.spec;
  if (sub && !spec.subresources.some((s) => s.name === sub)) throw notFoundGeneric();
  return { store: r.served.store, sub };
}

export async function handleUpdate(r: ResourceRequest): Promise<void> {
  const { served, info } = r;
  if (!info.name) throw methodNotAllowedGeneric();
  checkWriteParams(r);
  const { store, sub } = subresourceTarget(r);
  const body = await readBody(r.req);
  const input = decodeObjectBody(body, r.req.headers['content-type']);
  const ns = served.spec.namespaced ? info.namespace : '';
  const dryRun = isDryRun(r.query);
  if (sub === 'scale') {
    checkBodyType(input, 'autoscaling/v1', 'Scale');
    checkBodyName(input, info.name);
    const { object } = await store.update(ns, info.name, (cur) => applyScale(cur as KubeObject, input), {
      dryRun, admit: (o, old) => r.admission.validate(attrs(r, 'UPDATE', o, old)),
    });
    respond(r, 200, scaleOf(object));
    return;
  }
  checkBodyType(input, served.apiVersion, served.spec.kind);
  checkBodyName(input, info.name);
  const stored = r.registry.toStorage(served, input);
  const a = attrs(r, 'UPDATE', stored, null);
  await r.admission.mutate(a);
  const updater = (): KubeObject => a.object as KubeObject;
  const opts = { dryRun, subresource: sub === 'finalize' ? '' : sub, admit: (o: KubeObject, old: KubeObject | null) => r.admission.validate({ ...a, object: o, oldObject: old }) };
  const { object, created } = sub === 'finalize'
    ? await finalize(store, info.name, updater, opts)
    : await store.update(ns, info.name, updater, opts);
  respond(r, created ? 201 : 200, r.registry.toServed(served, object), store.strategy.warnings(object));
}

/** namespaces/{name}/finalize: only spec.finalizers change (FinalizeREST). */
function finalize(store: GenericStore, name: string, updater: () => KubeObject, opts: UpdateOptions) {
  return store.update('', name, updater, { ...opts, subresource: '', strategy: namespaceFinalizeStrategy() });
}

export async function handlePatch(r: ResourceRequest): Promise<void> {
  const { served, info } = r;
  if (!info.name) throw methodNotAllowedGeneric();
  checkWriteParams(r);
  const { store, sub } = subresourceTarget(r);
  const body = await readBody(r.req);
  const contentType = r.req.headers['content-type'];
  const ns = served.spec.namespaced ? info.namespace : '';
  const dryRun = isDryRun(r.query);
  const validate = (o: KubeObject, old: KubeObject | null) => r.admission.validate(attrs(r, 'UPDATE', o, old));
  if (sub === 'scale') {
    const { object } = await store.update(ns, info.name, (cur) => {
      const current = scaleOf(cur as KubeObject);
      const patched = applyPatchBody(current, body, contentType, 'autoscaling/v1', 'Scale');
      checkBodyType(patched, 'autoscaling/v1', 'Scale');
      return applyScale(cur as KubeObject, patched);
    }, { dryRun, admit: validate });
    respond(r, 200, scaleOf(object));
    return;
  }
  const { object } = await store.update(ns, info.name, async (cur) => {
    const current = r.registry.toServed(served, cur as KubeObject);
    const patched = applyPatchBody(current, body, contentType, served.apiVersion, served.spec.kind);
    checkBodyType(patched, served.apiVersion, served.spec.kind);
    checkBodyName(patched, info.name);
    const stored = r.registry.toStorage(served, patched);
    const a = attrs(r, 'UPDATE', stored, cur);
    await r.admission.mutate(a);
    return a.object as KubeObject;
  }, { dryRun, subresource: sub === 'finalize' ? '' : sub, admit: validate });
  respond(r, 200, r.registry.toServed(served, object), store.strategy.warnings(object));
}
