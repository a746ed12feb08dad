/**
 * EC2 instance types a simulated node can be, and the node capacity/allocatable a kubelet on the
 * EKS-optimized AMI reports for them. Allocatable follows the AMI's bootstrap formulas
 * (amazon-eks-ami: kube-reserved CPU 6% of the first core, 1% of the second, 0.5% of cores 3–4,
 * 0.25% above; kube-reserved memory 255Mi + 11Mi × maxPods; eviction-hard memory.available 100Mi;
 * ephemeral storage: 1Gi kube-reserved and nodefs.available 10%), and max pods from the VPC CNI
 * table (ENIs × (IPv4 per ENI − 1) + 2).
 */

export interface InstanceType {
  name: string;
  vcpu: number;
  /** Memory the kernel reports (MemTotal, KiB): a little less than the nominal GiB. */
  memoryKi: number;
  maxPods: number;
}

const GI_KI = 1024 * 1024;
/** MemTotal is about 95.5% of the nominal size on Nitro instances (kernel and firmware reservations). */
const memTotal = (gib: number): number => Math.round(gib * GI_KI * 0.955);

const TABLE: Array<[string, number, number, number]> = [
  // name, vCPU, GiB, max pods (eni-max-pods.txt)
  ['t3.small', 2, 2, 11], ['t3.medium', 2, 4, 17], ['t3.large', 2, 8, 35], ['t3.xlarge', 4, 16, 58], ['t3.2xlarge', 8, 32, 58],
  ['m5.large', 2, 8, 29], ['m5.xlarge', 4, 16, 58], ['m5.2xlarge', 8, 32, 58], ['m5.4xlarge', 16, 64, 234],
  ['m6i.large', 2, 8, 29], ['m6i.xlarge', 4, 16, 58], ['m7i.large', 2, 8, 29],
  ['c5.large', 2, 4, 29], ['c5.xlarge', 4, 8, 58], ['c6i.large', 2, 4, 29],
  ['r5.large', 2, 16, 29], ['r5.xlarge', 4, 32, 58],
];

export const INSTANCE_TYPES: ReadonlyMap<string, InstanceType> = new Map(
  TABLE.map(([name, vcpu, gib, maxPods]) => [name, { name, vcpu, memoryKi: memTotal(gib), maxPods }]),
);

export function instanceType(name: string): InstanceType {
  const t = INSTANCE_TYPES.get(name);
  if (!t) throw new Error(`unknown instance type "${name}" (known: ${[...INSTANCE_TYPES.keys()].join(', ')})`);
  return t;
}

/** Root volume of EKS managed node groups: 20 GiB gp3; the filesystem shows a bit less. */
const ROOT_FS_BYTES = 20_959_212 * 1024;

/** kube-reserved CPU in millicores (amazon-eks-ami get_cpu_millicores_to_reserve). */
export function reservedCpuMillis(vcpu: number): number {
  let m = 0;
  for (let core = 1; core <= vcpu; core++) m += core === 1 ? 60 : core === 2 ? 10 : core <= 4 ? 5 : 2.5;
  return Math.ceil(m);
}

export interface NodeResources {
  capacity: Record<string, string>;
  allocatable: Record<string, string>;
}

/** status.capacity and status.allocatable of a node of this type, as the kubelet reports them. */
export function nodeResources(t: InstanceType): NodeResources {
  const reservedMemKi = (255 + 11 * t.maxPods) * 1024 + 100 * 1024;
  const ephemeralAlloc = ROOT_FS_BYTES - 1024 ** 3 - Math.round(ROOT_FS_BYTES * 0.1);
  const common = { 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', pods: String(t.maxPods) };
  return {
    capacity: { cpu: String(t.vcpu), 'ephemeral-storage': `${ROOT_FS_BYTES / 1024}Ki`, memory: `${t.memoryKi}Ki`, ...common },
    allocatable: { cpu: `${t.vcpu * 1000 - reservedCpuMillis(t.vcpu)}m`, 'ephemeral-storage': String(ephemeralAlloc), memory: `${t.memoryKi - reservedMemKi}Ki`, ...common },
  };
}
