/**
 * The resources the garbage collector monitors (garbagecollector.GetDeletableResources): every
 * resource that discovery says supports list, watch and delete, except Events
 * (ignoredResources), and a kind → resource map to address owners named by ownerReferences.
 */
import type { ApiClient, ResourceRef } from '../../client/client.js';

const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const IGNORED = new Set(['/events', 'events.k8s.io/events']);

interface DiscoveryList {
  items: Array<{ metadata: { name?: string }; versions: Array<{ version: string; resources: Array<{ resource: string; scope: string; verbs: string[]; responseKind?: { kind: string } }> }> }>;
}

export interface MonitoredResource { ref: ResourceRef; kind: string }

export interface DiscoveredResources {
  /** Preferred version of each deletable group/resource. */
  monitored: MonitoredResource[];
  /** `group/Kind` → resource name and scope, for every served version. */
  kinds: Map<string, { resource: string; namespaced: boolean }>;
}

export async function discoverResources(client: ApiClient): Promise<DiscoveredResources> {
  const monitored: MonitoredResource[] = [];
  const kinds = new Map<string, { resource: string; namespaced: boolean }>();
  const seen = new Set<string>();
  for (const path of ['/api', '/apis']) {
    const doc = await client.getRaw<DiscoveryList>(path, AGGREGATED);
    for (const g of doc.items) {
      const group = g.metadata.name ?? '';
      g.versions.forEach((v, i) => {
        for (const r of v.resources) {
          const namespaced = r.scope === 'Namespaced';
          if (r.responseKind?.kind) kinds.set(`${group}/${r.responseKind.kind}`, { resource: r.resource, namespaced });
          if (i > 0) continue;
          const key = `${group}/${r.resource}`;
          if (seen.has(key) || IGNORED.has(key)) continue;
          if (!['list', 'watch', 'delete'].every((verb) => r.verbs.includes(verb))) continue;
          seen.add(key);
          monitored.push({ ref: { group, version: v.version, resource: r.resource, namespaced }, kind: r.responseKind?.kind ?? '' });
        }
      });
    }
  }
  return { monitored, kinds };
}
