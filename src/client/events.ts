/**
 * Recording core/v1 Events, as client-go's record.EventRecorder does: one Event per (object,
 * type, reason, message), named `<object>.<hex nanos>`, and a repeat within the correlation
 * window bumps `count` and `lastTimestamp` instead of creating another (EventCorrelator).
 */
import type { KubeObject } from '../api/types.js';
import type { Clock } from '../util/clock.js';
import type { ApiClient, ResourceRef } from './client.js';
import { formatTime as rfc3339 } from '../apimachinery/time.js';

const EVENTS: ResourceRef = { group: '', version: 'v1', resource: 'events', namespaced: true };
/** Repeats within 10 minutes update the same Event (events_cache.go defaultAggregateIntervalInSeconds... simplified). */
const CORRELATION_WINDOW_MS = 10 * 60_000;
const MAX_CACHE = 4096;

export type EventType = 'Normal' | 'Warning';

export interface EventRecorderOptions {
  client: ApiClient;
  clock: Clock;
  /** source.component / reportingComponent, e.g. "deployment-controller", "default-scheduler", "kubelet". */
  component: string;
  /** source.host (kubelet events carry the node name). */
  host?: string;
}

let seq = 0;
/** Distinct low digits for events created within one millisecond (process-wide). */
function nextSeq(): number {
  seq = (seq + 1) % 1_000_000;
  return seq;
}

interface Seen { namespace: string; name: string; count: number; first: string; last: number }

export class EventRecorder {
  private readonly seen = new Map<string, Seen>();

  constructor(private readonly o: EventRecorderOptions) {}

  /** Fire and forget: events are best effort, failures are swallowed (as client-go logs and drops them). */
  event(obj: KubeObject, type: EventType, reason: string, message: string, fieldPath?: string): void {
    void this.record(obj, type, reason, message, fieldPath).catch(() => undefined);
  }

  async record(obj: KubeObject, type: EventType, reason: string, message: string, fieldPath?: string): Promise<void> {
    const m = obj.metadata;
    const namespace = m.namespace || 'default';
    const key = `${m.uid}|${type}|${reason}|${message}|${fieldPath ?? ''}`;
    const now = this.o.clock.now();
    const prev = this.seen.get(key);
    if (prev && now - prev.last < CORRELATION_WINDOW_MS) {
      prev.count++;
      prev.last = now;
      await this.o.client.patch(EVENTS, prev.namespace, prev.name, { count: prev.count, lastTimestamp: rfc3339(now) }, 'merge');
      return;
    }
    // `<name>.<hex unix nanos>` as client-go; the sequence keeps events of one millisecond apart.
    const name = `${m.name}.${(BigInt(now) * 1_000_000n + BigInt(nextSeq())).toString(16)}`;
    const involvedObject: Record<string, unknown> = { kind: obj.kind, namespace: m.namespace, name: m.name, uid: m.uid, apiVersion: obj.apiVersion, resourceVersion: m.resourceVersion };
    if (fieldPath) involvedObject.fieldPath = fieldPath;
    const source: Record<string, string> = { component: this.o.component };
    if (this.o.host) source.host = this.o.host;
    const ts = rfc3339(now);
    await this.o.client.create(EVENTS, namespace, {
      apiVersion: 'v1', kind: 'Event',
      metadata: { name, namespace },
      involvedObject, reason, message, source, type, count: 1,
      firstTimestamp: ts, lastTimestamp: ts,
      reportingComponent: this.o.component, reportingInstance: this.o.host ?? '',
    });
    if (this.seen.size >= MAX_CACHE) this.seen.delete(this.seen.keys().next().value as string);
    this.seen.set(key, { namespace, name, count: 1, first: ts, last: now });
  }
}
