/**
 * The AWS Load Balancer Controller's Ingress validating webhook (`vingress.elbv2.k8s.aws`, its
 * webhooks/networking/ingress_validator.go + pkg/ingress/class_loader.go) as far as IngressClass
 * parameters go: an Ingress whose class names an IngressClassParams with a `namespaceSelector`
 * may only live in namespaces whose labels match it. The denial reads as kubectl shows it on EKS:
 *
 *   Error from server (invalid ingress class: namespaceSelector of IngressClassParams X mismatch):
 *   … admission webhook "vingress.elbv2.k8s.aws" denied the request: invalid ingress class: …
 *
 * (controller-runtime puts the denial text in Status.reason; kube-apiserver prefixes the message
 * with the webhook's name, pkg/admission/plugin/webhook/errors.ToStatusErr).
 */
import type { KubeObject } from '../api/types.js';
import { StatusError, type StatusReason } from '../apimachinery/errors.js';
import { labelSelectorFromMeta, type MetaLabelSelector } from '../apimachinery/labels.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';

export const ALB_CONTROLLER_NAME = 'ingress.k8s.aws/alb';

export interface AlbIngressClassOptions {
  /** Reads an object of the cluster (undefined when absent): ingressclasses, ingressclassparams, namespaces. */
  get(resource: 'ingressclasses' | 'ingressclassparams' | 'namespaces', name: string): Promise<KubeObject | undefined>;
}

function denied(message: string): StatusError {
  return new StatusError(403, message as StatusReason, `admission webhook "vingress.elbv2.k8s.aws" denied the request: ${message}`);
}

export function albIngressClassValidator(o: AlbIngressClassOptions): AdmissionPlugin {
  return {
    name: 'AwsLoadBalancerControllerIngressValidator',
    async validate(a: AdmissionAttributes): Promise<void> {
      if ((a.operation !== 'CREATE' && a.operation !== 'UPDATE') || a.group !== 'networking.k8s.io' || a.resource !== 'ingresses' || a.subresource !== '' || !a.object) return;
      // The webhook only looks at Ingresses that name their class (the annotation form has no parameters).
      const className = (a.object.spec as { ingressClassName?: string } | undefined)?.ingressClassName;
      if (!className) return;
      const ic = await o.get('ingressclasses', className);
      const spec = ic?.spec as { controller?: string; parameters?: { apiGroup?: string; kind?: string; name?: string } } | undefined;
      if (spec?.controller !== ALB_CONTROLLER_NAME) return;
      const p = spec.parameters;
      if (!p || p.apiGroup !== 'elbv2.k8s.aws' || p.kind !== 'IngressClassParams' || !p.name) return;
      const params = await o.get('ingressclassparams', p.name);
      if (!params) throw denied(`invalid ingress class: IngressClassParams.elbv2.k8s.aws "${p.name}" not found`);
      const sel = (params.spec as { namespaceSelector?: MetaLabelSelector } | undefined)?.namespaceSelector;
      if (!sel) return;
      const ns = await o.get('namespaces', a.namespace);
      if (!labelSelectorFromMeta(sel).matches(ns?.metadata.labels ?? {})) {
        throw denied(`invalid ingress class: namespaceSelector of IngressClassParams ${p.name} mismatch`);
      }
    },
  };
}
