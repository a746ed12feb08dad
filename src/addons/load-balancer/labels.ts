/**
 * Label matching the controller needs: equality maps (Service selectors, nodeSelector
 * matchLabels) and metav1.LabelSelector with matchExpressions (TargetGroupBinding.nodeSelector,
 * IngressClassParams.namespaceSelector), as k8s.io/apimachinery/pkg/apis/meta/v1/helpers.go.
 */

export function matchLabels(want: Record<string, string>, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(want)) if (labels[k] !== v) return false;
  return true;
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }>;
}

/** An empty selector matches everything (LabelSelectorAsSelector). */
export function matchSelector(sel: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!sel) return true;
  if (sel.matchLabels && !matchLabels(sel.matchLabels, labels)) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = e.key in labels;
    const inValues = has && (e.values ?? []).includes(labels[e.key]);
    if (e.operator === 'In' && !inValues) return false;
    if (e.operator === 'NotIn' && inValues) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}
