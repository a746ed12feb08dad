/**
 * The generic registry store: CRUD semantics written once for every kind, in the order of
 * kube-apiserver's k8s.io/apiserver/pkg/registry/generic/registry/store.go, with the kind's
 * rules delegated to its Strategy. Objects are kept under
 * `/registry/<group|core>/<resource>/[<namespace>/]<name>`.
 */
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../../api/types.js';
import type { Clock } from '../../util/clock.js';
import type { KeyValue, Store } from '../../storage/interface.js';
import { isStorageError } from '../../storage/interface.js';
import {
  alreadyExists, badRequest, conflict, invalid, notFound, StatusError, type FieldError,
} from '../../apimachinery/errors.js';
import { generateName } from '../../apimachinery/names.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../apimachinery/validation/objectmeta.js';
import type { Strategy, StrategyContext } from '../strategy.js';
import { specChanged } from '../default-strategy.js';
import { decodeFromStorage, encodeForStorage, storedJsonWithVersion } from './codec.js';
import { Cacher } from './cacher.js';
import { listFromStore } from './list.js';
import { startWatch } from './watch.js';
import type { DeleteOptions, ListOptions, ListResult, TrackFieldsFn, UpdateOptions, WatchOptions, WriteOptions } from './options.js';
import type { WatchHandle, WatchSink } from './watch-types.js';
import { storageToStatus } from './storage-errors.js';
import { normalizeBuiltin } from './normalize.js';
import { formatTime as rfc3339 } from '../../apimachinery/time.js';
/** RFC 3339 at second precision, as metav1.Time (re-exported for this module's users). */
export { rfc3339 };

export interface GenericStoreOptions {
  store: Store;
  clock: Clock;
  group: string;
  resource: string;
  kind: string;
  namespaced: boolean;
  strategy: Strategy;
}

/**
 * Hooks a kind's REST storage adds around the generic writes (store.go BeginCreate, BeginUpdate,
 * AfterDelete), e.g. the Service allocators (registry/services). begin* run after validation and
 * admission, right before the storage write; the function they return is told whether the
 * write happened (false also for dry runs and no-op updates).
 */
export interface StoreHooks {
  beginCreate?(obj: KubeObject): Promise<(success: boolean) => void>;
  /** Main-resource updates only (not /status). */
  beginUpdate?(obj: KubeObject, old: KubeObject): Promise<(success: boolean) => void>;
  /** After the object is gone from storage. */
  afterDelete?(obj: KubeObject): void;
}

const MAX_UPDATE_ATTEMPTS = 16;
const GENERATE_NAME_ATTEMPTS = 8;

export function deepCopy<T>(v: T): T {
  return structuredClone(v);
}

export class GenericStore {
  readonly group: string;
  readonly resource: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly strategy: Strategy;
  readonly prefix: string;
  private readonly store: Store;
  private readonly clock: Clock;
  readonly cacher: Cacher;
  /** Set by kinds whose storage allocates (services); empty for the rest. */
  hooks: StoreHooks = {};

  constructor(opts: GenericStoreOptions) {
    this.store = opts.store;
    this.clock = opts.clock;
    this.group = opts.group;
    this.resource = opts.resource;
    this.kind = opts.kind;
    this.namespaced = opts.namespaced;
    this.strategy = opts.strategy;
    this.prefix = `/registry/${opts.group || 'core'}/${opts.resource}/`;
    this.cacher = new Cacher({ store: opts.store, prefix: this.prefix });
  }

  get qualified(): { group: string; resource: string } {
    return { group: this.group, resource: this.resource };
  }

  keyFor(namespace: string, name: string): string {
    return this.namespaced ? `${this.prefix}${namespace}/${name}` : `${this.prefix}${name}`;
  }

  /** The key prefix of a list: one namespace, or all of them. */
  prefixFor(namespace: string): string {
    return this.namespaced && namespace ? `${this.prefix}${namespace}/` : this.prefix;
  }

  private ctx(): StrategyContext {
    return { now: new Date(this.clock.now()) };
  }

  private async read(namespace: string, name: string): Promise<KeyValue | null> {
    try {
      return await this.store.get(this.keyFor(namespace, name));
    } catch (e) {
      throw storageToStatus(e, this.qualified, name);
    }
  }

  async get(namespace: string, name: string): Promise<KubeObject> {
    const kv = await this.read(namespace, name);
    if (!kv) throw notFound(this.qualified, name);
    return decodeFromStorage(kv);
  }

  /** GET fast path: the stored JSON with its resourceVersion, no parse. */
  async getJson(namespace: string, name: string): Promise<string> {
    const kv = await this.read(namespace, name);
    if (!kv) throw notFound(this.qualified, name);
    return storedJsonWithVersion(kv);
  }

  async list(namespace: string, opts: ListOptions): Promise<ListResult> {
    return listFromStore(this.store, this.prefixFor(namespace), opts, this.qualified);
  }

  async count(): Promise<number> {
    return this.store.count(this.prefix);
  }

  watch(namespace: string, opts: WatchOptions, sink: WatchSink): Promise<WatchHandle> {
    return startWatch({ store: this.store, cacher: this.cacher, prefix: this.prefixFor(namespace), kind: this.kind, qualified: this.qualified }, opts, sink);
  }

  private invalid(name: string, errs: FieldError[]): StatusError {
    return invalid({ group: this.group, kind: this.kind }, name, errs);
  }

  private checkNamespace(obj: KubeObject, namespace: string): void {
    const meta = obj.metadata;
    if (this.namespaced) {
      if (meta.namespace && namespace && meta.namespace !== namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      if (namespace) meta.namespace = namespace;
    } else {
      delete meta.namespace;
    }
  }

  /** Create (rest.BeforeCreate + Store.Create). Returns the stored object. */
  async create(namespace: string, input: KubeObject, opts: WriteOptions = {}): Promise<KubeObject> {
    await this.strategy.load?.();
    const obj = input;
    if (!obj.metadata || typeof obj.metadata !== 'object') obj.metadata = {};
    const meta = obj.metadata;
    this.checkNamespace(obj, namespace);
    if (meta.resourceVersion) throw badRequest('resourceVersion should not be set on objects to be created');
    const ctx = this.ctx();
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.selfLink;
    // System fields and the generated name come first (store.go Create: FillObjectMetaSystemFields
    // and name generation precede BeforeCreate), so PrepareForCreate can use uid and name.
    meta.uid = randomUUID();
    meta.creationTimestamp = rfc3339(ctx.now.getTime());
    const generated = !meta.name && !!meta.generateName;
    if (generated) meta.name = generateName(meta.generateName as string);
    this.strategy.prepareForCreate(obj, ctx);
    if (this.strategy.tracksGeneration) meta.generation = 1;
    else delete meta.generation;
    normalizeBuiltin(obj);
    opts.trackFields?.(null, obj);
    const errs = [
      ...validateObjectMeta(meta, { namespaced: this.namespaced, validateName: this.strategy.validateName }),
      ...this.strategy.validate(obj),
    ];
    if (errs.length) throw this.invalid(meta.name ?? '', errs);
    if (opts.admit) await opts.admit(obj, null);
    const finish = this.hooks.beginCreate ? await this.hooks.beginCreate(obj) : undefined;
    this.strategy.canonicalize(obj);
    if (opts.dryRun) { finish?.(false); return obj; }
    for (let attempt = 0; ; attempt++) {
      try {
        const kv = await this.store.create(this.keyFor(namespace, meta.name as string), encodeForStorage(obj));
        meta.resourceVersion = String(kv.modRevision);
        finish?.(true);
        return obj;
      } catch (e) {
        if (isStorageError(e, 'KeyExists')) {
          // RetryGenerateName (GA in 1.32): a clashing generated name is drawn again.
          if (generated && attempt < GENERATE_NAME_ATTEMPTS) { meta.name = generateName(meta.generateName as string); continue; }
          finish?.(false);
          throw alreadyExists(this.qualified, meta.name as string);
        }
        finish?.(false);
        throw storageToStatus(e, this.qualified, meta.name as string);
      }
    }
  }

  /**
   * Update through a function of the current object (PUT passes the body, PATCH applies the patch).
   * Retries on storage conflicts unless the new object names a resourceVersion (a precondition).
   */
  async update(
    namespace: string,
    name: string,
    updater: (current: KubeObject | null) => KubeObject | Promise<KubeObject>,
    opts: UpdateOptions = {},
  ): Promise<{ object: KubeObject; created: boolean }> {
    await this.strategy.load?.();
    await opts.strategy?.load?.();
    const sub = opts.subresource ?? '';
    for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
      const kv = await this.read(namespace, name);
      if (!kv) {
        if (!(this.strategy.allowCreateOnUpdate || opts.forceAllowCreate) || sub) throw notFound(this.qualified, name);
        const obj = await updater(null);
        if (obj.metadata?.resourceVersion) throw notFound(this.qualified, name);
        return { object: await this.create(namespace, obj, opts), created: true };
      }
      const old = decodeFromStorage(kv);
      const obj = await updater(deepCopy(old));
      if (!obj.metadata || typeof obj.metadata !== 'object') obj.metadata = {};
      const meta = obj.metadata;
      const wantRV = meta.resourceVersion;
      if (wantRV && wantRV !== old.metadata.resourceVersion) throw conflict(this.qualified, name);
      if (!wantRV && !this.strategy.allowUnconditionalUpdate) {
        throw this.invalid(name, [{ type: 'FieldValueInvalid', field: 'metadata.resourceVersion', value: '0x0', detail: 'must be specified for an update' }]);
      }
      // An unconditional update takes the stored version (store.go: Versioner().UpdateObject),
      // so validation sees it set; a conflicting write in between is retried below.
      if (!wantRV) meta.resourceVersion = old.metadata.resourceVersion;
      this.checkNamespace(obj, namespace);
      this.beforeUpdate(obj, old, sub, opts.strategy ?? this.strategy, opts.trackFields);
      if (opts.admit) await opts.admit(obj, old);
      const finish = !sub && this.hooks.beginUpdate ? await this.hooks.beginUpdate(obj, old) : undefined;
      this.strategy.canonicalize(obj);
      const encoded = encodeForStorage(obj);
      if (encoded === kv.value || opts.dryRun) {
        finish?.(false);
        meta.resourceVersion = old.metadata.resourceVersion;
        return { object: encoded === kv.value ? old : obj, created: false };
      }
      try {
        const next = await this.store.update(kv.key, encoded, kv.modRevision);
        meta.resourceVersion = String(next.modRevision);
        finish?.(true);
      } catch (e) {
        finish?.(false);
        if (isStorageError(e, 'Conflict') && !wantRV) continue;
        if (isStorageError(e, 'NotFound')) throw notFound(this.qualified, name);
        if (isStorageError(e, 'Conflict')) throw conflict(this.qualified, name);
        throw storageToStatus(e, this.qualified, name);
      }
      // An object being deleted whose last finalizer just went is deleted now (ShouldDeleteDuringUpdate).
      if (meta.deletionTimestamp && !this.blocksDeletion(obj)) {
        await this.deleteNow(namespace, name, obj);
      }
      return { object: obj, created: false };
    }
    throw conflict(this.qualified, name, 'too many concurrent updates, please try again');
  }

  /** rest.BeforeUpdate: keep what the client may not change, run the strategy, validate. */
  private beforeUpdate(obj: KubeObject, old: KubeObject, sub: string, strategy: Strategy, trackFields?: TrackFieldsFn): void {
    const meta = obj.metadata;
    const om = old.metadata;
    const ctx = this.ctx();
    if (!meta.uid) meta.uid = om.uid;
    if (!meta.creationTimestamp) meta.creationTimestamp = om.creationTimestamp;
    // Deletion state is owned by DELETE, never by an update.
    if (om.deletionTimestamp) meta.deletionTimestamp = om.deletionTimestamp; else delete meta.deletionTimestamp;
    if (om.deletionGracePeriodSeconds !== undefined) meta.deletionGracePeriodSeconds = om.deletionGracePeriodSeconds; else delete meta.deletionGracePeriodSeconds;
    if (om.generation !== undefined) meta.generation = om.generation; else delete meta.generation;
    if (meta.generateName === undefined && om.generateName !== undefined) meta.generateName = om.generateName;
    let errs: FieldError[];
    if (sub === 'status') {
      strategy.prepareForStatusUpdate(obj, old, ctx);
      normalizeBuiltin(obj);
      errs = strategy.validateStatusUpdate(obj, old);
    } else {
      strategy.prepareForUpdate(obj, old, ctx);
      normalizeBuiltin(obj);
      if (strategy.tracksGeneration && specChanged(obj, old)) meta.generation = (om.generation ?? 0) + 1;
      errs = strategy.validateUpdate(obj, old);
    }
    trackFields?.(old, obj);
    errs = [...validateObjectMetaUpdate(meta, om, { namespaced: this.namespaced, validateName: strategy.validateName }), ...errs];
    if (errs.length) throw this.invalid(meta.name ?? '', errs);
  }

  /** Finalizers (and for namespaces spec.finalizers) keep an object with deletionTimestamp until removed. */
  private blocksDeletion(obj: KubeObject): boolean {
    if ((obj.metadata.finalizers?.length ?? 0) > 0) return true;
    return this.strategy.blocksDeletion?.(obj) ?? false;
  }

  private async deleteNow(namespace: string, name: string, obj: KubeObject): Promise<void> {
    const kv = await this.read(namespace, name);
    if (!kv || String(kv.modRevision) !== obj.metadata.resourceVersion) return; // someone else moved on; they decide
    try {
      const del = await this.store.delete(kv.key, kv.modRevision);
      obj.metadata.resourceVersion = String(del.modRevision);
      this.hooks.afterDelete?.(obj);
    } catch (e) {
      if (!isStorageError(e, 'Conflict') && !isStorageError(e, 'NotFound')) throw storageToStatus(e, this.qualified, name);
    }
  }

  /**
   * DELETE (Store.Delete): preconditions, graceful deletion and finalizers mark the object
   * (deletionTimestamp) instead of removing it. `deleted` says whether it is gone.
   */
  async delete(namespace: string, name: string, opts: DeleteOptions = {}): Promise<{ object: KubeObject; deleted: boolean }> {
    for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
      const kv = await this.read(namespace, name);
      if (!kv) throw notFound(this.qualified, name);
      const obj = decodeFromStorage(kv);
      const meta = obj.metadata;
      const pre = opts.preconditions;
      if (pre?.uid && pre.uid !== meta.uid) {
        throw conflict(this.qualified, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${meta.uid}`);
      }
      if (pre?.resourceVersion && pre.resourceVersion !== meta.resourceVersion) {
        throw conflict(this.qualified, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${meta.resourceVersion}`);
      }
      if (opts.admit) await opts.admit(obj, obj);
      const now = this.clock.now();
      const grace = this.strategy.gracePeriodSeconds(obj, opts.gracePeriodSeconds);
      // Foreground/Orphan propagation: the garbage collector's finalizers (every keks cluster runs it).
      const gcFinalizers = finalizersForGarbageCollection(meta.finalizers ?? [], opts.propagationPolicy);
      if (gcFinalizers) {
        if (gcFinalizers.length) meta.finalizers = gcFinalizers; else delete meta.finalizers;
      }
      const pending = this.blocksDeletion(obj) || grace > 0;
      if (pending) {
        // Graceful deletion / finalizers: mark, and let the owners finish (BeforeDelete).
        if (meta.deletionTimestamp && !gcFinalizers) {
          const current = meta.deletionGracePeriodSeconds ?? 0;
          if (grace >= current || !(grace > 0 || this.blocksDeletion(obj))) return { object: obj, deleted: false };
        }
        const marked = deepCopy(obj);
        marked.metadata.deletionTimestamp = rfc3339(now + grace * 1000);
        marked.metadata.deletionGracePeriodSeconds = grace;
        this.strategy.prepareForDelete?.(marked, this.ctx());
        if (opts.dryRun) return { object: marked, deleted: false };
        try {
          const next = await this.store.update(kv.key, encodeForStorage(marked), kv.modRevision);
          marked.metadata.resourceVersion = String(next.modRevision);
          return { object: marked, deleted: false };
        } catch (e) {
          if (isStorageError(e, 'Conflict') || isStorageError(e, 'NotFound')) continue;
          throw storageToStatus(e, this.qualified, name);
        }
      }
      if (opts.dryRun) return { object: obj, deleted: true };
      try {
        const del = await this.store.delete(kv.key, kv.modRevision);
        meta.resourceVersion = String(del.modRevision);
        this.hooks.afterDelete?.(obj);
        return { object: obj, deleted: true };
      } catch (e) {
        if (isStorageError(e, 'Conflict')) continue;
        if (isStorageError(e, 'NotFound')) throw notFound(this.qualified, name);
        throw storageToStatus(e, this.qualified, name);
      }
    }
    throw conflict(this.qualified, name, 'too many concurrent updates, please try again');
  }
}

/**
 * deletionFinalizersForGarbageCollection (k8s.io/apiserver/pkg/registry/generic/registry/store.go):
 * propagationPolicy Orphan adds the `orphan` finalizer, Foreground adds `foregroundDeletion`,
 * Background removes both; without a policy the object's finalizers decide (every served kind
 * defaults to DeleteDependents, i.e. background). Returns the new list, or undefined if unchanged.
 */
function finalizersForGarbageCollection(existing: string[], policy: DeleteOptions['propagationPolicy']): string[] | undefined {
  if (!policy) return undefined;
  const next = existing.filter((f) => f !== 'orphan' && f !== 'foregroundDeletion');
  if (policy === 'Orphan') next.push('orphan');
  else if (policy === 'Foreground') next.push('foregroundDeletion');
  const same = next.length === existing.length && next.every((f) => existing.includes(f));
  return same ? undefined : next;
}
