/**
 * Which strategy rules each built-in resource: kinds with rules of their own, and a table of the
 * generic facts (generation tracking, name validation) the others differ in.
 */
import { nameIsPathSegment } from '../../apimachinery/validation/names.js';
import type { ResourceSpec } from '../../api/resources.js';
import type { Strategy } from '../strategy.js';
import type { FieldError } from '../../apimachinery/errors.js';
import { validatorsFor, type KindValidators } from '../validation/index.js';
import { crdStrategy } from '../crd/crd-strategy.js';
import { jobStrategy } from './batch.js';
import { configMapStrategy, namespaceStrategy, nodeStrategy, plainStrategy, podStrategy, secretStrategy, serviceStrategy } from './core.js';

const SPECIFIC: Record<string, () => Strategy> = {
  '/namespaces': namespaceStrategy,
  '/pods': podStrategy,
  '/configmaps': configMapStrategy,
  '/secrets': secretStrategy,
  '/services': serviceStrategy,
  '/nodes': nodeStrategy,
  'apiextensions.k8s.io/customresourcedefinitions': crdStrategy,
  'batch/jobs': jobStrategy,
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
  const hasStatus = spec.subresources.some((s) => s.name === 'status');
  const validateName = PATH_SEGMENT_NAMES.has(spec.group) ? nameIsPathSegment : undefined;
  const base = specific ? specific() : plainStrategy(hasStatus, validateName, TRACKS_GENERATION.has(key));
  return withValidators(base, validatorsFor(spec.group, spec.resource));
}

/** The kind's field validation runs after the strategy's own rules (both report, neither mutates). */
function withValidators(base: Strategy, v: KindValidators): Strategy {
  const both = <A extends unknown[]>(a: (...x: A) => FieldError[], b?: (...x: A) => FieldError[]) => (b ? (...x: A) => [...a(...x), ...b(...x)] : a);
  return {
    ...base,
    validate: both(base.validate, v.validate),
    validateUpdate: both(base.validateUpdate, v.validateUpdate),
    validateStatusUpdate: both(base.validateStatusUpdate, v.validateStatusUpdate),
    warnings: v.warnings ? (o, old) => [...base.warnings(o, old), ...(v.warnings as Strategy['warnings'])(o, old)] : base.warnings,
  };
}
