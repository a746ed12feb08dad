/**
 * Which strategy rules each built-in resource: kinds with rules of their own, and a table of the
 * generic facts (generation tracking, name validation) the others differ in.
 */
import { nameIsPathSegment } from '../../apimachinery/validation/names.js';
import type { ResourceSpec } from '../../api/resources.js';
import type { Strategy } from '../strategy.js';
import { configMapStrategy, namespaceStrategy, plainStrategy, podStrategy, secretStrategy, serviceStrategy } from './core.js';

const SPECIFIC: Record<string, () => Strategy> = {
  '/namespaces': namespaceStrategy,
  '/pods': podStrategy,
  '/configmaps': configMapStrategy,
  '/secrets': secretStrategy,
  '/services': serviceStrategy,
};

/** Kinds whose strategy sets metadata.generation (upstream PrepareForCreate sets Generation = 1). */
const TRACKS_GENERATION = new Set([
  'apps/deployments', 'apps/replicasets', 'apps/statefulsets', 'apps/daemonsets',
  'batch/jobs', 'batch/cronjobs', 'autoscaling/horizontalpodautoscalers', 'policy/poddisruptionbudgets',
  'networking.k8s.io/ingresses', 'networking.k8s.io/ingressclasses', 'networking.k8s.io/networkpolicies',
  'apiextensions.k8s.io/customresourcedefinitions', 'discovery.k8s.io/endpointslices',
  'admissionregistration.k8s.io/mutatingwebhookconfigurations', 'admissionregistration.k8s.io/validatingwebhookconfigurations',
  'admissionregistration.k8s.io/validatingadmissionpolicies', 'admissionregistration.k8s.io/validatingadmissionpolicybindings',
  '/replicationcontrollers',
]);

/** RBAC objects are named by path segments (ValidateRBACName), not DNS names. */
const PATH_SEGMENT_NAMES = new Set(['rbac.authorization.k8s.io']);

export function strategyFor(spec: ResourceSpec): Strategy {
  const key = `${spec.group}/${spec.resource}`;
  const specific = SPECIFIC[key];
  if (specific) return specific();
  const hasStatus = spec.subresources.some((s) => s.name === 'status');
  const validateName = PATH_SEGMENT_NAMES.has(spec.group) ? nameIsPathSegment : undefined;
  return plainStrategy(hasStatus, validateName, TRACKS_GENERATION.has(key));
}
