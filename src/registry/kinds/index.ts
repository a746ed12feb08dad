/**
 * Which strategy rules each built-in resource: kinds with rules of their own, and a table of the
 * generic facts (generation tracking, name validation) the others differ in.
 *
 * The kinds' field validation (registry/validation, ~180 KB of modules) is imported on the first
 * create or update (Strategy.load, awaited by the generic store), not at start-up: a restart
 * reads its objects and serves /readyz without writing anything.
 */
import { nameIsPathSegment } from '../../apimachinery/validation/names.js';
import type { ResourceSpec } from '../../api/resources.js';
import type { Strategy } from '../strategy.js';
import type { FieldError } from '../../apimachinery/errors.js';
import type { KindValidators } from '../validation/index.js';
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
  return withValidators(base, spec.group, spec.resource);
}

let validation: typeof import('../validation/index.js') | undefined;
let loadingValidation: Promise<void> | undefined;

/** Imports registry/validation once (a failed import is retried by the next write). */
function loadValidation(): Promise<void> {
  if (validation) return Promise.resolve();
  return (loadingValidation ??= import('../validation/index.js').then(
    (m) => { validation = m; },
    (e: unknown) => { loadingValidation = undefined; throw e; },
  ));
}

/** The kind's field validation runs after the strategy's own rules (both report, neither mutates). */
function withValidators(base: Strategy, group: string, resource: string): Strategy {
  let v: KindValidators | undefined;
  const validators = (): KindValidators => {
    if (v) return v;
    if (!validation) throw new Error(`field validation of ${resource}.${group} used before Strategy.load()`);
    return (v = validation.validatorsFor(group, resource));
  };
  const both = <A extends unknown[]>(a: (...x: A) => FieldError[], pick: (k: KindValidators) => ((...x: A) => FieldError[]) | undefined) =>
    (...x: A): FieldError[] => {
      const b = pick(validators());
      return b ? [...a(...x), ...b(...x)] : a(...x);
    };
  return {
    ...base,
    load: base.load ? async () => { await Promise.all([base.load?.(), loadValidation()]); } : loadValidation,
    validate: both(base.validate, (k) => k.validate),
    validateUpdate: both(base.validateUpdate, (k) => k.validateUpdate),
    validateStatusUpdate: both(base.validateStatusUpdate, (k) => k.validateStatusUpdate),
    warnings: (o, old) => {
      const w = validators().warnings;
      return w ? [...base.warnings(o, old), ...w(o, old)] : base.warnings(o, old);
    },
  };
}
