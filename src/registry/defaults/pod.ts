/**
 * Pod and PodSpec defaults: pkg/apis/core/v1/defaults.go (SetDefaults_Pod, SetDefaults_PodSpec,
 * SetDefaults_Container, SetDefaults_Probe, SetDefaults_HTTPGetAction) walked as
 * zz_generated.defaults.go walks them: volumes, then init containers, containers, ephemeral
 * containers. Templates (Deployment, Job, PodTemplate, ...) get SetDefaults_PodSpec and the walk,
 * never SetDefaults_Pod (so no enableServiceLinks and no requests-from-limits in templates).
 * Feature gates at their 1.32 defaults: PodLevelResources, InPlacePodVerticalScaling, ImageVolume
 * and DefaultHostNetworkHostPortsInPodTemplates are off.
 */
import { defaultPullPolicy } from './image.js';
import { clone, defaultNil, defaultString, isEmptyString, isNil, isZeroNumber, itemsOf, objOf, type Obj } from './util.js';
import { defaultResourceList, defaultResourceRequirements } from './resources.js';
import { defaultFieldRef, defaultVolume } from './volumes.js';

/** SetDefaults_HTTPGetAction: path "/", scheme HTTP. */
function defaultHTTPGet(handler: Obj | undefined): void {
  const get = objOf(handler?.httpGet);
  if (!get) return;
  defaultString(get, 'path', '/');
  defaultString(get, 'scheme', 'HTTP');
}

/** SetDefaults_Probe, then its handler (httpGet; grpc.service carries `+default=""`). */
function defaultProbe(p: unknown): void {
  const probe = objOf(p);
  if (!probe) return;
  if (isZeroNumber(probe.timeoutSeconds)) probe.timeoutSeconds = 1;
  if (isZeroNumber(probe.periodSeconds)) probe.periodSeconds = 10;
  if (isZeroNumber(probe.successThreshold)) probe.successThreshold = 1;
  if (isZeroNumber(probe.failureThreshold)) probe.failureThreshold = 3;
  defaultHTTPGet(probe);
  const grpc = objOf(probe.grpc);
  if (grpc) defaultNil(grpc, 'service', '');
}

/** A container, init container or ephemeral container (SetDefaults_Container and the generated walk). */
export function defaultContainer(c: Obj): void {
  if (isEmptyString(c.imagePullPolicy)) c.imagePullPolicy = defaultPullPolicy(c.image);
  defaultString(c, 'terminationMessagePath', '/dev/termination-log');
  defaultString(c, 'terminationMessagePolicy', 'File');
  for (const port of itemsOf(c.ports)) defaultString(port, 'protocol', 'TCP'); // ContainerPort.Protocol +default="TCP"
  for (const env of itemsOf(c.env)) defaultFieldRef(objOf(env.valueFrom)?.fieldRef);
  defaultResourceRequirements(c.resources);
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  const lifecycle = objOf(c.lifecycle);
  defaultHTTPGet(objOf(lifecycle?.postStart));
  defaultHTTPGet(objOf(lifecycle?.preStop));
  // Container.resources is a non-pointer struct: encoding/json always writes it, `{}` when empty.
  if (isNil(c.resources)) c.resources = {};
}

/** SetDefaults_PodSpec and the nested walk, for a Pod's spec and for every pod template's spec. */
export function defaultPodSpec(spec: Obj): void {
  defaultString(spec, 'dnsPolicy', 'ClusterFirst');
  defaultString(spec, 'restartPolicy', 'Always');
  defaultNil(spec, 'securityContext', {});
  defaultNil(spec, 'terminationGracePeriodSeconds', 30);
  defaultString(spec, 'schedulerName', 'default-scheduler');
  for (const v of itemsOf(spec.volumes)) defaultVolume(v);
  for (const c of itemsOf(spec.initContainers)) defaultContainer(c);
  for (const c of itemsOf(spec.containers)) defaultContainer(c);
  for (const c of itemsOf(spec.ephemeralContainers)) defaultContainer(c);
  defaultResourceList(spec.overhead);
  defaultResourceRequirements(spec.resources);
}

/** Requests default to limits, per resource, where requests are not given (SetDefaults_Pod). */
function requestsFromLimits(c: Obj): void {
  const resources = objOf(c.resources);
  const limits = objOf(resources?.limits);
  if (!resources || !limits) return;
  const requests = { ...(objOf(resources.requests) ?? {}) };
  for (const [k, v] of Object.entries(limits)) if (!(k in requests)) requests[k] = clone(v);
  if (Object.keys(requests).length > 0) resources.requests = requests;
}

/** With hostNetwork, a container port's hostPort defaults to its containerPort (Pods only in 1.32). */
function hostNetworkPorts(containers: unknown): void {
  for (const c of itemsOf(containers)) {
    for (const p of itemsOf(c.ports)) if (isZeroNumber(p.hostPort) && typeof p.containerPort === 'number') p.hostPort = p.containerPort;
  }
}

/** SetObjectDefaults_Pod: SetDefaults_Pod, then the PodSpec walk. */
export function defaultPod(pod: Obj): void {
  const spec = objOf(pod.spec);
  if (!spec) {
    // A Pod's spec is a non-pointer struct: Go defaults it even when the body omits it.
    pod.spec = {};
    defaultPod(pod);
    return;
  }
  for (const c of itemsOf(spec.containers)) requestsFromLimits(c);
  for (const c of itemsOf(spec.initContainers)) requestsFromLimits(c);
  defaultNil(spec, 'enableServiceLinks', true);
  if (spec.hostNetwork === true) {
    hostNetworkPorts(spec.containers);
    hostNetworkPorts(spec.initContainers);
  }
  defaultPodSpec(spec);
}

/**
 * A PodTemplateSpec (Deployment/ReplicaSet/StatefulSet/DaemonSet/Job/ReplicationController/
 * PodTemplate `template`): its spec gets the PodSpec walk. Its metadata is a non-pointer ObjectMeta,
 * which encoding/json writes with `creationTimestamp: null`.
 */
export function defaultPodTemplateSpec(template: unknown): void {
  const t = objOf(template);
  if (!t) return;
  t.metadata = { creationTimestamp: null, ...(objOf(t.metadata) ?? {}) };
  if (!objOf(t.spec)) t.spec = {};
  defaultPodSpec(t.spec as Obj);
}
