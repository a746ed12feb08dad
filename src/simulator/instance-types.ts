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
  /** ENIs the instance can attach and IPv4 addresses per ENI (EC2 DescribeInstanceTypes NetworkInfo); absent = derive from maxPods. */
  enis?: number;
  ipsPerEni?: number;
}

const GI_KI = 1024 * 1024;
/** MemTotal is about 95.5% of the nominal size on Nitro instances (kernel and firmware reservations). */
const memTotal = (gib: number): number => Math.round(gib * GI_KI * 0.955);

const TABLE: Array<[string, number, number, number, number]> = [
  // name, vCPU, GiB, ENIs, IPv4 per ENI (max pods = ENIs × (IPv4 per ENI − 1) + 2, as eni-max-pods.txt)
  ['t3.nano', 2, 0.5, 2, 2], ['t3.micro', 2, 1, 2, 2],
  ['t3.small', 2, 2, 3, 4], ['t3.medium', 2, 4, 3, 6], ['t3.large', 2, 8, 3, 12], ['t3.xlarge', 4, 16, 4, 15], ['t3.2xlarge', 8, 32, 4, 15],
  ['m5.large', 2, 8, 3, 10], ['m5.xlarge', 4, 16, 4, 15], ['m5.2xlarge', 8, 32, 4, 15], ['m5.4xlarge', 16, 64, 8, 30],
  ['m6i.large', 2, 8, 3, 10], ['m6i.xlarge', 4, 16, 4, 15], ['m7i.large', 2, 8, 3, 10],
  ['c5.large', 2, 4, 3, 10], ['c5.xlarge', 4, 8, 4, 15], ['c6i.large', 2, 4, 3, 10],
  ['r5.large', 2, 16, 3, 10], ['r5.xlarge', 4, 32, 4, 15],
];

export const INSTANCE_TYPES: ReadonlyMap<string, InstanceType> = new Map(
  TABLE.map(([name, vcpu, gib, enis, ipsPerEni]) => [name, { name, vcpu, memoryKi: memTotal(gib), maxPods: enis * (ipsPerEni - 1) + 2, enis, ipsPerEni }]),
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

/**
 * Secondary IPv4 addresses the VPC CNI can give pods on a node of this type: every ENI keeps its
 * primary address for itself, so ENIs × (IPv4 per ENI − 1) — two fewer than max pods, which also
 * counts two host-network pods (aws-node, kube-proxy) that use the node's address.
 */
export function podIpCapacity(t: InstanceType): number {
  return t.enis !== undefined && t.ipsPerEni !== undefined ? t.enis * (t.ipsPerEni - 1) : Math.max(0, t.maxPods - 2);
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
