/**
 * Resource requests of a pod as the scheduler computes them (k8s.io/component-helpers/resource
 * PodRequests): the sum over containers, plus restartable init containers (sidecars), at least
 * the largest regular init container together with the sidecars started before it, plus
 * spec.overhead. "Non-zero" requests (for scoring) count 100m CPU / 200Mi memory for a container
 * that requests none (pkg/scheduler/util.GetNonzeroRequests).
 */
import type { KubeObject } from '../api/types.js';
import { parseQuantity, quantityMilliValue, quantityValue } from '../apimachinery/quantity.js';

export interface Resources {
  /** Millicores. */
  cpu: number;
  /** Bytes. */
  memory: number;
  /** Bytes. */
  ephemeral: number;
}

export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

const cache = new Map<string, number>();
/** Quantity → number (millis for CPU, units otherwise), memoised: the same strings recur constantly. */
export function quantity(q: string | number | undefined, milli = false): number {
  if (q === undefined) return 0;
  const key = `${milli ? 'm' : ''}${q}`;
  let v = cache.get(key);
  if (v === undefined) {
    try { v = Number(milli ? quantityMilliValue(parseQuantity(q)) : quantityValue(parseQuantity(q))); } catch { v = 0; }
    if (cache.size > 10_000) cache.clear();
    cache.set(key, v);
  }
  return v;
}

export function zero(): Resources {
  return { cpu: 0, memory: 0, ephemeral: 0 };
}

export function fromList(list: Record<string, string> | undefined): Resources {
  return { cpu: quantity(list?.cpu, true), memory: quantity(list?.memory), ephemeral: quantity(list?.['ephemeral-storage']) };
}

interface ContainerLike { resources?: { requests?: Record<string, string> }; restartPolicy?: string }

function add(a: Resources, b: Resources): Resources {
  return { cpu: a.cpu + b.cpu, memory: a.memory + b.memory, ephemeral: a.ephemeral + b.ephemeral };
}

function max(a: Resources, b: Resources): Resources {
  return { cpu: Math.max(a.cpu, b.cpu), memory: Math.max(a.memory, b.memory), ephemeral: Math.max(a.ephemeral, b.ephemeral) };
}

function requestsOf(c: ContainerLike, nonZero: boolean): Resources {
  const r = fromList(c.resources?.requests);
  if (nonZero) {
    if (c.resources?.requests?.cpu === undefined) r.cpu = DEFAULT_MILLI_CPU_REQUEST;
    if (c.resources?.requests?.memory === undefined) r.memory = DEFAULT_MEMORY_REQUEST;
  }
  return r;
}

export function podRequests(pod: KubeObject, nonZero = false): Resources {
  const spec = (pod.spec ?? {}) as { containers?: ContainerLike[]; initContainers?: ContainerLike[]; overhead?: Record<string, string> };
  let total = zero();
  for (const c of spec.containers ?? []) total = add(total, requestsOf(c, nonZero));
  let sidecars = zero();
  let initMax = zero();
  for (const c of spec.initContainers ?? []) {
    const r = requestsOf(c, nonZero);
    if (c.restartPolicy === 'Always') {
      sidecars = add(sidecars, r);
      initMax = max(initMax, sidecars);
    } else {
      initMax = max(initMax, add(r, sidecars));
    }
  }
  total = max(add(total, sidecars), initMax);
  if (spec.overhead) total = add(total, fromList(spec.overhead));
  return total;
}
