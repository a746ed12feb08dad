/**
 * What a CRD serves: one ResourceSpec per served version (discovery, routing, the registry),
 * as apiextensions-apiserver's discovery controller and crdHandler describe them.
 */
import type { ResourceSpec, SubresourceSpec } from '../../api/resources.js';
import { storageVersion, type Crd, type CrdNames } from '../../registry/crd/types.js';

/** Discovery verbs of every custom resource (crdHandler / DiscoveryController, in upstream order). */
export const CR_VERBS = ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'];

export function acceptedNamesOf(crd: Crd): CrdNames {
  const n = crd.spec.names;
  const out: CrdNames = { plural: n.plural, singular: n.singular || n.kind.toLowerCase(), kind: n.kind, listKind: n.listKind || `${n.kind}List` };
  if (n.shortNames?.length) out.shortNames = [...n.shortNames];
  if (n.categories?.length) out.categories = [...n.categories];
  return out;
}

export function resourceSpecsOf(crd: Crd): ResourceSpec[] {
  const names = acceptedNamesOf(crd);
  const group = crd.spec.group;
  return crd.spec.versions.filter((v) => v.served).map((v) => {
    const subresources: SubresourceSpec[] = [];
    if (v.subresources?.scale) subresources.push({ name: 'scale', group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
    if (v.subresources?.status) subresources.push({ name: 'status', group, version: v.name, kind: names.kind, verbs: ['get', 'patch', 'update'] });
    return {
      group, version: v.name, resource: names.plural, kind: names.kind, listKind: names.listKind as string,
      singularName: names.singular as string, namespaced: crd.spec.scope !== 'Cluster', verbs: CR_VERBS,
      shortNames: names.shortNames ?? [], categories: names.categories ?? [], subresources,
    };
  });
}

export function storageApiVersionOf(crd: Crd): string {
  return `${crd.spec.group}/${storageVersion(crd)?.name ?? crd.spec.versions[0]?.name}`;
}
