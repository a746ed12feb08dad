/**
 * The registry: every served group/version/resource mapped to its generic store (one store per
 * storage resource, shared by the versions that serve it) and its kind rules.
 */
import type { GroupSpec, ResourceSpec } from '../api/resources.js';
import type { KubeObject } from '../api/types.js';
import { apiVersionOf } from '../api/types.js';
import type { Clock } from '../util/clock.js';
import type { Store } from '../storage/interface.js';
import type { Strategy } from './strategy.js';
import { GenericStore } from './generic/store.js';
import { strategyFor } from './kinds/index.js';
import { apiVersionOnly, type Converter } from './conversion.js';
import { eventsConverter } from './conversions/events.js';
import { hpaConverter } from './conversions/hpa.js';
import { applyDefaults } from './defaults/index.js';

export interface ServedResource {
  spec: ResourceSpec;
  /** apiVersion of this served version, e.g. "apps/v1". */
  apiVersion: string;
  store: GenericStore;
  /** apiVersion objects are stored in. */
  storageApiVersion: string;
  converter: Converter;
}

export interface RegistryOptions {
  store: Store;
  clock: Clock;
  resources: ResourceSpec[];
  groups: GroupSpec[];
}

/** Served resources that share another's storage (same objects, other shape). */
const STORAGE_OF: Record<string, string> = { 'events.k8s.io/events': '/events' };

/** Resources whose versions differ in shape, not only in apiVersion. */
const CONVERTERS: Record<string, Converter> = {
  '/events': eventsConverter,
  'events.k8s.io/events': eventsConverter,
  'autoscaling/horizontalpodautoscalers': hpaConverter,
};

/** A dynamically served resource (a CRD's versions): one store, one storage version, its own rules. */
export interface DynamicResource {
  /** Every served version of the resource (same group and plural). */
  specs: ResourceSpec[];
  /** e.g. "stable.example.com/v1". */
  storageApiVersion: string;
  strategy: Strategy;
  converter?: Converter;
}

export class Registry {
  private builtinGroups: GroupSpec[];
  private dynamicGroups: GroupSpec[] = [];
  private readonly listeners: Array<() => void> = [];
  private readonly storage: Store;
  private readonly clock: Clock;
  private readonly byGVR = new Map<string, ServedResource>();
  private readonly byKind = new Map<string, ServedResource>();
  private readonly stores = new Map<string, GenericStore>();
  private readonly storeVersions = new Map<string, string>();

  constructor(opts: RegistryOptions) {
    const preferred = new Map(opts.groups.map((g) => [g.name, g.versions[0]]));
    this.builtinGroups = opts.groups;
    this.storage = opts.store;
    this.clock = opts.clock;
    for (const spec of opts.resources) {
      const own = `${spec.group}/${spec.resource}`;
      const skey = STORAGE_OF[own] ?? own;
      let store = this.stores.get(skey);
      if (!store) {
        const [group, resource] = [skey.slice(0, skey.indexOf('/')), skey.slice(skey.indexOf('/') + 1)];
        const owner = opts.resources.find((r) => r.group === group && r.resource === resource) ?? spec;
        store = new GenericStore({
          store: opts.store, clock: opts.clock, group, resource,
          kind: owner.kind, namespaced: owner.namespaced, strategy: strategyFor(owner),
        });
        this.stores.set(skey, store);
        // Storage version = the owning group's preferred version.
        this.storeVersions.set(skey, apiVersionOf(owner.group, preferred.get(owner.group) ?? owner.version));
      }
      const served: ServedResource = {
        spec, apiVersion: apiVersionOf(spec.group, spec.version), store,
        storageApiVersion: this.storeVersions.get(skey) as string, converter: CONVERTERS[own] ?? apiVersionOnly,
      };
      this.byGVR.set(`${spec.group}/${spec.version}/${spec.resource}`, served);
      this.byKind.set(`${served.apiVersion}/${spec.kind}`, served);
    }
  }

  /** Groups in discovery order: built-in ones, then dynamic ones (CRD groups). */
  get groups(): GroupSpec[] {
    return this.dynamicGroups.length ? [...this.builtinGroups, ...this.dynamicGroups] : this.builtinGroups;
  }

  /** Called after the served set changes (discovery and OpenAPI rebuild themselves). */
  onChange(fn: () => void): void {
    this.listeners.push(fn);
  }

  /**
   * Serve (or re-serve with new rules) a dynamic resource. Its store is kept across re-adds, so
   * watches and data survive a CRD update. `groupVersions` is the group's served versions in
   * priority order (for discovery), computed by the caller over every resource of the group.
   */
  addDynamic(r: DynamicResource, groupVersions: string[]): void {
    const first = r.specs[0];
    const skey = `${first.group}/${first.resource}`;
    let store = this.stores.get(skey);
    if (!store || store.strategy !== r.strategy || store.kind !== first.kind || store.namespaced !== first.namespaced) {
      const old = store;
      store = new GenericStore({ store: this.storage, clock: this.clock, group: first.group, resource: first.resource, kind: first.kind, namespaced: first.namespaced, strategy: r.strategy });
      if (old) old.cacher.stop();
      this.stores.set(skey, store);
    }
    this.removeServed(first.group, first.resource);
    this.storeVersions.set(skey, r.storageApiVersion);
    for (const spec of r.specs) {
      const served: ServedResource = { spec, apiVersion: apiVersionOf(spec.group, spec.version), store, storageApiVersion: r.storageApiVersion, converter: r.converter ?? apiVersionOnly };
      this.byGVR.set(`${spec.group}/${spec.version}/${spec.resource}`, served);
      this.byKind.set(`${served.apiVersion}/${spec.kind}`, served);
    }
    this.setDynamicGroup(first.group, groupVersions);
    this.changed();
  }

  /** Stop serving a dynamic resource; returns its store (the caller may still delete its data). */
  removeDynamic(group: string, resource: string, groupVersions: string[]): GenericStore | undefined {
    const skey = `${group}/${resource}`;
    const store = this.stores.get(skey);
    this.removeServed(group, resource);
    this.stores.delete(skey);
    this.storeVersions.delete(skey);
    store?.cacher.stop();
    this.setDynamicGroup(group, groupVersions);
    this.changed();
    return store;
  }

  private removeServed(group: string, resource: string): void {
    for (const [k, v] of this.byGVR) {
      if (v.spec.group === group && v.spec.resource === resource) {
        this.byGVR.delete(k);
        this.byKind.delete(`${v.apiVersion}/${v.spec.kind}`);
      }
    }
  }

  private setDynamicGroup(group: string, versions: string[]): void {
    this.dynamicGroups = this.dynamicGroups.filter((g) => g.name !== group);
    if (versions.length && !this.builtinGroups.some((g) => g.name === group)) this.dynamicGroups.push({ name: group, versions });
  }

  private changed(): void {
    for (const fn of this.listeners) fn();
  }

  get(group: string, version: string, resource: string): ServedResource | undefined {
    return this.byGVR.get(`${group}/${version}/${resource}`);
  }

  forKind(apiVersion: string, kind: string): ServedResource | undefined {
    return this.byKind.get(`${apiVersion}/${kind}`);
  }

  all(): ServedResource[] {
    return [...this.byGVR.values()];
  }

  /** One entry per storage resource (for metrics and cleanup). */
  storesList(): GenericStore[] {
    return [...this.stores.values()];
  }

  /** The store of a resource by group and plural, e.g. ('', 'namespaces'). */
  storeOf(group: string, resource: string): GenericStore {
    const s = this.stores.get(`${group}/${resource}`);
    if (!s) throw new Error(`no storage for ${group}/${resource}`);
    return s;
  }

  toServed(r: ServedResource, obj: KubeObject): KubeObject {
    return r.converter.toServed(obj, r.apiVersion);
  }

  /** An object entering the registry (create, update, patch result): defaulted, then converted to storage. */
  toStorage(r: ServedResource, obj: KubeObject): KubeObject {
    applyDefaults(obj);
    return r.converter.toStorage(obj, r.storageApiVersion);
  }

  stop(): void {
    for (const s of this.stores.values()) s.cacher.stop();
  }
}
