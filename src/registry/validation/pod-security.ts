/**
 * Security settings of a PodSpec, as pkg/apis/core/validation/validation.go (1.32):
 * validatePodSpecSecurityContext (fsGroup/runAsUser/runAsGroup/supplementalGroups ranges,
 * shareProcessNamespace vs hostPID, sysctls, fsGroupChangePolicy, seccompProfile, appArmorProfile,
 * supplementalGroupsPolicy), ValidateSecurityContext of each container (runAsUser/runAsGroup,
 * procMount, seccomp/AppArmor profiles, allowPrivilegeEscalation=false against privileged and
 * CAP_SYS_ADMIN), validateHostUsers, validateOS with validateLinux/validateWindows.
 *
 * The cluster allows privileged containers (kube-apiserver --allow-privileged=true, as EKS), so
 * `privileged: true` alone is accepted. Values upstream prints with `%#v` of a struct holding
 * pointers show Go addresses; those are rendered with a fixed placeholder address.
 */
import { field, type FieldError } from '../../apimachinery/errors.js';
import { asArr, asObj, asStr, goQuote, inclusiveRangeError, invalidGo, isSet, type Obj } from './helpers.js';

const MAX_ID = 2147483647;
/** Stands in for the Go heap address upstream prints for a non-nil pointer inside `%#v`. */
const GO_PTR = '0xc000a1b2c0';

/** validation.IsValidUserID / IsValidGroupID (0 ≤ id ≤ 2^31-1). */
function idErrors(v: unknown, path: string): FieldError[] {
  if (typeof v !== 'number') return [];
  return v < 0 || v > MAX_ID ? [field.invalid(path, v, inclusiveRangeError(0, MAX_ID))] : [];
}

function goPtr(type: string, v: unknown): string {
  return isSet(v) ? `(*${type})(${GO_PTR})` : `(*${type})(nil)`;
}

/** `core.SeccompProfile{…}` as `%#v` prints it. */
function goSeccompProfile(sp: Obj): string {
  return `core.SeccompProfile{Type:${goQuote(asStr(sp.type))}, LocalhostProfile:${goPtr('string', sp.localhostProfile)}}`;
}

/** `core.SecurityContext{…}` as `%#v` prints it (field order of pkg/apis/core/types.go). */
function goSecurityContext(sc: Obj): string {
  const f: Array<[string, string, unknown]> = [
    ['Capabilities', 'core.Capabilities', sc.capabilities], ['Privileged', 'bool', sc.privileged],
    ['SELinuxOptions', 'core.SELinuxOptions', sc.seLinuxOptions], ['WindowsOptions', 'core.WindowsSecurityContextOptions', sc.windowsOptions],
    ['RunAsUser', 'int64', sc.runAsUser], ['RunAsGroup', 'int64', sc.runAsGroup], ['RunAsNonRoot', 'bool', sc.runAsNonRoot],
    ['ReadOnlyRootFilesystem', 'bool', sc.readOnlyRootFilesystem], ['AllowPrivilegeEscalation', 'bool', sc.allowPrivilegeEscalation],
    ['ProcMount', 'core.ProcMountType', sc.procMount], ['SeccompProfile', 'core.SeccompProfile', sc.seccompProfile],
    ['AppArmorProfile', 'core.AppArmorProfile', sc.appArmorProfile],
  ];
  return `core.SecurityContext{${f.map(([n, t, v]) => `${n}:${goPtr(t, v)}`).join(', ')}}`;
}

/** validateLocalDescendingPath: relative, no `..` step. */
function localDescendingPath(p: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (p.startsWith('/')) errs.push(field.invalid(path, p, 'must be a relative path'));
  if (p.split('/').includes('..')) errs.push(field.invalid(path, p, "must not contain '..'"));
  return errs;
}

/** validateSeccompProfileField. */
export function validateSeccompProfile(v: unknown, path: string): FieldError[] {
  if (!isSet(v)) return [];
  const sp = asObj(v);
  const type = asStr(sp.type);
  const errs: FieldError[] = [];
  if (type === '') errs.push(field.required(`${path}.type`, 'type is required when seccompProfile is set'));
  else if (!['Localhost', 'RuntimeDefault', 'Unconfined'].includes(type)) errs.push(field.notSupported(`${path}.type`, type, ['Localhost', 'RuntimeDefault', 'Unconfined']));
  if (type === 'Localhost') {
    if (!isSet(sp.localhostProfile)) errs.push(field.required(`${path}.localhostProfile`, 'must be set when seccomp type is Localhost'));
    else errs.push(...localDescendingPath(asStr(sp.localhostProfile), `${path}.localhostProfile`));
  } else if (isSet(sp.localhostProfile)) {
    errs.push(invalidGo(`${path}.localhostProfile`, goSeccompProfile(sp), 'can only be set when seccomp type is Localhost'));
  }
  return errs;
}

/** ValidateAppArmorProfileField. */
export function validateAppArmorProfile(v: unknown, path: string): FieldError[] {
  if (!isSet(v)) return [];
  const p = asObj(v);
  const type = asStr(p.type);
  const lp = p.localhostProfile;
  switch (type) {
    case 'Localhost': {
      if (!isSet(lp)) return [field.required(`${path}.localhostProfile`, 'must be set when AppArmor type is Localhost')];
      const s = asStr(lp);
      const errs: FieldError[] = [];
      if (s.trim() !== s) errs.push(field.invalid(`${path}.localhostProfile`, s, 'must not be padded with whitespace'));
      else if (s === '') errs.push(field.required(`${path}.localhostProfile`, 'must be set when AppArmor type is Localhost'));
      if (Buffer.byteLength(s) > 4095) errs.push(field.tooLong(`${path}.localhostProfile`, 4095));
      return errs;
    }
    case 'RuntimeDefault': case 'Unconfined':
      return isSet(lp) ? [field.invalid(`${path}.localhostProfile`, asStr(lp), 'can only be set when AppArmor type is Localhost')] : [];
    case '':
      return [field.required(`${path}.type`, 'type is required when appArmorProfile is set')];
    default:
      return [field.notSupported(`${path}.type`, type, ['Localhost', 'RuntimeDefault', 'Unconfined'])];
  }
}

const SYSCTL_RE = /^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$/;
const SYSCTL_MSG = `must have at most 253 characters and match regex ${SYSCTL_RE.source}`;

/** utilsysctl.GetNamespace: the sysctls a pod shares with the host under hostNetwork / hostIPC. */
function sysctlNamespace(name: string): 'net' | 'ipc' | '' {
  const n = name.replace(/\//g, '.');
  if (n.startsWith('net.')) return 'net';
  if (['kernel.sem', 'kernel.shmall', 'kernel.shmmax', 'kernel.shmmni', 'kernel.msgmax', 'kernel.msgmnb', 'kernel.msgmni', 'kernel.shm_rmid_forced'].includes(n) || n.startsWith('fs.mqueue.')) return 'ipc';
  return '';
}

function validateSysctls(spec: Obj, sysctls: unknown[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  sysctls.forEach((s, i) => {
    const name = asStr(asObj(s).name);
    const p = `${path}[${i}].name`;
    if (!name) errs.push(field.required(p, ''));
    else if (name.length > 253 || !SYSCTL_RE.test(name)) errs.push(field.invalid(p, name, SYSCTL_MSG));
    else if (names.has(name)) errs.push(field.duplicate(p, name));
    const ns = sysctlNamespace(name);
    if (spec.hostNetwork === true && ns === 'net') errs.push(field.invalid(p, name, "may not be specified when 'hostNetwork' is true"));
    else if (spec.hostIPC === true && ns === 'ipc') errs.push(field.invalid(p, name, "may not be specified when 'hostIPC' is true"));
    names.add(name);
  });
  return errs;
}

/** validatePodSpecSecurityContext (host namespaces live on the spec in v1). */
export function validatePodSecurityContext(spec: Obj, path: string): FieldError[] {
  // SetDefaults_PodSpec gives every pod a securityContext (hostPID and shareProcessNamespace live
  // in the internal PodSecurityContext), so the checks run when the field is absent too.
  const sc = asObj(spec.securityContext);
  const p = `${path}.securityContext`;
  const errs: FieldError[] = [];
  errs.push(...idErrors(sc.fsGroup, `${p}.fsGroup`));
  errs.push(...idErrors(sc.runAsUser, `${p}.runAsUser`));
  errs.push(...idErrors(sc.runAsGroup, `${p}.runAsGroup`));
  asArr(sc.supplementalGroups).forEach((g, i) => errs.push(...idErrors(g, `${p}.supplementalGroups[${i}]`)));
  if (spec.shareProcessNamespace === true && spec.hostPID === true) {
    errs.push(field.invalid(`${p}.shareProcessNamespace`, true, 'ShareProcessNamespace and HostPID cannot both be enabled'));
  }
  if (asArr(sc.sysctls).length) errs.push(...validateSysctls(spec, asArr(sc.sysctls), `${p}.sysctls`));
  if (isSet(sc.fsGroupChangePolicy) && !['Always', 'OnRootMismatch'].includes(asStr(sc.fsGroupChangePolicy))) {
    errs.push(field.notSupported(`${p}.fsGroupChangePolicy`, asStr(sc.fsGroupChangePolicy), ['Always', 'OnRootMismatch']));
  }
  errs.push(...validateSeccompProfile(sc.seccompProfile, `${p}.seccompProfile`));
  errs.push(...validateAppArmorProfile(sc.appArmorProfile, `${p}.appArmorProfile`));
  if (isSet(sc.supplementalGroupsPolicy) && !['Merge', 'Strict'].includes(asStr(sc.supplementalGroupsPolicy))) {
    errs.push(field.notSupported(`${p}.supplementalGroupsPolicy`, asStr(sc.supplementalGroupsPolicy), ['Merge', 'Strict']));
  }
  return errs;
}

/** ValidateSecurityContext of one container; `hostUsers` is the pod's (default true). */
export function validateContainerSecurityContext(v: unknown, path: string, hostUsers: boolean): FieldError[] {
  if (!isSet(v)) return [];
  const sc = asObj(v);
  const errs: FieldError[] = [];
  errs.push(...idErrors(sc.runAsUser, `${path}.runAsUser`));
  errs.push(...idErrors(sc.runAsGroup, `${path}.runAsGroup`));
  if (isSet(sc.procMount)) {
    const pm = asStr(sc.procMount);
    if (!['Default', 'Unmasked'].includes(pm)) errs.push(field.notSupported(`${path}.procMount`, pm, ['Default', 'Unmasked']));
    if (hostUsers && pm === 'Unmasked') errs.push(field.invalid(`${path}.procMount`, pm, '`hostUsers` must be false to use `Unmasked`'));
  }
  errs.push(...validateSeccompProfile(sc.seccompProfile, `${path}.seccompProfile`));
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged === true) errs.push(invalidGo(path, goSecurityContext(sc), 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
    for (const cap of asArr(asObj(sc.capabilities).add)) {
      if (cap === 'CAP_SYS_ADMIN') errs.push(invalidGo(path, goSecurityContext(sc), 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN'));
    }
  }
  errs.push(...validateAppArmorProfile(sc.appArmorProfile, `${path}.appArmorProfile`));
  return errs;
}

/** validateHostUsers: a user-namespaced pod (hostUsers=false) may not share host namespaces. */
export function validateHostUsers(spec: Obj, path: string): FieldError[] {
  if (spec.hostUsers !== false) return [];
  const errs: FieldError[] = [];
  if (spec.hostNetwork === true) errs.push(field.forbidden(`${path}.hostNetwork`, 'when `pod.Spec.HostUsers` is false'));
  if (spec.hostPID === true) errs.push(field.forbidden(`${path}.HostPID`, 'when `pod.Spec.HostUsers` is false'));
  if (spec.hostIPC === true) errs.push(field.forbidden(`${path}.HostIPC`, 'when `pod.Spec.HostUsers` is false'));
  return errs;
}

/** Every container of the spec with its path (podshelper.VisitContainersWithPath order). */
function containersWithPath(spec: Obj, path: string): Array<[Obj, string]> {
  const out: Array<[Obj, string]> = [];
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    asArr(spec[list]).forEach((c, i) => out.push([asObj(c), `${path}.${list}[${i}]`]));
  }
  return out;
}

const WINDOWS_POD_FORBIDDEN: Array<[string, string]> = [
  ['appArmorProfile', 'securityContext.appArmorProfile'], ['seLinuxOptions', 'securityContext.seLinuxOptions'],
  ['seccompProfile', 'securityContext.seccompProfile'], ['fsGroup', 'securityContext.fsGroup'],
  ['fsGroupChangePolicy', 'securityContext.fsGroupChangePolicy'], ['runAsUser', 'securityContext.runAsUser'],
  ['runAsGroup', 'securityContext.runAsGroup'], ['supplementalGroups', 'securityContext.supplementalGroups'],
  ['supplementalGroupsPolicy', 'securityContext.supplementalGroupsPolicy'],
];
const WINDOWS_CONTAINER_FORBIDDEN = ['appArmorProfile', 'seLinuxOptions', 'seccompProfile', 'capabilities', 'readOnlyRootFilesystem', 'privileged', 'allowPrivilegeEscalation', 'procMount', 'runAsUser', 'runAsGroup'];

/** validateOS, then validateLinux / validateWindows for the named OS. */
export function validatePodOS(spec: Obj, path: string): FieldError[] {
  if (!isSet(spec.os)) return [];
  const name = asStr(asObj(spec.os).name);
  if (!name) return [field.required(`${path}.os.name`, 'cannot be empty')];
  if (name !== 'linux' && name !== 'windows') return [field.notSupported(`${path}.os`, name, ['linux', 'windows'])];
  const errs: FieldError[] = [];
  const sc = asObj(spec.securityContext);
  const msg = 'cannot be set for a windows pod';
  if (name === 'linux') {
    if (isSet(sc.windowsOptions)) errs.push(field.forbidden(`${path}.securityContext.windowsOptions`, 'windows options cannot be set for a linux pod'));
    for (const [c, cp] of containersWithPath(spec, path)) {
      if (isSet(asObj(c.securityContext).windowsOptions)) errs.push(field.forbidden(`${cp}.securityContext.windowsOptions`, 'windows options cannot be set for a linux pod'));
    }
    return errs;
  }
  {
    // The internal PodSecurityContext always exists after conversion (it carries the host namespaces).
    for (const [k, p] of WINDOWS_POD_FORBIDDEN.slice(0, 2)) if (isSet(sc[k])) errs.push(field.forbidden(`${path}.${p}`, msg));
    if (isSet(spec.hostUsers)) errs.push(field.forbidden(`${path}.hostUsers`, msg));
    if (spec.hostPID === true) errs.push(field.forbidden(`${path}.hostPID`, msg));
    if (spec.hostIPC === true) errs.push(field.forbidden(`${path}.hostIPC`, msg));
    for (const [k, p] of WINDOWS_POD_FORBIDDEN.slice(2, 5)) if (isSet(sc[k])) errs.push(field.forbidden(`${path}.${p}`, msg));
    if (asArr(sc.sysctls).length) errs.push(field.forbidden(`${path}.securityContext.sysctls`, msg));
    if (isSet(spec.shareProcessNamespace)) errs.push(field.forbidden(`${path}.shareProcessNamespace`, msg));
    for (const [k, p] of WINDOWS_POD_FORBIDDEN.slice(5)) if (isSet(sc[k])) errs.push(field.forbidden(`${path}.${p}`, msg));
  }
  for (const [c, cp] of containersWithPath(spec, path)) {
    if (!isSet(c.securityContext)) continue;
    const csc = asObj(c.securityContext);
    for (const k of WINDOWS_CONTAINER_FORBIDDEN) if (isSet(csc[k])) errs.push(field.forbidden(`${cp}.securityContext.${k}`, msg));
  }
  return errs;
}
