/**
 * Defaults of the core/v1 kinds other than Pod (pkg/apis/core/v1/defaults.go and the walk in
 * zz_generated.defaults.go): Service, Secret, PersistentVolume(Claim), Endpoints, Namespace,
 * Node, LimitRange, ReplicationController, PodTemplate. ConfigMap's SetDefaults_ConfigMap makes an
 * empty `data` map that `omitempty` never writes, so it has no visible effect and is not mirrored.
 */
import { defaultPod, defaultPodTemplateSpec } from './pod.js';
import { defaultResourceList } from './resources.js';
import { clone, defaultNil, defaultString, isEmptyCollection, isEmptyString, isNil, itemsOf, objOf, struct, type Obj } from './util.js';
import { defaultPersistentVolumeSource, defaultPVCSpec } from './volumes.js';

/** DefaultClientIPServiceAffinitySeconds: 3 hours. */
const CLIENT_IP_AFFINITY_SECONDS = 10800;

/** pkg/api/v1/service ExternallyAccessible. */
function externallyAccessible(spec: Obj): boolean {
  return spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && !isEmptyCollection(spec.externalIPs));
}

/** intstr zero values: absent, 0 or "". */
function isZeroIntOrString(v: unknown): boolean {
  return v === undefined || v === null || v === 0 || v === '';
}

/**
 * SetDefaults_Service. ipFamilies, ipFamilyPolicy, clusterIP(s) and node ports are allocated by the
 * service REST storage, not defaulted here.
 */
export function defaultService(svc: Obj): void {
  const spec = struct(svc, 'spec');
  defaultString(spec, 'sessionAffinity', 'None');
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP') {
    const timeout = objOf(objOf(objOf(spec.sessionAffinityConfig)?.clientIP))?.timeoutSeconds;
    if (isNil(timeout)) spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: CLIENT_IP_AFFINITY_SECONDS } };
  }
  defaultString(spec, 'type', 'ClusterIP');
  for (const port of itemsOf(spec.ports)) {
    defaultString(port, 'protocol', 'TCP');
    if (isZeroIntOrString(port.targetPort)) port.targetPort = port.port;
  }
  if (externallyAccessible(spec)) defaultString(spec, 'externalTrafficPolicy', 'Cluster');
  if (isNil(spec.internalTrafficPolicy) && (spec.type === 'NodePort' || spec.type === 'LoadBalancer' || spec.type === 'ClusterIP')) {
    spec.internalTrafficPolicy = 'Cluster';
  }
  if (spec.type === 'LoadBalancer') {
    defaultNil(spec, 'allocateLoadBalancerNodePorts', true);
    // LoadBalancerIPMode (beta, on in 1.32): an ingress point with an IP and no ipMode is a VIP.
    for (const ing of itemsOf(objOf(objOf(svc.status)?.loadBalancer)?.ingress)) {
      if (!isEmptyString(ing.ip) && isNil(ing.ipMode)) ing.ipMode = 'VIP';
    }
  }
  // The zz_generated walk repeats ServicePort.Protocol's `+default="TCP"`: already applied above.
}

/** SetDefaults_Secret: type Opaque. */
export function defaultSecret(secret: Obj): void {
  defaultString(secret, 'type', 'Opaque');
}

/** SetObjectDefaults_PersistentVolume. */
export function defaultPersistentVolume(pv: Obj): void {
  const status = objOf(pv.status);
  if (status) defaultString(status, 'phase', 'Pending');
  else pv.status = { phase: 'Pending' };
  const spec = struct(pv, 'spec');
  defaultString(spec, 'persistentVolumeReclaimPolicy', 'Retain');
  defaultNil(spec, 'volumeMode', 'Filesystem');
  defaultResourceList(spec.capacity);
  defaultPersistentVolumeSource(spec);
}

/** SetObjectDefaults_PersistentVolumeClaim (also each StatefulSet volumeClaimTemplate). */
export function defaultPersistentVolumeClaim(pvc: Obj): void {
  const status = objOf(pvc.status);
  if (status) defaultString(status, 'phase', 'Pending');
  else pvc.status = { phase: 'Pending' };
  defaultPVCSpec(struct(pvc, 'spec'));
  const s = objOf(pvc.status);
  defaultResourceList(s?.capacity);
  defaultResourceList(s?.allocatedResources);
}

/** SetDefaults_Endpoints: every subset port's protocol TCP. */
export function defaultEndpoints(ep: Obj): void {
  for (const subset of itemsOf(ep.subsets)) for (const port of itemsOf(subset.ports)) defaultString(port, 'protocol', 'TCP');
}

/** SetDefaults_Namespace (the kubernetes.io/metadata.name label) and SetDefaults_NamespaceStatus (phase Active). */
export function defaultNamespace(ns: Obj): void {
  const meta = objOf(ns.metadata);
  const name = meta?.name;
  if (meta && typeof name === 'string' && name.length > 0) {
    meta.labels = { ...(objOf(meta.labels) ?? {}), 'kubernetes.io/metadata.name': name };
  }
  const status = objOf(ns.status);
  if (status) defaultString(status, 'phase', 'Active');
  else ns.status = { phase: 'Active' };
}

/** SetDefaults_NodeStatus: allocatable copies capacity when only capacity is given. */
export function defaultNode(node: Obj): void {
  const status = objOf(node.status);
  if (!status) return;
  if (isNil(status.allocatable) && !isNil(status.capacity)) status.allocatable = clone(status.capacity);
  defaultResourceList(status.capacity);
  defaultResourceList(status.allocatable);
}

/** SetDefaults_LimitRangeItem for Container items: default ← max, defaultRequest ← default, then ← min. */
export function defaultLimitRange(lr: Obj): void {
  for (const item of itemsOf(objOf(lr.spec)?.limits)) {
    if (item.type !== 'Container') continue;
    const dflt: Obj = { ...(objOf(item.default) ?? {}) };
    const dfltRequest: Obj = { ...(objOf(item.defaultRequest) ?? {}) };
    for (const [k, v] of Object.entries(objOf(item.max) ?? {})) if (!(k in dflt)) dflt[k] = clone(v);
    for (const [k, v] of Object.entries(dflt)) if (!(k in dfltRequest)) dfltRequest[k] = clone(v);
    for (const [k, v] of Object.entries(objOf(item.min) ?? {})) if (!(k in dfltRequest)) dfltRequest[k] = clone(v);
    if (Object.keys(dflt).length > 0) item.default = dflt;
    if (Object.keys(dfltRequest).length > 0) item.defaultRequest = dfltRequest;
  }
  for (const item of itemsOf(objOf(lr.spec)?.limits)) {
    for (const k of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio']) defaultResourceList(item[k]);
  }
}

/** SetObjectDefaults_ResourceQuota: spec.hard, status.hard and status.used quantities. */
export function defaultResourceQuota(rq: Obj): void {
  defaultResourceList(objOf(rq.spec)?.hard);
  defaultResourceList(objOf(rq.status)?.hard);
  defaultResourceList(objOf(rq.status)?.used);
}

/** SetDefaults_ReplicationController, replicas `+default=1`, then the template walk. */
export function defaultReplicationController(rc: Obj): void {
  const spec = struct(rc, 'spec');
  const template = objOf(spec.template);
  const labels = objOf(objOf(template?.metadata)?.labels);
  if (labels) {
    if (isEmptyCollection(spec.selector)) spec.selector = clone(labels);
    const meta = struct(rc, 'metadata');
    if (isEmptyCollection(meta.labels)) meta.labels = clone(labels);
  }
  defaultNil(spec, 'replicas', 1);
  if (template) defaultPodTemplateSpec(template);
}

/** SetObjectDefaults_PodTemplate: the template's spec walk (no SetDefaults_Pod). */
export function defaultPodTemplate(pt: Obj): void {
  defaultPodTemplateSpec(struct(pt, 'template'));
}

export { defaultPod };
