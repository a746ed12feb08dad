/**
 * The EKS cluster part's rest-json routes (clusters and their updates, access entries, add-ons)
 * over its stores; imported on the AWS endpoint's first request (service.ts openEks), not while
 * keks restores its clusters at start.
 */
import type { RestJsonRoute } from '../../core/types.js';
import type { AccessEntryStore } from './access-entries.js';
import { accessRoutes } from './access-routes.js';
import { addonRoutes } from './addon-routes.js';
import type { AddonStore } from './addons.js';
import { clusterRoutes } from './cluster-routes.js';
import type { ClusterUpdates } from './cluster-updates.js';
import type { ClusterStore } from './clusters.js';
import type { UpdateStore } from './updates.js';

export interface EksRouteParts {
  store: ClusterStore;
  updater: ClusterUpdates;
  updates: UpdateStore;
  entries: AccessEntryStore;
  addons: AddonStore;
}

export function eksRoutes(p: EksRouteParts): RestJsonRoute[] {
  return [...clusterRoutes(p.store, p.updater, p.updates), ...accessRoutes(p.store, p.entries), ...addonRoutes(p.store, p.addons)];
}
