/**
 * Cell formatting helpers shared by the server-side printers, each mirroring the Go helper
 * kube-apiserver 1.32 uses (cited per function). No regexes: these run once per row.
 */
import { canonicalQuantity } from './quantity.js';

/** Go's zero time as JSON; metav1.Time.IsZero() is true for it. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

/** Milliseconds since the epoch of an RFC3339 timestamp; undefined when absent or zero. */
export function parseTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '' || value === ZERO_TIME) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * k8s.io/apimachinery/pkg/util/duration.HumanDuration (v0.32): ~2-3 significant figures.
 * < -1s → `<invalid>`, (-2s, 0) → `0s`, < 2m → seconds, < 10m → `XmYs`, < 3h → minutes,
 * < 8h → `XhYm`, < 48h → hours, < 8d → `XdYh`, < 2y → days, < 8y → `XyYd`, else years.
 * Go truncates toward zero (int(d.Seconds()), int(d / time.Minute)).
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(ms / 3_600_000);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const dy = days % 365;
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${years}y`;
}

/** printers.go translateTimestampSince / translateMicroTimestampSince: `<unknown>` when zero. */
export function since(timestamp: unknown, now: Date): string {
  const t = parseTime(timestamp);
  return t === undefined ? '<unknown>' : humanDuration(now.getTime() - t);
}

/** metav1.Time formatted as RFC3339 in UTC (the default table convertor's Created At cell). */
export function rfc3339(timestamp: unknown): string {
  const t = parseTime(timestamp);
  if (t === undefined) return ZERO_TIME;
  const iso = new Date(t).toISOString(); // 2006-01-02T15:04:05.000Z
  return iso.slice(0, 19) + 'Z';
}

/** labels.FormatLabels: Set.String() (sorted "k=v" joined by ","), `<none>` when empty. */
export function formatLabels(map: Record<string, string> | undefined | null): string {
  if (!map) return '<none>';
  const parts: string[] = [];
  for (const k in map) parts.push(k + '=' + map[k]);
  if (parts.length === 0) return '<none>';
  if (parts.length > 1) parts.sort(compareStrings);
  return parts.join(',');
}

export interface LabelSelectorRequirementLike { key?: string; operator?: string; values?: string[] }
export interface LabelSelectorLike {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirementLike[];
}

/**
 * metav1.LabelSelectorAsSelector(sel).String(): requirements sorted by key (internalSelector.Add),
 * `k=v`, `k in (a,b)` (values sorted), `k notin (…)`, `k`, `!k`. nil (Nothing) and empty
 * (Everything) selectors print "". Returns undefined for an unknown operator (the Go error path).
 */
export function labelSelectorString(sel: LabelSelectorLike | undefined | null): string | undefined {
  if (!sel) return '';
  const reqs: Array<[string, string]> = [];
  const ml = sel.matchLabels;
  if (ml) for (const k in ml) reqs.push([k, k + '=' + ml[k]]);
  for (const e of sel.matchExpressions ?? []) {
    const key = e.key ?? '';
    const values = e.values ?? [];
    const list = values.length === 1 ? values[0] : [...values].sort(compareStrings).join(',');
    switch (e.operator) {
      case 'In': reqs.push([key, `${key} in (${list})`]); break;
      case 'NotIn': reqs.push([key, `${key} notin (${list})`]); break;
      case 'Exists': reqs.push([key, key]); break;
      case 'DoesNotExist': reqs.push([key, '!' + key]); break;
      default: return undefined;
    }
  }
  if (reqs.length > 1) reqs.sort((x, y) => compareStrings(x[0], y[0]));
  let out = '';
  for (let i = 0; i < reqs.length; i++) out += (i ? ',' : '') + reqs[i][1];
  return out;
}

/** metav1.FormatLabelSelector: `<none>` when empty, `<error>` when the selector does not convert. */
export function formatLabelSelector(sel: LabelSelectorLike | undefined | null): string {
  const s = labelSelectorString(sel);
  if (s === undefined) return '<error>';
  return s === '' ? '<none>' : s;
}

export interface ContainerLike { name?: string; image?: string; restartPolicy?: string }

/** printers.go layoutContainerCells: names and images joined by ",". */
export function containerCells(containers: ContainerLike[] | undefined): [string, string] {
  if (!containers || containers.length === 0) return ['', ''];
  let names = '';
  let images = '';
  for (let i = 0; i < containers.length; i++) {
    if (i) { names += ','; images += ','; }
    names += containers[i].name ?? '';
    images += containers[i].image ?? '';
  }
  return [names, images];
}

/** printers.go listWithMoreString: `a,b,c + N more...`, `<unset>` when empty. */
export function listWithMore(list: string[], more: boolean, count: number, max: number): string {
  const ret = list.join(',');
  if (more) return `${ret} + ${count - max} more...`;
  return ret === '' ? '<unset>' : ret;
}

/** intstr.IntOrString.String(). */
export function intOrString(v: unknown): string {
  if (typeof v === 'number') return String(Math.trunc(v));
  return typeof v === 'string' ? v : '0';
}

/** printers.go printBoolPtr: `True`, `False`, `<unset>`. */
export function boolPtr(v: unknown): string {
  if (v === true) return 'True';
  if (v === false) return 'False';
  return '<unset>';
}

/** core/helper.GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order, deduplicated. */
export function accessModes(modes: string[] | undefined): string {
  if (!modes || modes.length === 0) return '';
  const out: string[] = [];
  if (modes.includes('ReadWriteOnce')) out.push('RWO');
  if (modes.includes('ReadOnlyMany')) out.push('ROX');
  if (modes.includes('ReadWriteMany')) out.push('RWX');
  if (modes.includes('ReadWriteOncePod')) out.push('RWOP');
  return out.join(',');
}

/**
 * resource.Quantity.String() of a stored quantity, in the canonical form kube-apiserver's
 * decoding gives it; a missing value is the zero Quantity, "0".
 */
export function quantity(v: unknown): string {
  if (typeof v === 'string') return canonicalQuantity(v);
  if (typeof v === 'number') return canonicalQuantity(String(v));
  return '0';
}

/** (*resource.Quantity).String() of a pointer field: `<nil>` when absent. */
export function quantityPtr(v: unknown): string {
  return v === undefined || v === null ? '<nil>' : quantity(v);
}

/** schema.GroupKind / GroupResource String(): `name.group`, or `name` for the core group. */
export function groupQualified(name: string, group: string | undefined): string {
  return group ? name + '.' + group : name;
}

/** Go's string ordering (bytewise; equal to UTF-16 order for the ASCII of names and labels). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** sets.NewString(...).List(): unique, sorted. */
export function sortedUnique(values: string[]): string[] {
  if (values.length <= 1) return values;
  const out = [...new Set(values)];
  out.sort(compareStrings);
  return out;
}
