/**
 * Subresources: status (get/update/patch), scale (autoscaling/v1 Scale), namespaces/finalize,
 * pods/binding, pods/eviction (eviction.ts), pods/log and the exec/attach/portforward refusal
 * (pod-log.ts). Subresources the catalog lists but keks does not serve yet answer 501 naming
 * themselves (DESIGN.md: refuse loudly, never silently ignore).
 */
import type { KubeObject } from '../../api/types.js';
import { badRequest, conflict, methodNotAllowedGeneric, notFoundGeneric, notImplemented } from '../../apimachinery/errors.js';
import type { ResourceRequest } from './context.js';
import { isDryRun } from './context.js';
import { decodeObjectBody, readBody } from './body.js';
import { handleGet } from './read.js';
import { handlePatch, handleUpdate } from './write.js';
import { writeObject } from './respond.js';
import { scaleOf } from './scale.js';
import { rfc3339 } from '../../registry/generic/store.js';
import { handleEviction } from './eviction.js';
import { handlePodLog, simulatedRuntimeError } from './pod-log.js';
import { handleTokenRequest } from './token-request.js';

type Obj = Record<string, unknown>;

export async function handleSubresource(r: ResourceRequest): Promise<void> {
  const { info, served } = r;
  const sub = info.subresource;
  const spec = served.spec.subresources.find((s) => s.name === sub);
  if (!spec || !info.name) throw notFoundGeneric();
  const verb = info.verb;
  if (!spec.verbs.includes(verb)) throw methodNotAllowedGeneric();
  switch (sub) {
    case 'status':
      if (verb === 'get') return handleGet(r);
      if (verb === 'update') return handleUpdate(r);
      if (verb === 'patch') return handlePatch(r);
      break;
    case 'scale':
      if (verb === 'get') {
        const ns = served.spec.namespaced ? info.namespace : '';
        writeObject(r.res, 200, scaleOf(await served.store.get(ns, info.name), served.store.strategy.scale));
        return;
      }
      if (verb === 'update') return handleUpdate(r);
      if (verb === 'patch') return handlePatch(r);
      break;
    case 'finalize':
      if (verb === 'update') return handleUpdate(r);
      break;
    case 'binding':
      if (verb === 'create' && served.spec.resource === 'pods') return handleBinding(r);
      break;
    case 'eviction':
      if (verb === 'create' && served.spec.resource === 'pods') return handleEviction(r);
      break;
    case 'log':
      if (verb === 'get' && served.spec.resource === 'pods') return handlePodLog(r);
      break;
    case 'token':
      if (verb === 'create' && served.spec.resource === 'serviceaccounts') return handleTokenRequest(r, r.serviceAccountTokens);
      break;
    case 'exec': case 'attach': case 'portforward':
      if (served.spec.resource === 'pods') {
        await served.store.get(info.namespace, info.name); // a missing pod is still a 404
        throw simulatedRuntimeError(sub);
      }
      break;
  }
  throw notImplemented(`the ${served.spec.resource}/${sub} subresource is not supported by keks yet`);
}

/**
 * POST pods/{name}/binding (pkg/registry/core/pod/storage BindingREST): assigns the node once,
 * and marks PodScheduled.
 */
async function handleBinding(r: ResourceRequest): Promise<void> {
  const body = decodeObjectBody(await readBody(r.req), r.req.headers['content-type']);
  if ((body.metadata as Obj | undefined)?.name !== r.info.name) throw badRequest('name in URL does not match name in Binding object');
  const target = (body.target ?? {}) as Obj;
  const nodeName = target.name;
  if (typeof nodeName !== 'string' || !nodeName) throw badRequest('Binding target.name is required');
  if (target.kind && target.kind !== 'Node') throw badRequest(`Binding target kind ${String(target.kind)} is not supported`);
  const name = r.info.name;
  const ns = r.info.namespace;
  const now = rfc3339(r.clock.now());
  // BindingREST.assignPod reports these as conflicts on "pods/binding".
  const binding = { group: '', resource: 'pods/binding' };
  await r.served.store.update(ns, name, (cur) => {
    const pod = cur as KubeObject;
    const spec = (pod.spec ?? {}) as Obj;
    if (pod.metadata.deletionTimestamp) throw conflict(binding, name, `pod ${name} is being deleted, cannot be assigned to a host`);
    if (spec.nodeName) throw conflict(binding, name, `pod ${name} is already assigned to node "${String(spec.nodeName)}"`);
    pod.spec = { ...spec, nodeName };
    const status = (pod.status ?? {}) as Obj;
    const conds = ((status.conditions as Obj[] | undefined) ?? []).filter((c) => c.type !== 'PodScheduled');
    conds.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now });
    pod.status = { ...status, conditions: conds };
    const ann = (body.metadata as Obj | undefined)?.annotations as Record<string, string> | undefined;
    if (ann) pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), ...ann };
    return pod;
  }, {
    dryRun: isDryRun(r.query), subresource: 'binding',
    // Like BindingREST's direct GuaranteedUpdate: the new spec.nodeName and the PodScheduled
    // status condition are both kept (the main resource's rule "status comes from the stored
    // object" does not apply).
    // Binding is not a pod update: the pod-update validation (only image/tolerations/… may change)
    // does not apply to it either.
    strategy: { ...r.served.store.strategy, prepareForUpdate: () => undefined, validateUpdate: () => [] },
  });
  writeObject(r.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}
