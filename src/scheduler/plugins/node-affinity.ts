/**
 * NodeAffinity (pkg/scheduler/framework/plugins/nodeaffinity): spec.nodeSelector and required
 * node affinity as a filter, preferred node affinity as a score. Node selector terms are ORed,
 * their expressions ANDed (In, NotIn, Exists, DoesNotExist, Gt, Lt; matchFields metadata.name).
 */
import type { KubeObject } from '../../api/types.js';
import { defaultNormalize, unresolvable, type Plugin } from '../framework.js';
import type { NodeInfo } from '../node-info.js';

export interface NodeSelectorRequirement { key: string; operator: string; values?: string[] }
export interface NodeSelectorTerm { matchExpressions?: NodeSelectorRequirement[]; matchFields?: NodeSelectorRequirement[] }

export const ERR_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";

function reqMatches(r: NodeSelectorRequirement, value: string | undefined): boolean {
  const vals = r.values ?? [];
  switch (r.operator) {
    case 'In': return value !== undefined && vals.includes(value);
    case 'NotIn': return value === undefined || !vals.includes(value);
    case 'Exists': return value !== undefined;
    case 'DoesNotExist': return value === undefined;
    case 'Gt': return value !== undefined && /^-?\d+$/.test(value) && Number(value) > Number(vals[0]);
    case 'Lt': return value !== undefined && /^-?\d+$/.test(value) && Number(value) < Number(vals[0]);
    default: return false;
  }
}

export function termMatches(t: NodeSelectorTerm, labels: Record<string, string>, nodeName: string): boolean {
  const exprs = t.matchExpressions ?? [];
  const fields = t.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  return exprs.every((r) => reqMatches(r, labels[r.key])) && fields.every((r) => r.key === 'metadata.name' && reqMatches(r, nodeName));
}

interface Affinity {
  requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] };
  preferredDuringSchedulingIgnoredDuringExecution?: Array<{ weight: number; preference: NodeSelectorTerm }>;
}

function nodeAffinity(pod: KubeObject): Affinity | undefined {
  return ((pod.spec as { affinity?: { nodeAffinity?: Affinity } } | undefined)?.affinity?.nodeAffinity);
}

/** True if the node satisfies the pod's nodeSelector and required node affinity. */
export function podMatchesNode(pod: KubeObject, node: NodeInfo): boolean {
  const sel = (pod.spec as { nodeSelector?: Record<string, string> } | undefined)?.nodeSelector;
  const labels = node.labels;
  if (sel) for (const [k, v] of Object.entries(sel)) if (labels[k] !== v) return false;
  const terms = nodeAffinity(pod)?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms && !terms.some((t) => termMatches(t, labels, node.name))) return false;
  return true;
}

export const nodeAffinityPlugin: Plugin = {
  name: 'NodeAffinity',
  weight: 2,
  filter: (s, node) => (podMatchesNode(s.pod, node) ? undefined : unresolvable(ERR_NODE_AFFINITY)),
  score(s, node) {
    let total = 0;
    for (const p of nodeAffinity(s.pod)?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
      if (termMatches(p.preference, node.labels, node.name)) total += p.weight;
    }
    return total;
  },
  normalize: (_s, scores) => defaultNormalize(scores, false),
};
