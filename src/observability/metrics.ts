/**
 * The API server's own telemetry in Prometheus text format (exposition format 0.0.4), with
 * kube-apiserver's metric names: apiserver_request_total, apiserver_request_duration_seconds,
 * apiserver_storage_objects and apiserver_storage_size_bytes. One instance per cluster.
 *
 * Written here rather than with prom-client: observe() runs on every request, and prom-client
 * re-validates and hashes the label set each time (8.7% of CPU in the GET benchmark) and costs
 * ~45 ms of start-up to import; here a label set is one string key into a Map.
 */

export interface RequestLabels {
  verb: string;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  scope: string;
  code: number;
}

export interface StorageStats {
  /** Object counts per resource ("<resource>.<group>" or "<resource>" for core, as upstream labels them). */
  objects(): Promise<Array<{ resource: string; count: number }>>;
  sizeBytes(): Promise<number>;
}

/** kube-apiserver's request duration buckets (k8s.io/apiserver/pkg/endpoints/metrics). */
export const DURATION_BUCKETS = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];

const REQUEST_LABELS = ['verb', 'group', 'version', 'resource', 'subresource', 'scope', 'component'] as const;

interface HistogramCell { buckets: Float64Array; sum: number; count: number }

export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labelText(names: readonly string[], values: readonly string[]): string {
  return names.map((n, i) => `${n}="${escapeLabelValue(values[i] ?? '')}"`).join(',');
}

export class ApiMetrics {
  /** key (label values joined by \x01, code last) → count */
  private readonly requests = new Map<string, number>();
  /** key (label values joined by \x01) → histogram */
  private readonly durations = new Map<string, HistogramCell>();

  constructor(private readonly stats?: StorageStats) {}

  observe(l: RequestLabels, seconds: number): void {
    const base = `${l.verb}\x01${l.group}\x01${l.version}\x01${l.resource}\x01${l.subresource}\x01${l.scope}\x01apiserver`;
    const rk = `${base}\x01${l.code}`;
    this.requests.set(rk, (this.requests.get(rk) ?? 0) + 1);
    let h = this.durations.get(base);
    if (!h) {
      h = { buckets: new Float64Array(DURATION_BUCKETS.length), sum: 0, count: 0 };
      this.durations.set(base, h);
    }
    for (let i = 0; i < DURATION_BUCKETS.length; i++) if (seconds <= DURATION_BUCKETS[i]) h.buckets[i]++;
    h.sum += seconds;
    h.count++;
  }

  async text(): Promise<{ contentType: string; body: string }> {
    const out: string[] = [];
    out.push('# HELP apiserver_request_duration_seconds Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.');
    out.push('# TYPE apiserver_request_duration_seconds histogram');
    for (const [key, h] of this.durations) {
      const labels = labelText(REQUEST_LABELS, key.split('\x01'));
      for (let i = 0; i < DURATION_BUCKETS.length; i++) out.push(`apiserver_request_duration_seconds_bucket{${labels},le="${DURATION_BUCKETS[i]}"} ${h.buckets[i]}`);
      out.push(`apiserver_request_duration_seconds_bucket{${labels},le="+Inf"} ${h.count}`);
      out.push(`apiserver_request_duration_seconds_sum{${labels}} ${h.sum}`);
      out.push(`apiserver_request_duration_seconds_count{${labels}} ${h.count}`);
    }
    out.push('# HELP apiserver_request_total Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.');
    out.push('# TYPE apiserver_request_total counter');
    for (const [key, n] of this.requests) out.push(`apiserver_request_total{${labelText([...REQUEST_LABELS, 'code'], key.split('\x01'))}} ${n}`);
    if (this.stats) {
      out.push('# HELP apiserver_storage_objects Number of stored objects at the time of last check split by kind.');
      out.push('# TYPE apiserver_storage_objects gauge');
      for (const { resource, count } of await this.stats.objects()) out.push(`apiserver_storage_objects{resource="${escapeLabelValue(resource)}"} ${count}`);
      out.push('# HELP apiserver_storage_size_bytes Size of the storage database file physically allocated in bytes.');
      out.push('# TYPE apiserver_storage_size_bytes gauge');
      out.push(`apiserver_storage_size_bytes{storage_cluster_id="keks"} ${await this.stats.sizeBytes()}`);
    }
    return { contentType: 'text/plain; version=0.0.4; charset=utf-8', body: out.join('\n') + '\n' };
  }
}
