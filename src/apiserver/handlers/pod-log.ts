/**
 * GET pods/{name}/log (pkg/registry/core/pod/rest/log.go + the kubelet's log options): keks runs
 * simulated containers, so a container's "log" is built from its status: one line when it started
 * (with its image), one per restart, one when it terminated. Query parameters as PodLogOptions:
 * container (required when the pod has several), previous, tailLines, timestamps, limitBytes,
 * sinceSeconds/sinceTime, follow (the response stays open and new lines are streamed as the pod's
 * status changes, until the container terminates, the pod is deleted or the client goes away).
 *
 * Also the exec/attach/portforward answer: the simulated runtime cannot run processes.
 */
import type { KubeObject } from '../../api/types.js';
import { badRequest, isStatusError } from '../../apimachinery/errors.js';
import { formatTime } from '../../apimachinery/time.js';
import type { ResourceRequest } from './context.js';

type Obj = Record<string, unknown>;
interface LogLine { at: number; text: string }
interface CStatus { name: string; image?: string; restartCount?: number; state?: Obj; lastState?: Obj }

/** How often a follow stream re-reads the pod (bounded by the client connection). */
const FOLLOW_POLL_MS = 500;

export function simulatedRuntimeError(what: string): Error {
  return badRequest(`keks runs simulated containers: ${what} is not supported by the simulated runtime`);
}

function containerNames(pod: KubeObject): string[] {
  const spec = (pod.spec ?? {}) as { containers?: Array<{ name: string }>; initContainers?: Array<{ name: string }> };
  return (spec.containers ?? []).map((c) => c.name);
}

function allStatuses(pod: KubeObject): CStatus[] {
  const st = (pod.status ?? {}) as { containerStatuses?: CStatus[]; initContainerStatuses?: CStatus[] };
  return [...(st.containerStatuses ?? []), ...(st.initContainerStatuses ?? [])];
}

function imageOf(pod: KubeObject, c: string, cs?: CStatus): string {
  const spec = (pod.spec ?? {}) as { containers?: Array<{ name: string; image?: string }>; initContainers?: Array<{ name: string; image?: string }> };
  const sc = [...(spec.containers ?? []), ...(spec.initContainers ?? [])].find((x) => x.name === c);
  return sc?.image ?? cs?.image ?? '';
}

/** The container the request means (validateContainer in pkg/registry/core/pod/strategy.go). */
export function resolveContainer(pod: KubeObject, requested: string | null): string {
  const name = pod.metadata.name ?? '';
  const names = containerNames(pod);
  const init = ((pod.spec as { initContainers?: Array<{ name: string }> } | undefined)?.initContainers ?? []).map((c) => c.name);
  if (!requested) {
    if (names.length === 1) return names[0];
    throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${names.join(' ')}]`
      + (init.length ? ` or one of the init containers: [${init.join(' ')}]` : ''));
  }
  if (!names.includes(requested) && !init.includes(requested)) {
    throw badRequest(`container ${requested} is not valid for pod ${name}`);
  }
  return requested;
}

function ts(v: unknown): number {
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isNaN(t) ? 0 : t;
}

function instanceLines(c: string, image: string, state: Obj | undefined, restart: number): LogLine[] {
  const out: LogLine[] = [];
  const running = state?.running as Obj | undefined;
  const term = state?.terminated as Obj | undefined;
  const started = running?.startedAt ?? term?.startedAt;
  if (started) {
    const at = ts(started);
    out.push({ at, text: `${formatTime(at)} keks: container ${c} started (image ${image})${restart > 0 ? `, restart ${restart}` : ''}` });
  }
  if (term) {
    const at = ts(term.finishedAt);
    const reason = term.reason ? ` (${String(term.reason)})` : '';
    out.push({ at, text: `${formatTime(at)} keks: container ${c} terminated with exit code ${String(term.exitCode ?? 0)}${reason}` });
  }
  return out;
}

/**
 * The simulated log of one container: its current instance, or with `previous` its last
 * terminated one. Throws the kubelet's 400s for waiting containers / missing previous instances.
 */
export function simulatedLog(pod: KubeObject, c: string, previous: boolean): LogLine[] {
  const podName = pod.metadata.name ?? '';
  const cs = allStatuses(pod).find((s) => s.name === c);
  const image = imageOf(pod, c, cs);
  const restarts = cs?.restartCount ?? 0;
  if (previous) {
    const last = cs?.lastState?.terminated as Obj | undefined;
    if (!cs || restarts === 0 || !last) throw badRequest(`previous terminated container "${c}" in pod "${podName}" not found`);
    return instanceLines(c, image, cs.lastState, restarts - 1);
  }
  const waiting = cs?.state?.waiting as Obj | undefined;
  if (!cs || (waiting && !cs.lastState?.terminated)) {
    const reason = waiting?.reason ? String(waiting.reason) : 'ContainerCreating';
    throw badRequest(`container "${c}" in pod "${podName}" is waiting to start: ${reason}`);
  }
  // A container waiting to be restarted (CrashLoopBackOff) still shows its last instance's log.
  if (waiting) return instanceLines(c, image, cs.lastState, Math.max(0, restarts - 1));
  return instanceLines(c, image, cs.state, restarts);
}

interface LogOptions { tailLines?: number; timestamps: boolean; limitBytes?: number; sinceMs?: number }

function intParam(q: URLSearchParams, key: string, min: number): number | undefined {
  const v = q.get(key);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v) || Number(v) < min) throw badRequest(`${key}: Invalid value: ${JSON.stringify(v)}: must be ${min > 0 ? 'greater than 0' : 'non-negative'}`);
  return Number(v);
}

function logOptions(r: ResourceRequest): LogOptions {
  const q = r.query;
  const since = intParam(q, 'sinceSeconds', 1);
  const sinceTime = q.get('sinceTime');
  if (since !== undefined && sinceTime) throw badRequest('at most one of `sinceTime` or `sinceSeconds` may be specified');
  const sinceMs = since !== undefined ? r.clock.now() - since * 1000 : sinceTime ? ts(sinceTime) : undefined;
  return { tailLines: intParam(q, 'tailLines', 0), timestamps: q.get('timestamps') === 'true', limitBytes: intParam(q, 'limitBytes', 1), sinceMs };
}

function render(lines: LogLine[], o: LogOptions): string {
  let sel = o.sinceMs !== undefined ? lines.filter((l) => l.at >= (o.sinceMs as number)) : lines;
  if (o.tailLines !== undefined) sel = o.tailLines === 0 ? [] : sel.slice(-o.tailLines);
  return sel.map((l) => (o.timestamps ? `${new Date(l.at).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z')} ` : '') + l.text + '\n').join('');
}

function isTerminated(pod: KubeObject, c: string): boolean {
  const cs = allStatuses(pod).find((s) => s.name === c);
  return !!cs?.state?.terminated;
}

export async function handlePodLog(r: ResourceRequest): Promise<void> {
  const ns = r.info.namespace;
  const name = r.info.name;
  let pod = await r.served.store.get(ns, name);
  const c = resolveContainer(pod, r.query.get('container'));
  const previous = r.query.get('previous') === 'true';
  const follow = r.query.get('follow') === 'true' && !previous;
  const o = logOptions(r);
  let lines = simulatedLog(pod, c, previous);
  let budget = o.limitBytes ?? Infinity;
  const res = r.res;
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  const emit = (text: string): boolean => {
    const buf = Buffer.from(text);
    const part = buf.length > budget ? buf.subarray(0, budget) : buf;
    budget -= part.length;
    if (part.length) res.write(part);
    return budget > 0;
  };
  if (!emit(render(lines, o)) || !follow || isTerminated(pod, c)) { res.end(); return; }
  // follow: re-read the pod and stream lines that appear (new restarts, termination).
  let open = true;
  r.req.on('close', () => { open = false; });
  const seen = new Set(lines.map((l) => l.text));
  while (open) {
    await new Promise<void>((resolve) => { r.clock.setTimeout(resolve, FOLLOW_POLL_MS); });
    try {
      pod = await r.served.store.get(ns, name);
      lines = simulatedLog(pod, c, false);
    } catch (e) {
      if (isStatusError(e) && e.code === 400) continue; // waiting between instances
      break; // pod gone
    }
    const fresh = lines.filter((l) => !seen.has(l.text));
    for (const l of fresh) seen.add(l.text);
    if (fresh.length && !emit(render(fresh, { ...o, tailLines: undefined, sinceMs: undefined }))) break;
    if (isTerminated(pod, c)) break;
  }
  res.end();
}
