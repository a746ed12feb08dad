/**
 * DefaultPreemption's PostFilter (pkg/scheduler/framework/plugins/defaultpreemption and
 * framework/preemption, kube-scheduler 1.32), as pure functions over the scheduler's NodeInfos:
 *  - eligibility: preemptionPolicy Never never preempts; a pod whose nominated node still holds a
 *    lower-priority pod terminating by preemption waits for it instead of preempting again;
 *  - candidates: nodes whose filter failure was resolvable (Unschedulable), tried from a random
 *    offset; at least max(10% of nodes, 100) are evaluated once a PDB-respecting one is found;
 *  - victims on a node (SelectVictimsOnNode): remove every lower-priority pod; if the pod then
 *    fits, add them back most important first (PDB-violating ones before the others) and keep
 *    back each one the pod still fits beside; the rest are victims;
 *  - the node (pickOneNodeForPreemption): fewest PDB violations, then lowest highest-victim
 *    priority, lowest priority sum, fewest victims, latest start of the highest-priority victims.
 * Known simplification: PreFilter state (topology-spread counts, inter-pod affinity) is not
 * updated for removed victims (upstream's AddPod/RemovePod extensions); resource, port, taint and
 * affinity filters see the node without them.
 */
import type { KubeObject } from '../api/types.js';
import { labelSelectorFromMeta, type LabelSelector, type MetaLabelSelector } from '../apimachinery/labels.js';
import type { CycleState, FilterFailure, Plugin } from './framework.js';
import type { NodeInfo, PodInfo } from './node-info.js';

export const NO_VICTIMS_REASON = 'No preemption victims found for incoming pod';
export const NOT_HELPFUL_REASON = 'Preemption is not helpful for scheduling';
export const NOT_ELIGIBLE_NEVER = 'not eligible due to preemptionPolicy=Never.';
export const NOT_ELIGIBLE_TERMINATING = 'not eligible due to a terminating pod on the nominated node.';
/** Minimum candidates to evaluate, as MinCandidateNodesPercentage / MinCandidateNodesAbsolute defaults. */
const MIN_CANDIDATE_PERCENT = 10;
const MIN_CANDIDATE_ABSOLUTE = 100;
const MAX_INT32 = 2 ** 31 - 1;

/** What preemption needs of a PodDisruptionBudget. */
export interface PdbInfo {
  namespace: string;
  /** Undefined when the selector is absent or empty: such a PDB matches nothing here. */
  selector: LabelSelector | undefined;
  disruptionsAllowed: number;
  disruptedPods: ReadonlySet<string>;
}

export function pdbInfo(pdb: KubeObject): PdbInfo {
  const sel = (pdb.spec as { selector?: MetaLabelSelector } | undefined)?.selector;
  const st = (pdb.status ?? {}) as { disruptionsAllowed?: number; disruptedPods?: Record<string, string> };
  let selector: LabelSelector | undefined;
  const empty = !sel || (!Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length);
  if (!empty) { try { selector = labelSelectorFromMeta(sel); } catch { selector = undefined; } }
  return { namespace: pdb.metadata.namespace ?? '', selector, disruptionsAllowed: st.disruptionsAllowed ?? 0, disruptedPods: new Set(Object.keys(st.disruptedPods ?? {})) };
}

/** DisruptionTarget=True with reason PreemptionByScheduler: the pod is being preempted. */
export function terminatingByPreemption(pod: KubeObject): boolean {
  if (!pod.metadata.deletionTimestamp) return false;
  const cs = (pod.status as { conditions?: Array<{ type?: string; status?: string; reason?: string }> } | undefined)?.conditions ?? [];
  return cs.some((c) => c.type === 'DisruptionTarget' && c.status === 'True' && c.reason === 'PreemptionByScheduler');
}

function startTime(pi: PodInfo): number {
  const t = (pi.pod.status as { startTime?: string } | undefined)?.startTime ?? pi.pod.metadata.creationTimestamp;
  const ms = t ? Date.parse(t as string) : NaN;
  return Number.isNaN(ms) ? Infinity : ms;
}

/** MoreImportantPod: higher priority, then the one that started earlier. */
export function moreImportant(a: PodInfo, b: PodInfo): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  return startTime(a) - startTime(b);
}

/** Splits pods into those whose eviction would violate a PDB and the others (filterPodsWithPDBViolation). */
export function splitByPdb(pods: PodInfo[], pdbs: readonly PdbInfo[]): { violating: PodInfo[]; nonViolating: PodInfo[] } {
  const allowed = pdbs.map((p) => p.disruptionsAllowed);
  const violating: PodInfo[] = [];
  const nonViolating: PodInfo[] = [];
  for (const pi of pods) {
    const labels = pi.pod.metadata.labels ?? {};
    let violated = false;
    if (Object.keys(labels).length) {
      pdbs.forEach((pdb, i) => {
        if (pdb.namespace !== pi.pod.metadata.namespace || !pdb.selector || !pdb.selector.matches(labels)) return;
        if (pdb.disruptedPods.has(pi.pod.metadata.name as string)) return;
        if (--allowed[i] < 0) violated = true;
      });
    }
    (violated ? violating : nonViolating).push(pi);
  }
  return { violating, nonViolating };
}

function runFilters(plugins: readonly Plugin[], s: CycleState, node: NodeInfo): FilterFailure | undefined {
  for (const p of plugins) {
    const f = p.filter?.(s, node);
    if (f) return f;
  }
  return undefined;
}

export type VictimResult = { ok: true; victims: PodInfo[]; pdbViolations: number } | { ok: false; failure: FilterFailure };

/** SelectVictimsOnNode: the fewest, least important pods whose removal lets the pod fit. */
export function selectVictimsOnNode(plugins: readonly Plugin[], s: CycleState, node: NodeInfo, pdbs: readonly PdbInfo[]): VictimResult {
  const prio = s.podInfo.priority;
  const potential: PodInfo[] = [];
  for (const pi of node.pods.values()) if (pi.priority < prio) potential.push(pi);
  if (!potential.length) return { ok: false, failure: { code: 'UnschedulableAndUnresolvable', reasons: [NO_VICTIMS_REASON] } };
  const sim = node.clone();
  for (const pi of potential) sim.removePod(pi.key);
  const f = runFilters(plugins, s, sim);
  if (f) return { ok: false, failure: f };
  potential.sort(moreImportant);
  const { violating, nonViolating } = splitByPdb(potential, pdbs);
  const victims: PodInfo[] = [];
  let pdbViolations = 0;
  const reprieve = (pi: PodInfo, isViolating: boolean): void => {
    sim.addPod(pi);
    if (!runFilters(plugins, s, sim)) return;
    sim.removePod(pi.key);
    victims.push(pi);
    if (isViolating) pdbViolations++;
  };
  for (const pi of violating) reprieve(pi, true);
  for (const pi of nonViolating) reprieve(pi, false);
  if (violating.length && nonViolating.length) victims.sort(moreImportant);
  if (!victims.length) return { ok: false, failure: { code: 'UnschedulableAndUnresolvable', reasons: [`expected at least one victim pod on node "${node.name}"`] } };
  return { ok: true, victims, pdbViolations };
}

export interface Candidate { node: NodeInfo; victims: PodInfo[]; pdbViolations: number }

/** pickOneNodeForPreemption: the candidate whose preemption disrupts least. */
export function pickCandidate(cands: readonly Candidate[]): Candidate | undefined {
  const keys = (c: Candidate): number[] => {
    const highest = c.victims[0]?.priority ?? 0;
    let sum = 0;
    for (const v of c.victims) sum += v.priority + MAX_INT32 + 1;
    let earliest = Infinity;
    for (const v of c.victims) if (v.priority === highest) earliest = Math.min(earliest, startTime(v));
    // Each key: larger is better.
    return [-c.pdbViolations, -highest, -sum, -c.victims.length, earliest];
  };
  let best: Candidate | undefined;
  let bestKeys: number[] = [];
  for (const c of cands) {
    const k = keys(c);
    if (!best) { best = c; bestKeys = k; continue; }
    for (let i = 0; i < k.length; i++) {
      if (k[i] === bestKeys[i]) continue;
      if (k[i] > bestKeys[i]) { best = c; bestKeys = k; }
      break;
    }
  }
  return best;
}

export function numCandidates(numNodes: number): number {
  let n = Math.floor((numNodes * MIN_CANDIDATE_PERCENT) / 100);
  if (n < MIN_CANDIDATE_ABSOLUTE) n = MIN_CANDIDATE_ABSOLUTE;
  return Math.min(n, numNodes);
}

export type PreemptResult =
  | { ok: true; candidate: Candidate }
  /** Not possible: the PostFilter message without the "preemption: " prefix. */
  | { ok: false; message: string };

export interface PreemptInput {
  plugins: readonly Plugin[];
  state: CycleState;
  /** All nodes with the main filter's failure for each (index-aligned). */
  nodes: readonly NodeInfo[];
  failures: readonly FilterFailure[];
  pdbs: readonly PdbInfo[];
  /** Random start offset among the potential nodes (upstream: rand.Int31n). */
  offset: number;
  fitError: (numNodes: number, failures: FilterFailure[]) => string;
}

/** PodEligibleToPreemptOthers. */
export function eligibleToPreempt(pod: KubeObject, nominated: NodeInfo | undefined, nominatedFailure: FilterFailure | undefined, priority: number): string | undefined {
  if ((pod.spec as { preemptionPolicy?: string } | undefined)?.preemptionPolicy === 'Never') return NOT_ELIGIBLE_NEVER;
  if (nominated && nominatedFailure?.code !== 'UnschedulableAndUnresolvable') {
    for (const pi of nominated.pods.values()) if (pi.priority < priority && terminatingByPreemption(pi.pod)) return NOT_ELIGIBLE_TERMINATING;
  }
  return undefined;
}

/** Preempt (DryRunPreemption + SelectCandidate) without side effects: the caller deletes victims. */
export function preempt(input: PreemptInput): PreemptResult {
  const { plugins, state, nodes, failures, pdbs } = input;
  const potential: NodeInfo[] = [];
  const statuses: FilterFailure[] = [];
  nodes.forEach((n, i) => {
    if (failures[i]?.code === 'UnschedulableAndUnresolvable') statuses.push({ code: 'UnschedulableAndUnresolvable', reasons: [NOT_HELPFUL_REASON] });
    else potential.push(n);
  });
  if (!potential.length) return { ok: false, message: input.fitError(nodes.length, statuses) };
  const want = numCandidates(potential.length);
  const nonViolating: Candidate[] = [];
  const violating: Candidate[] = [];
  for (let i = 0; i < potential.length; i++) {
    const node = potential[(input.offset + i) % potential.length];
    const r = selectVictimsOnNode(plugins, state, node, pdbs);
    if (r.ok) {
      (r.pdbViolations ? violating : nonViolating).push({ node, victims: r.victims, pdbViolations: r.pdbViolations });
      if (nonViolating.length && nonViolating.length + violating.length >= want) break;
    } else {
      statuses.push(r.failure);
    }
  }
  const chosen = pickCandidate([...nonViolating, ...violating]);
  if (!chosen) return { ok: false, message: input.fitError(nodes.length, statuses) };
  return { ok: true, candidate: chosen };
}
