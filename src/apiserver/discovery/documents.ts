/**
 * Discovery documents built from the registry: legacy (APIVersions, APIGroupList, APIGroup,
 * APIResourceList) and aggregated (apidiscovery.k8s.io v2/v2beta1 APIGroupDiscoveryList), as
 * kube-apiserver 1.32 serves them at /api, /apis, /apis/<g> and /api[s]/…/<v>.
 */
import { createHash } from 'node:crypto';
import type { ResourceSpec } from '../../api/resources.js';
import type { Registry } from '../../registry/registry.js';

export interface GroupVersionView { group: string; version: string; resources: ResourceSpec[] }

/** storageVersionHash: base64 of the first 8 bytes of sha256("<group>/<version>/<kind>") of the storage version. */
export function storageVersionHash(storageApiVersion: string, kind: string): string {
  const [g, v] = storageApiVersion.includes('/') ? storageApiVersion.split('/') : ['', storageApiVersion];
  return createHash('sha256').update(`${g}/${v}/${kind}`).digest().subarray(0, 8).toString('base64');
}

export class DiscoveryDocuments {
  /** Group name → versions in preference order, only groups with served resources. */
  readonly groups: { name: string; versions: string[] }[];
  private readonly byGV = new Map<string, ResourceSpec[]>();

  constructor(private readonly registry: Registry) {
    for (const r of registry.all()) {
      const k = `${r.spec.group}/${r.spec.version}`;
      const list = this.byGV.get(k) ?? [];
      list.push(r.spec);
      this.byGV.set(k, list);
    }
    this.groups = registry.groups
      .map((g) => ({ name: g.name, versions: g.versions.filter((v) => this.byGV.has(`${g.name}/${v}`)) }))
      .filter((g) => g.versions.length > 0);
  }

  resourcesOf(group: string, version: string): ResourceSpec[] | undefined {
    return this.byGV.get(`${group}/${version}`);
  }

  apiVersions(serverAddress: string): object {
    return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
  }

  private apiGroup(g: { name: string; versions: string[] }): object {
    const versions = g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v }));
    return { name: g.name, versions, preferredVersion: versions[0] };
  }

  apiGroupList(): object {
    return { kind: 'APIGroupList', apiVersion: 'v1', groups: this.groups.filter((g) => g.name !== '').map((g) => this.apiGroup(g)) };
  }

  apiGroupDoc(name: string): object | undefined {
    const g = this.groups.find((x) => x.name === name && name !== '');
    return g ? { kind: 'APIGroup', apiVersion: 'v1', ...this.apiGroup(g) } : undefined;
  }

  apiResourceList(group: string, version: string): object | undefined {
    const specs = this.byGV.get(`${group}/${version}`);
    if (!specs) return undefined;
    const resources: object[] = [];
    for (const s of specs) {
      const served = this.registry.get(s.group, s.version, s.resource);
      const entry: Record<string, unknown> = { name: s.resource, singularName: s.singularName, namespaced: s.namespaced, kind: s.kind, verbs: s.verbs };
      if (s.shortNames.length) entry.shortNames = s.shortNames;
      if (s.categories.length) entry.categories = s.categories;
      if (served) entry.storageVersionHash = storageVersionHash(served.storageApiVersion, s.kind);
      resources.push(entry);
      for (const sub of s.subresources) {
        const se: Record<string, unknown> = { name: `${s.resource}/${sub.name}`, singularName: '', namespaced: s.namespaced, kind: sub.kind, verbs: sub.verbs };
        if (sub.group !== s.group || sub.version !== s.version) { se.group = sub.group; se.version = sub.version; }
        resources.push(se);
      }
    }
    return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
  }

  private discoveryResource(s: ResourceSpec): object {
    const r: Record<string, unknown> = {
      resource: s.resource,
      responseKind: { group: s.group, version: s.version, kind: s.kind },
      scope: s.namespaced ? 'Namespaced' : 'Cluster',
      singularResource: s.singularName,
      verbs: s.verbs,
    };
    if (s.shortNames.length) r.shortNames = s.shortNames;
    if (s.categories.length) r.categories = s.categories;
    if (s.subresources.length) {
      r.subresources = s.subresources.map((sub) => ({
        subresource: sub.name,
        responseKind: { group: sub.group, version: sub.version, kind: sub.kind },
        verbs: sub.verbs,
      }));
    }
    return r;
  }

  /** Aggregated discovery: `legacy` = /api (the core group), else /apis. */
  aggregated(legacy: boolean, version: 'v2' | 'v2beta1'): object {
    const groups = this.groups.filter((g) => (g.name === '') === legacy);
    const items = groups.map((g) => ({
      metadata: legacy ? { creationTimestamp: null } : { name: g.name, creationTimestamp: null },
      versions: g.versions.map((v) => ({
        version: v,
        resources: (this.byGV.get(`${g.name}/${v}`) ?? []).map((s) => this.discoveryResource(s)),
        freshness: 'Current',
      })),
    }));
    return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
  }
}
