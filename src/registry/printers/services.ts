/**
 * core/v1 services: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE (wide: SELECTOR), as printService
 * in pkg/printers/internalversion/printers.go (Kubernetes 1.32). The server prints with Wide
 * set, so load-balancer addresses are not clipped to 16 characters.
 */
import type { KubeObject } from '../../api/types.js';
import type { TablePrinter } from './types.js';
import { AGE, NAME, ageOf, columns, docCol, nameOf } from './columns.js';
import { formatLabels, sortedUnique } from './format.js';

export interface LoadBalancerIngressLike { ip?: string; hostname?: string }

interface ServiceLike extends KubeObject {
  spec?: {
    type?: string;
    clusterIP?: string;
    clusterIPs?: string[];
    externalIPs?: string[];
    externalName?: string;
    ports?: Array<{ port?: number; nodePort?: number; protocol?: string }>;
    selector?: Record<string, string>;
  };
  status?: { loadBalancer?: { ingress?: LoadBalancerIngressLike[] } };
}

/** printers.go loadBalancerStatusStringer(s, wide=true): IPs (else hostnames), unique and sorted. */
export function loadBalancerStatus(ingress: LoadBalancerIngressLike[] | undefined): string {
  if (!ingress || ingress.length === 0) return '';
  const values: string[] = [];
  for (const i of ingress) {
    if (i.ip) values.push(i.ip);
    else if (i.hostname) values.push(i.hostname);
  }
  return sortedUnique(values).join(',');
}

/** printers.go getServiceExternalIP. */
function externalIP(svc: ServiceLike, type: string): string {
  const ext = svc.spec?.externalIPs ?? [];
  switch (type) {
    case 'ClusterIP':
    case 'NodePort':
      return ext.length > 0 ? ext.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerStatus(svc.status?.loadBalancer?.ingress);
      if (ext.length > 0) return (lb ? lb + ',' : '') + ext.join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return svc.spec?.externalName ?? '';
  }
  return '<unknown>';
}

/** printers.go makePortString: `80/TCP`, `80:30080/TCP`, joined by ",". */
function portString(svc: ServiceLike): string {
  const ports = svc.spec?.ports ?? [];
  let out = '';
  for (let i = 0; i < ports.length; i++) {
    const p = ports[i];
    const proto = p.protocol ?? 'TCP';
    if (i) out += ',';
    out += p.nodePort && p.nodePort > 0 ? `${p.port ?? 0}:${p.nodePort}/${proto}` : `${p.port ?? 0}/${proto}`;
  }
  return out;
}

export const servicePrinter: TablePrinter = {
  columns: columns(
    NAME,
    docCol('Type', 'string', 'core/v1 ServiceSpec.type'),
    docCol('Cluster-IP', 'string', 'core/v1 ServiceSpec.clusterIP'),
    docCol('External-IP', 'string', 'core/v1 ServiceSpec.externalIPs'),
    docCol('Port(s)', 'string', 'core/v1 ServiceSpec.ports'),
    AGE,
    docCol('Selector', 'string', 'core/v1 ServiceSpec.selector', { priority: 1 }),
  ),
  cells(obj, ctx) {
    const svc = obj as ServiceLike;
    // Defaulting sets type ClusterIP and clusterIPs from clusterIP.
    const type = svc.spec?.type ?? 'ClusterIP';
    const ips = svc.spec?.clusterIPs;
    const clusterIP = ips && ips.length > 0 ? ips[0] : svc.spec?.clusterIP || '<none>';
    return [
      nameOf(svc), type, clusterIP, externalIP(svc, type), portString(svc) || '<none>', ageOf(svc, ctx),
      formatLabels(svc.spec?.selector),
    ];
  },
};
