/**
 * Start/stop plumbing shared by the controllers: workers start once every informer has listed
 * (cache.WaitForCacheSync), and stop() never waits on a sync that will not come.
 */
import type { Informer } from '../../client/informer.js';

export class ControllerLifecycle {
  private resolveStop!: () => void;
  /** Resolves when stop() is called. */
  readonly stopped = new Promise<void>((r) => { this.resolveStop = r; });
  isStopped = false;

  stop(): void {
    this.isStopped = true;
    this.resolveStop();
  }

  /** Runs `work` after the informers' first list, unless stopped before that. */
  async afterSync(informers: Informer[], work: () => Promise<void>): Promise<void> {
    await Promise.race([Promise.all(informers.map((i) => i.waitForSync())), this.stopped]);
    if (!this.isStopped) await work();
  }
}
