/**
 * Wires the Service allocators into the services store (as storage.go sets BeginCreate,
 * BeginUpdate and AfterDelete on the generic store). The allocators are rebuilt from the stored
 * Services before the first write (pkg/registry/core/service/ipallocator/controller/repair.go
 * does the same at start-up), so a restart keeps every allocation; writes wait for that.
 */
import type { KubeObject } from '../../api/types.js';
import type { GenericStore } from '../generic/store.js';
import { MATCH_EVERYTHING } from '../generic/filter.js';
import { ServiceAllocators, type ServiceAllocatorsOptions } from './allocators.js';

/** The EKS default service range (kubernetesNetworkConfig.serviceIpv4Cidr). */
export const DEFAULT_SERVICE_CIDR = '10.100.0.0/16';

export function installServiceAllocation(store: GenericStore, o: Partial<ServiceAllocatorsOptions> = {}): ServiceAllocators {
  const alloc = new ServiceAllocators({ ...o, serviceCidr: o.serviceCidr ?? DEFAULT_SERVICE_CIDR });
  let ready: Promise<void> | undefined;
  let done = false;
  const rebuilt = (): Promise<void> => (ready ??= (async () => {
    const list = await store.list('', { filter: MATCH_EVERYTHING });
    alloc.rebuild(list.items.map((i) => i.object()));
    done = true;
  })().catch((e: unknown) => { ready = undefined; throw e; }));
  store.hooks = {
    async beginCreate(obj: KubeObject) {
      await rebuilt();
      return alloc.allocateCreate(obj);
    },
    async beginUpdate(obj: KubeObject, old: KubeObject) {
      await rebuilt();
      return alloc.allocateUpdate(obj, old);
    },
    afterDelete(obj: KubeObject) {
      // Before the rebuild nothing is marked yet; the rebuild's list no longer holds it either way.
      if (done) alloc.release(obj);
      else if (ready) void ready.then(() => alloc.release(obj), () => undefined);
    },
  };
  return alloc;
}
