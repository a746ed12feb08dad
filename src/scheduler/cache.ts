/**
 * The scheduler cache (pkg/scheduler/backend/cache): NodeInfo per node, the assignment of every
 * non-terminal pod (bound, or assumed between the scheduling decision and the binding's watch
 * event), and pods per controller owner per node (for default topology spreading). Every update
 * is O(1) in the number of nodes and pods.
 */
import type { KubeObject } from '../api/types.js';
import type { AntiTermGroup } from './framework.js';
import { makePodInfo, NodeInfo, type PodInfo } from './node-info.js';
import { controllerUid } from './plugins/topology-spread.js';

const ZONE_LABEL = 'topology.kubernetes.io/zone';

function isTerminal(pod: KubeObject): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

export class SchedulerCache {
  private readonly infos = new Map<string, NodeInfo>();
  /** Nodes that exist as Node objects (NodeInfos can exist for pods whose node is gone). */
  private readonly present = new Set<string>();
  private list: NodeInfo[] | undefined;
  private readonly podNode = new Map<string, string>();
  private readonly owners = new Map<string, Map<string, number>>();
  private readonly ownerZones = new Map<string, Map<string, number>>();
  /** The zone a pod was counted in (so removal undoes exactly what addition did). */
  private readonly podZone = new Map<string, string | undefined>();
  /** label key → value → nodes carrying it (topology domains without a scan). */
  private readonly labelValues = new Map<string, Map<string, number>>();
  /** Nodes holding pods with (anti-)affinity terms (symmetry checks visit only these). */
  readonly affinityNodes = new Set<NodeInfo>();
  /** Required anti-affinity terms of assigned pods, grouped by namespace + term (see CycleState.existingAntiTerms). */
  readonly antiTerms = new Map<string, AntiTermGroup>();
  /** What each pod added to antiTerms: [group signature, topology value]. */
  private readonly podAnti = new Map<string, Array<[string, string]>>();

  private addAntiTerms(key: string, pi: PodInfo, info: NodeInfo): void {
    const terms = (pi.pod.spec as { affinity?: { podAntiAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: AntiTermGroup['term'][] } } } | undefined)
      ?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
    const ns = pi.pod.metadata.namespace ?? '';
    const added: Array<[string, string]> = [];
    for (const term of terms) {
      const v = info.labels[term.topologyKey];
      if (v === undefined) continue;
      const sig = `${ns}\0${JSON.stringify(term)}`;
      let g = this.antiTerms.get(sig);
      if (!g) this.antiTerms.set(sig, (g = { term, ns, domains: new Map() }));
      g.domains.set(v, (g.domains.get(v) ?? 0) + 1);
      added.push([sig, v]);
    }
    if (added.length) this.podAnti.set(key, added);
  }

  private removeAntiTerms(key: string): void {
    for (const [sig, v] of this.podAnti.get(key) ?? []) {
      const g = this.antiTerms.get(sig);
      if (!g) continue;
      const n = (g.domains.get(v) ?? 0) - 1;
      if (n > 0) g.domains.set(v, n); else g.domains.delete(v);
      if (g.domains.size === 0) this.antiTerms.delete(sig);
    }
    this.podAnti.delete(key);
  }

  /** Nodes in a stable order (rebuilt only when nodes come or go). */
  nodes(): NodeInfo[] {
    if (!this.list) this.list = [...this.present].sort().map((n) => this.infos.get(n) as NodeInfo);
    return this.list;
  }

  node(name: string): NodeInfo | undefined {
    return this.present.has(name) ? this.infos.get(name) : undefined;
  }

  get nodeCount(): number {
    return this.present.size;
  }

  ownerCounts(uid: string): ReadonlyMap<string, number> | undefined {
    return this.owners.get(uid);
  }

  /** Pods per controller owner uid per zone (topology.kubernetes.io/zone of their node when they were added). */
  ownerZoneCounts(uid: string): ReadonlyMap<string, number> | undefined {
    return this.ownerZones.get(uid);
  }

  private bumpOwner(owner: string, nodeName: string, zone: string | undefined, by: 1 | -1): void {
    for (const [index, k] of [[this.owners, nodeName], [this.ownerZones, zone]] as const) {
      if (k === undefined) continue;
      let m = index.get(owner);
      if (!m) { m = new Map(); index.set(owner, m); }
      const n = (m.get(k) ?? 0) + by;
      if (n > 0) m.set(k, n); else m.delete(k);
      if (m.size === 0) index.delete(owner);
    }
  }

  /** Values of a node label across nodes, each with how many nodes carry it. */
  domains(key: string): ReadonlyMap<string, number> | undefined {
    return this.labelValues.get(key);
  }

  private countLabels(labels: Record<string, string> | undefined, by: 1 | -1): void {
    for (const [k, v] of Object.entries(labels ?? {})) {
      let m = this.labelValues.get(k);
      if (!m) { m = new Map(); this.labelValues.set(k, m); }
      const n = (m.get(v) ?? 0) + by;
      if (n > 0) m.set(v, n); else m.delete(v);
    }
  }

  setNode(node: KubeObject): void {
    const name = node.metadata.name as string;
    const info = this.infos.get(name);
    if (info && this.present.has(name)) this.countLabels(info.node.metadata.labels, -1);
    if (info) info.setNode(node); else this.infos.set(name, new NodeInfo(node));
    this.countLabels(node.metadata.labels, 1);
    if (!this.present.has(name)) { this.present.add(name); this.list = undefined; }
  }

  removeNode(name: string): void {
    const present = this.infos.get(name);
    if (present && this.present.has(name)) this.countLabels(present.node.metadata.labels, -1);
    if (this.present.delete(name)) this.list = undefined;
    const info = this.infos.get(name);
    if (info && info.pods.size === 0) this.infos.delete(name);
  }

  /** Reflects a pod from the informer (or an assumption): terminal pods and unassigned ones hold nothing. */
  updatePod(key: string, pod: KubeObject, nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName): void {
    if (!nodeName || isTerminal(pod)) { this.removePod(key); return; }
    const prev = this.podNode.get(key);
    if (prev && prev !== nodeName) this.removePod(key);
    let info = this.infos.get(nodeName);
    if (!info) { info = new NodeInfo({ metadata: { name: nodeName } }); this.infos.set(nodeName, info); }
    const had = info.pods.has(key);
    const pi = makePodInfo(key, pod);
    info.addPod(pi);
    if (!had && pi.hasRequiredAntiAffinity) this.addAntiTerms(key, pi, info);
    if (info.podsWithAffinity.size) this.affinityNodes.add(info);
    this.podNode.set(key, nodeName);
    const owner = controllerUid(pod);
    if (owner && !had) {
      const zone = info.labels[ZONE_LABEL];
      this.podZone.set(key, zone);
      this.bumpOwner(owner, nodeName, zone, 1);
    }
  }

  removePod(key: string): void {
    const nodeName = this.podNode.get(key);
    if (!nodeName) return;
    this.podNode.delete(key);
    this.removeAntiTerms(key);
    const info = this.infos.get(nodeName);
    const pi = info?.pods.get(key);
    info?.removePod(key);
    if (info && info.podsWithAffinity.size === 0) this.affinityNodes.delete(info);
    const owner = pi ? controllerUid(pi.pod) : undefined;
    if (owner) this.bumpOwner(owner, nodeName, this.podZone.get(key), -1);
    this.podZone.delete(key);
    if (info && !this.present.has(nodeName) && info.pods.size === 0) this.infos.delete(nodeName);
  }

  isAssigned(key: string): boolean {
    return this.podNode.has(key);
  }
}
