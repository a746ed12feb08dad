/**
 * Validating/MutatingWebhookConfiguration validation, as
 * pkg/apis/admissionregistration/validation/validation.go (1.32) with
 * k8s.io/apiserver/pkg/util/webhook (ValidateWebhookURL, ValidateWebhookService): webhook names
 * fully qualified and unique, rules (operations, apiGroups, apiVersions, resources with
 * subresource wildcards, scope), failurePolicy, matchPolicy, sideEffects (None/NoneOnDryRun on
 * create), timeoutSeconds 1–30, selectors, reinvocationPolicy, clientConfig with exactly one of
 * url/service, admissionReviewVersions. On update the relaxations of the old object apply
 * (side effects, unknown review versions, repeated names already present).
 * matchConditions (CEL) are not compiled here; see the report of the validation work.
 */
import type { KubeObject } from '../../api/types.js';
import { field, type FieldError } from '../../apimachinery/errors.js';
import { validateLabelSelector } from '../../apimachinery/validation/objectmeta.js';
import { isDNS1035Label, isDNS1123Subdomain } from '../../apimachinery/validation/names.js';
import { goStringSlice } from '../../apimachinery/validation/objectmeta.js';
import { asArr, asObj, asStr, goQuote, invalidGo, isSet, isValidPortNum, type Obj } from './helpers.js';

type Sel = Parameters<typeof validateLabelSelector>[0];
const ACCEPTED_REVIEW_VERSIONS = ['v1', 'v1beta1'];
const SIDE_EFFECTS_ALL = ['None', 'NoneOnDryRun', 'Some', 'Unknown'];
const SIDE_EFFECTS_NONE = ['None', 'NoneOnDryRun'];
const OPERATIONS = ['*', 'CONNECT', 'CREATE', 'DELETE', 'UPDATE'];
const URL_FORM = '; desired format: https://host[/path]';

interface Opts { requireNoSideEffects: boolean; requireRecognizedVersion: boolean; requireUniqueNames: boolean }

/** validation.IsFullyQualifiedName (three segments at least). */
function fullyQualifiedName(path: string, name: string): FieldError[] {
  if (!name) return [field.required(path, '')];
  const e = isDNS1123Subdomain(name);
  if (e.length) return [field.invalid(path, name, e.join(','))];
  return name.split('.').length < 3 ? [field.invalid(path, name, 'should be a domain with at least three segments separated by dots')] : [];
}

function validateResources(resources: string[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (resources.length === 0) errs.push(field.required(path, ''));
  const resWithWildSub = new Set<string>();
  const subWithWildRes = new Set<string>();
  let doubleWild = false;
  let singleWild = false;
  let plain = false;
  resources.forEach((rs, i) => {
    if (rs === '') { errs.push(field.required(`${path}[${i}]`, '')); return; }
    if (rs === '*/*') doubleWild = true;
    if (rs === '*') singleWild = true;
    const slash = rs.indexOf('/');
    if (slash < 0) { plain = rs !== '*'; return; }
    const res = rs.slice(0, slash);
    const sub = rs.slice(slash + 1);
    if (resWithWildSub.has(res)) errs.push(field.invalid(`${path}[${i}]`, rs, `if '${res}/*' is present, must not specify ${rs}`));
    if (subWithWildRes.has(sub)) errs.push(field.invalid(`${path}[${i}]`, rs, `if '*/${sub}' is present, must not specify ${rs}`));
    if (sub === '*') resWithWildSub.add(res);
    if (res === '*') subWithWildRes.add(sub);
  });
  if (resources.length > 1 && doubleWild) errs.push(invalidGo(path, goStringSlice(resources), "if '*/*' is present, must not specify other resources"));
  if (singleWild && plain) errs.push(invalidGo(path, goStringSlice(resources), "if '*' is present, must not specify other resources without subresources"));
  return errs;
}

/** validateRuleWithOperations + validateRule (subresources allowed). */
function validateRule(rule: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const ops = asArr(rule.operations).map(asStr);
  if (ops.length === 0) errs.push(field.required(`${path}.operations`, ''));
  if (ops.length > 1 && ops.includes('*')) {
    errs.push(invalidGo(`${path}.operations`, `[]admissionregistration.OperationType{${ops.map(goQuote).join(', ')}}`, "if '*' is present, must not specify other operations"));
  }
  ops.forEach((o, i) => { if (!OPERATIONS.includes(o)) errs.push(field.notSupported(`${path}.operations[${i}]`, o, OPERATIONS)); });
  const groups = asArr(rule.apiGroups).map(asStr);
  if (groups.length === 0) errs.push(field.required(`${path}.apiGroups`, ''));
  if (groups.length > 1 && groups.includes('*')) errs.push(invalidGo(`${path}.apiGroups`, goStringSlice(groups), "if '*' is present, must not specify other API groups"));
  const versions = asArr(rule.apiVersions).map(asStr);
  if (versions.length === 0) errs.push(field.required(`${path}.apiVersions`, ''));
  if (versions.length > 1 && versions.includes('*')) errs.push(invalidGo(`${path}.apiVersions`, goStringSlice(versions), "if '*' is present, must not specify other API versions"));
  versions.forEach((v, i) => { if (v === '') errs.push(field.required(`${path}.apiVersions[${i}]`, '')); });
  errs.push(...validateResources(asArr(rule.resources).map(asStr), `${path}.resources`));
  if (isSet(rule.scope) && !['*', 'Cluster', 'Namespaced'].includes(asStr(rule.scope))) errs.push(field.notSupported(`${path}.scope`, asStr(rule.scope), ['*', 'Cluster', 'Namespaced']));
  return errs;
}

/** The parts of Go's url.Parse that ValidateWebhookURL looks at. */
function goURL(s: string): { scheme: string; host: string; user?: string; fragment: string; rawQuery: string } {
  let rest = s;
  let fragment = '';
  const h = rest.indexOf('#');
  if (h >= 0) { fragment = rest.slice(h + 1); rest = rest.slice(0, h); }
  let scheme = '';
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(rest);
  if (m) { scheme = m[1]!.toLowerCase(); rest = rest.slice(m[0].length); }
  let rawQuery = '';
  const q = rest.indexOf('?');
  if (q >= 0) { rawQuery = rest.slice(q + 1); rest = rest.slice(0, q); }
  let host = '';
  let user: string | undefined;
  if (rest.startsWith('//')) {
    const auth = rest.slice(2).split('/')[0]!;
    const at = auth.lastIndexOf('@');
    if (at >= 0) { user = auth.slice(0, at); host = auth.slice(at + 1); } else host = auth;
  }
  return { scheme, host, user, fragment, rawQuery };
}

function validateURL(path: string, url: string): FieldError[] {
  const u = goURL(url);
  const errs: FieldError[] = [];
  if (u.scheme !== 'https') errs.push(field.invalid(path, u.scheme, `'https' is the only allowed URL scheme${URL_FORM}`));
  if (!u.host) errs.push(field.invalid(path, u.host, `host must be provided${URL_FORM}`));
  if (u.user !== undefined) errs.push(field.invalid(path, u.user, 'user information is not permitted in the URL'));
  if (u.fragment) errs.push(field.invalid(path, u.fragment, 'fragments are not permitted in the URL'));
  if (u.rawQuery) errs.push(field.invalid(path, u.rawQuery, 'query parameters are not permitted in the URL'));
  return errs;
}

/**
 * ValidateWebhookService. Upstream calls it with the service's name and namespace swapped
 * (name in the `namespace` parameter), so a missing name reports `namespace: … service
 * namespace is required` and vice versa; mirrored here.
 */
function validateService(path: string, svc: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const nsParam = asStr(svc.name);
  const nameParam = asStr(svc.namespace);
  if (!nameParam) errs.push(field.required(`${path}.name`, 'service name is required'));
  if (!nsParam) errs.push(field.required(`${path}.namespace`, 'service namespace is required'));
  const port = typeof svc.port === 'number' ? svc.port : 443;
  const pe = isValidPortNum(port);
  if (pe.length) errs.push(field.invalid(`${path}.port`, port, `port is not valid: ${pe.join(', ')}`));
  if (!isSet(svc.path)) return errs;
  const p = asStr(svc.path);
  if (p === '/' || p === '') return errs;
  if (p === '//') return [...errs, field.invalid(`${path}.path`, p, 'segment[0] may not be empty')];
  if (!p.startsWith('/')) errs.push(field.invalid(`${path}.path`, p, "must start with a '/'"));
  let check = p.slice(1);
  if (check.endsWith('/')) check = check.slice(0, -1);
  check.split('/').forEach((step, i) => {
    if (!step) { errs.push(field.invalid(`${path}.path`, p, `segment[${i}] may not be empty`)); return; }
    for (const f of isDNS1123Subdomain(step)) errs.push(field.invalid(`${path}.path`, p, `segment[${i}]: ${f}`));
  });
  return errs;
}

function validateHook(hook: Obj, path: string, opts: Opts, mutating: boolean): FieldError[] {
  const errs: FieldError[] = [...fullyQualifiedName(`${path}.name`, asStr(hook.name))];
  asArr(hook.rules).forEach((r, i) => errs.push(...validateRule(asObj(r), `${path}.rules[${i}]`)));
  if (isSet(hook.failurePolicy) && !['Fail', 'Ignore'].includes(asStr(hook.failurePolicy))) errs.push(field.notSupported(`${path}.failurePolicy`, asStr(hook.failurePolicy), ['Fail', 'Ignore']));
  if (isSet(hook.matchPolicy) && !['Equivalent', 'Exact'].includes(asStr(hook.matchPolicy))) errs.push(field.notSupported(`${path}.matchPolicy`, asStr(hook.matchPolicy), ['Equivalent', 'Exact']));
  const allowed = opts.requireNoSideEffects ? SIDE_EFFECTS_NONE : SIDE_EFFECTS_ALL;
  if (!isSet(hook.sideEffects)) errs.push(field.required(`${path}.sideEffects`, `must specify one of ${allowed.join(', ')}`));
  else if (!allowed.includes(asStr(hook.sideEffects))) errs.push(field.notSupported(`${path}.sideEffects`, asStr(hook.sideEffects), allowed));
  const t = hook.timeoutSeconds;
  if (typeof t === 'number' && (t > 30 || t < 1)) errs.push(field.invalid(`${path}.timeoutSeconds`, t, 'the timeout value must be between 1 and 30 seconds'));
  if (isSet(hook.namespaceSelector)) errs.push(...validateLabelSelector(hook.namespaceSelector as Sel, `${path}.namespaceSelector`));
  if (isSet(hook.objectSelector)) errs.push(...validateLabelSelector(hook.objectSelector as Sel, `${path}.objectSelector`));
  if (mutating && isSet(hook.reinvocationPolicy) && !['IfNeeded', 'Never'].includes(asStr(hook.reinvocationPolicy))) {
    errs.push(field.notSupported(`${path}.reinvocationPolicy`, asStr(hook.reinvocationPolicy), ['IfNeeded', 'Never']));
  }
  const cc = asObj(hook.clientConfig);
  if (isSet(cc.url) === isSet(cc.service)) errs.push(field.required(`${path}.clientConfig`, 'exactly one of url or service is required'));
  else if (isSet(cc.url)) errs.push(...validateURL(`${path}.clientConfig.url`, asStr(cc.url)));
  else errs.push(...validateService(`${path}.clientConfig.service`, asObj(cc.service)));
  return errs;
}

function validateReviewVersions(versions: string[], requireRecognized: boolean, path: string): FieldError[] {
  if (versions.length < 1) return [field.required(path, `must specify one of ${ACCEPTED_REVIEW_VERSIONS.join(', ')}`)];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  let accepted = false;
  versions.forEach((v, i) => {
    if (seen.has(v)) { errs.push(field.invalid(`${path}[${i}]`, v, 'duplicate version')); return; }
    seen.add(v);
    for (const m of isDNS1035Label(v)) errs.push(field.invalid(`${path}[${i}]`, v, m));
    if (ACCEPTED_REVIEW_VERSIONS.includes(v)) accepted = true;
  });
  if (requireRecognized && !accepted) errs.push(invalidGo(path, goStringSlice(versions), `must include at least one of ${ACCEPTED_REVIEW_VERSIONS.join(', ')}`));
  return errs;
}

function validateConfig(obj: KubeObject, opts: Opts, mutating: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  asArr((obj as unknown as Obj).webhooks).forEach((w, i) => {
    const hook = asObj(w);
    const p = `webhooks[${i}]`;
    errs.push(...validateHook(hook, p, opts, mutating));
    errs.push(...validateReviewVersions(asArr(hook.admissionReviewVersions).map(asStr), opts.requireRecognizedVersion, `${p}.admissionReviewVersions`));
    const name = asStr(hook.name);
    if (opts.requireUniqueNames && name) {
      if (names.has(name)) errs.push(field.duplicate(`${p}.name`, name));
      else names.add(name);
    }
  });
  return errs;
}

const CREATE_OPTS: Opts = { requireNoSideEffects: true, requireRecognizedVersion: true, requireUniqueNames: true };

/** The relaxations an update inherits from the old object (…HasNoSideEffects, …HasAccepted…, …HasUniqueWebhookNames). */
function updateOpts(old: KubeObject): Opts {
  const hooks = asArr((old as unknown as Obj).webhooks).map(asObj);
  const names = hooks.map((h) => asStr(h.name));
  return {
    requireNoSideEffects: hooks.every((h) => SIDE_EFFECTS_NONE.includes(asStr(h.sideEffects))),
    requireRecognizedVersion: hooks.every((h) => {
      const vs = asArr(h.admissionReviewVersions).map(asStr);
      return vs.length === 0 || vs.some((v) => ACCEPTED_REVIEW_VERSIONS.includes(v));
    }),
    requireUniqueNames: new Set(names).size === names.length,
  };
}

export const validateValidatingWebhookConfiguration = (obj: KubeObject): FieldError[] => validateConfig(obj, CREATE_OPTS, false);
export const validateValidatingWebhookConfigurationUpdate = (obj: KubeObject, old: KubeObject): FieldError[] => validateConfig(obj, updateOpts(old), false);
export const validateMutatingWebhookConfiguration = (obj: KubeObject): FieldError[] => validateConfig(obj, CREATE_OPTS, true);
export const validateMutatingWebhookConfigurationUpdate = (obj: KubeObject, old: KubeObject): FieldError[] => validateConfig(obj, updateOpts(old), true);
