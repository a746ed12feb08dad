/**
 * A sorted set of strings (UTF-8 byte order, see ../keys.ts) kept as a list of small sorted
 * chunks, like Python's sortedcontainers: insert and delete cost O(log n + chunk size), and a
 * range scan from any key is O(log n) to find the start plus O(1) per key. Chosen over a plain
 * sorted array because 150k-key stores make whole-array splices on every create too slow, and
 * over a balanced tree because chunks keep per-key overhead to one array slot.
 */
import { compareKeys } from '../keys.js';

const MAX_CHUNK = 512;

export class SortedKeys {
  private chunks: string[][] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  has(key: string): boolean {
    const c = this.chunkFor(key);
    if (c < 0) return false;
    const chunk = this.chunks[c]!;
    const i = lowerBound(chunk, key);
    return i < chunk.length && chunk[i] === key;
  }

  /** Adds the key; returns false when it was already present. */
  add(key: string): boolean {
    if (this.chunks.length === 0) {
      this.chunks.push([key]);
      this.count = 1;
      return true;
    }
    let c = this.chunkFor(key);
    if (c < 0) c = 0;
    const chunk = this.chunks[c]!;
    const i = lowerBound(chunk, key);
    if (i < chunk.length && chunk[i] === key) return false;
    chunk.splice(i, 0, key);
    this.count++;
    if (chunk.length > MAX_CHUNK) this.chunks.splice(c + 1, 0, chunk.splice(MAX_CHUNK >> 1));
    return true;
  }

  /** Removes the key; returns false when it was absent. */
  delete(key: string): boolean {
    const c = this.chunkFor(key);
    if (c < 0) return false;
    const chunk = this.chunks[c]!;
    const i = lowerBound(chunk, key);
    if (i >= chunk.length || chunk[i] !== key) return false;
    chunk.splice(i, 1);
    this.count--;
    if (chunk.length === 0) this.chunks.splice(c, 1);
    return true;
  }

  /**
   * Keys >= `from` (or > `from` when `exclusive`), ascending. The iterator tolerates no
   * concurrent modification; callers consume it synchronously.
   */
  *from(from: string, exclusive = false): IterableIterator<string> {
    let c = Math.max(0, this.chunkFor(from));
    if (c >= this.chunks.length) return;
    let i = lowerBound(this.chunks[c]!, from);
    if (exclusive && i < this.chunks[c]!.length && this.chunks[c]![i] === from) i++;
    for (; c < this.chunks.length; c++, i = 0) {
      const chunk = this.chunks[c]!;
      for (; i < chunk.length; i++) yield chunk[i]!;
    }
  }

  /** Index of the last chunk whose first key is <= key (-1 when key sorts before everything). */
  private chunkFor(key: string): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    let ans = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (compareKeys(this.chunks[mid]![0]!, key) <= 0) {
        ans = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return ans;
  }
}

/** First index whose key is >= key. */
function lowerBound(arr: string[], key: string): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareKeys(arr[mid]!, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
