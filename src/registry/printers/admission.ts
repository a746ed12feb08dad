/**
 * admissionregistration.k8s.io printers: mutating/validating webhook configurations (WEBHOOKS AGE),
 * validating/mutating admission policies and their bindings, as the print functions of
 * pkg/printers/internalversion/printers.go (Kubernetes 1.32).
 */
import type { KubeObject } from '../../api/types.js';
import type { TablePrinter } from './types.js';
import { AGE, NAME, ageOf, col, columns, nameOf } from './columns.js';
import { compareStrings, type LabelSelectorLike } from './format.js';

const WEBHOOKS = col('Webhooks', 'integer', 'Webhooks indicates the number of webhooks registered in this configuration');

function webhookConfigurationPrinter(): TablePrinter {
  return {
    columns: columns(NAME, WEBHOOKS, AGE),
    cells: (obj, ctx) => [nameOf(obj), Array.isArray(obj.webhooks) ? obj.webhooks.length : 0, ageOf(obj, ctx)],
  };
}

export const mutatingWebhookConfigurationPrinter = webhookConfigurationPrinter();
export const validatingWebhookConfigurationPrinter = webhookConfigurationPrinter();

interface PolicyLike extends KubeObject {
  spec?: { paramKind?: { apiVersion?: string; kind?: string } | null; validations?: unknown[]; mutations?: unknown[] };
}

const PARAM_KIND = col('ParamKind', 'string', 'ParamKind specifies the kind of resources used to parameterize this policy');

function policyPrinter(countColumn: string, countDescription: string, field: 'validations' | 'mutations'): TablePrinter {
  return {
    columns: columns(NAME, col(countColumn, 'integer', countDescription), PARAM_KIND, AGE),
    cells(obj, ctx) {
      const spec = (obj as PolicyLike).spec ?? {};
      const pk = spec.paramKind;
      const paramKind = pk ? `${pk.apiVersion ?? ''}/${pk.kind ?? ''}` : '<unset>';
      return [nameOf(obj), spec[field]?.length ?? 0, paramKind, ageOf(obj, ctx)];
    },
  };
}

export const validatingAdmissionPolicyPrinter = policyPrinter(
  'Validations', 'Validations indicates the number of validation rules defined in this configuration', 'validations');
export const mutatingAdmissionPolicyPrinter = policyPrinter(
  'Mutations', 'Mutation indicates the number of mutations rules defined in this configuration', 'mutations');

/** The generated (*metav1.LabelSelector).String() (gogo protobuf style). */
export function labelSelectorGoString(sel: LabelSelectorLike): string {
  const ml = sel.matchLabels ?? {};
  let labels = '';
  for (const k of Object.keys(ml).sort(compareStrings)) labels += `${k}: ${ml[k]},`;
  let exprs = '';
  for (const e of sel.matchExpressions ?? []) {
    exprs += `LabelSelectorRequirement{Key:${e.key ?? ''},Operator:${e.operator ?? ''},Values:[${(e.values ?? []).join(' ')}],},`;
  }
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${exprs}},}`;
}

interface BindingLike extends KubeObject {
  spec?: { policyName?: string; paramRef?: { name?: string; namespace?: string; selector?: LabelSelectorLike | null } | null };
}

function bindingPrinter(): TablePrinter {
  return {
    columns: columns(
      NAME,
      col('PolicyName', 'string', 'PolicyName indicates the policy definition which the policy binding binded to'),
      col('ParamRef', 'string', 'ParamRef indicates the param resource which sets the configration param'),
      AGE,
    ),
    cells(obj, ctx) {
      const spec = (obj as BindingLike).spec ?? {};
      const pr = spec.paramRef;
      let paramName = '<unset>';
      if (pr) {
        if (pr.name) {
          // Can't tell whether the param is cluster-scoped, so params without namespace get "*/".
          paramName = pr.namespace ? `${pr.namespace}/${pr.name}` : `*/${pr.name}`;
        } else if (pr.selector) {
          paramName = labelSelectorGoString(pr.selector);
        }
      }
      return [nameOf(obj), spec.policyName ?? '', paramName, ageOf(obj, ctx)];
    },
  };
}

export const validatingAdmissionPolicyBindingPrinter = bindingPrinter();
export const mutatingAdmissionPolicyBindingPrinter = bindingPrinter();
