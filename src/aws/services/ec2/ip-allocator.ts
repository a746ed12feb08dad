/**
 * Private IPv4 addresses of one subnet. AWS reserves five addresses of every subnet — the
 * network address, .1 (VPC router), .2 (DNS), .3 (future use) and the broadcast address — so a
 * /24 offers 251 and a /19 8187. Addresses are handed out at a random free offset (EC2's own
 * choice looks random too: ip-192-168-9-141), never twice while in use.
 */
import { cidrHas, intToIp, ipToInt, type Cidr } from './cidr.js';

const RESERVED_LOW = 4;

export class SubnetIpAllocator {
  private readonly used = new Set<number>();
  private readonly cidr: Cidr;
  private readonly random: () => number;

  constructor(opts: { cidr: Cidr; random?: () => number }) {
    this.cidr = opts.cidr;
    this.random = opts.random ?? Math.random;
  }

  /** Usable addresses of the subnet (size − 5). */
  capacity(): number {
    return Math.max(0, this.cidr.size - RESERVED_LOW - 1);
  }

  /** Free usable addresses (DescribeSubnets availableIpAddressCount). */
  available(): number {
    return this.capacity() - this.used.size;
  }

  /** Whether the address is one of the subnet's usable addresses. */
  usable(ip: string): boolean {
    const n = ipToInt(ip);
    return n !== undefined && cidrHas(this.cidr, n) && n >= this.cidr.base + RESERVED_LOW && n < this.cidr.base + this.cidr.size - 1;
  }

  inUse(ip: string): boolean {
    const n = ipToInt(ip);
    return n !== undefined && this.used.has(n);
  }

  /** Marks an address used (state rebuilt on start); false when it is not usable or already taken. */
  reserve(ip: string): boolean {
    const n = ipToInt(ip);
    if (n === undefined || !this.usable(ip) || this.used.has(n)) return false;
    this.used.add(n);
    return true;
  }

  /** A free address, or undefined when the subnet is full. */
  allocate(): string | undefined {
    const cap = this.capacity();
    if (this.used.size >= cap) return undefined;
    const first = this.cidr.base + RESERVED_LOW;
    const start = Math.floor(this.random() * cap);
    for (let i = 0; i < cap; i++) {
      const n = first + ((start + i) % cap);
      if (!this.used.has(n)) {
        this.used.add(n);
        return intToIp(n);
      }
    }
    return undefined;
  }

  release(ip: string): void {
    const n = ipToInt(ip);
    if (n !== undefined) this.used.delete(n);
  }
}
