/**
 * Container validation, as pkg/apis/core/validation/validation.go (1.32): validateContainerCommon
 * (name, image, terminationMessagePolicy, validateContainerPorts, ValidateEnv with the relaxed
 * env-var names of RelaxedEnvironmentVariableValidation, ValidateEnvFrom, ValidateVolumeMounts,
 * validatePullPolicy, ValidateResourceRequirements) and the probe/lifecycle handlers.
 */
import { field, type FieldError } from '../../apimachinery/errors.js';
import { validateResourceRequirements } from './resources.js';
import { validateContainerSecurityContext } from './pod-security.js';
import { asArr, asObj, asStr, dns1123Label, enumField, isSet, isValidPortName, isValidPortNum, nonNegative, portNumOrName, type Obj } from './helpers.js';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const RELAXED_ENV_MSG = "a valid environment variable name must consist only of printable ASCII characters other than '='";
const CONFIG_KEY_RE = /^[-._a-zA-Z0-9]+$/;

function validateContainerPorts(ports: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  asArr(ports).forEach((pt, i) => {
    const port = asObj(pt);
    const p = `${path}[${i}]`;
    const name = asStr(port.name);
    if (name) {
      const msgs = isValidPortName(name);
      if (msgs.length) for (const m of msgs) errs.push(field.invalid(`${p}.name`, name, m));
      else if (names.has(name)) errs.push(field.duplicate(`${p}.name`, name));
      else names.add(name);
    }
    const cp = port.containerPort;
    if (cp === undefined || cp === null || cp === 0) errs.push(field.required(`${p}.containerPort`, ''));
    else for (const m of isValidPortNum(Number(cp))) errs.push(field.invalid(`${p}.containerPort`, cp, m));
    const hp = port.hostPort;
    if (typeof hp === 'number' && hp !== 0) for (const m of isValidPortNum(hp)) errs.push(field.invalid(`${p}.hostPort`, hp, m));
    errs.push(...enumField(port.protocol, `${p}.protocol`, PROTOCOLS));
  });
  return errs;
}

/** validation.IsRelaxedEnvVarName. */
function relaxedEnvVarName(name: string): string[] {
  const errs: string[] = [];
  if (name.length === 0) errs.push('environment variable name must be non-empty');
  for (const ch of name) {
    const c = ch.codePointAt(0)!;
    if (c > 126 || c < 32 || ch === '=') { errs.push(RELAXED_ENV_MSG); break; }
  }
  return errs;
}

function configMapKeyErrors(key: string): string[] {
  const errs: string[] = [];
  if (key.length > 253) errs.push('must be no more than 253 characters');
  if (!CONFIG_KEY_RE.test(key)) errs.push("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
  if (key === '.') errs.push("must not be '.'");
  else if (key === '..') errs.push("must not be '..'");
  else if (key.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

function validateKeyRef(ref: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const key = asStr(ref.key);
  if (!key) errs.push(field.required(`${path}.key`, ''));
  else for (const m of configMapKeyErrors(key)) errs.push(field.invalid(`${path}.key`, key, m));
  if (!asStr(ref.name)) errs.push(field.required(`${path}.name`, ''));
  return errs;
}

/** ValidateEnv + validateEnvVarValueFrom. */
function validateEnv(env: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  asArr(env).forEach((e, i) => {
    const ev = asObj(e);
    const p = `${path}[${i}]`;
    const name = asStr(ev.name);
    if (!name) errs.push(field.required(`${p}.name`, ''));
    for (const m of relaxedEnvVarName(name)) errs.push(field.invalid(`${p}.name`, name, m));
    if (!isSet(ev.valueFrom)) return;
    const vf = asObj(ev.valueFrom);
    const vp = `${p}.valueFrom`;
    const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'].filter((k) => isSet(vf[k]));
    if (isSet(vf.fieldRef) && !asStr(asObj(vf.fieldRef).fieldPath)) errs.push(field.required(`${vp}.fieldRef.fieldPath`, ''));
    if (isSet(vf.resourceFieldRef) && !asStr(asObj(vf.resourceFieldRef).resource)) errs.push(field.required(`${vp}.resourceFieldRef.resource`, ''));
    if (isSet(vf.configMapKeyRef)) errs.push(...validateKeyRef(asObj(vf.configMapKeyRef), `${vp}.configMapKeyRef`));
    if (isSet(vf.secretKeyRef)) errs.push(...validateKeyRef(asObj(vf.secretKeyRef), `${vp}.secretKeyRef`));
    if (sources.length === 0) errs.push(field.invalid(vp, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    else if (asStr(ev.value) !== '') errs.push(field.invalid(vp, '', 'may not be specified when `value` is not empty'));
    else if (sources.length > 1) errs.push(field.invalid(vp, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

function validateEnvFrom(envFrom: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  asArr(envFrom).forEach((e, i) => {
    const ev = asObj(e);
    const p = `${path}[${i}]`;
    const refs = ['configMapRef', 'secretRef'].filter((k) => isSet(ev[k]));
    for (const r of refs) if (!asStr(asObj(ev[r]).name)) errs.push(field.required(`${p}.${r}.name`, ''));
    if (refs.length === 0) errs.push(field.invalid(p, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (refs.length > 1) errs.push(field.invalid(p, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

/** ValidateVolumeMounts: names reference a pod volume, mount paths unique. */
function validateVolumeMounts(mounts: unknown, volumes: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  asArr(mounts).forEach((m, i) => {
    const mnt = asObj(m);
    const p = `${path}[${i}]`;
    const name = asStr(mnt.name);
    const mp = asStr(mnt.mountPath);
    if (!name) errs.push(field.required(`${p}.name`, ''));
    if (!volumes.has(name)) errs.push(field.notFound(`${p}.name`, name));
    if (!mp) errs.push(field.required(`${p}.mountPath`, ''));
    if (seen.has(mp)) errs.push(field.invalid(`${p}.mountPath`, mp, 'must be unique'));
    seen.add(mp);
    const sub = asStr(mnt.subPath);
    if (sub) {
      if (sub.startsWith('/')) errs.push(field.invalid(`${path}.subPath`, sub, 'must be a relative path'));
      if (sub.split('/').includes('..')) errs.push(field.invalid(`${path}.subPath`, sub, "must not contain '..'"));
    }
    if (isSet(mnt.mountPropagation)) errs.push(...enumField(mnt.mountPropagation, `${p}.mountPropagation`, ['Bidirectional', 'HostToContainer', 'None']));
  });
  return errs;
}

/** validateContainerCommon; `hostUsers` is the pod's spec.hostUsers (default true). */
export function validateContainerCommon(ctr: Obj, volumes: Set<string>, path: string, hostUsers = true): FieldError[] {
  const errs: FieldError[] = [];
  const name = asStr(ctr.name);
  if (!name) errs.push(field.required(`${path}.name`, ''));
  else errs.push(...dns1123Label(name, `${path}.name`));
  if (!asStr(ctr.image)) errs.push(field.required(`${path}.image`, ''));
  errs.push(...enumField(ctr.terminationMessagePolicy, `${path}.terminationMessagePolicy`, ['File', 'FallbackToLogsOnError'], "must be 'File' or 'FallbackToLogsOnError'"));
  errs.push(...validateContainerPorts(ctr.ports, `${path}.ports`));
  errs.push(...validateEnv(ctr.env, `${path}.env`));
  errs.push(...validateEnvFrom(ctr.envFrom, `${path}.envFrom`));
  errs.push(...validateVolumeMounts(ctr.volumeMounts, volumes, `${path}.volumeMounts`));
  errs.push(...enumField(ctr.imagePullPolicy, `${path}.imagePullPolicy`, ['Always', 'IfNotPresent', 'Never']));
  errs.push(...validateResourceRequirements(ctr.resources, `${path}.resources`));
  errs.push(...validateContainerSecurityContext(ctr.securityContext, `${path}.securityContext`, hostUsers));
  return errs;
}

/** validateHandler: exactly one of exec/httpGet/tcpSocket/grpc (sleep too for lifecycle). */
function validateHandler(h: Obj, path: string, kinds: readonly string[]): FieldError[] {
  const present = kinds.filter((k) => isSet(h[k]));
  if (present.length === 0) return [field.required(path, 'must specify a handler type')];
  const errs: FieldError[] = [];
  if (present.length > 1) errs.push(field.forbidden(`${path}.${present[1]}`, 'may not specify more than 1 handler type'));
  const kind = present[0]!;
  const a = asObj(h[kind]);
  const p = `${path}.${kind}`;
  if (kind === 'exec' && asArr(a.command).length === 0) errs.push(field.required(`${p}.command`, ''));
  if (kind === 'httpGet') {
    if (a.path === '') errs.push(field.required(`${p}.path`, ''));
    errs.push(...portNumOrName(a.port, `${p}.port`));
    if (isSet(a.scheme)) errs.push(...enumField(a.scheme, `${p}.scheme`, ['HTTP', 'HTTPS']));
  }
  if (kind === 'tcpSocket') errs.push(...portNumOrName(a.port, `${p}.port`));
  if (kind === 'grpc' && typeof a.port === 'number') for (const m of isValidPortNum(a.port)) errs.push(field.invalid(`${p}.port`, a.port, m));
  return errs;
}

const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];

function validateProbe(probe: Obj, path: string): FieldError[] {
  const errs = validateHandler(probe, path, PROBE_HANDLERS);
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) errs.push(...nonNegative(probe[f], `${path}.${f}`));
  const tg = probe.terminationGracePeriodSeconds;
  if (typeof tg === 'number' && tg <= 0) errs.push(field.invalid(`${path}.terminationGracePeriodSeconds`, tg, 'must be greater than 0'));
  return errs;
}

/** validateLifecycle + liveness/readiness/startup probe rules. */
export function validateContainerProbes(ctr: Obj, _grace: unknown, path: string, _regular: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (isSet(ctr.lifecycle)) {
    const lc = asObj(ctr.lifecycle);
    for (const hook of ['postStart', 'preStop']) {
      if (isSet(lc[hook])) errs.push(...validateHandler(asObj(lc[hook]), `${path}.lifecycle.${hook}`, ['exec', 'httpGet', 'tcpSocket', 'sleep']));
    }
  }
  for (const kind of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    if (!isSet(ctr[kind])) continue;
    const probe = asObj(ctr[kind]);
    const p = `${path}.${kind}`;
    errs.push(...validateProbe(probe, p));
    if (kind !== 'readinessProbe' && typeof probe.successThreshold === 'number' && probe.successThreshold !== 1) {
      errs.push(field.invalid(`${p}.successThreshold`, probe.successThreshold, 'must be 1'));
    }
    if (kind === 'readinessProbe' && isSet(probe.terminationGracePeriodSeconds)) {
      errs.push(field.invalid(`${p}.terminationGracePeriodSeconds`, probe.terminationGracePeriodSeconds, 'must not be set for readinessProbes'));
    }
  }
  return errs;
}
