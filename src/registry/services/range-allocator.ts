/**
 * A set of integers [0, max) handed out at random, as the bitmap allocator behind kube-apiserver's
 * service ranges (pkg/registry/core/service/allocator/bitmap.go, randomScanStrategyWithOffset):
 * dynamic allocations pick a random free slot in the upper band [offset, max) first and fall back
 * to the lower band [0, offset), which is left for statically chosen values (KEP-3070 / KEP-3668:
 * ServiceIPStaticSubrange and ServiceNodePortStaticSubrange). Not thread-aware because it needs
 * not be: every operation is synchronous, so within one process check-and-set is atomic.
 */

export type RandomFn = () => number;

export class RangeBitmap {
  private readonly used = new Set<number>();

  /** `max` slots; `offset` = size of the static band at the bottom. */
  constructor(readonly max: number, readonly offset: number, private readonly rand: RandomFn = Math.random) {}

  has(i: number): boolean {
    return this.used.has(i);
  }

  get count(): number {
    return this.used.size;
  }

  /** Marks slot i used; false when it already was (or is out of range). */
  allocate(i: number): boolean {
    if (i < 0 || i >= this.max || this.used.has(i)) return false;
    this.used.add(i);
    return true;
  }

  /** A random free slot (dynamic band first), or undefined when full. */
  allocateNext(): number | undefined {
    const i = this.scan(this.offset, this.max) ?? this.scan(0, this.offset);
    if (i !== undefined) this.used.add(i);
    return i;
  }

  release(i: number): void {
    this.used.delete(i);
  }

  /** Random start in [lo, hi), then the first free slot scanning forward with wrap-around. */
  private scan(lo: number, hi: number): number | undefined {
    const n = hi - lo;
    if (n <= 0) return undefined;
    const start = Math.floor(this.rand() * n);
    for (let k = 0; k < n; k++) {
      const i = lo + ((start + k) % n);
      if (!this.used.has(i)) return i;
    }
    return undefined;
  }
}

/** min(max(lo, size/step), hi), or 0 for ranges not larger than lo (calculateRangeOffset). */
export function rangeOffset(size: number, lo: number, step: number, hi: number): number {
  if (size <= lo) return 0;
  return Math.min(Math.max(lo, Math.floor(size / step)), hi);
}
