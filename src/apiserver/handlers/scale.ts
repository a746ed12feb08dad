/**
 * The scale subresource (autoscaling/v1 Scale) of workloads: a view of spec.replicas,
 * status.replicas and the label selector (pkg/registry/apps/deployment/storage ScaleREST).
 */
import type { KubeObject } from '../../api/types.js';
import { labelSelectorFromMeta, type MetaLabelSelector } from '../../apimachinery/labels.js';
import type { ScalePaths } from '../../registry/strategy.js';

type Obj = Record<string, unknown>;

export function scaleOf(obj: KubeObject, paths?: ScalePaths): KubeObject {
  if (paths) return customScaleOf(obj, paths);
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
export function applyScale(obj: KubeObject, scale: KubeObject, paths?: ScalePaths): KubeObject {
  const replicas = ((scale.spec ?? {}) as Obj).replicas;
  if (paths) setPath(obj, paths.specReplicasPath, typeof replicas === 'number' ? replicas : 0);
  else obj.spec = { ...((obj.spec ?? {}) as Obj), replicas: typeof replicas === 'number' ? replicas : 0 };
  const rv = scale.metadata?.resourceVersion;
  if (rv) obj.metadata.resourceVersion = rv;
  else delete obj.metadata.resourceVersion;
  return obj;
}

function pathParts(path: string): string[] {
  return path.replace(/^\./, '').split('.');
}

function getPath(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const p of pathParts(path)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Obj)[p];
  }
  return cur;
}

function setPath(obj: KubeObject, path: string, value: unknown): void {
  const parts = pathParts(path);
  let cur = obj as Obj;
  for (const p of parts.slice(0, -1)) {
    if (cur[p] === null || typeof cur[p] !== 'object') cur[p] = {};
    cur = cur[p] as Obj;
  }
  cur[parts[parts.length - 1]] = value;
}

/** Custom resources (apiextensions-apiserver customresource ScaleREST): replicas at the CRD's paths, 0 when absent. */
function customScaleOf(obj: KubeObject, paths: ScalePaths): KubeObject {
  const m = obj.metadata;
  const spec = getPath(obj, paths.specReplicasPath);
  const status = getPath(obj, paths.statusReplicasPath);
  const scaleStatus: Obj = { replicas: typeof status === 'number' ? status : 0 };
  const selector = paths.labelSelectorPath ? getPath(obj, paths.labelSelectorPath) : undefined;
  if (typeof selector === 'string' && selector) scaleStatus.selector = selector;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
    },
    spec: { replicas: typeof spec === 'number' ? spec : 0 },
    status: scaleStatus,
  };
}
