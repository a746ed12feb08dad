/**
 * String formats checked for custom resources: the ones apiextensions-apiserver keeps
 * (k8s.io/kube-openapi/pkg/validation/strfmt default registry, as pkg/apiserver/validation
 * restricts them). Unknown formats are accepted, as upstream ignores them.
 */

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const CHECKS: Record<string, (s: string) => boolean> = {
  'date-time': (s) => RFC3339.test(s) && !Number.isNaN(Date.parse(s.replace(' ', 'T'))),
  date: (s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)),
  uuid: (s) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(s),
  ipv4: (s) => /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(s),
  hostname: (s) => s.length <= 255 && /^[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?)*$/.test(s),
  byte: (s) => /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s),
  duration: (s) => /^[-+]?((\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+|0)$/.test(s),
};

/** True when `s` is valid for `format` (int32/int64/double formats are numeric and checked elsewhere). */
export function checkFormat(format: string, s: string): boolean {
  const f = CHECKS[format];
  return f ? f(s) : true;
}
