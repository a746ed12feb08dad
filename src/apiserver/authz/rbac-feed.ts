/**
 * Keeps an RbacIndex current from the registry: one watch per RBAC resource (Roles,
 * ClusterRoles, RoleBindings, ClusterRoleBindings), started from the current state, restarted
 * (with a re-list) when it ends — the informers kube-apiserver's RBAC authorizer reads. Watch
 * events arrive in-process right after each write, so a new binding counts at once.
 */
import type { Registry } from '../../registry/registry.js';
import { MATCH_EVERYTHING } from '../../registry/generic/filter.js';
import type { WatchHandle } from '../../registry/generic/watch-types.js';
import type { RbacIndex, RbacKind } from '../../auth/authz/rbac/rbac-index.js';
import type { BindingObject, RoleObject } from '../../auth/authz/rbac/types.js';

const GROUP = 'rbac.authorization.k8s.io';
const RESOURCES: Array<[string, RbacKind]> = [
  ['clusterroles', 'ClusterRole'], ['clusterrolebindings', 'ClusterRoleBinding'], ['roles', 'Role'], ['rolebindings', 'RoleBinding'],
];
const RESTART_DELAY_MS = 200;

export interface RbacFeedOptions {
  registry: Registry;
  index: RbacIndex;
  onError?: (err: unknown) => void;
}

export class RbacFeed {
  private readonly handles = new Map<RbacKind, WatchHandle>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly o: RbacFeedOptions) {}

  /** Resolves once every kind's current state is in the index. */
  async start(): Promise<void> {
    await Promise.all(RESOURCES.map(([resource, kind]) => this.watch(resource, kind)));
  }

  private async watch(resource: string, kind: RbacKind): Promise<void> {
    if (this.stopped) return;
    const store = this.o.registry.storeOf(GROUP, resource);
    const initial: Array<RoleObject | BindingObject> = [];
    let synced = false;
    let ended = false;
    const restart = (err?: unknown) => {
      if (ended || this.stopped) return;
      ended = true;
      if (err) this.o.onError?.(err);
      this.handles.get(kind)?.stop();
      this.handles.delete(kind);
      const t = setTimeout(() => { this.timers.delete(t); void this.watch(resource, kind).catch((e) => this.o.onError?.(e)); }, RESTART_DELAY_MS);
      this.timers.add(t);
    };
    const handle = await store.watch('', { filter: MATCH_EVERYTHING, sendInitialEvents: true, allowWatchBookmarks: true }, {
      send: (item) => {
        if (item.type === 'BOOKMARK') return;
        if (item.type === 'ERROR') { restart(); return; }
        const obj = item.object() as unknown as RoleObject | BindingObject;
        if (!synced) { if (item.type !== 'DELETED') initial.push(obj); return; }
        if (item.type === 'DELETED') this.o.index.remove(kind, obj);
        else this.o.index.put(kind, obj);
      },
      fail: (err) => restart(err),
    });
    // The initial state was delivered before watch() resolved (synthetic ADDED events).
    this.o.index.replaceAll(kind, initial);
    synced = true;
    if (this.stopped || ended) { handle.stop(); return; }
    this.handles.set(kind, handle);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const h of this.handles.values()) h.stop();
    this.handles.clear();
  }
}
