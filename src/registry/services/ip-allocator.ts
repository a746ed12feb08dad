/**
 * ClusterIP allocation from the service CIDR, as pkg/registry/core/service/ipallocator (bitmap.go)
 * in kube-apiserver 1.32: the network address and (IPv4) the broadcast address are never handed
 * out; the lowest min(max(16, size/16), 256) addresses form the static band (the `kubernetes`
 * service takes .1 there, kube-dns .10); random allocations come from above it. Errors carry
 * the allocator's wording (ErrAllocated, ErrNotInRange, ErrFull).
 */
import { intToIpv4, ipv4ToInt, parseCidr } from '../../util/cidr.js';
import { RangeBitmap, rangeOffset, type RandomFn } from './range-allocator.js';

export type AllocationFailure = 'Allocated' | 'NotInRange' | 'Full';

/** An allocator refusal; `message` is the upstream error string. */
export class AllocationError extends Error {
  constructor(readonly reason: AllocationFailure, message: string) {
    super(message);
  }
}

export class ClusterIpAllocator {
  readonly cidr: string;
  private readonly base: number;
  private readonly bitmap: RangeBitmap;

  constructor(o: { cidr: string; rand?: RandomFn }) {
    const c = parseCidr(o.cidr);
    if (!c) throw new Error(`invalid service CIDR "${o.cidr}"`);
    this.cidr = `${intToIpv4(c.base)}/${c.bits}`;
    // Skip the network address; the broadcast address is not in the range either.
    this.base = c.base + 1;
    const max = Math.max(0, c.size - 2);
    this.bitmap = new RangeBitmap(max, rangeOffset(c.size, 16, 16, 256), o.rand);
  }

  /** The first usable address (the `kubernetes` service's ClusterIP). */
  get firstIp(): string {
    return intToIpv4(this.base);
  }

  /** The n-th usable address, 1-based (10 = kube-dns). */
  nthIp(n: number): string {
    return intToIpv4(this.base + n - 1);
  }

  get used(): number {
    return this.bitmap.count;
  }

  private index(ip: string): number | undefined {
    const n = ipv4ToInt(ip);
    if (n === undefined) return undefined;
    const i = n - this.base;
    return i >= 0 && i < this.bitmap.max ? i : undefined;
  }

  contains(ip: string): boolean {
    return this.index(ip) !== undefined;
  }

  has(ip: string): boolean {
    const i = this.index(ip);
    return i !== undefined && this.bitmap.has(i);
  }

  /** Allocate a specific address (Range.Allocate). */
  allocate(ip: string): void {
    const i = this.index(ip);
    if (i === undefined) throw new AllocationError('NotInRange', `the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${this.cidr}`);
    if (!this.bitmap.allocate(i)) throw new AllocationError('Allocated', 'provided IP is already allocated');
  }

  /** Allocate a random free address (Range.AllocateNext). */
  allocateNext(): string {
    const i = this.bitmap.allocateNext();
    if (i === undefined) throw new AllocationError('Full', 'range is full');
    return intToIpv4(this.base + i);
  }

  /** Release an address; unknown or out-of-range addresses are ignored, as upstream. */
  release(ip: string): void {
    const i = this.index(ip);
    if (i !== undefined) this.bitmap.release(i);
  }
}
