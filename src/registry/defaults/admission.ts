/**
 * admissionregistration.k8s.io/v1 defaults (pkg/apis/admissionregistration/v1/defaults.go):
 * webhooks (Fail, Equivalent, empty selectors, 10 s, mutating ones reinvocationPolicy Never),
 * rules' scope "*", service port 443, and ValidatingAdmissionPolicy(Binding) match resources.
 */
import { defaultNil, itemsOf, objOf, struct, type Obj } from './util.js';

/** SetDefaults_Rule: scope "*" (AllScopes). */
function defaultRules(rules: unknown): void {
  for (const r of itemsOf(rules)) defaultNil(r, 'scope', '*');
}

/** SetDefaults_ServiceReference: port 443. */
export function defaultServiceReference(service: unknown): void {
  const s = objOf(service);
  if (s) defaultNil(s, 'port', 443);
}

function defaultWebhook(w: Obj, mutating: boolean): void {
  defaultNil(w, 'failurePolicy', 'Fail');
  defaultNil(w, 'matchPolicy', 'Equivalent');
  defaultNil(w, 'namespaceSelector', {});
  defaultNil(w, 'objectSelector', {});
  defaultNil(w, 'timeoutSeconds', 10);
  if (mutating) defaultNil(w, 'reinvocationPolicy', 'Never');
  defaultServiceReference(objOf(w.clientConfig)?.service);
  defaultRules(w.rules);
}

export function defaultValidatingWebhookConfiguration(cfg: Obj): void {
  for (const w of itemsOf(cfg.webhooks)) defaultWebhook(w, false);
}

export function defaultMutatingWebhookConfiguration(cfg: Obj): void {
  for (const w of itemsOf(cfg.webhooks)) defaultWebhook(w, true);
}

/** SetDefaults_MatchResources and the rules inside it. */
function defaultMatchResources(m: unknown): void {
  const match = objOf(m);
  if (!match) return;
  defaultNil(match, 'matchPolicy', 'Equivalent');
  defaultNil(match, 'namespaceSelector', {});
  defaultNil(match, 'objectSelector', {});
  defaultRules(match.resourceRules);
  defaultRules(match.excludeResourceRules);
}

/** SetDefaults_ValidatingAdmissionPolicySpec: failurePolicy Fail; matchConstraints defaults. */
export function defaultValidatingAdmissionPolicy(vap: Obj): void {
  const spec = struct(vap, 'spec');
  defaultNil(spec, 'failurePolicy', 'Fail');
  defaultMatchResources(spec.matchConstraints);
}

export function defaultValidatingAdmissionPolicyBinding(b: Obj): void {
  defaultMatchResources(objOf(b.spec)?.matchResources);
}
