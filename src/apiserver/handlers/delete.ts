/** DELETE of one object and of a collection (handlers/delete.go). */
import type { KubeObject } from '../../api/types.js';
import { badRequest, field, invalid, methodNotAllowedGeneric, type FieldError } from '../../apimachinery/errors.js';
import type { DeleteOptions } from '../../registry/generic/options.js';
import type { ResourceRequest } from './context.js';
import { isDryRun } from './context.js';
import { decodeObjectBody, readBody } from './body.js';
import { listOptionsFrom } from './read.js';
import { negotiate } from './negotiation.js';
import { writeObject } from './respond.js';

const POLICIES = ['Orphan', 'Background', 'Foreground'];

/** DeleteOptions from the body (JSON/protobuf) and query parameters, validated as ValidateDeleteOptions. */
async function deleteOptions(r: ResourceRequest): Promise<DeleteOptions> {
  const body = await readBody(r.req);
  let o: Record<string, unknown> = {};
  if (body.length > 0) o = decodeObjectBody(body, r.req.headers['content-type']) as unknown as Record<string, unknown>;
  const q = r.query;
  const grace = q.get('gracePeriodSeconds') ?? (o.gracePeriodSeconds !== undefined ? String(o.gracePeriodSeconds) : null);
  const policy = q.get('propagationPolicy') ?? (o.propagationPolicy as string | undefined) ?? undefined;
  const orphan = q.get('orphanDependents') ?? (o.orphanDependents !== undefined ? String(o.orphanDependents) : null);
  const errs: FieldError[] = [];
  let gracePeriodSeconds: number | undefined;
  if (grace !== null && grace !== undefined) {
    if (!/^-?\d+$/.test(grace)) throw badRequest(`invalid gracePeriodSeconds: ${JSON.stringify(grace)}`);
    gracePeriodSeconds = Math.max(0, Number(grace));
  }
  if (policy !== undefined && !POLICIES.includes(policy)) errs.push(field.notSupported('propagationPolicy', policy, POLICIES));
  if (orphan !== null && orphan !== undefined && policy !== undefined) {
    errs.push(field.invalid('propagationPolicy', policy, 'orphanDependents and deletionPropagation cannot be both set'));
  }
  const pre = (o.preconditions ?? {}) as { uid?: string; resourceVersion?: string };
  if (errs.length) throw invalid({ group: 'meta.k8s.io', kind: 'DeleteOptions' }, '', errs);
  const dryRun = isDryRun(q) || (Array.isArray(o.dryRun) && o.dryRun.includes('All'));
  return {
    gracePeriodSeconds,
    propagationPolicy: (policy ?? (orphan === 'true' ? 'Orphan' : undefined)) as DeleteOptions['propagationPolicy'],
    preconditions: { uid: pre.uid, resourceVersion: pre.resourceVersion },
    dryRun,
  };
}

function successStatus(r: ResourceRequest, obj: KubeObject): Record<string, unknown> {
  const s = r.served.spec;
  const details: Record<string, unknown> = { name: obj.metadata.name, kind: s.resource, uid: obj.metadata.uid };
  if (s.group) details.group = s.group;
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
}

export async function handleDelete(r: ResourceRequest): Promise<void> {
  const { served, info } = r;
  if (info.subresource) throw methodNotAllowedGeneric();
  const opts = await deleteOptions(r);
  const ns = served.spec.namespaced ? info.namespace : '';
  const s = served.spec;
  const { object, deleted } = await served.store.delete(ns, info.name, {
    ...opts,
    admit: (o) => r.admission.validate({
      operation: 'DELETE', group: s.group, version: s.version, resource: s.resource, subresource: '', kind: s.kind,
      namespace: ns, name: info.name, object: o, oldObject: o, user: r.user, dryRun: !!opts.dryRun,
    }),
  });
  const repr = negotiate(r.req.headers.accept, false);
  const format = repr.kind === 'object' ? repr.format : 'json';
  if (deleted && !served.store.strategy.returnDeletedObject) writeObject(r.res, 200, successStatus(r, object), format);
  else writeObject(r.res, 200, r.registry.toServed(served, object), format);
}

/** DELETE on a collection: every matching object, each through the same delete path. */
export async function handleDeleteCollection(r: ResourceRequest): Promise<void> {
  const { served, info } = r;
  const opts = await deleteOptions(r);
  const list = listOptionsFrom(r);
  const ns = served.spec.namespaced ? info.namespace : '';
  const s = served.spec;
  const result = await served.store.list(ns, { ...list, limit: 0, continue: undefined });
  const items: KubeObject[] = [];
  for (const it of result.items) {
    const obj = it.object();
    try {
      const { object } = await served.store.delete(obj.metadata.namespace ?? '', obj.metadata.name as string, {
        ...opts,
        admit: (o) => r.admission.validate({
          operation: 'DELETE', group: s.group, version: s.version, resource: s.resource, subresource: '', kind: s.kind,
          namespace: o.metadata.namespace ?? '', name: o.metadata.name ?? '', object: o, oldObject: o, user: r.user, dryRun: !!opts.dryRun,
        }),
      });
      items.push(r.registry.toServed(served, object));
    } catch (e) {
      if ((e as { code?: number }).code === 404) continue; // gone meanwhile
      throw e;
    }
  }
  writeObject(r.res, 200, { kind: s.listKind, apiVersion: served.apiVersion, metadata: { resourceVersion: result.resourceVersion }, items });
}
