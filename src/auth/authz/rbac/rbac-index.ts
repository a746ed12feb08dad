/**
 * An in-memory index of the cluster's Roles, ClusterRoles, RoleBindings and ClusterRoleBindings
 * (the informer caches kube-apiserver's RBAC authorizer reads). Kept current by whoever watches
 * the registry (apiserver/authz/rbac-feed.ts); reads are synchronous map lookups.
 */
import type { BindingObject, RbacReader, RoleObject } from './types.js';

export type RbacKind = 'Role' | 'ClusterRole' | 'RoleBinding' | 'ClusterRoleBinding';

export class RbacIndex implements RbacReader {
  private readonly roles = new Map<string, RoleObject>();
  private readonly clusterRoles = new Map<string, RoleObject>();
  /** namespace → name → binding. */
  private readonly bindings = new Map<string, Map<string, BindingObject>>();
  private readonly clusterBindings = new Map<string, BindingObject>();
  private readonly listeners: Array<(kind: RbacKind) => void> = [];

  /** Called after every change (aggregation re-evaluates ClusterRoles). */
  onChange(fn: (kind: RbacKind) => void): void {
    this.listeners.push(fn);
  }

  /** Insert or replace one object. Objects must not be mutated afterwards. */
  put(kind: RbacKind, obj: RoleObject | BindingObject): void {
    this.apply(kind, obj, false);
  }

  remove(kind: RbacKind, obj: RoleObject | BindingObject): void {
    this.apply(kind, obj, true);
  }

  private apply(kind: RbacKind, obj: RoleObject | BindingObject, del: boolean, notify = true): void {
    const name = obj.metadata.name ?? '';
    const ns = obj.metadata.namespace ?? '';
    switch (kind) {
      case 'Role': if (del) this.roles.delete(`${ns}/${name}`); else this.roles.set(`${ns}/${name}`, obj as RoleObject); break;
      case 'ClusterRole': if (del) this.clusterRoles.delete(name); else this.clusterRoles.set(name, obj as RoleObject); break;
      case 'ClusterRoleBinding': if (del) this.clusterBindings.delete(name); else this.clusterBindings.set(name, obj as BindingObject); break;
      case 'RoleBinding': {
        let m = this.bindings.get(ns);
        if (!m) { if (del) break; m = new Map(); this.bindings.set(ns, m); }
        if (del) { m.delete(name); if (m.size === 0) this.bindings.delete(ns); } else m.set(name, obj as BindingObject);
        break;
      }
    }
    if (notify) for (const fn of this.listeners) fn(kind);
  }

  /** Replace every object of a kind (a re-list after a watch restarted). */
  replaceAll(kind: RbacKind, objs: Array<RoleObject | BindingObject>): void {
    if (kind === 'Role') this.roles.clear();
    else if (kind === 'ClusterRole') this.clusterRoles.clear();
    else if (kind === 'RoleBinding') this.bindings.clear();
    else this.clusterBindings.clear();
    for (const o of objs) this.apply(kind, o, false, false);
    for (const fn of this.listeners) fn(kind);
  }

  getRole(namespace: string, name: string): RoleObject | undefined {
    return this.roles.get(`${namespace}/${name}`);
  }

  getClusterRole(name: string): RoleObject | undefined {
    return this.clusterRoles.get(name);
  }

  allClusterRoles(): Iterable<RoleObject> {
    return this.clusterRoles.values();
  }

  roleBindings(namespace: string): Iterable<BindingObject> {
    return this.bindings.get(namespace)?.values() ?? [];
  }

  clusterRoleBindings(): Iterable<BindingObject> {
    return this.clusterBindings.values();
  }
}
