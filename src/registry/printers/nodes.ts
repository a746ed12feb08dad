/**
 * core/v1 nodes: NAME STATUS ROLES AGE VERSION (wide: INTERNAL-IP EXTERNAL-IP OS-IMAGE
 * KERNEL-VERSION CONTAINER-RUNTIME), as printNode in pkg/printers/internalversion/printers.go
 * (Kubernetes 1.32): status from the Ready condition (`Ready`, `NotReady`, `Unknown`) plus
 * `SchedulingDisabled` when cordoned; roles from `node-role.kubernetes.io/<role>` labels and the
 * legacy `kubernetes.io/role` label, sorted, `<none>` when there are none.
 */
import type { KubeObject } from '../../api/types.js';
import type { TablePrinter } from './types.js';
import { AGE, NAME, ageOf, col, columns, docCol, nameOf } from './columns.js';
import { sortedUnique } from './format.js';

interface NodeLike extends KubeObject {
  spec?: { unschedulable?: boolean };
  status?: {
    conditions?: Array<{ type?: string; status?: string }>;
    addresses?: Array<{ type?: string; address?: string }>;
    nodeInfo?: { kubeletVersion?: string; osImage?: string; kernelVersion?: string; containerRuntimeVersion?: string };
  };
}

const LABEL_NODE_ROLE_PREFIX = 'node-role.kubernetes.io/';
const NODE_LABEL_ROLE = 'kubernetes.io/role';

/** printers.go findNodeRoles. */
export function nodeRoles(labels: Record<string, string> | undefined): string[] {
  const roles: string[] = [];
  if (!labels) return roles;
  for (const k in labels) {
    if (k.startsWith(LABEL_NODE_ROLE_PREFIX)) {
      const role = k.slice(LABEL_NODE_ROLE_PREFIX.length);
      if (role.length > 0) roles.push(role);
    } else if (k === NODE_LABEL_ROLE && labels[k] !== '') {
      roles.push(labels[k]);
    }
  }
  return sortedUnique(roles);
}

function address(node: NodeLike, type: string): string {
  for (const a of node.status?.addresses ?? []) if (a.type === type) return a.address ?? '';
  return '<none>';
}

export const nodePrinter: TablePrinter = {
  columns: columns(
    NAME,
    col('Status', 'string', 'The status of the node'),
    col('Roles', 'string', 'The roles of the node'),
    AGE,
    docCol('Version', 'string', 'core/v1 NodeSystemInfo.kubeletVersion'),
    docCol('Internal-IP', 'string', 'core/v1 NodeStatus.addresses', { priority: 1 }),
    docCol('External-IP', 'string', 'core/v1 NodeStatus.addresses', { priority: 1 }),
    docCol('OS-Image', 'string', 'core/v1 NodeSystemInfo.osImage', { priority: 1 }),
    docCol('Kernel-Version', 'string', 'core/v1 NodeSystemInfo.kernelVersion', { priority: 1 }),
    docCol('Container-Runtime', 'string', 'core/v1 NodeSystemInfo.containerRuntimeVersion', { priority: 1 }),
  ),
  cells(obj, ctx) {
    const node = obj as NodeLike;
    // The last condition of a type wins (conditionMap), only Ready is reported.
    let ready: { status?: string } | undefined;
    for (const c of node.status?.conditions ?? []) if (c.type === 'Ready') ready = c;
    let status = ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown';
    if (node.spec?.unschedulable) status += ',SchedulingDisabled';
    const roles = nodeRoles(node.metadata.labels).join(',') || '<none>';
    const info = node.status?.nodeInfo ?? {};
    return [
      nameOf(node), status, roles, ageOf(node, ctx), info.kubeletVersion ?? '',
      address(node, 'InternalIP'), address(node, 'ExternalIP'),
      info.osImage || '<unknown>', info.kernelVersion || '<unknown>', info.containerRuntimeVersion || '<unknown>',
    ];
  },
};
