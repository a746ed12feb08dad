/**
 * PodSpec and PodTemplateSpec validation, as pkg/apis/core/validation/validation.go (1.32):
 * ValidatePodSpec → validateVolumes, validateContainers, validateInitContainers,
 * validateEphemeralContainers (./ephemeral.ts), validateRestartPolicy, validateDNSPolicy,
 * nodeSelector labels, security contexts and OS rules (./pod-security.ts), affinity, DNS config,
 * gates, topology spread and host ports (./pod-scheduling.ts), ValidateTolerations, and the
 * scalar fields. Container checks (validateContainerCommon, ports, env, volume mounts, probes,
 * resources) live in ./container.ts.
 */
import { field, type FieldError } from '../../apimachinery/errors.js';
import { validateAnnotations, validateLabels } from '../../apimachinery/validation/objectmeta.js';
import { isValidLabelValue } from '../../apimachinery/validation/names.js';
import { validateContainerCommon, validateContainerProbes } from './container.js';
import { validateEphemeralContainers } from './ephemeral.js';
import { asArr, asObj, asStr, dns1123Label, dns1123Subdomain, enumField, inclusiveRangeError, isSet, labelName, type Obj } from './helpers.js';
import { hostPortConflicts, validateAffinity, validateDNSConfig, validateGates, validateHostAliases, validateHostNetworkPorts, validateTopologySpreadConstraints } from './pod-scheduling.js';
import { validateHostUsers, validatePodOS, validatePodSecurityContext } from './pod-security.js';

export const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile', 'configMap',
  'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO', 'storageos',
  'csi', 'ephemeral', 'image',
] as const;

const MAX_INT32 = 2147483647;

/** validateVolumeSource: exactly one source, plus the required field of the common ones. */
function validateVolumeSource(vol: Obj, path: string): FieldError[] {
  const present = VOLUME_SOURCES.filter((k) => isSet(vol[k]));
  if (present.length === 0) return [field.required(path, 'must specify a volume type')];
  const errs: FieldError[] = [];
  if (present.length > 1) errs.push(field.forbidden(`${path}.${present[1]}`, 'may not specify more than 1 volume type'));
  const src = asObj(vol[present[0]!]);
  const sp = `${path}.${present[0]}`;
  switch (present[0]) {
    case 'hostPath': if (!asStr(src.path)) errs.push(field.required(`${sp}.path`, '')); break;
    case 'secret': if (!asStr(src.secretName)) errs.push(field.required(`${sp}.secretName`, '')); break;
    case 'persistentVolumeClaim': if (!asStr(src.claimName)) errs.push(field.required(`${sp}.claimName`, '')); break;
    case 'nfs':
      if (!asStr(src.server)) errs.push(field.required(`${sp}.server`, ''));
      if (!asStr(src.path)) errs.push(field.required(`${sp}.path`, ''));
      break;
    case 'csi': if (!asStr(src.driver)) errs.push(field.required(`${sp}.driver`, '')); break;
    default: break;
  }
  asArr(src.items).forEach((it, i) => {
    const item = asObj(it);
    if (present[0] !== 'configMap' && present[0] !== 'secret') return;
    if (!asStr(item.key)) errs.push(field.required(`${sp}.items[${i}].key`, ''));
    if (!asStr(item.path)) errs.push(field.required(`${sp}.items[${i}].path`, ''));
  });
  return errs;
}

/** validateVolumes: names are DNS-1123 labels, unique; returns the valid volumes by name. */
export function validateVolumes(volumes: unknown, path: string): { errs: FieldError[]; names: Set<string> } {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  asArr(volumes).forEach((v, i) => {
    const vol = asObj(v);
    const p = `${path}[${i}]`;
    const name = asStr(vol.name);
    const el = validateVolumeSource(vol, p);
    if (!name) el.push(field.required(`${p}.name`, ''));
    else el.push(...dns1123Label(name, `${p}.name`));
    if (names.has(name)) el.push(field.duplicate(`${p}.name`, name));
    if (el.length === 0) names.add(name);
    else errs.push(...el);
  });
  return { errs, names };
}

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** ValidateTolerations. */
export function validateTolerations(tolerations: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  asArr(tolerations).forEach((t, i) => {
    const tol = asObj(t);
    const p = `${path}[${i}]`;
    const key = asStr(tol.key);
    const op = asStr(tol.operator);
    const effect = asStr(tol.effect);
    if (key) errs.push(...labelName(key, `${p}.key`));
    if (!key && op !== 'Exists') errs.push(field.invalid(`${p}.operator`, op, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (isSet(tol.tolerationSeconds) && effect !== 'NoExecute') errs.push(field.invalid(`${p}.effect`, effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    switch (op) {
      case 'Equal': case '': {
        const msgs = isValidLabelValue(asStr(tol.value));
        if (msgs.length) errs.push(field.invalid(`${p}.operator`, asStr(tol.value), msgs.join(';')));
        break;
      }
      case 'Exists':
        if (asStr(tol.value)) errs.push({ type: 'FieldValueInvalid', field: `${p}.operator`, detail: `core.Toleration{Key:${JSON.stringify(key)}, Operator:"Exists", Value:${JSON.stringify(asStr(tol.value))}, Effect:${JSON.stringify(effect)}, TolerationSeconds:(*int64)(nil)}: value must be empty when \`operator\` is 'Exists'` });
        break;
      default:
        errs.push(field.notSupported(`${p}.operator`, op, ['Equal', 'Exists']));
    }
    if (effect && !TAINT_EFFECTS.includes(effect)) errs.push(field.notSupported(`${p}.effect`, effect, TAINT_EFFECTS));
  });
  return errs;
}

/** validateContainers + validateInitContainers (names unique across both lists, host ports). */
function validateAllContainers(spec: Obj, volumes: Set<string>, path: string, hostUsers: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const containers = asArr(spec.containers);
  const grace = spec.terminationGracePeriodSeconds;
  if (containers.length === 0) errs.push(field.required(`${path}.containers`, ''));
  const names = new Set<string>();
  containers.forEach((c, i) => {
    const ctr = asObj(c);
    const p = `${path}.containers[${i}]`;
    errs.push(...validateContainerCommon(ctr, volumes, p, hostUsers));
    errs.push(...validateContainerProbes(ctr, grace, p, true));
    const name = asStr(ctr.name);
    if (names.has(name)) errs.push(field.duplicate(`${p}.name`, name));
    else names.add(name);
    if (isSet(ctr.restartPolicy)) errs.push(field.forbidden(`${p}.restartPolicy`, 'may not be set for non-init containers'));
  });
  errs.push(...hostPortConflicts(containers, `${path}.containers`));
  asArr(spec.initContainers).forEach((c, i) => {
    const ctr = asObj(c);
    const p = `${path}.initContainers[${i}]`;
    errs.push(...validateContainerCommon(ctr, volumes, p, hostUsers));
    const restartAlways = ctr.restartPolicy === 'Always';
    if (isSet(ctr.restartPolicy) && !restartAlways) errs.push(field.notSupported(`${p}.restartPolicy`, ctr.restartPolicy, ['Always']));
    const name = asStr(ctr.name);
    if (names.has(name)) errs.push(field.duplicate(`${p}.name`, name));
    else if (name) names.add(name);
    // Each init container alone, indexed from 0 as upstream's checkHostPortConflicts([]Container{ctr}, …).
    errs.push(...hostPortConflicts([ctr], `${path}.initContainers`));
    if (restartAlways) errs.push(...validateContainerProbes(ctr, grace, p, true));
    else {
      for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (isSet(ctr[f])) errs.push(field.forbidden(`${p}.${f}`, 'may not be set for init containers without restartPolicy=Always'));
      }
    }
  });
  return errs;
}

export interface PodSpecOptions {
  /** The spec is a Pod's own (ValidatePodSpec with opts.ResourceIsPod), not a template's. */
  isPod?: boolean;
}

/** ValidatePodSpec, in upstream's order of checks. */
export function validatePodSpec(specIn: unknown, path: string, opts: PodSpecOptions = {}): FieldError[] {
  const spec = asObj(specIn);
  const hostUsers = spec.hostUsers !== false;
  const vols = validateVolumes(spec.volumes, `${path}.volumes`);
  const errs: FieldError[] = [...vols.errs];
  errs.push(...validateAllContainers(spec, vols.names, path, hostUsers));
  errs.push(...validateEphemeralContainers(spec, vols.names, `${path}.ephemeralContainers`, hostUsers));
  errs.push(...validateHostNetworkPorts(spec, path, opts.isPod === true));
  errs.push(...enumField(spec.restartPolicy, `${path}.restartPolicy`, ['Always', 'OnFailure', 'Never']));
  errs.push(...enumField(spec.dnsPolicy, `${path}.dnsPolicy`, ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None']));
  errs.push(...validateLabels(asObj(spec.nodeSelector) as Record<string, string>, `${path}.nodeSelector`));
  errs.push(...validatePodSecurityContext(spec, path));
  asArr(spec.imagePullSecrets).forEach((s, i) => {
    if (!asStr(asObj(s).name)) errs.push(field.required(`${path}.imagePullSecrets[${i}].name`, ''));
  });
  errs.push(...validateAffinity(spec.affinity, `${path}.affinity`));
  errs.push(...validateDNSConfig(spec, `${path}.dnsConfig`));
  errs.push(...validateGates(spec, path));
  errs.push(...validateTopologySpreadConstraints(spec.topologySpreadConstraints, `${path}.topologySpreadConstraints`));
  errs.push(...validateHostUsers(spec, path));
  const sa = asStr(spec.serviceAccountName);
  if (sa) errs.push(...dns1123Subdomain(sa, `${path}.serviceAccountName`));
  const node = asStr(spec.nodeName);
  if (node) errs.push(...dns1123Subdomain(node, `${path}.nodeName`));
  if (typeof spec.activeDeadlineSeconds === 'number' && (spec.activeDeadlineSeconds < 1 || spec.activeDeadlineSeconds > MAX_INT32)) {
    errs.push(field.invalid(`${path}.activeDeadlineSeconds`, spec.activeDeadlineSeconds, inclusiveRangeError(1, MAX_INT32)));
  }
  if (asStr(spec.hostname)) errs.push(...dns1123Label(asStr(spec.hostname), `${path}.hostname`));
  if (asStr(spec.subdomain)) errs.push(...dns1123Label(asStr(spec.subdomain), `${path}.subdomain`));
  errs.push(...validateTolerations(spec.tolerations, `${path}.tolerations`));
  errs.push(...validateHostAliases(spec, path));
  const pcn = asStr(spec.priorityClassName);
  if (pcn) errs.push(...dns1123Subdomain(pcn, `${path}.priorityClassName`));
  if (isSet(spec.runtimeClassName)) errs.push(...dns1123Subdomain(asStr(spec.runtimeClassName), `${path}.runtimeClassName`));
  if (isSet(spec.preemptionPolicy)) errs.push(...enumField(spec.preemptionPolicy, `${path}.preemptionPolicy`, ['PreemptLowerPriority', 'Never']));
  errs.push(...validatePodOS(spec, path));
  return errs;
}

/** ValidatePodTemplateSpec: template labels/annotations, the pod spec, no ephemeral containers. */
export function validatePodTemplateSpec(templateIn: unknown, path: string): FieldError[] {
  const t = asObj(templateIn);
  const meta = asObj(t.metadata);
  const errs: FieldError[] = [];
  errs.push(...validateLabels(meta.labels as Record<string, string> | undefined, `${path}.labels`));
  errs.push(...validateAnnotations(meta.annotations as Record<string, string> | undefined, `${path}.annotations`));
  errs.push(...validatePodSpec(t.spec, `${path}.spec`));
  if (asArr(asObj(t.spec).ephemeralContainers).length > 0) errs.push(field.forbidden(`${path}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  return errs;
}
