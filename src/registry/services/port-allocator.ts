/**
 * NodePort allocation, as pkg/registry/core/service/portallocator in kube-apiserver 1.32: the
 * --service-node-port-range (default 30000-32767, 2768 ports), random free ports from above
 * the static band of min(max(16, size/32), 128) ports at the bottom; explicit requests are
 * honoured when free. Errors carry the allocator's wording.
 */
import { AllocationError } from './ip-allocator.js';
import { RangeBitmap, rangeOffset, type RandomFn } from './range-allocator.js';

export const DEFAULT_NODE_PORT_RANGE = { base: 30000, size: 2768 };

export class NodePortAllocator {
  readonly base: number;
  readonly size: number;
  private readonly bitmap: RangeBitmap;

  constructor(o: { base?: number; size?: number; rand?: RandomFn } = {}) {
    this.base = o.base ?? DEFAULT_NODE_PORT_RANGE.base;
    this.size = o.size ?? DEFAULT_NODE_PORT_RANGE.size;
    this.bitmap = new RangeBitmap(this.size, rangeOffset(this.size, 16, 32, 128), o.rand);
  }

  /** "30000-32767" (net.PortRange.String). */
  get rangeString(): string {
    return `${this.base}-${this.base + this.size - 1}`;
  }

  get used(): number {
    return this.bitmap.count;
  }

  has(port: number): boolean {
    return this.bitmap.has(port - this.base);
  }

  allocate(port: number): void {
    const i = port - this.base;
    if (!Number.isInteger(port) || i < 0 || i >= this.size) {
      throw new AllocationError('NotInRange', `provided port is not in the valid range. The range of valid ports is ${this.rangeString}`);
    }
    if (!this.bitmap.allocate(i)) throw new AllocationError('Allocated', 'provided port is already allocated');
  }

  allocateNext(): number {
    const i = this.bitmap.allocateNext();
    if (i === undefined) throw new AllocationError('Full', 'range is full');
    return this.base + i;
  }

  release(port: number): void {
    const i = port - this.base;
    if (i >= 0 && i < this.size) this.bitmap.release(i);
  }
}
