/**
 * Read-your-writes over an informer (the role of upstream's endpointSliceTracker and the
 * endpoints controller's staleness checks): the objects a controller just wrote or deleted are
 * remembered until the informer has caught up, so the next sync never acts on a cache that
 * does not yet show its own last write.
 */
import type { KubeObject } from '../../api/types.js';
import type { Informer } from '../../client/informer.js';

const rv = (o: KubeObject | undefined): number => Number(o?.metadata.resourceVersion ?? 0) || 0;

export class WrittenObjects {
  private readonly wrote = new Map<string, KubeObject>();
  private readonly deleted = new Map<string, number>();

  constructor(private readonly informer: Informer) {}

  /** The freshest known copy: ours when the informer is behind it; undefined when we deleted it. */
  get(key: string): KubeObject | undefined {
    const cached = this.informer.get(key);
    const mine = this.wrote.get(key);
    if (this.deleted.has(key)) {
      if (!cached || rv(cached) <= (this.deleted.get(key) ?? 0)) return undefined;
      this.deleted.delete(key);
    }
    if (mine && rv(mine) > rv(cached)) return mine;
    if (mine) this.wrote.delete(key);
    return cached;
  }

  recordWrite(key: string, obj: KubeObject): void {
    this.deleted.delete(key);
    this.wrote.set(key, obj);
  }

  /** `atRv`: the last resourceVersion we saw of it (a newer one in the cache means it came back). */
  recordDelete(key: string, atRv: number): void {
    this.wrote.delete(key);
    this.deleted.set(key, atRv);
  }

  forget(key: string): void {
    this.wrote.delete(key);
    this.deleted.delete(key);
  }
}

export { rv as resourceVersionOf };
