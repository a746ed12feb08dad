/**
 * The CRD controller living in the API server (as kube-apiserver's apiextensions-apiserver:
 * crdHandler + NamingConditionController + EstablishingController + FinalizingController +
 * DiscoveryController + openapi controller, folded into one loop). It watches the
 * customresourcedefinitions store and, per CRD name:
 *  - checks names against the group's other CRDs (NamesAccepted, acceptedNames);
 *  - serves the CRD's versions through Registry.addDynamic (discovery rebuilds), registers the
 *    Table printer and the OpenAPI v3 document of every served group-version; then sets
 *    Established (the CRD is served before the condition is written, so a client that sees
 *    Established can use it);
 *  - on deletion (finalizer customresourcecleanup.apiextensions.k8s.io), deletes every custom
 *    resource, stops serving, and removes the finalizer so the CRD goes.
 * Work is keyed by CRD name and runs one key at a time; failures retry with backoff.
 */
import type { Registry } from '../../registry/registry.js';
import type { GenericStore } from '../../registry/generic/store.js';
import { MATCH_EVERYTHING } from '../../registry/generic/filter.js';
import type { WatchHandle } from '../../registry/generic/watch-types.js';
import { registerDynamicPrinter } from '../../registry/printers/dynamic.js';
import { customResourceRules } from '../../registry/crd/cr-strategy.js';
import { customResourcePrinter } from '../../registry/crd/printer.js';
import { CLEANUP_FINALIZER, CRD_GROUP, CRD_RESOURCE, sortVersions, storageVersion, type Crd } from '../../registry/crd/types.js';
import { isStatusError } from '../../apimachinery/errors.js';
import type { Clock } from '../../util/clock.js';
import type { OpenApiService } from '../openapi/index.js';
import { resourceSpecsOf, storageApiVersionOf } from './resource-specs.js';
import { buildGroupVersionDocument, metaComponents } from './openapi.js';
import { buildCrdSwagger } from './openapi-v2.js';
import { namesConflict, statusFor } from './conditions.js';

export interface CrdControllerOptions {
  registry: Registry;
  openapi?: OpenApiService;
  clock: Clock;
  onError?: (name: string, err: unknown) => void;
}

interface ServedCrd {
  crd: Crd;
  specJson: string;
  unregisterPrinter: () => void;
}

const MAX_BACKOFF_MS = 5000;

export class CrdController {
  private readonly o: CrdControllerOptions;
  private readonly served = new Map<string, ServedCrd>();
  /** CRDs whose names conflict (NamesAccepted False), by name → group: retried when a CRD of the group goes. */
  private readonly conflicted = new Map<string, string>();
  private readonly pending = new Set<string>();
  private readonly retries = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private watch: WatchHandle | undefined;
  private running = false;
  private stopped = false;
  private draining: Promise<void> = Promise.resolve();
  private meta: Promise<{ meta: Record<string, unknown>; scale?: unknown }> | undefined;
  /** CRD name → group of the CRDs whose /openapi/v2 additions are published. */
  private readonly v2Published = new Map<string, string>();

  constructor(o: CrdControllerOptions) {
    this.o = o;
  }

  private get crdStore(): GenericStore {
    return this.o.registry.storeOf(CRD_GROUP, CRD_RESOURCE);
  }

  /** Serves every existing CRD, then follows changes. Resolves once the existing ones are served. */
  async start(): Promise<void> {
    const list = await this.crdStore.list('', { filter: MATCH_EVERYTHING });
    for (const it of list.items) this.pending.add(it.object().metadata.name as string);
    await this.drain();
    await this.startWatch(list.resourceVersion);
  }

  private async startWatch(rv: string): Promise<void> {
    if (this.stopped) return;
    this.watch = await this.crdStore.watch('', { filter: MATCH_EVERYTHING, resourceVersion: rv }, {
      send: (item) => {
        if (item.type === 'BOOKMARK' || item.type === 'ERROR') return;
        this.enqueue(item.object().metadata.name as string);
      },
      fail: () => {
        // Expired or broken: relist everything and watch again.
        this.watch = undefined;
        const t = setTimeout(() => { this.timers.delete(t); void this.start().catch((e) => this.o.onError?.('', e)); }, 200);
        this.timers.add(t);
      },
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.watch?.stop();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.draining;
  }

  enqueue(name: string): void {
    if (this.stopped) return;
    this.pending.add(name);
    void this.drain();
  }

  /** Processes pending names one at a time; concurrent callers share the same run. */
  private drain(): Promise<void> {
    if (this.running) return this.draining;
    this.running = true;
    this.draining = (async () => {
      try {
        while (this.pending.size && !this.stopped) {
          const name = this.pending.values().next().value as string;
          this.pending.delete(name);
          try {
            await this.sync(name);
            this.retries.delete(name);
          } catch (e) {
            this.o.onError?.(name, e);
            this.retry(name);
          }
        }
      } finally {
        this.running = false;
      }
    })();
    return this.draining;
  }

  private retry(name: string): void {
    const n = (this.retries.get(name) ?? 0) + 1;
    this.retries.set(name, n);
    const t = setTimeout(() => { this.timers.delete(t); this.enqueue(name); }, Math.min(MAX_BACKOFF_MS, 50 * 2 ** n));
    this.timers.add(t);
  }

  /** Reconciles one CRD name (idempotent). */
  async sync(name: string): Promise<void> {
    let crd: Crd | undefined;
    try {
      crd = await this.crdStore.get('', name) as Crd;
    } catch (e) {
      if (!isStatusError(e) || e.code !== 404) throw e;
    }
    if (!crd) { this.unserve(name); this.conflicted.delete(name); return; }
    if (crd.metadata.deletionTimestamp) {
      // A terminating CRD stays served until its objects are gone (also after a restart).
      if (!this.served.has(name) && !this.conflicted.has(name)) await this.serve(crd);
      await this.finalize(crd);
      return;
    }
    const others = [...this.served.values()].map((s) => s.crd).filter((c) => c.metadata.name !== name && c.spec.group === crd.spec.group);
    const conflict = namesConflict(crd, others);
    if (!conflict) {
      this.conflicted.delete(name);
      await this.serve(crd);
    } else {
      this.conflicted.set(name, crd.spec.group);
      this.unserve(name);
    }
    const next = statusFor(crd, conflict, new Date(this.o.clock.now()));
    if (next) {
      await this.crdStore.update('', name, (cur) => {
        if (!cur) throw new Error('gone');
        const c = cur as Crd;
        c.status = { ...(c.status ?? {}), ...next };
        return c;
      }, { subresource: 'status' });
    }
  }

  private async serve(crd: Crd): Promise<void> {
    const name = crd.metadata.name as string;
    const specJson = JSON.stringify(crd.spec);
    const prev = this.served.get(name);
    if (prev && prev.specJson === specJson) { prev.crd = crd; return; }
    const rules = customResourceRules(crd);
    const specs = resourceSpecsOf(crd);
    prev?.unregisterPrinter();
    const columns = storageVersion(crd)?.additionalPrinterColumns ?? crd.spec.versions.find((v) => v.served)?.additionalPrinterColumns;
    const unregisterPrinter = registerDynamicPrinter(crd.spec.group, crd.spec.names.plural, customResourcePrinter(columns));
    const oldVersions = prev ? prev.crd.spec.versions.filter((v) => v.served).map((v) => v.name) : [];
    this.served.set(name, { crd, specJson, unregisterPrinter });
    if (specs.length) {
      this.o.registry.addDynamic({ specs, storageApiVersion: storageApiVersionOf(crd), strategy: rules.strategy, converter: rules.converter }, this.groupVersions(crd.spec.group));
    } else {
      this.o.registry.removeDynamic(crd.spec.group, crd.spec.names.plural, this.groupVersions(crd.spec.group));
    }
    await this.publishOpenApi(crd.spec.group, [...new Set([...oldVersions, ...specs.map((s) => s.version)])]);
  }

  private unserve(name: string): void {
    const s = this.served.get(name);
    if (!s) return;
    this.served.delete(name);
    s.unregisterPrinter();
    const group = s.crd.spec.group;
    this.o.registry.removeDynamic(group, s.crd.spec.names.plural, this.groupVersions(group));
    for (const [other, g] of this.conflicted) if (g === group && other !== name) this.enqueue(other);
    void this.publishOpenApi(group, s.crd.spec.versions.map((v) => v.name)).catch((e) => this.o.onError?.(name, e));
  }

  /** Served versions of a group over every served CRD, in discovery priority order. */
  private groupVersions(group: string): string[] {
    const vs = new Set<string>();
    for (const s of this.served.values()) {
      if (s.crd.spec.group !== group) continue;
      for (const v of s.crd.spec.versions) if (v.served) vs.add(v.name);
    }
    return sortVersions([...vs]);
  }

  private metaSchemas(): Promise<{ meta: Record<string, unknown>; scale?: unknown }> {
    const openapi = this.o.openapi;
    this.meta ??= (async () => {
      const doc = openapi?.store.getV3('apis/autoscaling/v1') ?? openapi?.store.getV3('api/v1');
      if (!doc) return { meta: {} };
      const parsed = JSON.parse((await doc.raw()).toString('utf8')) as { components?: { schemas?: Record<string, unknown> } };
      const schemas = parsed.components?.schemas ?? {};
      const meta = metaComponents(schemas);
      const scale = schemas['io.k8s.api.autoscaling.v1.Scale'];
      if (scale) Object.assign(meta, metaComponents(schemas, ['io.k8s.api.autoscaling.v1.Scale']));
      return { meta, scale };
    })();
    return this.meta;
  }

  private async publishOpenApi(group: string, versions: string[]): Promise<void> {
    const openapi = this.o.openapi;
    if (!openapi) return;
    const { meta, scale } = await this.metaSchemas();
    const crds = [...this.served.values()].map((s) => s.crd).filter((c) => c.spec.group === group);
    // /openapi/v2: one set of definitions + paths per CRD of the group (apiextensions openapi controller).
    const names = new Set(crds.map((c) => c.metadata.name as string));
    for (const [name, g] of this.v2Published) if (g === group && !names.has(name)) { openapi.store.removeV2Additions(name); this.v2Published.delete(name); }
    for (const c of crds) { openapi.store.setV2Additions(c.metadata.name as string, buildCrdSwagger(c)); this.v2Published.set(c.metadata.name as string, group); }
    for (const v of versions) {
      const serving = crds.filter((c) => c.spec.versions.some((x) => x.name === v && x.served));
      const key = `apis/${group}/${v}`;
      if (!serving.length) openapi.removeGroupVersion(key);
      else openapi.setGroupVersion(key, buildGroupVersionDocument(serving, group, v, meta, scale));
    }
  }

  /** FinalizingController: delete every custom resource, stop serving, drop the finalizer. */
  private async finalize(crd: Crd): Promise<void> {
    const name = crd.metadata.name as string;
    if (!(crd.metadata.finalizers ?? []).includes(CLEANUP_FINALIZER)) return;
    const served = this.o.registry.all().find((r) => r.spec.group === crd.spec.group && r.spec.resource === crd.spec.names.plural);
    if (served) {
      const store = served.store;
      const list = await store.list('', { filter: MATCH_EVERYTHING });
      let remaining = 0;
      for (const it of list.items) {
        const o = it.object();
        try {
          const r = await store.delete(o.metadata.namespace ?? '', o.metadata.name as string);
          if (!r.deleted) remaining++;
        } catch (e) {
          if (!isStatusError(e) || e.code !== 404) throw e;
        }
      }
      if (remaining > 0) throw new Error(`${remaining} custom resources of ${name} are still finalizing`);
    }
    this.unserve(name);
    await this.crdStore.update('', name, (cur) => {
      if (!cur) throw new Error('gone');
      cur.metadata.finalizers = (cur.metadata.finalizers ?? []).filter((f) => f !== CLEANUP_FINALIZER);
      return cur;
    });
  }
}
