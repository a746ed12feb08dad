/**
 * Defaulting of built-in kinds, as kube-apiserver applies it when it decodes a request body
 * (the generated SetObjectDefaults_* of pkg/apis/<group>/<version>/zz_generated.defaults.go,
 * which call the hand-written SetDefaults_* of defaults.go and the `+default=` markers of
 * k8s.io/api types, walking nested types). Called by the registry on every object entering
 * through create, update and patch, in the served version, before conversion to the storage
 * version. Feature gates are taken at their kube-apiserver 1.32 defaults.
 *
 * Contract: applyDefaults mutates obj, only ever fills unset fields (so applying it twice gives
 * the same object), and leaves unknown apiVersion/kind pairs (CRs, kinds without defaults such
 * as ConfigMap, Lease, PodDisruptionBudget, Ingress) alone.
 */
import type { KubeObject } from '../../api/types.js';
import { defaultMutatingWebhookConfiguration, defaultValidatingAdmissionPolicy, defaultValidatingAdmissionPolicyBinding, defaultValidatingWebhookConfiguration } from './admission.js';
import { defaultAPIService, defaultCRD } from './apiextensions.js';
import { defaultDaemonSet, defaultDeployment, defaultReplicaSet, defaultStatefulSet } from './apps.js';
import { defaultHPAv1, defaultHPAv2 } from './autoscaling.js';
import { defaultCronJob, defaultJob } from './batch.js';
import {
  defaultEndpoints, defaultLimitRange, defaultNamespace, defaultNode, defaultPersistentVolume, defaultPersistentVolumeClaim,
  defaultPod, defaultPodTemplate, defaultReplicationController, defaultResourceQuota, defaultSecret, defaultService,
} from './core.js';
import { defaultFlowSchema, defaultPriorityLevelConfiguration } from './flowcontrol.js';
import { defaultEndpointSlice, defaultIngressClass, defaultNetworkPolicy } from './network.js';
import { defaultRoleBinding } from './rbac.js';
import { defaultCSIDriver, defaultPriorityClass, defaultStorageClass, defaultVolumeAttachment } from './storage.js';
import type { Obj } from './util.js';

type Defaulter = (obj: Obj) => void;

/** SetObjectDefaults_* per `apiVersion/kind` served by a default 1.32 kube-apiserver. */
const DEFAULTERS: Record<string, Defaulter> = {
  'v1/Pod': defaultPod,
  'v1/PodTemplate': defaultPodTemplate,
  'v1/ReplicationController': defaultReplicationController,
  'v1/Service': defaultService,
  'v1/Secret': defaultSecret,
  'v1/PersistentVolume': defaultPersistentVolume,
  'v1/PersistentVolumeClaim': defaultPersistentVolumeClaim,
  'v1/Endpoints': defaultEndpoints,
  'v1/Namespace': defaultNamespace,
  'v1/Node': defaultNode,
  'v1/LimitRange': defaultLimitRange,
  'v1/ResourceQuota': defaultResourceQuota,
  'apps/v1/Deployment': defaultDeployment,
  'apps/v1/ReplicaSet': defaultReplicaSet,
  'apps/v1/StatefulSet': defaultStatefulSet,
  'apps/v1/DaemonSet': defaultDaemonSet,
  'batch/v1/Job': defaultJob,
  'batch/v1/CronJob': defaultCronJob,
  'autoscaling/v1/HorizontalPodAutoscaler': defaultHPAv1,
  'autoscaling/v2/HorizontalPodAutoscaler': defaultHPAv2,
  'networking.k8s.io/v1/NetworkPolicy': defaultNetworkPolicy,
  'networking.k8s.io/v1/IngressClass': defaultIngressClass,
  'discovery.k8s.io/v1/EndpointSlice': defaultEndpointSlice,
  'rbac.authorization.k8s.io/v1/RoleBinding': defaultRoleBinding,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': defaultRoleBinding,
  'storage.k8s.io/v1/StorageClass': defaultStorageClass,
  'storage.k8s.io/v1/CSIDriver': defaultCSIDriver,
  'storage.k8s.io/v1/VolumeAttachment': defaultVolumeAttachment,
  'scheduling.k8s.io/v1/PriorityClass': defaultPriorityClass,
  'admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration': defaultValidatingWebhookConfiguration,
  'admissionregistration.k8s.io/v1/MutatingWebhookConfiguration': defaultMutatingWebhookConfiguration,
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy': defaultValidatingAdmissionPolicy,
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding': defaultValidatingAdmissionPolicyBinding,
  'apiextensions.k8s.io/v1/CustomResourceDefinition': defaultCRD,
  'apiregistration.k8s.io/v1/APIService': defaultAPIService,
  'flowcontrol.apiserver.k8s.io/v1/FlowSchema': defaultFlowSchema,
  'flowcontrol.apiserver.k8s.io/v1/PriorityLevelConfiguration': defaultPriorityLevelConfiguration,
};

/** The `apiVersion/kind` pairs that have defaults (for tests and documentation). */
export const DEFAULTED_KINDS: readonly string[] = Object.keys(DEFAULTERS);

/** Mutates `obj` (apiVersion/kind select the rules). Unknown kinds are left alone. */
export function applyDefaults(obj: KubeObject): void {
  const fn = DEFAULTERS[`${obj.apiVersion ?? ''}/${obj.kind ?? ''}`];
  if (fn) fn(obj as Obj);
}
