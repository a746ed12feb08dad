/**
 * Addresses of simulated nodes and pods, shaped like an eksctl-created VPC (192.168.0.0/16 with
 * one /19 subnet per availability zone: 192.168.0.0/19, 192.168.32.0/19, …).
 *
 * - Node IPs: offsets 16..4015 of the zone's subnet, the k-th node of a zone at a fixed
 *   permutation of that range (so names look like EC2's, e.g. ip-192-168-9-141), collision-free.
 * - Pod IPs: the VPC CNI hands pods secondary IPs from the same subnet; here a per-zone allocator
 *   gives out offsets 4096..8190 and falls back to 100.64.0.0/10 (as VPC CNI custom networking
 *   would) once a zone's subnet is full. Released addresses are reused last (FIFO), loosely like
 *   the CNI's cool-down. The full VPC CNI model comes with the EKS front issue.
 */

const NODE_RANGE = 4000;
const NODE_FIRST = 16;
const POD_FIRST = 4096;
const POD_LAST = 8190;

/** The subnet base (third octet) of zone number z. */
function subnetThirdOctet(zoneIndex: number): number {
  return (zoneIndex * 32) % 256;
}

function ipAt(zoneIndex: number, offset: number): string {
  return `192.168.${subnetThirdOctet(zoneIndex) + (offset >> 8)}.${offset & 255}`;
}

/** IPv4 address of the k-th node (0-based) in zone number zoneIndex. */
export function nodeIp(zoneIndex: number, k: number): string {
  return ipAt(zoneIndex, NODE_FIRST + ((k * 2477) % NODE_RANGE));
}

/** Private DNS name of an instance: ip-a-b-c-d.ec2.internal in us-east-1, else ip-a-b-c-d.<region>.compute.internal. */
export function privateDnsName(ip: string, region: string): string {
  const host = `ip-${ip.replaceAll('.', '-')}`;
  return region === 'us-east-1' ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}

/** A zone ID such as use1-az1 (real mappings are per account; this one is stable per name). */
export function zoneId(zone: string): string {
  const m = /^([a-z]{2})-([a-z]+)-(\d)([a-z])$/.exec(zone);
  if (!m) return zone;
  const dir = m[2].replace('north', 'n').replace('south', 's').replace('east', 'e').replace('west', 'w').replace('central', 'c');
  return `${m[1]}${dir}${m[3]}-az${m[4].charCodeAt(0) - 96}`;
}

export class PodIpAllocator {
  private readonly next = new Map<number, number>();
  private readonly free = new Map<number, string[]>();
  private readonly used = new Set<string>();
  private cgnat = 1;

  /** Marks an address as in use (pods found running after a restart). */
  reserve(ip: string): void {
    this.used.add(ip);
  }

  allocate(zoneIndex: number): string {
    let off = this.next.get(zoneIndex) ?? POD_FIRST;
    while (off <= POD_LAST) {
      const ip = ipAt(zoneIndex, off++);
      if ((off - 1) % 256 === 0 || (off - 1) % 256 === 255) continue;
      if (!this.used.has(ip)) { this.next.set(zoneIndex, off); this.used.add(ip); return ip; }
    }
    this.next.set(zoneIndex, off);
    const freed = this.free.get(zoneIndex);
    if (freed?.length) { const ip = freed.shift() as string; this.used.add(ip); return ip; }
    for (;;) {
      const n = this.cgnat++;
      const ip = `100.${64 + ((n >> 16) & 63)}.${(n >> 8) & 255}.${n & 255}`;
      if (!this.used.has(ip)) { this.used.add(ip); return ip; }
    }
  }

  release(zoneIndex: number, ip: string): void {
    if (!this.used.delete(ip)) return;
    if (ip.startsWith('192.168.')) {
      const list = this.free.get(zoneIndex) ?? [];
      list.push(ip);
      this.free.set(zoneIndex, list);
    }
  }
}
