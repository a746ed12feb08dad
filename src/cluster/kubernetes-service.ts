/**
 * The `default/kubernetes` Service and its Endpoints and EndpointSlice, as kube-apiserver's
 * controlplane controller keeps them (pkg/controlplane/controller/kubernetesservice and
 * reconcilers/endpointsadapter.go): ClusterIP = first address of the service range, port 443
 * (`https`) → the API server's own address and port. Run at every start: the Service is created
 * once; Endpoints and EndpointSlice are rewritten when the address or port changed (a restart
 * on another port).
 */
import type { KubeObject } from '../api/types.js';
import { isStatusError } from '../apimachinery/errors.js';
import type { Registry } from '../registry/registry.js';
import { ClusterIpAllocator } from '../registry/services/ip-allocator.js';

export interface KubernetesServiceOptions {
  serviceCidr: string;
  /** Where the API server listens (the endpoint address kube-apiserver advertises). */
  host: string;
  port: number;
}

const NAME = 'kubernetes';
const NS = 'default';

async function getOrNull(registry: Registry, group: string, resource: string): Promise<KubeObject | null> {
  try {
    return await registry.storeOf(group, resource).get(NS, NAME);
  } catch (e) {
    if (isStatusError(e) && e.code === 404) return null;
    throw e;
  }
}

/** Create `obj` or, when its content (spec-ish fields) differs from the stored one, replace it. */
async function ensure(registry: Registry, group: string, resource: string, obj: KubeObject, same: (cur: KubeObject) => boolean): Promise<void> {
  const store = registry.storeOf(group, resource);
  const cur = await getOrNull(registry, group, resource);
  if (!cur) {
    try { await store.create(NS, obj); } catch (e) { if (!(isStatusError(e) && e.code === 409)) throw e; }
    return;
  }
  if (same(cur)) return;
  await store.update(NS, NAME, (c) => ({ ...obj, metadata: { ...(c?.metadata ?? {}), labels: obj.metadata.labels } }));
}

/** One port equal to `want` field by field (stored objects keep the Go field order, so no string compare). */
function samePorts(ports: Array<Record<string, unknown>> | undefined, want: Record<string, unknown>): boolean {
  if (!ports || ports.length !== 1) return false;
  const p = ports[0];
  return Object.keys(want).every((k) => p[k] === want[k]) && Object.keys(p).every((k) => k in want);
}

export async function ensureKubernetesService(registry: Registry, o: KubernetesServiceOptions): Promise<void> {
  const ip = /^\d+\.\d+\.\d+\.\d+$/.test(o.host) && o.host !== '0.0.0.0' ? o.host : '127.0.0.1';
  const clusterIP = new ClusterIpAllocator({ cidr: o.serviceCidr }).firstIp;
  const port = { name: 'https', port: o.port, protocol: 'TCP' };
  const wantPorts = [{ name: 'https', port: 443, protocol: 'TCP', targetPort: o.port }];
  const svc = await getOrNull(registry, '', 'services');
  if (!svc) {
    await ensure(registry, '', 'services', {
      apiVersion: 'v1', kind: 'Service',
      metadata: { name: NAME, namespace: NS, labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: {
        clusterIP, clusterIPs: [clusterIP], internalTrafficPolicy: 'Cluster', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack',
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: o.port }], sessionAffinity: 'None', type: 'ClusterIP',
      },
    }, () => true);
  } else if (!samePorts((svc.spec as { ports?: Array<Record<string, unknown>> } | undefined)?.ports, wantPorts[0])) {
    // The target port follows the API server's port (kubernetesservice.Controller.CreateOrUpdateMasterServiceIfNeeded);
    // an unchanged Service is not rewritten (a restart on the same port writes nothing).
    await registry.storeOf('', 'services').update(NS, NAME, (c) => {
      const svc = c as KubeObject;
      const spec = svc.spec as { ports?: Array<Record<string, unknown>> };
      spec.ports = wantPorts;
      return svc;
    });
  }
  await ensure(registry, '', 'endpoints', {
    apiVersion: 'v1', kind: 'Endpoints',
    metadata: { name: NAME, namespace: NS, labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip }], ports: [port] }],
  }, (cur) => JSON.stringify(cur.subsets) === JSON.stringify([{ addresses: [{ ip }], ports: [port] }]));
  await ensure(registry, 'discovery.k8s.io', 'endpointslices', {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { name: NAME, namespace: NS, labels: { 'kubernetes.io/service-name': NAME } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [ip], conditions: { ready: true } }],
    ports: [port],
  }, (cur) => JSON.stringify(cur.endpoints) === JSON.stringify([{ addresses: [ip], conditions: { ready: true } }]) && JSON.stringify(cur.ports) === JSON.stringify([port]));
}
