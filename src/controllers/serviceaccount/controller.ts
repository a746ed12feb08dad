/**
 * The ServiceAccount controller (pkg/controller/serviceaccount/serviceaccounts_controller.go):
 * every active namespace has a `default` ServiceAccount — created when the namespace appears,
 * and again if it is deleted. Terminating namespaces are left alone.
 *
 * Cost per sync: one cache lookup; one create when the account is missing.
 */
import type { KubeObject } from '../../api/types.js';
import type { ApiClient } from '../../client/client.js';
import { ApiError, isNotFound } from '../../client/errors.js';
import { type Informer } from '../../client/informer.js';
import { sharedInformersFor } from '../../client/shared-informers.js';
import { runWorkers, WorkQueue } from '../../client/workqueue.js';
import type { Clock } from '../../util/clock.js';
import { ControllerLifecycle } from '../util/lifecycle.js';
import { NAMESPACES, SERVICEACCOUNTS } from '../util/resources.js';

/** ServiceAccountsControllerOptions.ServiceAccounts: the accounts every namespace gets. */
export const DEFAULT_ACCOUNTS = ['default'];

export interface ServiceAccountControllerOptions {
  client: ApiClient;
  clock: Clock;
  workers?: number;
  onError?: (key: string, err: unknown) => void;
}

export class ServiceAccountController {
  readonly nsInformer: Informer;
  readonly saInformer: Informer;
  private readonly o: ServiceAccountControllerOptions;
  private readonly queue: WorkQueue<string>;
  private running: Promise<void> | undefined;
  private readonly life = new ControllerLifecycle();

  constructor(opts: ServiceAccountControllerOptions) {
    this.o = opts;
    this.queue = new WorkQueue<string>({ clock: opts.clock, baseDelayMs: 20, maxDelayMs: 30_000 });
    this.nsInformer = sharedInformersFor(opts.client, opts.clock).informerFor({ ref: NAMESPACES });
    this.saInformer = sharedInformersFor(opts.client, opts.clock).informerFor({ ref: SERVICEACCOUNTS });
    this.nsInformer.addHandlers({ add: (ns) => this.queue.add(ns.metadata.name as string), update: (_o, ns) => this.queue.add(ns.metadata.name as string) });
    this.saInformer.addHandlers({ delete: (sa) => { if (DEFAULT_ACCOUNTS.includes(sa.metadata.name as string)) this.queue.add(sa.metadata.namespace as string); } });
  }

  start(): void {
    this.nsInformer.start();
    this.saInformer.start();
    this.running = this.life.afterSync([this.nsInformer, this.saInformer], () => runWorkers(this.queue, this.o.workers ?? 2, (k) => this.sync(k), this.o.onError));
  }

  async stop(): Promise<void> {
    this.life.stop();
    this.nsInformer.stop();
    this.saInformer.stop();
    this.queue.shutdown();
    await this.running;
  }

  /** syncNamespace. */
  async sync(namespace: string): Promise<void> {
    const ns = this.nsInformer.get(namespace);
    if (!ns || ns.metadata.deletionTimestamp || (ns.status as { phase?: string } | undefined)?.phase === 'Terminating') return;
    for (const name of DEFAULT_ACCOUNTS) {
      if (this.saInformer.get(`${namespace}/${name}`)) continue;
      const sa: KubeObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } };
      try {
        await this.o.client.create(SERVICEACCOUNTS, namespace, sa);
      } catch (e) {
        // AlreadyExists: our cache is behind. Forbidden/NotFound: the namespace is going away.
        if (e instanceof ApiError && (e.reason === 'AlreadyExists' || e.status === 403)) continue;
        if (isNotFound(e)) return;
        throw e;
      }
    }
  }
}
