/**
 * Per-kind validation of built-in kinds (pkg/apis/<group>/validation), merged into each kind's
 * strategy by registry/kinds. Returns only the hooks a kind defines. ObjectMeta validation and
 * the strategies' own rules (e.g. ConfigMap keys) run before these.
 */
import type { KubeObject } from '../../api/types.js';
import type { Strategy } from '../strategy.js';
import { validateDaemonSet, validateDaemonSetUpdate, validateDeployment, validateDeploymentUpdate, validateReplicaSet, validateReplicaSetUpdate, validateStatefulSet, validateStatefulSetUpdate } from './apps.js';
import { validateCronJob, validateCronJobUpdate, validateJob, validateJobUpdate } from './batch.js';
import { validateConfigMapSize, validateLimitRange, validateNode, validatePVC, validatePVCUpdate, validateResourceQuota, validateSecret } from './core-misc.js';
import { asObj } from './helpers.js';
import {
  validateBinding, validateBindingUpdate, validateHPA, validateIngress, validateLease, validateNamespace, validatePDB, validatePriorityClass,
  validatePriorityClassUpdate, validateRole, validateStorageClass, validateStorageClassUpdate,
} from './others.js';
import { podWarnings, validatePod, validatePodUpdate } from './pods.js';
import { validatePodTemplateSpec } from './pod.js';
import { validateService, validateServiceUpdate } from './service.js';
import { validateEndpointSlice, validateEndpointSliceUpdate } from './endpoint-slice.js';
import { validateNetworkPolicy, validateNetworkPolicyUpdate } from './network-policy.js';
import {
  validateMutatingWebhookConfiguration, validateMutatingWebhookConfigurationUpdate, validateValidatingWebhookConfiguration,
  validateValidatingWebhookConfigurationUpdate,
} from './webhooks.js';

export type KindValidators = Partial<Pick<Strategy, 'validate' | 'validateUpdate' | 'validateStatusUpdate' | 'warnings'>>;

/** Pod-template warnings of a workload whose template sits at `path` (dotted, from the object root). */
function templateWarnings(path: string): Strategy['warnings'] {
  return (obj: KubeObject) => {
    let t: unknown = obj;
    for (const k of path.split('.')) t = asObj(t)[k];
    const tpl = asObj(t);
    return podWarnings(asObj(tpl.metadata), tpl.spec, path);
  };
}

/** Same rules on create and update (upstream ValidateXUpdate re-validating the new object). */
const same = (v: (o: KubeObject) => ReturnType<Strategy['validate']>): KindValidators => ({ validate: v, validateUpdate: (o) => v(o) });

const VALIDATORS: Record<string, () => KindValidators> = {
  '/pods': () => ({ validate: validatePod, validateUpdate: validatePodUpdate, warnings: (o) => podWarnings(asObj(o.metadata), o.spec, '') }),
  '/podtemplates': () => ({
    ...same((o) => validatePodTemplateSpec(o.template, 'template')),
    warnings: (o) => podWarnings(asObj(asObj(o.template).metadata), asObj(o.template).spec, 'template'),
  }),
  '/replicationcontrollers': () => ({ ...same((o) => validatePodTemplateSpec(asObj(o.spec).template, 'spec.template')), warnings: templateWarnings('spec.template') }),
  '/services': () => ({ validate: validateService, validateUpdate: validateServiceUpdate }),
  '/configmaps': () => same(validateConfigMapSize),
  '/secrets': () => same(validateSecret),
  '/persistentvolumeclaims': () => ({ validate: validatePVC, validateUpdate: validatePVCUpdate }),
  '/namespaces': () => ({ validate: validateNamespace }),
  '/nodes': () => same(validateNode),
  '/limitranges': () => same(validateLimitRange),
  '/resourcequotas': () => same(validateResourceQuota),
  'apps/deployments': () => ({ validate: validateDeployment, validateUpdate: validateDeploymentUpdate, warnings: templateWarnings('spec.template') }),
  'apps/replicasets': () => ({ validate: validateReplicaSet, validateUpdate: validateReplicaSetUpdate, warnings: templateWarnings('spec.template') }),
  'apps/statefulsets': () => ({ validate: validateStatefulSet, validateUpdate: validateStatefulSetUpdate, warnings: templateWarnings('spec.template') }),
  'apps/daemonsets': () => ({ validate: validateDaemonSet, validateUpdate: validateDaemonSetUpdate, warnings: templateWarnings('spec.template') }),
  'batch/jobs': () => ({ validate: validateJob, validateUpdate: validateJobUpdate, warnings: templateWarnings('spec.template') }),
  'batch/cronjobs': () => ({ validate: validateCronJob, validateUpdate: validateCronJobUpdate, warnings: templateWarnings('spec.jobTemplate.spec.template') }),
  'rbac.authorization.k8s.io/roles': () => same(validateRole(true)),
  'rbac.authorization.k8s.io/clusterroles': () => same(validateRole(false)),
  'rbac.authorization.k8s.io/rolebindings': () => ({ validate: validateBinding(true), validateUpdate: validateBindingUpdate(true) }),
  'rbac.authorization.k8s.io/clusterrolebindings': () => ({ validate: validateBinding(false), validateUpdate: validateBindingUpdate(false) }),
  'networking.k8s.io/ingresses': () => same(validateIngress),
  'networking.k8s.io/networkpolicies': () => ({ validate: validateNetworkPolicy, validateUpdate: validateNetworkPolicyUpdate }),
  'discovery.k8s.io/endpointslices': () => ({ validate: validateEndpointSlice, validateUpdate: validateEndpointSliceUpdate }),
  'admissionregistration.k8s.io/validatingwebhookconfigurations': () => ({
    validate: validateValidatingWebhookConfiguration, validateUpdate: validateValidatingWebhookConfigurationUpdate,
  }),
  'admissionregistration.k8s.io/mutatingwebhookconfigurations': () => ({
    validate: validateMutatingWebhookConfiguration, validateUpdate: validateMutatingWebhookConfigurationUpdate,
  }),
  'autoscaling/horizontalpodautoscalers': () => same(validateHPA),
  'policy/poddisruptionbudgets': () => same(validatePDB),
  'scheduling.k8s.io/priorityclasses': () => ({ validate: validatePriorityClass, validateUpdate: validatePriorityClassUpdate }),
  'storage.k8s.io/storageclasses': () => ({ validate: validateStorageClass, validateUpdate: validateStorageClassUpdate }),
  'coordination.k8s.io/leases': () => same(validateLease),
};

export function validatorsFor(group: string, resource: string): KindValidators {
  const f = VALIDATORS[`${group}/${resource}`];
  return f ? f() : {};
}

/** The group/resources that have validators here (for tests and docs). */
export const VALIDATED_RESOURCES: readonly string[] = Object.keys(VALIDATORS);
