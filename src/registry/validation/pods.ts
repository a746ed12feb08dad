/**
 * Pod create/update validation and pod warnings: ValidatePodCreate / ValidatePodUpdate of
 * pkg/apis/core/validation/validation.go (1.32, InPlacePodVerticalScaling off) and
 * GetWarningsForPod / GetWarningsForPodTemplate of pkg/api/pod/warnings.go.
 */
import type { KubeObject } from '../../api/types.js';
import { field, type FieldError } from '../../apimachinery/errors.js';
import { validatePodSpec } from './pod.js';
import { fractionalByteWarnings } from './resources.js';
import { asArr, asObj, asStr, inclusiveRangeError, semanticEqual, type Obj } from './helpers.js';

const MAX_INT32 = 2147483647;

export const UPDATABLE_POD_SPEC_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

export function validatePod(obj: KubeObject): FieldError[] {
  const spec = asObj(obj.spec);
  const errs = validatePodSpec(spec, 'spec', { isPod: true });
  // validateContainersOnlyForPod: a pod's images may not be padded with whitespace.
  for (const list of ['containers', 'initContainers']) {
    asArr(spec[list]).forEach((c, i) => {
      const image = asStr(asObj(c).image);
      if (image.trim().length !== image.length) errs.push(field.invalid(`spec.${list}[${i}].image`, image, 'must not have leading or trailing whitespace'));
    });
  }
  if (asArr(spec.ephemeralContainers).length > 0) errs.push(field.forbidden('spec.ephemeralContainers', 'cannot be set on create'));
  if (asStr(spec.nodeName) && asArr(spec.schedulingGates).length > 0) errs.push(field.forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
  return errs;
}

/** Go field name of a JSON field (as cmp.Diff prints struct fields). */
const goField = (k: string): string => k.charAt(0).toUpperCase() + k.slice(1);

/** A short cmp.Diff-like rendering of the top-level PodSpec fields that differ. */
export function specDiff(oldSpec: Obj, newSpec: Obj, typeName: string): string {
  const keys = [...new Set([...Object.keys(oldSpec), ...Object.keys(newSpec)])].sort();
  const lines = [`  ${typeName}{`];
  for (const k of keys) {
    if (semanticEqual(oldSpec[k], newSpec[k])) continue;
    if (oldSpec[k] !== undefined) lines.push(`- \t${goField(k)}: ${JSON.stringify(oldSpec[k])},`);
    if (newSpec[k] !== undefined) lines.push(`+ \t${goField(k)}: ${JSON.stringify(newSpec[k])},`);
  }
  lines.push('  }');
  return lines.join('\n');
}

function containerUpdates(newCs: unknown[], oldCs: unknown[], path: string): { errs: FieldError[]; stop: boolean } {
  if (newCs.length !== oldCs.length) return { errs: [field.forbidden(path, 'pod updates may not add or remove containers')], stop: true };
  const errs: FieldError[] = [];
  newCs.forEach((c, i) => {
    const image = asStr(asObj(c).image);
    if (!image) errs.push(field.required(`${path}[${i}].image`, ''));
    if (image.trim().length !== image.length) errs.push(field.invalid(`${path}[${i}].image`, image, 'must not have leading or trailing whitespace'));
  });
  return { errs, stop: false };
}

/** ValidatePodUpdate: only images, activeDeadlineSeconds, added tolerations, … may change. */
export function validatePodUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const spec = asObj(obj.spec);
  const oldSpec = asObj(old.spec);
  const errs: FieldError[] = [];
  for (const list of ['containers', 'initContainers']) {
    const r = containerUpdates(asArr(spec[list]), asArr(oldSpec[list]), `spec.${list}`);
    errs.push(...r.errs);
    if (r.stop) return errs;
  }
  const ads = spec.activeDeadlineSeconds;
  if (typeof ads === 'number') {
    if (ads < 0 || ads > MAX_INT32) return [...errs, field.invalid('spec.activeDeadlineSeconds', ads, inclusiveRangeError(0, MAX_INT32))];
    if (typeof oldSpec.activeDeadlineSeconds === 'number' && oldSpec.activeDeadlineSeconds < ads) {
      return [...errs, field.invalid('spec.activeDeadlineSeconds', ads, 'must be less than or equal to previous value')];
    }
  } else if (typeof oldSpec.activeDeadlineSeconds === 'number') {
    errs.push(field.invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
  }
  // Only additions to tolerations (validateOnlyAddedTolerations).
  const newTols = asArr(spec.tolerations);
  for (const t of asArr(oldSpec.tolerations)) {
    const o = asObj(t);
    const kept = newTols.some((n) => {
      const x = asObj(n);
      if (x.tolerationSeconds !== undefined || o.tolerationSeconds !== undefined) {
        return semanticEqual({ ...x, tolerationSeconds: undefined }, { ...o, tolerationSeconds: undefined });
      }
      return semanticEqual(x, o);
    });
    if (!kept) { errs.push(field.forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds')); break; }
  }
  const munged: Obj = structuredClone(spec);
  for (const list of ['containers', 'initContainers']) {
    const oldList = asArr(oldSpec[list]);
    if (Array.isArray(munged[list])) {
      munged[list] = (munged[list] as unknown[]).map((c, i) => ({ ...asObj(c), image: asObj(oldList[i]).image }));
    }
  }
  munged.activeDeadlineSeconds = oldSpec.activeDeadlineSeconds;
  munged.schedulingGates = oldSpec.schedulingGates;
  munged.tolerations = oldSpec.tolerations;
  const oldGrace = oldSpec.terminationGracePeriodSeconds;
  if (typeof oldGrace === 'number' && oldGrace < 0 && munged.terminationGracePeriodSeconds === 1) munged.terminationGracePeriodSeconds = oldGrace;
  for (const k of Object.keys(munged)) if (munged[k] === undefined) delete munged[k];
  if (!semanticEqual(munged, oldSpec)) {
    errs.push(field.forbidden('spec', `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS.join(',')}\n${specDiff(oldSpec, munged, 'core.PodSpec')}`));
  }
  return errs;
}

const DEPRECATED_NODE_LABELS: Record<string, string> = {
  'beta.kubernetes.io/arch': 'deprecated since v1.14; use "kubernetes.io/arch" instead',
  'beta.kubernetes.io/os': 'deprecated since v1.14; use "kubernetes.io/os" instead',
  'failure-domain.beta.kubernetes.io/region': 'deprecated since v1.17; use "topology.kubernetes.io/region" instead',
  'failure-domain.beta.kubernetes.io/zone': 'deprecated since v1.17; use "topology.kubernetes.io/zone" instead',
  'beta.kubernetes.io/instance-type': 'deprecated since v1.17; use "node.kubernetes.io/instance-type" instead',
};

/** warningsForPodSpecAndMeta (pkg/api/pod/warnings.go), for a pod (`prefix` "") or a template. */
export function podWarnings(meta: Obj, specIn: unknown, prefix: string): string[] {
  const spec = asObj(specIn);
  const out: string[] = [];
  const metaPath = prefix ? `${prefix}.metadata` : 'metadata';
  const specPath = prefix ? `${prefix}.spec` : 'spec';
  for (const [k, msg] of Object.entries(DEPRECATED_NODE_LABELS)) {
    if (k in asObj(spec.nodeSelector)) out.push(`${specPath}.nodeSelector[${k}]: ${msg}`);
  }
  const ann = asObj(meta.annotations);
  if ('scheduler.alpha.kubernetes.io/critical-pod' in ann) out.push(`${metaPath}.annotations[scheduler.alpha.kubernetes.io/critical-pod]: non-functional in v1.16+; use the "priorityClassName" field instead`);
  if ('seccomp.security.alpha.kubernetes.io/pod' in ann) out.push(`${metaPath}.annotations[seccomp.security.alpha.kubernetes.io/pod]: non-functional in v1.27+; use the "seccompProfile" field instead`);
  for (const k of Object.keys(ann).sort()) {
    if (k.startsWith('container.seccomp.security.alpha.kubernetes.io/')) out.push(`${metaPath}.annotations[${k}]: non-functional in v1.27+; use the "seccompProfile" field instead`);
    if (k.startsWith('container.apparmor.security.beta.kubernetes.io/')) out.push(`${metaPath}.annotations[${k}]: deprecated since v1.30; use the "appArmorProfile" field instead`);
  }
  const grace = spec.terminationGracePeriodSeconds;
  if (typeof grace === 'number' && grace < 0) out.push(`${specPath}.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1`);
  for (const list of ['initContainers', 'containers']) {
    asArr(spec[list]).forEach((c, i) => {
      out.push(...fractionalByteWarnings(asObj(c).resources, `${specPath}.${list}[${i}].resources`));
    });
  }
  out.push(...portWarnings(spec, specPath));
  return out;
}

/**
 * The port warnings of warningsForPodSpecAndMeta: a hostIP without hostPort, and ports sharing
 * containerPort/protocol that duplicate, overlap or ambiguously overlap (init, regular, then
 * ephemeral containers, as pods.VisitContainersWithPath).
 */
function portWarnings(spec: Obj, specPath: string): string[] {
  const out: string[] = [];
  const all = new Map<string, Array<{ field: string; hostIP: string; hostPort: number }>>();
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    asArr(spec[list]).forEach((c, ci) => {
      asArr(asObj(c).ports).forEach((pt, pi) => {
        const port = asObj(pt);
        const f = `${specPath}.${list}[${ci}].ports[${pi}]`;
        const hostIP = asStr(port.hostIP);
        const hostPort = typeof port.hostPort === 'number' ? port.hostPort : 0;
        const cp = typeof port.containerPort === 'number' ? port.containerPort : 0;
        if (hostIP && hostPort === 0) {
          out.push(`${f}: hostIP set without hostPort: {Name:${asStr(port.name)} HostPort:${hostPort} ContainerPort:${cp} Protocol:${asStr(port.protocol)} HostIP:${hostIP}}`);
        }
        const k = `${cp}/${asStr(port.protocol)}`;
        const others = all.get(k);
        if (!others) { all.set(k, [{ field: f, hostIP, hostPort }]); return; }
        for (const o of others) {
          if (hostIP === o.hostIP && hostPort === o.hostPort) out.push(`${f}: duplicate port definition with ${o.field}`);
          else if (hostPort === 0 || o.hostPort === 0) out.push(`${f}: overlapping port definition with ${o.field}`);
          else if (hostPort === o.hostPort && (hostIP === '') !== (o.hostIP === '')) out.push(`${f}: dangerously ambiguous port definition with ${o.field}`);
        }
        others.push({ field: f, hostIP, hostPort });
      });
    });
  }
  return out;
}
