/** GET and LIST of resources (k8s.io/apiserver/pkg/endpoints/handlers/get.go). */
import type { KubeObject } from '../../api/types.js';
import { badRequest, invalid, field, type FieldError } from '../../apimachinery/errors.js';
import { buildFilter } from '../../registry/selection.js';
import type { ListOptions, ResourceVersionMatch } from '../../registry/generic/options.js';
import type { ResourceRequest } from './context.js';
import { negotiate } from './negotiation.js';
import { writeJsonText, writeObject } from './respond.js';
import { buildTable, ensurePrinters, parseIncludeObject, partialObject } from './table.js';

/** GET one object. JSON answers skip the decode/encode round trip. */
export async function handleGet(r: ResourceRequest): Promise<void> {
  const { served, info, query } = r;
  const repr = negotiate(r.req.headers.accept, true);
  const ns = served.spec.namespaced ? info.namespace : '';
  const sameVersion = served.apiVersion === served.storageApiVersion;
  if (repr.kind === 'object' && repr.format === 'json' && sameVersion) {
    writeJsonText(r.res, 200, await served.store.getJson(ns, info.name));
    return;
  }
  const obj = r.registry.toServed(served, await served.store.get(ns, info.name));
  if (repr.kind === 'table') {
    await ensurePrinters();
    const t = buildTable({
      group: served.spec.group, resource: served.spec.resource, version: repr.version, objects: [obj],
      now: new Date(r.clock.now()), includeObject: parseIncludeObject(query.get('includeObject')),
      resourceVersion: obj.metadata.resourceVersion,
    });
    writeObject(r.res, 200, t);
  } else if (repr.kind === 'partial') {
    writeObject(r.res, 200, partialObject(obj, repr.version));
  } else {
    writeObject(r.res, 200, obj, repr.format);
  }
}

/** Validates and collects list/watch query parameters (ValidateListOptions). */
export function listOptionsFrom(r: ResourceRequest, forWatch = false): ListOptions & { watch: boolean } {
  const q = r.query;
  const errs: FieldError[] = [];
  const rv = q.get('resourceVersion') ?? undefined;
  const match = (q.get('resourceVersionMatch') ?? '') as ResourceVersionMatch;
  const cont = q.get('continue') ?? undefined;
  const limitText = q.get('limit');
  let limit = 0;
  if (limitText !== null && limitText !== '') {
    if (!/^-?\d+$/.test(limitText)) throw badRequest(`invalid limit: ${JSON.stringify(limitText)}`);
    limit = Math.max(0, Number(limitText));
  }
  if (match !== '' && match !== 'NotOlderThan' && match !== 'Exact') {
    errs.push(field.notSupported('resourceVersionMatch', match, ['Exact', 'NotOlderThan', '']));
  }
  // Watches validate resourceVersionMatch against sendInitialEvents instead (handlers/watch.ts).
  if (match && !rv && !forWatch) errs.push(field.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided'));
  if (match && cont) errs.push(field.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
  if (match === 'Exact' && rv === '0') errs.push(field.forbidden('resourceVersionMatch', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
  if (cont && rv && rv !== '0') throw badRequest('specifying resource version is not allowed when using continue');
  if (errs.length) throw invalid({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', errs);
  const filter = buildFilter(r.served.spec.group, r.served.spec.resource, q.get('labelSelector'), q.get('fieldSelector'));
  const w = q.get('watch');
  return { filter, resourceVersion: rv, resourceVersionMatch: match, limit, continue: cont, watch: w === 'true' || w === '1' };
}

export async function handleList(r: ResourceRequest): Promise<void> {
  const { served } = r;
  const repr = negotiate(r.req.headers.accept, true);
  const opts = listOptionsFrom(r);
  const ns = served.spec.namespaced ? r.info.namespace : '';
  const result = await served.store.list(ns, opts);
  const meta: Record<string, unknown> = { resourceVersion: result.resourceVersion };
  if (result.continue) meta.continue = result.continue;
  if (result.remainingItemCount !== undefined) meta.remainingItemCount = result.remainingItemCount;
  const sameVersion = served.apiVersion === served.storageApiVersion;
  if (repr.kind === 'object' && repr.format === 'json' && sameVersion) {
    // Stream-free concatenation of the stored JSON: no parse of the items.
    const head = `{"kind":${JSON.stringify(served.spec.listKind)},"apiVersion":${JSON.stringify(served.apiVersion)},"metadata":${JSON.stringify(meta)},"items":[`;
    const parts: string[] = new Array(result.items.length);
    for (let i = 0; i < result.items.length; i++) parts[i] = result.items[i].json();
    writeJsonText(r.res, 200, head + parts.join(',') + ']}');
    return;
  }
  const objects: KubeObject[] = result.items.map((it) => r.registry.toServed(served, it.object()));
  if (repr.kind === 'table') {
    await ensurePrinters();
    const t = buildTable({
      group: served.spec.group, resource: served.spec.resource, version: repr.version, objects,
      now: new Date(r.clock.now()), includeObject: parseIncludeObject(r.query.get('includeObject')),
      resourceVersion: result.resourceVersion, continue: result.continue, remainingItemCount: result.remainingItemCount,
    });
    writeObject(r.res, 200, t);
  } else if (repr.kind === 'partial') {
    writeObject(r.res, 200, {
      kind: 'PartialObjectMetadataList', apiVersion: `meta.k8s.io/${repr.version}`, metadata: meta,
      items: objects.map((o) => partialObject(o, repr.version)),
    });
  } else {
    writeObject(r.res, 200, { kind: served.spec.listKind, apiVersion: served.apiVersion, metadata: meta, items: objects }, repr.format);
  }
}
