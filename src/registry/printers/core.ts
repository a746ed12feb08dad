/**
 * core/v1 printers for the small kinds: namespaces, configmaps, secrets, serviceaccounts,
 * podtemplates, replicationcontrollers, componentstatuses, resourcequotas and endpoints, as the
 * print functions of pkg/printers/internalversion/printers.go (Kubernetes 1.32).
 * (limitranges have no handler upstream: their store uses the default table convertor.)
 */
import type { KubeObject } from '../../api/types.js';
import type { TablePrinter } from './types.js';
import { AGE, CONTAINERS_WIDE, IMAGES_WIDE, NAME, ageOf, col, columns, docCol, nameOf } from './columns.js';
import { compareStrings, containerCells, formatLabels, quantity, type ContainerLike } from './format.js';

function count(v: unknown): number {
  if (Array.isArray(v)) return v.length;
  if (v && typeof v === 'object') return Object.keys(v).length;
  return 0;
}

function secretKeys(obj: KubeObject): number {
  const data = obj.data && typeof obj.data === 'object' ? (obj.data as Record<string, unknown>) : {};
  let n = Object.keys(data).length;
  if (obj.stringData && typeof obj.stringData === 'object') {
    for (const k of Object.keys(obj.stringData)) if (!(k in data)) n++;
  }
  return n;
}

export const namespacePrinter: TablePrinter = {
  columns: columns(NAME, col('Status', 'string', 'The status of the namespace'), AGE),
  cells: (obj, ctx) => [nameOf(obj), (obj as { status?: { phase?: string } }).status?.phase ?? '', ageOf(obj, ctx)],
};

export const configMapPrinter: TablePrinter = {
  columns: columns(NAME, docCol('Data', 'string', 'core/v1 ConfigMap.data'), AGE),
  // int64(len(obj.Data)+len(obj.BinaryData))
  cells: (obj, ctx) => [nameOf(obj), count(obj.data) + count(obj.binaryData), ageOf(obj, ctx)],
};

export const secretPrinter: TablePrinter = {
  columns: columns(NAME, docCol('Type', 'string', 'core/v1 Secret.type'), docCol('Data', 'string', 'core/v1 Secret.data'), AGE),
  // Convert_v1_Secret_To_core_Secret merges stringData into data: count the union of keys.
  cells: (obj, ctx) => [nameOf(obj), typeof obj.type === 'string' ? obj.type : '', secretKeys(obj), ageOf(obj, ctx)],
};

export const serviceAccountPrinter: TablePrinter = {
  columns: columns(NAME, docCol('Secrets', 'string', 'core/v1 ServiceAccount.secrets'), AGE),
  cells: (obj, ctx) => [nameOf(obj), count(obj.secrets), ageOf(obj, ctx)],
};

interface PodTemplateLike extends KubeObject {
  template?: { metadata?: { labels?: Record<string, string> }; spec?: { containers?: ContainerLike[] } };
}

export const podTemplatePrinter: TablePrinter = {
  columns: columns(
    NAME,
    col('Containers', 'string', 'Names of each container in the template.'),
    col('Images', 'string', 'Images referenced by each container in the template.'),
    col('Pod Labels', 'string', 'The labels for the pod template.'),
  ),
  cells(obj) {
    const t = (obj as PodTemplateLike).template;
    const [names, images] = containerCells(t?.spec?.containers);
    return [nameOf(obj), names, images, formatLabels(t?.metadata?.labels)];
  },
};

interface ReplicationControllerLike extends KubeObject {
  spec?: { replicas?: number; selector?: Record<string, string>; template?: { spec?: { containers?: ContainerLike[] } } };
  status?: { replicas?: number; readyReplicas?: number };
}

export const replicationControllerPrinter: TablePrinter = {
  columns: columns(
    NAME,
    docCol('Desired', 'integer', 'core/v1 ReplicationControllerSpec.replicas'),
    docCol('Current', 'integer', 'core/v1 ReplicationControllerStatus.replicas'),
    docCol('Ready', 'integer', 'core/v1 ReplicationControllerStatus.readyReplicas'),
    AGE,
    CONTAINERS_WIDE,
    IMAGES_WIDE,
    docCol('Selector', 'string', 'core/v1 ReplicationControllerSpec.selector', { priority: 1 }),
  ),
  cells(obj, ctx) {
    const rc = obj as ReplicationControllerLike;
    const [names, images] = containerCells(rc.spec?.template?.spec?.containers);
    return [
      nameOf(rc), rc.spec?.replicas ?? 1, rc.status?.replicas ?? 0, rc.status?.readyReplicas ?? 0, ageOf(rc, ctx),
      names, images, formatLabels(rc.spec?.selector),
    ];
  },
};

interface ComponentStatusLike extends KubeObject {
  conditions?: Array<{ type?: string; status?: string; message?: string; error?: string }>;
}

export const componentStatusPrinter: TablePrinter = {
  columns: columns(
    NAME,
    col('Status', 'string', 'Status of the component conditions'),
    col('Message', 'string', 'Message of the component conditions'),
    col('Error', 'string', 'Error of the component conditions'),
  ),
  cells(obj) {
    let status = 'Unknown';
    let message = '';
    let error = '';
    for (const c of (obj as ComponentStatusLike).conditions ?? []) {
      if (c.type === 'Healthy') {
        status = c.status === 'True' ? 'Healthy' : 'Unhealthy';
        message = c.message ?? '';
        error = c.error ?? '';
        break;
      }
    }
    return [nameOf(obj), status, message, error];
  },
};

interface ResourceQuotaLike extends KubeObject {
  status?: { hard?: Record<string, unknown>; used?: Record<string, unknown> };
}

export const resourceQuotaPrinter: TablePrinter = {
  columns: columns(
    NAME,
    col('Request', 'string', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
    col('Limit', 'string', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.'),
    AGE,
  ),
  // Resources of status.hard in name order; "limits.*" go to the Limit column.
  cells(obj, ctx) {
    const hard = (obj as ResourceQuotaLike).status?.hard ?? {};
    const used = (obj as ResourceQuotaLike).status?.used ?? {};
    const names = Object.keys(hard).sort(compareStrings);
    const requests: string[] = [];
    const limits: string[] = [];
    for (const r of names) {
      const dot = r.indexOf('.');
      const target = dot > 0 && r.slice(0, dot) === 'limits' ? limits : requests;
      target.push(`${r}: ${quantity(used[r])}/${quantity(hard[r])}`);
    }
    return [nameOf(obj), requests.join(', '), limits.join(', '), ageOf(obj, ctx)];
  },
};

interface EndpointsLike extends KubeObject {
  subsets?: Array<{ addresses?: Array<{ ip?: string }>; ports?: Array<{ name?: string; port?: number }> }>;
}

/** net.JoinHostPort: brackets around IPv6 hosts. */
function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** printers.go formatEndpoints(endpoints, nil): up to 3 `ip:port`, then ` + N more...`. */
export function formatEndpoints(obj: KubeObject): string {
  const subsets = (obj as EndpointsLike).subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  const max = 3;
  let more = false;
  let total = 0;
  for (const ss of subsets) {
    const addrs = ss.addresses ?? [];
    const ports = ss.ports ?? [];
    if (ports.length === 0) {
      // headless services with no ports
      total += addrs.length;
      for (const a of addrs) {
        if (list.length === max) { more = true; break; }
        list.push(a.ip ?? '');
      }
      continue;
    }
    for (const p of ports) {
      total += addrs.length;
      for (const a of addrs) {
        if (list.length === max) { more = true; break; }
        list.push(joinHostPort(a.ip ?? '', p.port ?? 0));
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${total - max} more...` : ret;
}

export const endpointsPrinter: TablePrinter = {
  columns: columns(NAME, docCol('Endpoints', 'string', 'core/v1 Endpoints.subsets'), AGE),
  cells: (obj, ctx) => [nameOf(obj), formatEndpoints(obj), ageOf(obj, ctx)],
};
