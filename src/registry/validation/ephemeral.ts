/**
 * Ephemeral containers, as validateEphemeralContainers in pkg/apis/core/validation/validation.go
 * (1.32): the common container rules, no leading/trailing whitespace in the image, names unique
 * across every container list, an existing non-ephemeral targetContainerName, the fields an
 * ephemeral container may not set (ports, resources, resizePolicy, restartPolicy, probes,
 * lifecycle) and no subPath/subPathExpr mounts. Pod create forbids the list outright
 * (ValidatePodCreate); a pod template forbids it (ValidatePodTemplateSpec).
 */
import { field, type FieldError } from '../../apimachinery/errors.js';
import { validateContainerCommon } from './container.js';
import { asArr, asObj, asStr, isSet, semanticEqual, type Obj } from './helpers.js';

/** EphemeralContainerCommon fields outside allowedEphemeralContainerFields, in Go struct order. */
const DISALLOWED = ['ports', 'resources', 'resizePolicy', 'restartPolicy', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle'];

/** validateEphemeralContainers of `spec` (volumes = the pod's valid volume names). */
export function validateEphemeralContainers(spec: Obj, volumes: Set<string>, path: string, hostUsers: boolean): FieldError[] {
  const ecs = asArr(spec.ephemeralContainers);
  if (ecs.length === 0) return [];
  const errs: FieldError[] = [];
  const others = new Set<string>();
  for (const list of ['containers', 'initContainers']) for (const c of asArr(spec[list])) others.add(asStr(asObj(c).name));
  const all = new Set(others);
  ecs.forEach((e, i) => {
    const ec = asObj(e);
    const p = `${path}[${i}]`;
    errs.push(...validateContainerCommon(ec, volumes, p, hostUsers));
    const image = asStr(ec.image);
    if (image.trim() !== image) errs.push(field.invalid(`${p}.image`, image, 'must not have leading or trailing whitespace'));
    const name = asStr(ec.name);
    if (all.has(name)) errs.push(field.duplicate(`${p}.name`, name));
    else all.add(name);
    const target = asStr(ec.targetContainerName);
    if (target && !others.has(target)) errs.push(field.notFound(`${p}.targetContainerName`, target));
    for (const f of DISALLOWED) {
      if (isSet(ec[f]) && !semanticEqual(ec[f], undefined)) errs.push(field.forbidden(`${p}.${f}`, 'cannot be set for an Ephemeral Container'));
    }
    asArr(ec.volumeMounts).forEach((m, j) => {
      const mnt = asObj(m);
      if (asStr(mnt.subPath)) errs.push(field.forbidden(`${p}.volumeMounts[${j}].subPath`, 'cannot be set for an Ephemeral Container'));
      if (asStr(mnt.subPathExpr)) errs.push(field.forbidden(`${p}.volumeMounts[${j}].subPathExpr`, 'cannot be set for an Ephemeral Container'));
    });
  });
  return errs;
}
