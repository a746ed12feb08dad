/**
 * A handful of instance types with their real sizes and ENI limits (EC2 DescribeInstanceTypes;
 * the VPC CNI max-pods formula is ENIs × (IPv4 per ENI − 1) + 2, so t3.medium → 17).
 */

export interface InstanceTypeInfo {
  vcpus: number;
  memoryMiB: number;
  maxEnis: number;
  ipv4PerEni: number;
  arch: 'x86_64' | 'arm64';
}

export const INSTANCE_TYPES: Record<string, InstanceTypeInfo> = {
  't3.micro': { vcpus: 2, memoryMiB: 1024, maxEnis: 2, ipv4PerEni: 2, arch: 'x86_64' },
  't3.small': { vcpus: 2, memoryMiB: 2048, maxEnis: 3, ipv4PerEni: 4, arch: 'x86_64' },
  't3.medium': { vcpus: 2, memoryMiB: 4096, maxEnis: 3, ipv4PerEni: 6, arch: 'x86_64' },
  't3.large': { vcpus: 2, memoryMiB: 8192, maxEnis: 3, ipv4PerEni: 12, arch: 'x86_64' },
  't3.xlarge': { vcpus: 4, memoryMiB: 16384, maxEnis: 4, ipv4PerEni: 15, arch: 'x86_64' },
  't3.2xlarge': { vcpus: 8, memoryMiB: 32768, maxEnis: 4, ipv4PerEni: 15, arch: 'x86_64' },
  'm5.large': { vcpus: 2, memoryMiB: 8192, maxEnis: 3, ipv4PerEni: 10, arch: 'x86_64' },
  'm5.xlarge': { vcpus: 4, memoryMiB: 16384, maxEnis: 4, ipv4PerEni: 15, arch: 'x86_64' },
  'm5.2xlarge': { vcpus: 8, memoryMiB: 32768, maxEnis: 4, ipv4PerEni: 15, arch: 'x86_64' },
  'c5.large': { vcpus: 2, memoryMiB: 4096, maxEnis: 3, ipv4PerEni: 10, arch: 'x86_64' },
  'c5.xlarge': { vcpus: 4, memoryMiB: 8192, maxEnis: 4, ipv4PerEni: 15, arch: 'x86_64' },
  'r5.large': { vcpus: 2, memoryMiB: 16384, maxEnis: 3, ipv4PerEni: 10, arch: 'x86_64' },
  'm6g.large': { vcpus: 2, memoryMiB: 8192, maxEnis: 3, ipv4PerEni: 10, arch: 'arm64' },
  't4g.medium': { vcpus: 2, memoryMiB: 4096, maxEnis: 3, ipv4PerEni: 6, arch: 'arm64' },
};

/** VPC CNI max pods: ENIs × (IPv4 per ENI − 1) + 2. */
export function maxPods(t: InstanceTypeInfo): number {
  return t.maxEnis * (t.ipv4PerEni - 1) + 2;
}
