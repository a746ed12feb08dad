/**
 * apps/v1 validation, as pkg/apis/apps/validation/validation.go (1.32): Deployment,
 * ReplicaSet, StatefulSet and DaemonSet specs, their pod templates, and the update rules
 * (immutable selectors in apps/v1, StatefulSet's forbidden spec changes).
 */
import type { KubeObject } from '../../api/types.js';
import { field, type FieldError } from '../../apimachinery/errors.js';
import { validateLabelSelector } from '../../apimachinery/validation/objectmeta.js';
import { validatePodTemplateSpec } from './pod.js';
import {
  asObj, goLabelSelector, goScalar, goStringMap, immutableField, intOrPercentValue, invalidGo, isSet, nonNegative,
  notMoreThan100Percent, positiveIntOrPercent, selectorIsEmpty, selectorMatches, semanticEqual, type Obj,
} from './helpers.js';

type Sel = Parameters<typeof validateLabelSelector>[0];

/** Selector presence, syntax and non-emptiness (`empty selector is invalid for <what>`). */
function validateSelector(spec: Obj, what: string, required: boolean): FieldError[] {
  if (!isSet(spec.selector)) return required ? [field.required('spec.selector', '')] : [];
  const errs = validateLabelSelector(spec.selector as Sel, 'spec.selector');
  if (selectorIsEmpty(spec.selector)) errs.push(invalidGo('spec.selector', goLabelSelector(spec.selector), `empty selector is invalid for ${what}`));
  return errs;
}

function templateLabels(spec: Obj): unknown {
  return asObj(asObj(spec.template).metadata).labels;
}

function selectorMismatch(spec: Obj): FieldError[] {
  const labels = templateLabels(spec);
  return [invalidGo('spec.template.metadata.labels', goStringMap(labels), '`selector` does not match template `labels`')];
}

/** ValidatePodTemplateSpecForReplicaSet (Deployment and ReplicaSet templates). */
function templateForReplicaSet(spec: Obj, kind: string): FieldError[] {
  const errs: FieldError[] = [];
  const sel = spec.selector;
  // A nil selector selects nothing (never empty), so a missing selector also mismatches.
  if (!(isSet(sel) && selectorIsEmpty(sel)) && !selectorMatches(sel, templateLabels(spec))) errs.push(...selectorMismatch(spec));
  errs.push(...validatePodTemplateSpec(spec.template, 'spec.template'));
  const podSpec = asObj(asObj(spec.template).spec);
  if (isSet(podSpec.restartPolicy) && podSpec.restartPolicy !== 'Always') errs.push(field.notSupported('spec.template.spec.restartPolicy', podSpec.restartPolicy, ['Always']));
  if (isSet(podSpec.activeDeadlineSeconds)) errs.push(field.invalid('spec.template.spec.activeDeadlineSeconds', podSpec.activeDeadlineSeconds, `activeDeadlineSeconds in ${kind} is not Supported`));
  return errs;
}

function goDeploymentStrategy(s: Obj): string {
  const ru = isSet(s.rollingUpdate) ? '&apps.RollingUpdateDeployment{…}' : '(*apps.RollingUpdateDeployment)(nil)';
  return `apps.DeploymentStrategy{Type:${goScalar(s.type ?? '')}, RollingUpdate:${ru}}`;
}

/** ValidateDeploymentStrategy + ValidateRollingUpdateDeployment. */
function validateDeploymentStrategy(strategyIn: unknown): FieldError[] {
  if (!isSet(strategyIn)) return [];
  const s = asObj(strategyIn);
  const path = 'spec.strategy';
  const errs: FieldError[] = [];
  switch (s.type) {
    case 'Recreate':
      if (isSet(s.rollingUpdate)) errs.push(field.forbidden(`${path}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'"));
      break;
    case 'RollingUpdate': case undefined: {
      if (!isSet(s.rollingUpdate)) break;
      const ru = asObj(s.rollingUpdate);
      const p = `${path}.rollingUpdate`;
      errs.push(...positiveIntOrPercent(ru.maxUnavailable, `${p}.maxUnavailable`));
      errs.push(...positiveIntOrPercent(ru.maxSurge, `${p}.maxSurge`));
      if (isSet(ru.maxUnavailable) && isSet(ru.maxSurge) && intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
        errs.push(invalidGo(`${p}.maxUnavailable`, typeof ru.maxUnavailable === 'string' ? `intstr.IntOrString{Type:1, IntVal:0, StrVal:${JSON.stringify(ru.maxUnavailable)}}` : 'intstr.IntOrString{Type:0, IntVal:0, StrVal:""}', 'may not be 0 when `maxSurge` is 0'));
      }
      errs.push(...notMoreThan100Percent(ru.maxUnavailable, `${p}.maxUnavailable`));
      break;
    }
    default:
      errs.push({ type: 'FieldValueNotSupported', field: path, detail: `${goDeploymentStrategy(s)}: supported values: "Recreate", "RollingUpdate"` });
  }
  return errs;
}

/** ValidateDeploymentSpec. */
export function validateDeployment(obj: KubeObject): FieldError[] {
  const spec = asObj(obj.spec);
  const errs: FieldError[] = [...nonNegative(spec.replicas, 'spec.replicas')];
  errs.push(...validateSelector(spec, 'deployment', true));
  errs.push(...templateForReplicaSet(spec, 'ReplicaSet'));
  errs.push(...validateDeploymentStrategy(spec.strategy));
  errs.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  if (typeof spec.progressDeadlineSeconds === 'number') {
    errs.push(...nonNegative(spec.progressDeadlineSeconds, 'spec.progressDeadlineSeconds'));
    const minReady = typeof spec.minReadySeconds === 'number' ? spec.minReadySeconds : 0;
    if (spec.progressDeadlineSeconds <= minReady) errs.push(field.invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
  }
  return errs;
}

/** apps/v1 update: the selector may not change (ValidateImmutableField). */
function immutableSelector(obj: KubeObject, old: KubeObject): FieldError[] {
  return immutableField(asObj(obj.spec).selector, asObj(old.spec).selector, 'spec.selector', goLabelSelector);
}

export function validateDeploymentUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  return [...validateDeployment(obj), ...immutableSelector(obj, old)];
}

/** ValidateReplicaSetSpec (upstream reuses the deployment wording for an empty selector). */
export function validateReplicaSet(obj: KubeObject): FieldError[] {
  const spec = asObj(obj.spec);
  const errs: FieldError[] = [...nonNegative(spec.replicas, 'spec.replicas'), ...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds')];
  errs.push(...validateSelector(spec, 'deployment', true));
  errs.push(...templateForReplicaSet(spec, 'ReplicaSet'));
  return errs;
}

export function validateReplicaSetUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  return [...validateReplicaSet(obj), ...immutableSelector(obj, old)];
}

/** ValidateDaemonSetSpec. */
export function validateDaemonSet(obj: KubeObject): FieldError[] {
  const spec = asObj(obj.spec);
  const errs: FieldError[] = [];
  if (isSet(spec.selector)) errs.push(...validateLabelSelector(spec.selector as Sel, 'spec.selector'));
  if (!selectorMatches(spec.selector, templateLabels(spec)) && !(isSet(spec.selector) && selectorIsEmpty(spec.selector))) errs.push(...selectorMismatch(spec));
  if (isSet(spec.selector) && selectorIsEmpty(spec.selector)) errs.push(invalidGo('spec.selector', goLabelSelector(spec.selector), 'empty selector is invalid for daemonset'));
  errs.push(...validatePodTemplateSpec(spec.template, 'spec.template'));
  const podSpec = asObj(asObj(spec.template).spec);
  if (isSet(podSpec.restartPolicy) && podSpec.restartPolicy !== 'Always') errs.push(field.notSupported('spec.template.spec.restartPolicy', podSpec.restartPolicy, ['Always']));
  if (isSet(podSpec.activeDeadlineSeconds)) errs.push(field.invalid('spec.template.spec.activeDeadlineSeconds', podSpec.activeDeadlineSeconds, 'activeDeadlineSeconds in DaemonSet is not Supported'));
  errs.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  const us = asObj(spec.updateStrategy);
  if (isSet(spec.updateStrategy)) {
    if (us.type !== undefined && us.type !== 'RollingUpdate' && us.type !== 'OnDelete') errs.push(field.notSupported('spec.updateStrategy.type', us.type, ['OnDelete', 'RollingUpdate']));
    if (us.type === 'RollingUpdate' && isSet(us.rollingUpdate)) {
      const ru = asObj(us.rollingUpdate);
      const p = 'spec.updateStrategy.rollingUpdate';
      errs.push(...positiveIntOrPercent(ru.maxUnavailable, `${p}.maxUnavailable`));
      errs.push(...positiveIntOrPercent(ru.maxSurge, `${p}.maxSurge`));
      if (isSet(ru.maxUnavailable) && intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
        errs.push(invalidGo(`${p}.maxUnavailable`, goScalar(ru.maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
      }
      errs.push(...notMoreThan100Percent(ru.maxUnavailable, `${p}.maxUnavailable`));
    }
  }
  return errs;
}

export function validateDaemonSetUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  return [...validateDaemonSet(obj), ...immutableSelector(obj, old)];
}

/** ValidateStatefulSetSpec. */
export function validateStatefulSet(obj: KubeObject): FieldError[] {
  const spec = asObj(obj.spec);
  const errs: FieldError[] = [];
  const pmp = spec.podManagementPolicy;
  if (pmp === '') errs.push(field.required('spec.podManagementPolicy', ''));
  else if (isSet(pmp) && pmp !== 'OrderedReady' && pmp !== 'Parallel') errs.push(field.invalid('spec.podManagementPolicy', pmp, "must be 'OrderedReady' or 'Parallel'"));
  const us = asObj(spec.updateStrategy);
  if (isSet(spec.updateStrategy)) {
    switch (us.type) {
      case '': errs.push(field.required('spec.updateStrategy', '')); break;
      case 'OnDelete':
        if (isSet(us.rollingUpdate)) errs.push(invalidGo('spec.updateStrategy.rollingUpdate', '&apps.RollingUpdateStatefulSetStrategy{…}', "only allowed for updateStrategy 'RollingUpdate'"));
        break;
      case 'RollingUpdate': case undefined: {
        const ru = asObj(us.rollingUpdate);
        errs.push(...nonNegative(ru.partition, 'spec.updateStrategy.rollingUpdate.partition'));
        if (isSet(ru.maxUnavailable)) errs.push(...positiveIntOrPercent(ru.maxUnavailable, 'spec.updateStrategy.rollingUpdate.maxUnavailable'));
        break;
      }
      default:
        errs.push(invalidGo('spec.updateStrategy', `apps.StatefulSetUpdateStrategy{Type:${goScalar(us.type)}, RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}`, "must be 'RollingUpdate' or 'OnDelete'"));
    }
  }
  errs.push(...nonNegative(spec.replicas, 'spec.replicas'));
  errs.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  if (isSet(spec.ordinals)) errs.push(...nonNegative(asObj(spec.ordinals).start, 'spec.ordinals.start'));
  errs.push(...validateSelector(spec, 'statefulset', true));
  if (isSet(spec.selector) && !selectorIsEmpty(spec.selector) && !selectorMatches(spec.selector, templateLabels(spec))) errs.push(...selectorMismatch(spec));
  errs.push(...validatePodTemplateSpec(spec.template, 'spec.template'));
  const podSpec = asObj(asObj(spec.template).spec);
  if (isSet(podSpec.restartPolicy) && podSpec.restartPolicy !== 'Always') errs.push(field.notSupported('spec.template.spec.restartPolicy', podSpec.restartPolicy, ['Always']));
  if (isSet(podSpec.activeDeadlineSeconds)) errs.push(field.forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in StatefulSet is not Supported'));
  return errs;
}

const STATEFULSET_MUTABLE = ['replicas', 'template', 'updateStrategy', 'minReadySeconds', 'ordinals', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy'];

/** ValidateStatefulSetUpdate: only the fields in the message may change. */
export function validateStatefulSetUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateStatefulSet(obj);
  const spec = { ...asObj(obj.spec) };
  const oldSpec = asObj(old.spec);
  for (const k of STATEFULSET_MUTABLE) spec[k] = oldSpec[k];
  if (!semanticEqual(spec, oldSpec)) {
    errs.push(field.forbidden('spec', "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
  }
  return errs;
}
