/**
 * SharedInformerFactory (k8s.io/client-go/informers/factory.go): one Informer per resource,
 * namespace and selector per cluster, shared by every controller — one LIST+WATCH and one cache
 * however many handler sets are added. Informers are ref-counted (Informer.start/stop), so each
 * user starts and stops the informer it got exactly as it would a private one.
 */
import type { Clock } from '../util/clock.js';
import type { ApiClient, ResourceRef } from './client.js';
import { Informer, type InformerHandlers } from './informer.js';
import type { KubeObject } from '../api/types.js';

export interface SharedInformerFactoryOptions {
  client: ApiClient;
  clock: Clock;
}

export interface InformerSelector {
  ref: ResourceRef;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export class SharedInformerFactory {
  private readonly o: SharedInformerFactoryOptions;
  private readonly informers = new Map<string, Informer>();

  constructor(opts: SharedInformerFactoryOptions) {
    this.o = opts;
  }

  /** The shared informer for this resource/namespace/selector, created on first use. */
  informerFor(s: InformerSelector): Informer {
    const key = [s.ref.group, s.ref.version, s.ref.resource, s.namespace ?? '', s.labelSelector ?? '', s.fieldSelector ?? ''].join('|');
    let inf = this.informers.get(key);
    if (!inf) {
      inf = new Informer({ client: this.o.client, clock: this.o.clock, ...s });
      this.informers.set(key, inf);
    }
    return inf;
  }

  /** How many distinct informers (LIST+WATCH streams) this factory holds. */
  get size(): number {
    return this.informers.size;
  }
}

const byClient = new WeakMap<ApiClient, SharedInformerFactory>();

/** The factory for one cluster's loopback client (one per client instance). */
export function sharedInformersFor(client: ApiClient, clock: Clock): SharedInformerFactory {
  let f = byClient.get(client);
  if (!f) { f = new SharedInformerFactory({ client, clock }); byClient.set(client, f); }
  return f;
}

/**
 * A shared informer as one component uses it: its handlers are removed again when it stops, so a
 * component that stops before the cluster (an add-on) leaves nothing behind on the informer the
 * controllers keep using.
 */
export class InformerLease {
  private readonly mine: InformerHandlers[] = [];

  constructor(private readonly inf: Informer) {}

  addHandlers(h: InformerHandlers): void {
    this.mine.push(h);
    this.inf.addHandlers(h);
  }

  get(key: string): KubeObject | undefined {
    return this.inf.get(key);
  }

  list(): KubeObject[] {
    return this.inf.list();
  }

  get hasSynced(): boolean {
    return this.inf.hasSynced;
  }

  waitForSync(): Promise<void> {
    return this.inf.waitForSync();
  }

  start(): void {
    this.inf.start();
  }

  stop(): void {
    for (const h of this.mine.splice(0)) this.inf.removeHandlers(h);
    this.inf.stop();
  }
}
