/**
 * IPv4 CIDR arithmetic for the few places that need it (EKS publicAccessCidrs on the API
 * listener, service and subnet ranges). IPv6 is not modelled: EKS clusters here are ipv4.
 */

/** The 32-bit value of a dotted IPv4 address, or undefined when it is not one. */
export function ipv4ToInt(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255) return undefined;
    n = n * 256 + o;
  }
  return n;
}

export function intToIpv4(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

export interface Ipv4Cidr {
  /** Network address as a 32-bit number. */
  base: number;
  bits: number;
  /** Number of addresses in the block. */
  size: number;
}

/** Parses a.b.c.d/n (the base is masked to the network address), or undefined when invalid. */
export function parseCidr(cidr: string): Ipv4Cidr | undefined {
  const [ip, len, extra] = cidr.split('/');
  if (extra !== undefined || len === undefined || !/^\d{1,2}$/.test(len)) return undefined;
  const bits = Number(len);
  const n = ipv4ToInt(ip);
  if (n === undefined || bits > 32) return undefined;
  const size = 2 ** (32 - bits);
  return { base: n - (n % size), bits, size };
}

export function cidrContains(c: Ipv4Cidr, ip: string): boolean {
  const n = ipv4ToInt(ip.startsWith('::ffff:') ? ip.slice(7) : ip);
  return n !== undefined && n >= c.base && n < c.base + c.size;
}
