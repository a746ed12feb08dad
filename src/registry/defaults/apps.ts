/**
 * apps/v1 defaults (pkg/apis/apps/v1/defaults.go), each followed by the pod-template walk of
 * zz_generated.defaults.go; StatefulSet volumeClaimTemplates also get the PersistentVolumeClaim
 * defaults (hence `status: {phase: Pending}` inside each template). StatefulSetAutoDeletePVC is on
 * in 1.32.
 */
import { defaultPersistentVolumeClaim } from './core.js';
import { defaultPodTemplateSpec } from './pod.js';
import { defaultNil, isEmptyString, isNil, itemsOf, objOf, struct, type Obj } from './util.js';

/** SetDefaults_Deployment: replicas 1, RollingUpdate 25%/25%, revisionHistoryLimit 10, progressDeadlineSeconds 600. */
export function defaultDeployment(d: Obj): void {
  const spec = struct(d, 'spec');
  defaultNil(spec, 'replicas', 1);
  const strategy = struct(spec, 'strategy');
  if (isEmptyString(strategy.type)) strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = struct(strategy, 'rollingUpdate');
    defaultNil(ru, 'maxUnavailable', '25%');
    defaultNil(ru, 'maxSurge', '25%');
  }
  defaultNil(spec, 'revisionHistoryLimit', 10);
  defaultNil(spec, 'progressDeadlineSeconds', 600);
  defaultPodTemplateSpec(spec.template);
}

/** SetDefaults_DaemonSet: RollingUpdate maxUnavailable 1, maxSurge 0; revisionHistoryLimit 10. */
export function defaultDaemonSet(ds: Obj): void {
  const spec = struct(ds, 'spec');
  const strategy = struct(spec, 'updateStrategy');
  if (isEmptyString(strategy.type)) strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = struct(strategy, 'rollingUpdate');
    defaultNil(ru, 'maxUnavailable', 1);
    defaultNil(ru, 'maxSurge', 0);
  }
  defaultNil(spec, 'revisionHistoryLimit', 10);
  defaultPodTemplateSpec(spec.template);
}

/**
 * SetDefaults_StatefulSet: OrderedReady; RollingUpdate with partition 0 (a rollingUpdate block is
 * created only when the type itself was defaulted); PVC retention Retain/Retain; replicas 1;
 * revisionHistoryLimit 10.
 */
export function defaultStatefulSet(ss: Obj): void {
  const spec = struct(ss, 'spec');
  if (isEmptyString(spec.podManagementPolicy)) spec.podManagementPolicy = 'OrderedReady';
  const strategy = struct(spec, 'updateStrategy');
  if (isEmptyString(strategy.type)) {
    strategy.type = 'RollingUpdate';
    defaultNil(strategy, 'rollingUpdate', {});
  }
  const ru = objOf(strategy.rollingUpdate);
  if (strategy.type === 'RollingUpdate' && ru) defaultNil(ru, 'partition', 0);
  const retention = objOf(spec.persistentVolumeClaimRetentionPolicy) ?? {};
  if (isEmptyString(retention.whenDeleted)) retention.whenDeleted = 'Retain';
  if (isEmptyString(retention.whenScaled)) retention.whenScaled = 'Retain';
  spec.persistentVolumeClaimRetentionPolicy = retention;
  defaultNil(spec, 'replicas', 1);
  defaultNil(spec, 'revisionHistoryLimit', 10);
  defaultPodTemplateSpec(spec.template);
  for (const pvc of itemsOf(spec.volumeClaimTemplates)) {
    // apps/v1 conversion writes each template's TypeMeta, and its ObjectMeta is a non-pointer struct.
    if (isNil(pvc.apiVersion)) pvc.apiVersion = 'v1';
    if (isNil(pvc.kind)) pvc.kind = 'PersistentVolumeClaim';
    pvc.metadata = { creationTimestamp: null, ...(objOf(pvc.metadata) ?? {}) };
    defaultPersistentVolumeClaim(pvc);
  }
}

/** SetDefaults_ReplicaSet: replicas 1. */
export function defaultReplicaSet(rs: Obj): void {
  const spec = struct(rs, 'spec');
  defaultNil(spec, 'replicas', 1);
  defaultPodTemplateSpec(spec.template);
}
