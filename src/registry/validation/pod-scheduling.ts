/**
 * Placement, DNS and host-port rules of a PodSpec, as pkg/apis/core/validation/validation.go
 * (1.32): validateAffinity (node affinity selector terms and requirements, pod (anti-)affinity
 * terms, weights), validateTopologySpreadConstraints (maxSkew, topologyKey, whenUnsatisfiable,
 * the {topologyKey, whenUnsatisfiable} pair, minDomains, node inclusion policies,
 * matchLabelKeys, labelSelector), validatePodDNSConfig, validateReadinessGates,
 * validateSchedulingGates, ValidateHostAliases, checkHostPortConflicts and
 * validatePodHostNetworkDeps.
 */
import { field, type FieldError } from '../../apimachinery/errors.js';
import { validateLabelSelector } from '../../apimachinery/validation/objectmeta.js';
import { isDNS1123Label } from '../../apimachinery/validation/names.js';
import { goStringSlice } from '../../apimachinery/validation/objectmeta.js';
import { asArr, asObj, asStr, dns1123Subdomain, invalidGo, isSet, labelName, qualifiedName, type Obj } from './helpers.js';
import { isValidIP } from './net.js';

type Sel = Parameters<typeof validateLabelSelector>[0];
const NOT_POSITIVE = 'must be greater than zero';

/** ValidateNodeSelectorRequirement (1.32: operator rules and the key; values are not checked). */
function nodeSelectorRequirement(rq: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const values = asArr(rq.values);
  const op = asStr(rq.operator);
  switch (op) {
    case 'In': case 'NotIn':
      if (values.length === 0) errs.push(field.required(`${path}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists': case 'DoesNotExist':
      if (values.length > 0) errs.push(field.forbidden(`${path}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    case 'Gt': case 'Lt':
      if (values.length !== 1) errs.push(field.required(`${path}.values`, "must be specified single value when `operator` is 'Lt' or 'Gt'"));
      break;
    default:
      errs.push(field.invalid(`${path}.operator`, op, 'not a valid selector operator'));
  }
  errs.push(...labelName(asStr(rq.key), `${path}.key`));
  return errs;
}

/** ValidateNodeFieldSelectorRequirement: only `metadata.name` In/NotIn one node name. */
function nodeFieldSelectorRequirement(rq: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const values = asArr(rq.values).map(asStr);
  const op = asStr(rq.operator);
  if (op === 'In' || op === 'NotIn') {
    if (values.length !== 1) errs.push(field.required(`${path}.values`, "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
  } else {
    errs.push(field.invalid(`${path}.operator`, op, 'not a valid selector operator'));
  }
  const key = asStr(rq.key);
  if (key !== 'metadata.name') errs.push(field.invalid(`${path}.key`, key, 'not a valid field selector key'));
  else values.forEach((v, i) => errs.push(...dns1123Subdomain(v, `${path}.values[${i}]`)));
  return errs;
}

function nodeSelectorTerm(term: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  asArr(term.matchExpressions).forEach((r, j) => errs.push(...nodeSelectorRequirement(asObj(r), `${path}.matchExpressions[${j}]`)));
  asArr(term.matchFields).forEach((r, j) => errs.push(...nodeFieldSelectorRequirement(asObj(r), `${path}.matchFields[${j}]`)));
  return errs;
}

function weight(w: unknown, path: string): FieldError[] {
  const n = typeof w === 'number' ? w : 0;
  return n <= 0 || n > 100 ? [field.invalid(path, n, 'must be in the range 1-100')] : [];
}

function nodeAffinity(na: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const req = 'requiredDuringSchedulingIgnoredDuringExecution';
  if (isSet(na[req])) {
    const terms = asArr(asObj(na[req]).nodeSelectorTerms);
    const tp = `${path}.${req}.nodeSelectorTerms`;
    if (terms.length === 0) errs.push(field.required(tp, 'must have at least one node selector term'));
    terms.forEach((t, i) => errs.push(...nodeSelectorTerm(asObj(t), `${tp}[${i}]`)));
  }
  const pref = 'preferredDuringSchedulingIgnoredDuringExecution';
  asArr(na[pref]).forEach((t, i) => {
    const term = asObj(t);
    errs.push(...weight(term.weight, `${path}.${pref}[${i}].weight`));
    errs.push(...nodeSelectorTerm(asObj(term.preference), `${path}.${pref}[${i}].preference`));
  });
  return errs;
}

function labelKeys(path: string, keys: string[], sel: unknown): FieldError[] {
  if (keys.length === 0) return [];
  if (!isSet(sel)) return [field.forbidden(path, 'must not be specified when labelSelector is not set')];
  return keys.flatMap((k, i) => labelName(k, `${path}[${i}]`));
}

/** validateMatchLabelKeysAndMismatchLabelKeys (index paths hang off the term path, as upstream). */
function matchAndMismatchLabelKeys(path: string, match: string[], mismatch: string[], sel: unknown): FieldError[] {
  const errs = [...labelKeys(`${path}.matchLabelKeys`, match, sel), ...labelKeys(`${path}.mismatchLabelKeys`, mismatch, sel)];
  if (isSet(sel)) {
    const s = asObj(sel);
    const idx = new Map(match.map((k, i) => [k, i]));
    const seen = new Set(Object.keys(asObj(s.matchLabels)));
    for (const e of asArr(s.matchExpressions)) {
      const key = asStr(asObj(e).key);
      const i = idx.get(key);
      if (i !== undefined && seen.has(key)) errs.push(field.invalid(`${path}[${i}]`, key, 'exists in both matchLabelKeys and labelSelector'));
      seen.add(key);
    }
  }
  const mm = new Set(mismatch);
  match.forEach((k, i) => { if (mm.has(k)) errs.push(field.invalid(`${path}.matchLabelKeys[${i}]`, k, 'exists in both matchLabelKeys and mismatchLabelKeys')); });
  return errs;
}

function podAffinityTerm(term: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateLabelSelector(term.labelSelector as Sel, `${path}.labelSelector`));
  errs.push(...validateLabelSelector(term.namespaceSelector as Sel, `${path}.namespaceSelector`));
  for (const ns of asArr(term.namespaces).map(asStr)) for (const m of isDNS1123Label(ns)) errs.push(field.invalid(`${path}.namespace`, ns, m));
  errs.push(...matchAndMismatchLabelKeys(path, asArr(term.matchLabelKeys).map(asStr), asArr(term.mismatchLabelKeys).map(asStr), term.labelSelector));
  const tk = asStr(term.topologyKey);
  if (!tk) errs.push(field.required(`${path}.topologyKey`, 'can not be empty'));
  errs.push(...labelName(tk, `${path}.topologyKey`));
  return errs;
}

function podAffinity(pa: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const req = 'requiredDuringSchedulingIgnoredDuringExecution';
  asArr(pa[req]).forEach((t, i) => errs.push(...podAffinityTerm(asObj(t), `${path}.${req}[${i}]`)));
  const pref = 'preferredDuringSchedulingIgnoredDuringExecution';
  asArr(pa[pref]).forEach((t, i) => {
    const w = asObj(t);
    errs.push(...weight(w.weight, `${path}.${pref}[${i}].weight`));
    errs.push(...podAffinityTerm(asObj(w.podAffinityTerm), `${path}.${pref}[${i}].podAffinityTerm`));
  });
  return errs;
}

/** validateAffinity. */
export function validateAffinity(v: unknown, path: string): FieldError[] {
  if (!isSet(v)) return [];
  const a = asObj(v);
  const errs: FieldError[] = [];
  if (isSet(a.nodeAffinity)) errs.push(...nodeAffinity(asObj(a.nodeAffinity), `${path}.nodeAffinity`));
  if (isSet(a.podAffinity)) errs.push(...podAffinity(asObj(a.podAffinity), `${path}.podAffinity`));
  if (isSet(a.podAntiAffinity)) errs.push(...podAffinity(asObj(a.podAntiAffinity), `${path}.podAntiAffinity`));
  return errs;
}

/** validateTopologySpreadConstraints. */
export function validateTopologySpreadConstraints(v: unknown, path: string): FieldError[] {
  const constraints = asArr(v).map(asObj);
  const errs: FieldError[] = [];
  constraints.forEach((c, i) => {
    const p = `${path}[${i}]`;
    const skew = typeof c.maxSkew === 'number' ? c.maxSkew : 0;
    if (skew <= 0) errs.push(field.invalid(`${p}.maxSkew`, skew, NOT_POSITIVE));
    const key = asStr(c.topologyKey);
    if (!key) errs.push(field.required(`${p}.topologyKey`, 'can not be empty'));
    const action = asStr(c.whenUnsatisfiable);
    if (action !== 'DoNotSchedule' && action !== 'ScheduleAnyway') errs.push(field.notSupported(`${p}.whenUnsatisfiable`, action, ['DoNotSchedule', 'ScheduleAnyway']));
    if (constraints.slice(i + 1).some((o) => asStr(o.topologyKey) === key && asStr(o.whenUnsatisfiable) === action)) {
      errs.push(field.duplicate(`${p}.{topologyKey, whenUnsatisfiable}`, `{${key}, ${action}}`));
    }
    if (isSet(c.minDomains)) {
      const md = typeof c.minDomains === 'number' ? c.minDomains : 0;
      if (md <= 0) errs.push(field.invalid(`${p}.minDomains`, md, NOT_POSITIVE));
      if (action !== 'DoNotSchedule') errs.push(field.invalid(`${p}.minDomains`, md, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${action}`));
    }
    for (const pol of ['nodeAffinityPolicy', 'nodeTaintsPolicy']) {
      if (isSet(c[pol]) && !['Honor', 'Ignore'].includes(asStr(c[pol]))) errs.push(field.notSupported(`${p}.${pol}`, asStr(c[pol]), ['Honor', 'Ignore']));
    }
    const mlk = asArr(c.matchLabelKeys).map(asStr);
    if (mlk.length) {
      const mp = `${p}.matchLabelKeys`;
      const selKeys = new Set<string>();
      if (isSet(c.labelSelector)) {
        const s = asObj(c.labelSelector);
        for (const k of Object.keys(asObj(s.matchLabels))) selKeys.add(k);
        for (const e of asArr(s.matchExpressions)) selKeys.add(asStr(asObj(e).key));
      } else {
        errs.push(field.forbidden(mp, 'must not be specified when labelSelector is not set'));
      }
      mlk.forEach((k, j) => {
        errs.push(...labelName(k, `${mp}[${j}]`));
        if (selKeys.has(k)) errs.push(field.invalid(`${mp}[${j}]`, k, 'exists in both matchLabelKeys and labelSelector'));
      });
    }
    errs.push(...validateLabelSelector(c.labelSelector as Sel, `${p}.labelSelector`));
  });
  return errs;
}

const MAX_NAMESERVERS = 3;
const MAX_SEARCH_PATHS = 32;
const MAX_SEARCH_CHARS = 2048;

/** validatePodDNSConfig (`None` needs dnsConfig with a nameserver; limits from libc). */
export function validateDNSConfig(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const hasConfig = isSet(spec.dnsConfig);
  const cfg = asObj(spec.dnsConfig);
  const nameservers = asArr(cfg.nameservers).map(asStr);
  if (spec.dnsPolicy === 'None') {
    if (!hasConfig) return [field.required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (nameservers.length === 0) return [field.required(`${path}.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
  }
  if (!hasConfig) return errs;
  if (nameservers.length > MAX_NAMESERVERS) errs.push(invalidGo(`${path}.nameservers`, goStringSlice(nameservers), `must not have more than ${MAX_NAMESERVERS} nameservers`));
  nameservers.forEach((ns, i) => errs.push(...isValidIP(`${path}.nameservers[${i}]`, ns)));
  const searches = asArr(cfg.searches).map(asStr);
  if (searches.length > MAX_SEARCH_PATHS) errs.push(invalidGo(`${path}.searches`, goStringSlice(searches), `must not have more than ${MAX_SEARCH_PATHS} search paths`));
  if (searches.join(' ').length > MAX_SEARCH_CHARS) {
    errs.push(invalidGo(`${path}.searches`, goStringSlice(searches), `must not have more than ${MAX_SEARCH_CHARS} characters (including spaces) in the search list`));
  }
  searches.forEach((s, i) => errs.push(...dns1123Subdomain(s.endsWith('.') ? s.slice(0, -1) : s, `${path}.searches[${i}]`)));
  asArr(cfg.options).forEach((o, i) => { if (!asStr(asObj(o).name)) errs.push(field.required(`${path}.options[${i}]`, 'must not be empty')); });
  return errs;
}

/** validateReadinessGates and validateSchedulingGates. */
export function validateGates(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  asArr(spec.readinessGates).forEach((g, i) => errs.push(...qualifiedName(asStr(asObj(g).conditionType), `${path}.readinessGates[${i}].conditionType`)));
  const seen = new Set<string>();
  asArr(spec.schedulingGates).forEach((g, i) => {
    const name = asStr(asObj(g).name);
    errs.push(...qualifiedName(name, `${path}.schedulingGates[${i}]`));
    if (seen.has(name)) errs.push(field.duplicate(`${path}.schedulingGates[${i}]`, name));
    seen.add(name);
  });
  return errs;
}

/** ValidateHostAliases. */
export function validateHostAliases(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  asArr(spec.hostAliases).forEach((a, i) => {
    const alias = asObj(a);
    errs.push(...isValidIP(`${path}.hostAliases[${i}].ip`, asStr(alias.ip)));
    asArr(alias.hostnames).forEach((h, j) => errs.push(...dns1123Subdomain(asStr(h), `${path}.hostAliases[${i}].hostnames[${j}]`)));
  });
  return errs;
}

/**
 * checkHostPortConflicts over `containers` (paths from `listPath`, indexes from `offset`):
 * `<protocol>/<hostIP>/<hostPort>` must be unique.
 */
export function hostPortConflicts(containers: unknown[], listPath: string, offset = 0): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((c, ci) => {
    asArr(asObj(c).ports).forEach((pt, pi) => {
      const port = asObj(pt);
      const hp = typeof port.hostPort === 'number' ? port.hostPort : 0;
      if (hp === 0) return;
      const key = `${asStr(port.protocol)}/${asStr(port.hostIP)}/${hp}`;
      if (seen.has(key)) errs.push(field.duplicate(`${listPath}[${ci + offset}].ports[${pi}].hostPort`, key));
      else seen.add(key);
    });
  });
  return errs;
}

/** validatePodHostNetworkDeps: with hostNetwork, hostPort equals containerPort (0 allowed in templates). */
export function validateHostNetworkPorts(spec: Obj, path: string, isPod: boolean): FieldError[] {
  if (spec.hostNetwork !== true) return [];
  const errs: FieldError[] = [];
  asArr(spec.containers).forEach((c, i) => {
    asArr(asObj(c).ports).forEach((pt, j) => {
      const port = asObj(pt);
      const hp = typeof port.hostPort === 'number' ? port.hostPort : 0;
      const cp = typeof port.containerPort === 'number' ? port.containerPort : 0;
      if ((isPod || hp !== 0) && hp !== cp) errs.push(field.invalid(`${path}.containers[${i}].ports[${j}].hostPort`, hp, 'must match `containerPort` when `hostNetwork` is true'));
    });
  });
  return errs;
}
