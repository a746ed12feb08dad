/**
 * What EKS Fargate shows for a pod's micro-VM: the pod's size rounded up to a Fargate
 * configuration (vCPU and memory combinations; the pod's requests plus 256 MiB for the
 * Kubernetes components, as the EKS Fargate pod configuration docs describe), the
 * `CapacityProvisioned` annotation, and the dedicated Node — `fargate-ip-a-b-c-d.<region>.compute.internal`,
 * label eks.amazonaws.com/compute-type=fargate, taint eks.amazonaws.com/compute-type=fargate:NoSchedule,
 * one pod, the simulated-node annotation so a simulated kubelet runs it.
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '../api/types.js';
import { formatTime } from '../apimachinery/time.js';
import { podRequests } from '../scheduler/resources.js';
import { zoneId } from '../simulator/addressing.js';
import { healthyConditions, KUBELET_VERSION } from '../simulator/node-object.js';
import { SIMULATED_NODE_ANNOTATION } from '../simulator/refs.js';

export const COMPUTE_TYPE_LABEL = 'eks.amazonaws.com/compute-type';
/** Annotations on a Fargate Node naming the one pod it runs (key and uid). */
export const FARGATE_POD_ANNOTATION = 'keks.dev/fargate-pod';
export const FARGATE_POD_UID_ANNOTATION = 'keks.dev/fargate-pod-uid';

const GI = 1024 ** 3;
/** Fargate vCPU options and their memory ranges (GB): [vCPU, min, max, step]. */
const CONFIGS: Array<[number, number, number, number]> = [
  [0.25, 0.5, 2, 0.5], [0.5, 1, 4, 1], [1, 2, 8, 1], [2, 4, 16, 1], [4, 8, 30, 1], [8, 16, 60, 4], [16, 32, 120, 8],
];
const K8S_COMPONENTS_BYTES = 256 * 1024 * 1024;

export interface FargateSize { vcpu: number; memoryGb: number }

/** The smallest Fargate configuration that holds the pod's requests (+256 MiB); the largest one if none does. */
export function fargateSize(pod: KubeObject): FargateSize {
  const req = podRequests(pod);
  const cpu = req.cpu / 1000;
  const memGb = (req.memory + K8S_COMPONENTS_BYTES) / GI;
  for (const [vcpu, min, max, step] of CONFIGS) {
    if (vcpu < cpu || max < memGb) continue;
    let m = min;
    while (m < memGb) m += step;
    return { vcpu, memoryGb: m };
  }
  const last = CONFIGS[CONFIGS.length - 1];
  return { vcpu: last[0], memoryGb: last[2] };
}

/** The pod annotation EKS writes, e.g. "0.25vCPU 0.5GB". */
export function capacityProvisioned(s: FargateSize): string {
  return `${s.vcpu}vCPU ${s.memoryGb}GB`;
}

function hex(seed: string, n: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, n);
}

function dnsSuffix(region: string): string {
  return region === 'us-east-1' ? 'ec2.internal' : `${region}.compute.internal`;
}

export function fargateNodeName(ip: string, region: string): string {
  return `fargate-ip-${ip.replaceAll('.', '-')}.${dnsSuffix(region)}`;
}

export interface FargateNodeInput {
  pod: KubeObject;
  ip: string;
  region: string;
  zone: string;
  now: number;
}

/** The Node of one Fargate pod (status included). */
export function fargateNode(o: FargateNodeInput): KubeObject {
  const name = fargateNodeName(o.ip, o.region);
  const hostname = `ip-${o.ip.replaceAll('.', '-')}.${dnsSuffix(o.region)}`;
  const size = fargateSize(o.pod);
  const memKi = Math.round(size.memoryGb * 1024 * 1024 * 0.97);
  const resources = { cpu: String(size.vcpu >= 1 ? size.vcpu : `${size.vcpu * 1000}m`), memory: `${memKi}Ki`, 'ephemeral-storage': '30787492Ki', pods: '1', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0' };
  const t = formatTime(o.now);
  const podKey = `${o.pod.metadata.namespace}/${o.pod.metadata.name}`;
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: {
      name,
      labels: {
        'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', [COMPUTE_TYPE_LABEL]: 'fargate',
        'failure-domain.beta.kubernetes.io/region': o.region, 'failure-domain.beta.kubernetes.io/zone': o.zone,
        'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': hostname, 'kubernetes.io/os': 'linux',
        'topology.k8s.aws/zone-id': zoneId(o.zone), 'topology.kubernetes.io/region': o.region, 'topology.kubernetes.io/zone': o.zone,
      },
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
        [SIMULATED_NODE_ANNOTATION]: 'true', [FARGATE_POD_ANNOTATION]: podKey, [FARGATE_POD_UID_ANNOTATION]: o.pod.metadata.uid ?? '',
      },
    },
    spec: {
      providerID: `aws:///${o.zone}/${hex(`fargate/${name}/${o.pod.metadata.uid}`, 32)}/${name}`,
      taints: [{ key: COMPUTE_TYPE_LABEL, value: 'fargate', effect: 'NoSchedule' }],
    },
    status: {
      capacity: resources, allocatable: resources,
      conditions: healthyConditions(t, t),
      addresses: [{ type: 'InternalIP', address: o.ip }, { type: 'InternalDNS', address: hostname }, { type: 'Hostname', address: hostname }],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: hex(`machine/${name}`, 32), systemUUID: hex(`uuid/${name}`, 32), bootID: hex(`boot/${name}/${o.now}`, 32),
        kernelVersion: '4.14.355-275.572.amzn2.x86_64', osImage: 'Amazon Linux 2', containerRuntimeVersion: 'containerd://1.7.27',
        kubeletVersion: KUBELET_VERSION, kubeProxyVersion: KUBELET_VERSION, operatingSystem: 'linux', architecture: 'amd64',
      },
    },
  };
}
