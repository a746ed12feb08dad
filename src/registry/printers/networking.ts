/**
 * networking.k8s.io printers: ingresses (NAME CLASS HOSTS ADDRESS PORTS AGE), ingressclasses,
 * networkpolicies, servicecidrs and ipaddresses, as the print functions of
 * pkg/printers/internalversion/printers.go (Kubernetes 1.32).
 */
import type { KubeObject } from '../../api/types.js';
import type { TablePrinter } from './types.js';
import { AGE, NAME, ageOf, col, columns, docCol, nameOf } from './columns.js';
import { formatLabelSelector, groupQualified, type LabelSelectorLike } from './format.js';
import { loadBalancerStatus, type LoadBalancerIngressLike } from './services.js';

interface IngressLike extends KubeObject {
  spec?: { ingressClassName?: string | null; rules?: Array<{ host?: string }>; tls?: unknown[] };
  status?: { loadBalancer?: { ingress?: LoadBalancerIngressLike[] } };
}

/** printers.go formatHosts: up to 3 hosts, `*` when none, ` + N more...` counting all rules. */
function formatHosts(rules: Array<{ host?: string }> | undefined): string {
  if (!rules) return '*';
  const max = 3;
  const list: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (list.length === max) more = true;
    if (!more && rule.host) list.push(rule.host);
  }
  if (list.length === 0) return '*';
  const ret = list.join(',');
  return more ? `${ret} + ${rules.length - max} more...` : ret;
}

export const ingressPrinter: TablePrinter = {
  columns: columns(
    NAME,
    col('Class', 'string', 'The name of the IngressClass resource that should be used for additional configuration'),
    col('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
    col('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
    col('Ports', 'string', 'Ports of TLS configurations that open'),
    AGE,
  ),
  cells(obj, ctx) {
    const ing = obj as IngressLike;
    const cls = typeof ing.spec?.ingressClassName === 'string' ? ing.spec.ingressClassName : '<none>';
    const ports = ing.spec?.tls && ing.spec.tls.length > 0 ? '80, 443' : '80';
    return [
      nameOf(ing), cls, formatHosts(ing.spec?.rules), loadBalancerStatus(ing.status?.loadBalancer?.ingress), ports,
      ageOf(ing, ctx),
    ];
  },
};

interface IngressClassLike extends KubeObject {
  spec?: { controller?: string; parameters?: { apiGroup?: string | null; kind?: string; name?: string } };
}

export const ingressClassPrinter: TablePrinter = {
  columns: columns(
    NAME,
    col('Controller', 'string', 'Controller that is responsible for handling this class'),
    col('Parameters', 'string', 'A reference to a resource with additional parameters'),
    AGE,
  ),
  cells(obj, ctx) {
    const ic = obj as IngressClassLike;
    const p = ic.spec?.parameters;
    let parameters = '<none>';
    if (p) {
      parameters = p.kind ?? '';
      if (typeof p.apiGroup === 'string') parameters += '.' + p.apiGroup;
      parameters += '/' + (p.name ?? '');
    }
    return [nameOf(ic), ic.spec?.controller ?? '', parameters, ageOf(ic, ctx)];
  },
};

export const networkPolicyPrinter: TablePrinter = {
  columns: columns(NAME, docCol('Pod-Selector', 'string', 'extensions/v1beta1 NetworkPolicySpec.podSelector'), AGE),
  cells(obj, ctx) {
    // FormatLabelSelector(&spec.PodSelector): the empty selector prints `<none>`.
    const sel = (obj as { spec?: { podSelector?: LabelSelectorLike } }).spec?.podSelector ?? {};
    return [nameOf(obj), formatLabelSelector(sel), ageOf(obj, ctx)];
  },
};

export const serviceCIDRPrinter: TablePrinter = {
  columns: columns(NAME, docCol('CIDRs', 'string', 'networking/v1beta1 ServiceCIDRSpec.cidrs'), AGE),
  cells: (obj, ctx) => [nameOf(obj), ((obj as { spec?: { cidrs?: string[] } }).spec?.cidrs ?? []).join(','), ageOf(obj, ctx)],
};

interface IPAddressLike extends KubeObject {
  spec?: { parentRef?: { group?: string; resource?: string; namespace?: string; name?: string } | null };
}

export const ipAddressPrinter: TablePrinter = {
  // Upstream declares two columns but appends three cells (the age too); mirrored as is.
  columns: columns(NAME, docCol('ParentRef', 'string', 'networking/v1beta1 IPAddressSpec.parentRef')),
  cells(obj, ctx) {
    const ref = (obj as IPAddressLike).spec?.parentRef;
    let parent = '<none>';
    if (ref) {
      parent = groupQualified(ref.resource ?? '', ref.group).toLowerCase();
      if (ref.namespace) parent += '/' + ref.namespace;
      parent += '/' + (ref.name ?? '');
    }
    return [nameOf(obj), parent, ageOf(obj, ctx)];
  },
};
