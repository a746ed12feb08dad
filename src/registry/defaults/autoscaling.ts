/**
 * HorizontalPodAutoscaler defaults: autoscaling/v1 (minReplicas 1) and autoscaling/v2
 * (pkg/apis/autoscaling/v2/defaults.go: minReplicas 1, a CPU 80% utilization metric when none is
 * given, and fully populated scaling rules when `behavior` is present).
 */
import { defaultNil, isEmptyCollection, isNil, objOf, struct, type Obj } from './util.js';

/** autoscaling.DefaultCPUUtilization. */
const DEFAULT_CPU_UTILIZATION = 80;

function scaleUpRules(): Obj {
  return {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
  };
}

/** Scale-down stabilization is left unset: the controller's --horizontal-pod-autoscaler-downscale-stabilization decides. */
function scaleDownRules(): Obj {
  return { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };
}

/** copyHPAScalingRules: the given rules' non-nil fields over the defaults. */
function mergeRules(given: unknown, defaults: Obj): Obj {
  const from = objOf(given);
  if (!from) return defaults;
  for (const k of ['selectPolicy', 'stabilizationWindowSeconds', 'policies']) if (!isNil(from[k])) defaults[k] = from[k];
  // Keep anything else the client sent (unknown fields are pruned elsewhere).
  for (const [k, v] of Object.entries(from)) if (!(k in defaults)) defaults[k] = v;
  return defaults;
}

export function defaultHPAv2(hpa: Obj): void {
  const spec = struct(hpa, 'spec');
  defaultNil(spec, 'minReplicas', 1);
  if (isEmptyCollection(spec.metrics)) {
    spec.metrics = [{
      type: 'Resource',
      resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } },
    }];
  }
  const behavior = objOf(spec.behavior);
  if (behavior) {
    behavior.scaleUp = mergeRules(behavior.scaleUp, scaleUpRules());
    behavior.scaleDown = mergeRules(behavior.scaleDown, scaleDownRules());
  }
}

export function defaultHPAv1(hpa: Obj): void {
  defaultNil(struct(hpa, 'spec'), 'minReplicas', 1);
}
