/**
 * The Node object a kubelet on an EKS-optimized AL2023 AMI registers (labels, annotations,
 * providerID, addresses, capacity/allocatable, nodeInfo, conditions) and its kube-node-lease
 * Lease. Pure functions of a NodeSpec and the time, so tests can compare them.
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '../api/types.js';
import { formatTime, formatMicroTime } from '../apimachinery/time.js';
import { nodeResources, instanceType } from './instance-types.js';
import { privateDnsName, zoneId } from './addressing.js';

/** Versions a 1.32 EKS node reports (EKS AL2023 AMI v20250414-ish). */
export const KUBELET_VERSION = 'v1.32.3-eks-473151a';
export const CONTAINER_RUNTIME_VERSION = 'containerd://1.7.27';
export const OS_IMAGE = 'Amazon Linux 2023.7.20250414';
export const KERNEL_VERSION = '6.1.132-147.221.amzn2023.x86_64';
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
/** Lease duration the kubelet asks for (--node-lease-duration-seconds, default 40). */
export const NODE_LEASE_DURATION_SECONDS = 40;

export interface NodeSpec {
  name: string;
  ip: string;
  region: string;
  zone: string;
  zoneIndex: number;
  instanceType: string;
  /** EC2 instance id (i- + 17 hex). */
  instanceId: string;
}

function hex(seed: string, n: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, n);
}

/** A node spec for the k-th node of a zone (names and ids are deterministic, so a restart adopts existing nodes). */
export function makeNodeSpec(o: { region: string; zone: string; zoneIndex: number; ip: string; instanceType: string }): NodeSpec {
  const name = privateDnsName(o.ip, o.region);
  return { ...o, name, instanceId: `i-0${hex(`instance/${name}`, 16)}` };
}

export type NodeConditionType = 'MemoryPressure' | 'DiskPressure' | 'PIDPressure' | 'Ready';

/** Healthy conditions in the kubelet's order (pkg/kubelet/nodestatus/setters.go), with its reasons and messages. */
export function healthyConditions(heartbeat: string, transition: string): Array<Record<string, string>> {
  const c = (type: NodeConditionType, status: string, reason: string, message: string): Record<string, string> =>
    ({ type, status, lastHeartbeatTime: heartbeat, lastTransitionTime: transition, reason, message });
  return [
    c('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    c('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    c('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    c('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ];
}

export function nodeLabels(s: NodeSpec): Record<string, string> {
  return {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/instance-type': s.instanceType,
    'beta.kubernetes.io/os': 'linux',
    'failure-domain.beta.kubernetes.io/region': s.region,
    'failure-domain.beta.kubernetes.io/zone': s.zone,
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': s.name,
    'kubernetes.io/os': 'linux',
    'node.kubernetes.io/instance-type': s.instanceType,
    'topology.k8s.aws/zone-id': zoneId(s.zone),
    'topology.kubernetes.io/region': s.region,
    'topology.kubernetes.io/zone': s.zone,
  };
}

export function nodeStatus(s: NodeSpec, now: number): Record<string, unknown> {
  const res = nodeResources(instanceType(s.instanceType));
  const t = formatTime(now);
  return {
    capacity: res.capacity,
    allocatable: res.allocatable,
    conditions: healthyConditions(t, t),
    addresses: [
      { type: 'InternalIP', address: s.ip },
      { type: 'InternalDNS', address: s.name },
      { type: 'Hostname', address: s.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: hex(`machine/${s.name}`, 32),
      systemUUID: `ec2${hex(`uuid/${s.name}`, 5)}-${hex(`uuid2/${s.name}`, 4)}-${hex(`uuid3/${s.name}`, 4)}-${hex(`uuid4/${s.name}`, 4)}-${hex(`uuid5/${s.name}`, 12)}`,
      bootID: [8, 4, 4, 4, 12].map((n, i) => hex(`boot${i}/${s.name}/${now}`, n)).join('-'),
      kernelVersion: KERNEL_VERSION,
      osImage: OS_IMAGE,
      containerRuntimeVersion: CONTAINER_RUNTIME_VERSION,
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: KUBELET_VERSION,
      operatingSystem: 'linux',
      architecture: 'amd64',
    },
  };
}

/** The Node as registered (POST /api/v1/nodes); status is posted right after through nodes/status. */
export function nodeObject(s: NodeSpec, now: number): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: {
      name: s.name,
      labels: nodeLabels(s),
      annotations: {
        'alpha.kubernetes.io/provided-node-ip': s.ip,
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: { providerID: `aws:///${s.zone}/${s.instanceId}` },
    status: nodeStatus(s, now),
  };
}

/** The node's Lease in kube-node-lease, owned by the Node (pkg/kubelet/nodelease). */
export function nodeLease(nodeName: string, nodeUid: string | undefined, now: number): KubeObject {
  return {
    apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
    metadata: {
      name: nodeName, namespace: NODE_LEASE_NAMESPACE,
      ...(nodeUid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: nodeUid }] } : {}),
    },
    spec: { holderIdentity: nodeName, leaseDurationSeconds: NODE_LEASE_DURATION_SECONDS, renewTime: formatMicroTime(now) },
  };
}
