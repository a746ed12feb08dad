/**
 * The API server's own telemetry in Prometheus text format, with kube-apiserver's metric names:
 * apiserver_request_total, apiserver_request_duration_seconds, apiserver_storage_objects and
 * apiserver_storage_size_bytes. One registry per cluster (each cluster serves its own /metrics).
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

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
const DURATION_BUCKETS = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];

export class ApiMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<string>;
  private readonly duration: Histogram<string>;

  constructor(stats?: StorageStats) {
    this.requests = new Counter({
      name: 'apiserver_request_total',
      help: 'Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.',
      labelNames: ['verb', 'group', 'version', 'resource', 'subresource', 'scope', 'component', 'code'],
      registers: [this.registry],
    });
    this.duration = new Histogram({
      name: 'apiserver_request_duration_seconds',
      help: 'Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.',
      labelNames: ['verb', 'group', 'version', 'resource', 'subresource', 'scope', 'component'],
      buckets: DURATION_BUCKETS,
      registers: [this.registry],
    });
    if (stats) {
      new Gauge({
        name: 'apiserver_storage_objects',
        help: 'Number of stored objects at the time of last check split by kind.',
        labelNames: ['resource'],
        registers: [this.registry],
        async collect() {
          this.reset();
          for (const { resource, count } of await stats.objects()) this.set({ resource }, count);
        },
      });
      new Gauge({
        name: 'apiserver_storage_size_bytes',
        help: 'Size of the storage database file physically allocated in bytes.',
        labelNames: ['storage_cluster_id'],
        registers: [this.registry],
        async collect() {
          this.set({ storage_cluster_id: 'keks' }, await stats.sizeBytes());
        },
      });
    }
  }

  observe(l: RequestLabels, seconds: number): void {
    const base = { verb: l.verb, group: l.group, version: l.version, resource: l.resource, subresource: l.subresource, scope: l.scope, component: 'apiserver' };
    this.requests.inc({ ...base, code: String(l.code) });
    this.duration.observe(base, seconds);
  }

  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
