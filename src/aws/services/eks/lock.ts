/**
 * Per-key serialisation of async work: operations on one cluster (create, updates, lifecycle
 * transitions, delete) run one after another, so a read-check-write never interleaves with
 * another on the same key. Work on different keys runs concurrently.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(fn);
    this.tails.set(key, next);
    const cleanup = (): void => { if (this.tails.get(key) === next) this.tails.delete(key); };
    next.then(cleanup, cleanup);
    return next;
  }
}
