/**
 * The scale subresource (autoscaling/v1 Scale) of workloads: a view of spec.replicas,
 * status.replicas and the label selector (pkg/registry/apps/deployment/storage ScaleREST).
 */
import type { KubeObject } from '../../api/types.js';
import { labelSelectorFromMeta, type MetaLabelSelector } from '../../apimachinery/labels.js';

type Obj = Record<string, unknown>;

export function scaleOf(obj: KubeObject): KubeObject {
  const spec = (obj.spec ?? {}) as Obj;
  const status = (obj.status ?? {}) as Obj;
  const m = obj.metadata;
  let selector = '';
  try {
    selector = spec.selector ? labelSelectorFromMeta(spec.selector as MetaLabelSelector).toString() : '';
  } catch {
    selector = '';
  }
  const sel = (spec.selector ?? {}) as Obj;
  // ReplicationControllers have a plain map selector.
  if (!sel.matchLabels && !sel.matchExpressions && spec.selector && typeof spec.selector === 'object') {
    selector = Object.entries(sel).map(([k, v]) => `${k}=${v}`).sort().join(',');
  }
  const scaleStatus: Obj = { replicas: typeof status.replicas === 'number' ? status.replicas : 0 };
  if (selector) scaleStatus.selector = selector;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
    },
    spec: { replicas: typeof spec.replicas === 'number' ? spec.replicas : 1 },
    status: scaleStatus,
  };
}

/** Applies a Scale's spec.replicas to its object; a Scale resourceVersion is a precondition on the object. */
export function applyScale(obj: KubeObject, scale: KubeObject): KubeObject {
  const replicas = ((scale.spec ?? {}) as Obj).replicas;
  obj.spec = { ...((obj.spec ?? {}) as Obj), replicas: typeof replicas === 'number' ? replicas : 0 };
  const rv = scale.metadata?.resourceVersion;
  if (rv) obj.metadata.resourceVersion = rv;
  else delete obj.metadata.resourceVersion;
  return obj;
}
