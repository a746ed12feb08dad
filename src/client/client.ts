/**
 * A small typed-enough Kubernetes client (the client-go dynamic client's shape): resources are
 * addressed by group/version/resource, objects are plain JSON, and watches deliver decoded events.
 */
import type { KubeList, KubeObject } from '../api/types.js';
import { errorFromResponse } from './errors.js';
import type { StreamHandle, Transport, TransportRequest } from './transport.js';

export interface ResourceRef {
  group: string;
  version: string;
  resource: string;
  namespaced: boolean;
}

export interface ListParams {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeObject;
}

export function resourcePath(ref: ResourceRef, namespace?: string, name?: string, sub?: string): string {
  let p = ref.group ? `/apis/${ref.group}/${ref.version}` : `/api/${ref.version}`;
  if (ref.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
  p += `/${ref.resource}`;
  if (name) p += `/${encodeURIComponent(name)}`;
  if (sub) p += `/${sub}`;
  return p;
}

function qs(params: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export class ApiClient {
  constructor(private readonly transport: Transport, private readonly userAgent = 'keks-controller') {}

  private async call<T>(req: TransportRequest): Promise<T> {
    const res = await this.transport.request({ ...req, headers: { Accept: 'application/json', 'User-Agent': this.userAgent, ...(req.body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...req.headers } });
    if (res.status < 200 || res.status >= 300) throw errorFromResponse(res.status, res.body);
    return JSON.parse(res.body) as T;
  }

  /** Raw GET of a non-resource path such as /apis. */
  getRaw<T>(path: string, accept = 'application/json'): Promise<T> {
    return this.call<T>({ method: 'GET', path, headers: { Accept: accept } });
  }

  get(ref: ResourceRef, namespace: string, name: string): Promise<KubeObject> {
    return this.call({ method: 'GET', path: resourcePath(ref, namespace, name) });
  }

  list(ref: ResourceRef, namespace: string, params: ListParams = {}): Promise<KubeList> {
    return this.call({ method: 'GET', path: resourcePath(ref, namespace) + qs({ ...params }) });
  }

  create(ref: ResourceRef, namespace: string, obj: KubeObject): Promise<KubeObject> {
    return this.call({ method: 'POST', path: resourcePath(ref, namespace), body: JSON.stringify(obj) });
  }

  update(ref: ResourceRef, namespace: string, obj: KubeObject, sub?: string): Promise<KubeObject> {
    return this.call({ method: 'PUT', path: resourcePath(ref, namespace, obj.metadata.name, sub), body: JSON.stringify(obj) });
  }

  patch(ref: ResourceRef, namespace: string, name: string, patch: unknown, type: 'merge' | 'json' | 'strategic' = 'merge', sub?: string): Promise<KubeObject> {
    const ct = type === 'merge' ? 'application/merge-patch+json' : type === 'json' ? 'application/json-patch+json' : 'application/strategic-merge-patch+json';
    return this.call({ method: 'PATCH', path: resourcePath(ref, namespace, name, sub), body: JSON.stringify(patch), headers: { 'Content-Type': ct } });
  }

  delete(ref: ResourceRef, namespace: string, name: string, opts: Record<string, unknown> = {}): Promise<KubeObject> {
    return this.call({ method: 'DELETE', path: resourcePath(ref, namespace, name), body: JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', ...opts }) });
  }

  deleteCollection(ref: ResourceRef, namespace: string, params: ListParams = {}): Promise<KubeList> {
    return this.call({ method: 'DELETE', path: resourcePath(ref, namespace) + qs({ ...params }) });
  }

  /** Watch from `resourceVersion`; events arrive decoded, in order. `onClose` fires once. */
  watch(ref: ResourceRef, namespace: string, params: ListParams & { allowWatchBookmarks?: boolean; timeoutSeconds?: number },
    onEvent: (e: WatchEvent) => void, onClose: (err?: Error) => void): StreamHandle {
    let buf = '';
    let status = 0;
    let closed = false;
    const close = (err?: Error): void => { if (!closed) { closed = true; onClose(err); } };
    return this.transport.stream(
      { method: 'GET', path: resourcePath(ref, namespace) + qs({ ...params, watch: 'true' }), headers: { Accept: 'application/json', 'User-Agent': this.userAgent } },
      {
        onHead: (s) => { status = s; },
        onData: (text) => {
          buf += text;
          if (status !== 200) return;
          let i: number;
          while ((i = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, i);
            buf = buf.slice(i + 1);
            if (line.trim()) onEvent(JSON.parse(line) as WatchEvent);
          }
        },
        onEnd: (err) => close(err ?? (status !== 200 ? errorFromResponse(status, buf) : undefined)),
      },
    );
  }
}
